#!/usr/bin/env node
// Emits a package's declaration files with TypeScript 7's native tsc, after tsup built its JavaScript. Run from
// the package directory (its `build` script does: `tsup && node ../../tools/emit-types.mjs`).
//
//   dist/types/      one .d.ts per source file, for `import` (the package is "type": "module")
//   dist/types-cjs/  the same files under a {"type": "commonjs"} scope, for `require`: TypeScript then reads
//                    them as CommonJS declarations, matching dist/*.cjs (no ESM types masquerading as CJS)
//
// Why not tsup's `dts: true`: it re-checks every package with the TypeScript 5 compiler API inside
// rollup-plugin-dts; for @ovenjs/core that took 5.5 of its 7.3 s build and ~540 MB (see tools/build-bench.mjs).
// The options come from tsconfig.base.json, so declarations are emitted under the same strict settings that
// `pnpm typecheck` checks; imports of other workspace packages resolve to their built dist/ (no source
// condition), as a consumer's would.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const esmOut = join(pkgDir, 'dist', 'types');
const cjsOut = join(pkgDir, 'dist', 'types-cjs');

// A throwaway tsconfig inside the package (so `types: ["node"]` resolves from here, as in tsconfig.json).
const cacheDir = join(pkgDir, 'node_modules', '.cache', 'ovenjs-emit-types');
mkdirSync(cacheDir, { recursive: true });
const tsconfig = join(cacheDir, 'tsconfig.json');
writeFileSync(
	tsconfig,
	JSON.stringify({
		extends: join(root, 'tsconfig.base.json'),
		compilerOptions: {
			rootDir: join(pkgDir, 'src'),
			outDir: esmOut,
			composite: false,
			incremental: false,
			declaration: true,
			emitDeclarationOnly: true,
			declarationMap: false,
			customConditions: [],
		},
		include: [join(pkgDir, 'src')],
	}),
);

rmSync(esmOut, { recursive: true, force: true });
rmSync(cjsOut, { recursive: true, force: true });
// `tsc` is TypeScript 7 (the `typescript7` alias in the root package.json); `typescript` itself stays 5.9 for the
// tools that use its compiler API (typescript-eslint, type-coverage, docs:check).
const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript7/package.json')), 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', tsconfig, '--checkers', '2'], { stdio: 'inherit' });
if (result.status !== 0) {
	console.error(`${pkg.name}: declaration emit failed (tsc exited with ${result.status ?? result.signal})`);
	process.exit(1);
}
cpSync(esmOut, cjsOut, { recursive: true });
writeFileSync(join(cjsOut, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

// Node's types: declarations that use `Buffer`, `node:events`, ... need @types/node in the consumer's program,
// which TypeScript 6+ no longer adds by itself (`types` defaults to []), and TypeScript stopped synthesising
// `/// <reference types="node" />` in emitted declarations (5.5). A package that declares @types/node as a
// dependency gets the directive at the top of every entry declaration, so a consumer needs no `types: ["node"]`.
if (pkg.dependencies?.['@types/node'] !== undefined) {
	const directive = '/// <reference types="node" />\n';
	for (const target of Object.values(pkg.exports ?? {})) {
		if (typeof target !== 'object' || target === null) continue;
		for (const types of [target.import?.types, target.require?.types]) {
			if (typeof types !== 'string') continue;
			const file = join(pkgDir, types);
			if (!existsSync(file)) continue;
			const text = readFileSync(file, 'utf8');
			if (!text.startsWith(directive)) writeFileSync(file, directive + text);
		}
	}
}
