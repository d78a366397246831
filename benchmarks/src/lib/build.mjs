/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Benchmarks run on built packages. A package whose dist/ is missing is built once (`pnpm --filter ... build`,
// which only writes that package's dist/); one that has no src/index.ts yet is left alone and reported later.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The @ovenjs packages the workloads import, in dependency order. */
export const MEASURED_PACKAGES = ['types', 'testing', 'cache', 'rest', 'ws', 'core', 'cluster'];

/** Builds every measured package that has sources but no dist/index.js (every one with sources when `force`). */
export function ensureBuilt(root, force = false) {
	const built = [];
	const failed = {};
	for (const name of MEASURED_PACKAGES) {
		const dir = join(root, 'packages', name);
		if (!existsSync(join(dir, 'src', 'index.ts')) || (!force && existsSync(join(dir, 'dist', 'index.js'))))
			continue;
		console.log(`  building @ovenjs/${name}${force ? '' : ' (dist/ missing)'}…`);
		const result = spawnSync('pnpm', ['--filter', `@ovenjs/${name}`, 'build'], {
			cwd: root,
			encoding: 'utf8',
			timeout: 240_000,
		});
		if (result.status === 0) built.push(name);
		else
			failed[`@ovenjs/${name}`] = `${result.stderr || result.stdout || result.error?.message || ''}`
				.trim()
				.split('\n')
				.slice(-2)
				.join(' ')
				.slice(0, 300);
	}
	return { built, failed };
}

/** The commit measured, and the measured packages whose sources differ from it (a shared working tree). */
export function sourceState(root) {
	const git = (args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
	const commit = git(['rev-parse', '--short', 'HEAD']).stdout.trim() || 'unknown';
	const dirty = MEASURED_PACKAGES.filter(
		(name) => git(['status', '--porcelain', '--', `packages/${name}/src`]).stdout.trim() !== '',
	);
	return { commit, uncommitted: dirty.map((name) => `@ovenjs/${name}`) };
}
