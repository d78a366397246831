/**
 * The workspace's fixed shape, checked: every package has a README, an exports map with ESM, CJS and types,
 * `sideEffects: false`, `files: ["dist"]`, a tsconfig that extends the strict base and references exactly the
 * workspace packages its sources import, and — once built — entry points that load as ESM and as CJS, with
 * declarations that type-check for ESM and CommonJS consumers.
 */
import { execFileSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
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
	repository?: { type?: string; url?: string; directory?: string };
	publishConfig?: { access?: string; exports?: Record<string, ConditionalExport | string> };
	typesVersions?: Record<string, Record<string, string[]>>;
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
		// `npm create ovenjs` runs the package named create-ovenjs; every other package is @ovenjs/<folder>.
		expect(pkg.name).toBe(name === 'create-ovenjs' ? 'create-ovenjs' : `@ovenjs/${name}`);
		expect(pkg.sideEffects).toBe(false);
		expect(pkg.files).toContain('dist');
		expect(pkg.engines?.node).toBe('>=20.19');
		expect(existsSync(join(dir, 'README.md'))).toBe(true);
		expect(read(join(dir, 'README.md')).length).toBeGreaterThan(400);
		expect(existsSync(join(dir, 'src', 'index.ts'))).toBe(true);
		expect(existsSync(join(dir, 'tsup.config.ts'))).toBe(true);
		const testFiles = readdirSync(join(dir, '__tests__'), { recursive: true, encoding: 'utf8' }).filter((f) =>
			/\.test(-d)?\.ts$/.test(f),
		);
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
			// CommonJS declarations live under dist/types-cjs, a {"type": "commonjs"} scope (tools/emit-types.mjs).
			expect(t.require?.types).toMatch(/^\.\/dist\/types-cjs\/.+\.d\.ts$/);
			expect(t.require?.default).toMatch(/\.cjs$/);
		}
	});

	it('is ready to publish: LICENSE, git+https repository, exports without the source condition, node10 subpath types', () => {
		expect(read(join(dir, 'LICENSE')), 'the LICENSE is the root one').toBe(read(join(root, 'LICENSE')));
		expect(pkg.repository?.url).toBe('git+https://github.com/ovenjs/ovenjs.git');
		expect(pkg.repository?.directory).toBe(`packages/${name}`);
		// pnpm pack/publish replace `exports` by publishConfig.exports: the same map minus `@ovenjs/source`
		// (it points at src/, which is not shipped).
		const stripped: Record<string, ConditionalExport | string> = {};
		for (const [key, target] of Object.entries(pkg.exports ?? {})) {
			if (typeof target === 'string') {
				stripped[key] = target;
				continue;
			}
			const { '@ovenjs/source': _source, ...rest } = target;
			stripped[key] = rest;
		}
		expect(pkg.publishConfig?.exports).toEqual(stripped);
		expect(pkg.publishConfig?.access).toBe('public');
		// moduleResolution node10 ignores `exports`: typesVersions points subpaths at their declarations.
		const subpaths = Object.keys(pkg.exports ?? {}).filter((key) => key !== '.' && key !== './package.json');
		for (const key of subpaths) {
			const target = pkg.exports?.[key];
			expect(pkg.typesVersions?.['*']?.[key.slice(2)]).toEqual([
				typeof target === 'object' ? target.require?.types : undefined,
			]);
		}
		// Declarations that use Node's types bring them: @types/node is a dependency ("*": never a second copy).
		if (pkg.dependencies?.['@types/node'] !== undefined) expect(pkg.dependencies['@types/node']).toBe('*');
	});

	it('extends the strict base and references exactly the workspace packages it imports', () => {
		const tsconfig = JSON.parse(read(join(dir, 'tsconfig.json'))) as {
			extends: string;
			references?: { path: string }[];
		};
		expect(tsconfig.extends).toBe('../../tsconfig.base.json');
		const referenced = new Set((tsconfig.references ?? []).map((r) => `@ovenjs/${r.path.replace('../', '')}`));
		// create-ovenjs's templates hold the generated project's imports as text, not imports of its own.
		const scanned = [...sourceFiles(join(dir, 'src')), ...sourceFiles(join(dir, '__tests__'))].filter(
			(file) => !(name === 'create-ovenjs' && file.endsWith(join('src', 'lib', 'templates.ts'))),
		);
		const imported = importedWorkspacePackages(scanned);
		imported.delete(pkg.name);
		imported.delete('@ovenjs/test-services');
		imported.delete('@ovenjs/eslint-plugin');
		for (const dep of imported)
			expect(referenced, `${pkg.name} imports ${dep} but its tsconfig does not reference it`).toContain(dep);
		const declared = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies };
		for (const dep of imported)
			expect(Object.keys(declared), `${pkg.name} imports ${dep} without declaring it`).toContain(dep);
	});

	const built = existsSync(join(dir, 'dist'));
	it.runIf(built || process.env.CI === 'true')(
		'built entry points load as ESM and CJS with the same exports',
		async () => {
			const require = createRequire(join(dir, 'package.json'));
			for (const [key, target] of Object.entries(pkg.exports ?? {})) {
				if (key === './package.json' || typeof target === 'string') continue;
				const esmPath = join(dir, target.import?.default ?? '');
				const cjsPath = join(dir, target.require?.default ?? '');
				expect(existsSync(esmPath), `${esmPath} is missing: run pnpm build`).toBe(true);
				const esm = (await import(pathToFileURL(esmPath).href)) as Record<string, unknown>;
				const cjs = require(cjsPath) as Record<string, unknown>;
				expect(Object.keys(esm).sort()).toEqual(
					Object.keys(cjs)
						.filter((k) => k !== 'default' && k !== '__esModule')
						.sort(),
				);
				expect(existsSync(join(dir, target.import?.types ?? ''))).toBe(true);
				expect(existsSync(join(dir, target.require?.types ?? ''))).toBe(true);
			}
			expect(JSON.parse(read(join(dir, 'dist', 'types-cjs', 'package.json')))).toEqual({ type: 'commonjs' });
		},
	);
});

