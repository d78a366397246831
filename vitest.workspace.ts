/**
 * The list of test projects, one per package. Vitest 4 no longer reads this file by itself: `vitest.config.ts`
 * imports it into `test.projects`. Tests run against `src/` through aliases built from each package's
 * `exports` map (the `@ovenjs/source` condition), so a test run needs no build.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const root = import.meta.dirname;

interface ExportEntry {
	readonly '@ovenjs/source'?: string;
}

/** One alias per export of every package: `@ovenjs/rest/redis` → `packages/rest/src/redis.ts`. */
function sourceAliases(): { find: RegExp; replacement: string }[] {
	const aliases: { find: RegExp; replacement: string }[] = [];
	for (const dir of readdirSync(join(root, 'packages'))) {
		const manifest = join(root, 'packages', dir, 'package.json');
		if (!existsSync(manifest)) continue;
		const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
			name: string;
			exports?: Record<string, ExportEntry | string>;
		};
		for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
			if (typeof target === 'string' || target['@ovenjs/source'] === undefined) continue;
			const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
			// Anchored, so `@ovenjs/rest` never matches `@ovenjs/rest/redis`.
			aliases.push({
				find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
				replacement: join(root, 'packages', dir, target['@ovenjs/source']),
			});
		}
	}
	return aliases;
}

const alias = sourceAliases();

const packageNames = readdirSync(join(root, 'packages')).filter((dir) =>
	existsSync(join(root, 'packages', dir, '__tests__')),
);

export const projects: TestProjectInlineConfiguration[] = [
	...packageNames.map((name): TestProjectInlineConfiguration => ({
		resolve: { alias },
		test: {
			name,
			root: join(root, 'packages', name),
			include: ['__tests__/**/*.test.ts'],
			testTimeout: 30_000,
			hookTimeout: 30_000,
			typecheck: {
				enabled: true,
				only: false,
				include: ['__tests__/**/*.test-d.ts'],
				tsconfig: join(root, 'packages', name, 'tsconfig.json'),
			},
		},
	})),
	{
		test: {
			name: 'repo',
			root: join(root, 'tools', 'repo-checks'),
			include: ['__tests__/**/*.test.ts'],
			testTimeout: 30_000,
		},
	},
	{
		test: {
			name: 'eslint-plugin',
			root: join(root, 'tools', 'eslint-plugin'),
			include: ['__tests__/**/*.test.{ts,js}'],
		},
	},
];

export default projects;
