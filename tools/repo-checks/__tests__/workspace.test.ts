/**
 * The workspace's fixed shape, checked: every package has a README, an exports map with ESM, CJS and types,
 * `sideEffects: false`, `files: ["dist"]`, a tsconfig that extends the strict base and references exactly the
 * workspace packages its sources import, and — once built — entry points that load as ESM and as CJS.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const packagesDir = join(root, 'packages');
const names = readdirSync(packagesDir).filter((d) => existsSync(join(packagesDir, d, 'package.json')));

interface ConditionalExport {
	'@ovenjs/source'?: string;
	import?: { types?: string; default?: string };
	require?: { types?: string; default?: string };
}
interface Manifest {
	name: string;
	private?: boolean;
	sideEffects?: boolean;
	files?: string[];
	engines?: { node?: string };
	exports?: Record<string, ConditionalExport | string>;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
}

const read = (file: string): string => readFileSync(file, 'utf8');
const manifest = (name: string): Manifest => JSON.parse(read(join(packagesDir, name, 'package.json'))) as Manifest;

function sourceFiles(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('.ts'))
		.map((f) => join(dir, f));
}

function importedWorkspacePackages(files: string[]): Set<string> {
	const found = new Set<string>();
	for (const file of files) {
		for (const match of read(file).matchAll(/(?:from|import)\s*\(?\s*'(@ovenjs\/[a-z-]+)(?:\/[a-z-]+)?'/g)) {
			if (match[1] !== undefined) found.add(match[1]);
		}
	}
	return found;
}

describe.each(names)('@ovenjs/%s', (name) => {
	const dir = join(packagesDir, name);
	const pkg = manifest(name);

	it('has the fixed package shape', () => {
		expect(pkg.name).toBe(`@ovenjs/${name}`);
		expect(pkg.sideEffects).toBe(false);
		expect(pkg.files).toContain('dist');
		expect(pkg.engines?.node).toBe('>=20.19');
		expect(existsSync(join(dir, 'README.md'))).toBe(true);
		expect(read(join(dir, 'README.md')).length).toBeGreaterThan(400);
		expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
		expect(existsSync(join(dir, 'tsup.config.ts'))).toBe(true);
		const testFiles = readdirSync(join(dir, '__tests__'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.test(-d)?\.ts$/.test(f));
		expect(testFiles.length).toBeGreaterThan(0);
	});

	it('exports ESM, CJS and types for every entry, and src through the @ovenjs/source condition', () => {
		const entries = Object.entries(pkg.exports ?? {}).filter(([key]) => key !== './package.json');
		expect(entries.length).toBeGreaterThan(0);
		for (const [, target] of entries) {
			expect(typeof target).toBe('object');
			const t = target as ConditionalExport;
			expect(t['@ovenjs/source']).toMatch(/^\.\/src\/.+\.ts$/);
			expect(existsSync(join(dir, t['@ovenjs/source'] ?? ''))).toBe(true);
			expect(t.import?.types).toMatch(/\.d\.ts$/);
			expect(t.import?.default).toMatch(/\.js$/);
			expect(t.require?.types).toMatch(/\.d\.cts$/);
			expect(t.require?.default).toMatch(/\.cjs$/);
		}
	});

	it('extends the strict base and references exactly the workspace packages it imports', () => {
		const tsconfig = JSON.parse(read(join(dir, 'tsconfig.json'))) as { extends: string; references?: { path: string }[] };
		expect(tsconfig.extends).toBe('../../tsconfig.base.json');
		const referenced = new Set((tsconfig.references ?? []).map((r) => `@ovenjs/${r.path.replace('../', '')}`));
		const imported = importedWorkspacePackages([...sourceFiles(join(dir, 'src')), ...sourceFiles(join(dir, '__tests__'))]);
		imported.delete(pkg.name);
		imported.delete('@ovenjs/test-services');
		imported.delete('@ovenjs/eslint-plugin');
		for (const dep of imported) expect(referenced, `${pkg.name} imports ${dep} but its tsconfig does not reference it`).toContain(dep);
		const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
		for (const dep of imported) expect(Object.keys(declared), `${pkg.name} imports ${dep} without declaring it`).toContain(dep);
	});

	const built = existsSync(join(dir, 'dist'));
	it.runIf(built || process.env.CI === 'true')('built entry points load as ESM and CJS with the same exports', async () => {
		const require = createRequire(join(dir, 'package.json'));
		for (const [key, target] of Object.entries(pkg.exports ?? {})) {
			if (key === './package.json' || typeof target === 'string') continue;
			const esmPath = join(dir, target.import?.default ?? '');
			const cjsPath = join(dir, target.require?.default ?? '');
			expect(existsSync(esmPath), `${esmPath} is missing: run pnpm build`).toBe(true);
			const esm = (await import(pathToFileURL(esmPath).href)) as Record<string, unknown>;
			const cjs = require(cjsPath) as Record<string, unknown>;
			expect(Object.keys(esm).sort()).toEqual(Object.keys(cjs).filter((k) => k !== 'default' && k !== '__esModule').sort());
			expect(existsSync(join(dir, target.import?.types ?? ''))).toBe(true);
			expect(existsSync(join(dir, target.require?.types ?? ''))).toBe(true);
		}
	});
});

describe('workspace', () => {
	it('the solution tsconfig references every package in dependency order', () => {
		const solution = JSON.parse(read(join(root, 'tsconfig.json'))) as { references: { path: string }[] };
		const order = solution.references.map((r) => r.path.replace('./packages/', '').replace('./', ''));
		for (const name of names) expect(order).toContain(name);
		const index = (n: string): number => order.indexOf(n);
		for (const name of names) {
			const tsconfig = JSON.parse(read(join(packagesDir, name, 'tsconfig.json'))) as { references?: { path: string }[] };
			for (const ref of tsconfig.references ?? []) {
				const dep = ref.path.replace('../', '');
				expect(index(dep), `${dep} must come before ${name} in tsconfig.json`).toBeLessThan(index(name));
			}
		}
	});

	it('the base tsconfig is ultra-strict', () => {
		const base = JSON.parse(read(join(root, 'tsconfig.base.json'))) as { compilerOptions: Record<string, unknown> };
		expect(base.compilerOptions).toMatchObject({
			strict: true,
			exactOptionalPropertyTypes: true,
			noUncheckedIndexedAccess: true,
			noImplicitReturns: true,
			noFallthroughCasesInSwitch: true,
			noImplicitOverride: true,
			allowUnusedLabels: false,
			allowUnreachableCode: false,
			composite: true,
			incremental: true,
			declaration: true,
			declarationMap: true,
			target: 'ES2023',
			module: 'NodeNext',
			moduleResolution: 'NodeNext',
		});
	});

	it('pins pnpm and Node', () => {
		const rootPkg = JSON.parse(read(join(root, 'package.json'))) as { packageManager: string; engines: { node: string } };
		expect(rootPkg.packageManager).toMatch(/^pnpm@10\.\d+\.\d+$/);
		expect(rootPkg.engines.node).toBe('>=20.19');
	});
});
