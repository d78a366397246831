import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateError, parseCliArgs, projectFiles, run, scaffold, type ProjectOptions } from 'create-ovenjs';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'create-ovenjs-'));
});
afterEach(() => {
	rmSync(dir, { recursive: true, force: true });
});

function io(input = ''): { io: Parameters<typeof run>[1]; out: () => string; err: () => string } {
	const stdin = new PassThrough();
	stdin.end(input);
	let out = '';
	let err = '';
	const output = new PassThrough();
	output.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const error = new PassThrough();
	error.on('data', (chunk: Buffer) => (err += chunk.toString()));
	return { io: { input: stdin, output, error, cwd: dir }, out: () => out, err: () => err };
}

describe('parseCliArgs', () => {
	it('reads flags and the folder', () => {
		expect(parseCliArgs(['my-bot', '--js', '--cjs', '--features', 'commands,redis', '-y'])).toMatchObject({
			directory: 'my-bot',
			language: 'js',
			moduleFormat: 'cjs',
			features: ['commands', 'redis'],
			yes: true,
		});
		expect(parseCliArgs(['--language', 'ts', '--module', 'esm', '--features', 'none']).features).toEqual([]);
	});

	it('refuses unknown flags, values and names with typed errors', () => {
		for (const argv of [
			['--nope'],
			['--features', 'commands,voice'],
			['--ts', '--js'],
			['--module', 'amd'],
			['a', 'b'],
			['--name', 'Not Valid'],
		]) {
			expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(CreateError);
		}
		try {
			parseCliArgs(['--name', 'Bad Name']);
		} catch (error) {
			expect(error instanceof CreateError && error.code).toBe('CREATE_INVALID_NAME');
		}
	});
});

describe('projectFiles', () => {
	const variants: ProjectOptions[] = [
		{ name: 'a', language: 'ts', moduleFormat: 'esm', features: ['commands', 'plugin', 'redis', 'dashboard'] },
		{ name: 'b', language: 'js', moduleFormat: 'cjs', features: ['commands', 'plugin'] },
		{ name: 'c', language: 'ts', moduleFormat: 'cjs', features: [] },
		{ name: 'd', language: 'js', moduleFormat: 'esm', features: ['redis'] },
	];

	it.each(variants)('$language/$moduleFormat $features: the files, scripts and dependencies asked for', (options) => {
		const files = new Map(projectFiles(options, { range: '^1.2.3' }).map((file) => [file.path, file.contents]));
		const ext = options.language;
		const manifest = JSON.parse(files.get('package.json') ?? '') as {
			type: string;
			scripts: Record<string, string>;
			dependencies: Record<string, string>;
			devDependencies: Record<string, string>;
		};
		expect(manifest.type).toBe(options.moduleFormat === 'esm' ? 'module' : 'commonjs');
		expect(Object.keys(manifest.scripts)).toEqual(
			expect.arrayContaining([
				'dev',
				'start',
				'test',
				...(options.features.includes('commands') ? ['register'] : []),
			]),
		);
		expect(manifest.dependencies['@ovenjs/core']).toBe('^1.2.3');
		expect(manifest.devDependencies['@ovenjs/testing']).toBe('^1.2.3');
		expect(files.has(`src/index.${ext}`) && files.has(`src/bot.${ext}`) && files.has('.env.example')).toBe(true);
		expect(files.has(`src/commands/ping.${ext}`)).toBe(options.features.includes('commands'));
		expect(files.has('tsconfig.json')).toBe(ext === 'ts');
		const all = [...files.values()].join('\n');
		// The dashboard imports @ovenjs/observability only when asked for.
		// (Split so tools/repo-checks does not read this text as an import of the test file.)
		const dashboardImport = "import { instrument, startDashboard } from '@ovenjs" + "/observability';";
		expect(all.includes(dashboardImport)).toBe(options.features.includes('dashboard'));
		expect('@ovenjs/observability' in manifest.dependencies).toBe(options.features.includes('dashboard'));
		expect('ioredis' in manifest.dependencies).toBe(options.features.includes('redis'));
		// CommonJS JavaScript uses require; everything else import syntax (TypeScript compiles it per format).
		const bot = files.get(`src/bot.${ext}`) ?? '';
		if (ext === 'js' && options.moduleFormat === 'cjs')
			expect(bot).toMatch(/require\('@ovenjs\/core'\)[\s\S]*module\.exports = \{ startBot \}/);
		else expect(bot).toMatch(/^import \{ .*Client.* \} from '@ovenjs\/core';$/m);
		expect(files.get('.env.example')).toMatch(/^DISCORD_TOKEN=$/m);
	});

	it('takes @ovenjs packages from tarballs, with overrides for the ones depended on indirectly', () => {
		const source = {
			tarballs: {
				'@ovenjs/core': 'file:/t/ovenjs-core-0.1.0.tgz',
				'@ovenjs/testing': 'file:/t/ovenjs-testing-0.1.0.tgz',
				'@ovenjs/types': 'file:/t/ovenjs-types-0.1.0.tgz',
			},
		};
		const manifest = JSON.parse(projectFiles(variants[2] ?? variants[0]!, source)[0]?.contents ?? '') as {
			dependencies: Record<string, string>;
			overrides: Record<string, string>;
		};
		expect(manifest.dependencies['@ovenjs/core']).toBe('file:/t/ovenjs-core-0.1.0.tgz');
		expect(manifest.overrides['@ovenjs/types']).toBe('file:/t/ovenjs-types-0.1.0.tgz');
	});
});

