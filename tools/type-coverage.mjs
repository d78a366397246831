#!/usr/bin/env node
// Enforces 100 % type coverage (`type-coverage --strict`: no `any`, no unchecked `as`, no non-null `!`) over
// the shipped source of every package. Tests are excluded: they are not shipped.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'node_modules', '.bin', 'type-coverage');
let failed = false;
const only = process.argv.slice(2);
for (const name of readdirSync(join(root, 'packages'))) {
	if (only.length > 0 && !only.includes(name)) continue;
	const dir = join(root, 'packages', name);
	if (!existsSync(join(dir, 'src'))) continue;
	try {
		const out = execFileSync(
			bin,
			[
				'--strict',
				'--at-least',
				'100',
				'--detail',
				'--ignore-catch',
				'-p',
				join(dir, 'tsconfig.json'),
				'--ignore-files',
				'__tests__/**',
				'--ignore-files',
				'**/*.test.ts',
				'--ignore-files',
				'**/*.test-d.ts',
			],
			{ cwd: dir, encoding: 'utf8' },
		);
		console.log(`@ovenjs/${name}: ${out.trim().split('\n').at(-1)}`);
	} catch (error) {
		failed = true;
		const out = /** @type {{ stdout?: string; stderr?: string }} */ (error);
		console.error(`@ovenjs/${name}: type coverage below 100 %\n${out.stdout ?? ''}${out.stderr ?? ''}`);
	}
}
process.exit(failed ? 1 : 0);