describe('workspace', () => {
	it('the solution tsconfig references every package in dependency order', () => {
		const solution = JSON.parse(read(join(root, 'tsconfig.json'))) as { references: { path: string }[] };
		const order = solution.references.map((r) => r.path.replace('./packages/', '').replace('./', ''));
		for (const name of names) expect(order).toContain(name);
		const index = (n: string): number => order.indexOf(n);
		for (const name of names) {
			const tsconfig = JSON.parse(read(join(packagesDir, name, 'tsconfig.json'))) as {
				references?: { path: string }[];
			};
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

	const allBuilt = names.every((name) => existsSync(join(packagesDir, name, 'dist', 'types')));
	it.runIf(allBuilt || process.env.CI === 'true')(
		'built declarations type-check for ESM and CommonJS consumers (skipLibCheck off)',
		() => {
			// A consumer project outside the workspace that sees the packages as npm would install them.
			const dir = mkdtempSync(join(tmpdir(), 'ovenjs-consumer-'));
			try {
				mkdirSync(join(dir, 'node_modules', '@ovenjs'), { recursive: true });
				mkdirSync(join(dir, 'node_modules', '@types'));
				for (const name of names)
					symlinkSync(
						join(packagesDir, name),
						join(dir, 'node_modules', ...manifest(name).name.split('/')),
						'dir',
					);
				writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
				const specifiers = names.flatMap((name) =>
					Object.keys(manifest(name).exports ?? {})
						.filter((key) => key !== './package.json')
						.map((key) => `${manifest(name).name}${key.slice(1)}`),
				);
				const body = [
					...specifiers.map((specifier, i) => `import * as entry${i} from '${specifier}';`),
					"import { asUserId, type GuildId } from '@ovenjs/types';",
					`export const entries = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];`,
					// Real types, not `any`: a user ID is not a guild ID.
					'// @ts-expect-error a UserId is not a GuildId',
					"export const guild: GuildId = asUserId('80351110224678912');",
				].join('\n');
				writeFileSync(join(dir, 'esm.ts'), body);
				writeFileSync(join(dir, 'cjs.cts'), body);
				const program = ts.createProgram([join(dir, 'esm.ts'), join(dir, 'cjs.cts')], {
					module: ts.ModuleKind.NodeNext,
					moduleResolution: ts.ModuleResolutionKind.NodeNext,
					target: ts.ScriptTarget.ES2022,
					strict: true,
					exactOptionalPropertyTypes: false,
					noEmit: true,
					skipLibCheck: false,
					// No `types`: declarations that need Node's types reference them (tools/emit-types.mjs).
					types: [],
				});
				const messages = ts.getPreEmitDiagnostics(program).map((d) =>
					ts.formatDiagnostic(d, {
						getCanonicalFileName: (f) => f,
						getCurrentDirectory: () => dir,
						getNewLine: () => '\n',
					}),
				);
				expect(messages).toEqual([]);
				const files = program.getSourceFiles().map((f) => f.fileName);
				expect(
					files.some((f) => f.includes('/dist/types-cjs/')),
					'the .cts consumer reads the CommonJS declarations',
				).toBe(true);
				expect(
					files.some((f) => f.includes('/dist/types/')),
					'the ESM consumer reads the ESM declarations',
				).toBe(true);
				expect(
					files.filter((f) => f.includes('/packages/') && f.includes('/src/')),
					'no consumer reads sources',
				).toEqual([]);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
			// A full TypeScript 5.9 check of every declaration (zod's included) twice: ~15 s alone, 45 s on a busy CI.
		},
		120_000,
	);

	const coreBuilt = existsSync(join(packagesDir, 'core', 'dist', 'index.cjs'));
	it.runIf(coreBuilt || process.env.CI === 'true')(
		'the ESM and the CJS build loaded in one process agree on instanceof (dual-package hazard)',
		async () => {
			type Ctor = new (...args: unknown[]) => object;
			const esm = (await import(pathToFileURL(join(packagesDir, 'core', 'dist', 'index.js')).href)) as Record<
				string,
				Ctor
			>;
			const cjs = createRequire(join(packagesDir, 'core', 'package.json'))(
				join(packagesDir, 'core', 'dist', 'index.cjs'),
			) as Record<string, Ctor>;
			const make: Record<string, (m: Record<string, Ctor>) => object> = {
				SlashCommandBuilder: (m) => new m.SlashCommandBuilder!('ping', 'pong'),
				EmbedBuilder: (m) => new m.EmbedBuilder!(),
				ButtonBuilder: (m) => new m.ButtonBuilder!(),
				ActionRowBuilder: (m) => new m.ActionRowBuilder!(),
				ModalBuilder: (m) => new m.ModalBuilder!('id', 'title'),
				ExtensionBus: (m) => new m.ExtensionBus!(),
				CoreError: (m) => new m.CoreError!('CORE_NOT_LOGGED_IN', 'x'),
			};
			expect(esm.EmbedBuilder).not.toBe(cjs.EmbedBuilder);
			for (const [name, create] of Object.entries(make)) {
				expect(create(cjs), `CJS ${name} instanceof the ESM class`).toBeInstanceOf(esm[name]!);
				expect(create(esm), `ESM ${name} instanceof the CJS class`).toBeInstanceOf(cjs[name]!);
				if (name !== 'EmbedBuilder') expect(create(cjs)).not.toBeInstanceOf(esm.EmbedBuilder!);
			}
			class MyBus extends esm.ExtensionBus! {}
			expect(new cjs.ExtensionBus!()).not.toBeInstanceOf(MyBus);
			expect(new MyBus()).toBeInstanceOf(cjs.ExtensionBus!);
		},
	);

	it('type-checks with TypeScript 7 (tsc on PATH) while tools that use the compiler API get TypeScript 5.9', () => {
		const tsc = join(root, 'node_modules', '.bin', 'tsc');
		expect(execFileSync(tsc, ['--version'], { encoding: 'utf8' })).toMatch(/^Version 7\./);
		expect(ts.version).toMatch(/^5\.9\./);
		const scripts = (JSON.parse(read(join(root, 'package.json'))) as { scripts: Record<string, string> }).scripts;
		expect(scripts.typecheck).toMatch(/^tsc -b\b/);
	});

	it('pins pnpm and Node', () => {
		const rootPkg = JSON.parse(read(join(root, 'package.json'))) as {
			packageManager: string;
			engines: { node: string };
		};
		expect(rootPkg.packageManager).toMatch(/^pnpm@10\.\d+\.\d+$/);
		expect(rootPkg.engines.node).toBe('>=20.19');
	});
});