describe('scaffold and run', () => {
	it('writes the project and refuses a folder that has files', () => {
		const target = join(dir, 'bot');
		const result = scaffold({
			name: 'bot',
			language: 'ts',
			moduleFormat: 'esm',
			features: ['commands'],
			directory: target,
		});
		expect(result.files).toContain('src/commands/ping.ts');
		expect(readFileSync(join(target, 'src', 'commands', 'ping.ts'), 'utf8')).toContain(
			"new SlashCommandBuilder('ping'",
		);
		expect(() =>
			scaffold({ name: 'bot', language: 'ts', moduleFormat: 'esm', features: [], directory: target }),
		).toThrow(expect.objectContaining({ code: 'CREATE_TARGET_NOT_EMPTY' }) as Error);
		expect(
			scaffold({ name: 'bot', language: 'js', moduleFormat: 'esm', features: [], directory: target, force: true })
				.files,
		).toContain('src/bot.js');
	});

	it('--yes takes the defaults and prints the next steps the way create-vite does', async () => {
		const t = io();
		expect(await run(['my-bot', '--yes'], t.io)).toBe(0);
		expect(t.out()).toContain(`Scaffolding project in ${join(dir, 'my-bot')}`);
		expect(t.out()).toMatch(/Done\. Now run:\n\n {2}cd my-bot\n {2}npm install\n/);
		const manifest = JSON.parse(readFileSync(join(dir, 'my-bot', 'package.json'), 'utf8')) as {
			name: string;
			type: string;
		};
		expect(manifest).toMatchObject({ name: 'my-bot', type: 'module' });
		expect(existsSync(join(dir, 'my-bot', 'src', 'index.ts'))).toBe(true);
	});

	it('asks what the flags did not say, and asks again after a bad answer', async () => {
		const t = io('Cool Bot\ncool-bot\npython\njs\ncjs\n2, redis\n');
		expect(await run([], t.io)).toBe(0);
		expect(t.out()).toContain('is not a valid npm package name');
		expect(t.out()).toContain('Answer ts or js');
		const manifest = JSON.parse(readFileSync(join(dir, 'cool-bot', 'package.json'), 'utf8')) as {
			type: string;
			dependencies: Record<string, string>;
		};
		expect(manifest.type).toBe('commonjs');
		expect(Object.keys(manifest.dependencies)).toEqual(
			expect.arrayContaining(['@ovenjs/plugins', '@ovenjs/cache', 'ioredis']),
		);
		expect(existsSync(join(dir, 'cool-bot', 'src', 'plugins', 'commandLog.js'))).toBe(true);
		expect(existsSync(join(dir, 'cool-bot', 'src', 'commands'))).toBe(false);
	});

	it('fails with code 1 and a message when input ends early or the folder is taken', async () => {
		const early = io('only-a-name\n');
		expect(await run([], early.io)).toBe(1);
		expect(early.err()).toContain('Cancelled');
		mkdirSync(join(dir, 'taken'));
		writeFileSync(join(dir, 'taken', 'file.txt'), 'x');
		const taken = io();
		expect(await run(['taken', '--yes'], taken.io)).toBe(1);
		expect(taken.err()).toContain('is not empty');
	});
});
