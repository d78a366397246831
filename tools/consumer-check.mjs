#!/usr/bin/env node
// The packages as a user gets them: `pnpm pack` every public package, install the tarballs with plain npm into an
// empty project outside the workspace (only the tarballs + typescript), and check what a user would hit:
//
//   1. every tarball: LICENSE, no `@ovenjs/source` condition or `workspace:` range, a git+https repository URL
//   2. a TypeScript bot (NodeNext, strict, skipLibCheck: false, no `types`) type-checks, as ESM and as CJS;
//      the consumer check of a 30-line bot is timed (TypeScript 7 from the project, 5.9 from the workspace)
//   3. an ESM and a CJS bot run against @ovenjs/testing's mock and load no native addon (process.dlopen spied;
//      msgpackr, lz4-napi and zlib-sync are optional peers and not installed)
//   4. the ESM and the CJS build loaded in one process agree on `instanceof` (dual-package hazard)
//   5. every subpath type-checks once the optional peers are installed (ioredis, pg, @types/pg, nats)
//   6. create-ovenjs (from its tarball) scaffolds projects; each installs from the tarballs, passes its own
//      `npm test` (and `npm run typecheck`), and its `npm start` answers /ping (or !ping) on the mock
//
// Usage: node tools/consumer-check.mjs [--keep] [--skip-scaffold] [--skip-timing] [--tarballs DIR] (after `pnpm build`).
// Prints one line per check and `N passed, N failed`; exits 1 when a check failed. Timings go to
// .ci/consumer-check.json.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const skipScaffold = args.includes('--skip-scaffold');
const skipTiming = args.includes('--skip-timing');
const work = mkdtempSync(join(tmpdir(), 'ovenjs-consumer-'));
const tarballs = args.includes('--tarballs') ? resolve(args[args.indexOf('--tarballs') + 1]) : join(work, 'tarballs');
const results = { passed: 0, failed: 0, timings: {} };
// pnpm sets npm_package_* for scripts; npm in the consumer project must not see the workspace's settings.
const npmEnv = {
	...Object.fromEntries(
		Object.entries(process.env).filter(
			([key]) => !key.startsWith('npm_package_') && key !== 'npm_config_user_agent',
		),
	),
	npm_config_audit: 'false',
	npm_config_fund: 'false',
	npm_config_update_notifier: 'false',
	npm_config_loglevel: 'error',
};

function sh(command, commandArgs, cwd, options = {}) {
	return execFileSync(command, commandArgs, {
		cwd,
		env: { ...npmEnv, ...options.env },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: options.timeout ?? 300_000,
		maxBuffer: 64 * 1024 * 1024,
	});
}

async function check(name, fn) {
	const started = performance.now();
	try {
		await fn();
		results.passed++;
		console.log(`  ✓ ${name} (${Math.round(performance.now() - started)} ms)`);
	} catch (error) {
		results.failed++;
		const detail =
			error && typeof error === 'object' && 'stdout' in error
				? `${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`
				: String(error?.stack ?? error);
		console.log(
			`  ✗ ${name}\n${detail
				.split('\n')
				.slice(0, 60)
				.map((l) => `      ${l}`)
				.join('\n')}`,
		);
	}
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

const publicPackages = readdirSync(join(root, 'packages'))
	.map((dir) => ({
		dir: join(root, 'packages', dir),
		manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
	}))
	.filter(({ manifest }) => manifest.private !== true);

console.log(`consumer check in ${work}`);

// 1. Pack.
await check(`pack ${publicPackages.length} packages`, () => {
	rmSync(tarballs, { recursive: true, force: true });
	mkdirSync(tarballs, { recursive: true });
	for (const { dir } of publicPackages)
		sh(join(root, 'node_modules', '.bin', 'pnpm'), ['pack', '--pack-destination', tarballs], dir);
	const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
	assert(
		files.length === publicPackages.length,
		`expected ${publicPackages.length} tarballs, got ${files.join(', ')}`,
	);
});
const tgz = readdirSync(tarballs)
	.filter((f) => f.endsWith('.tgz'))
	.map((f) => join(tarballs, f));

await check('tarballs: LICENSE, no source condition, no workspace: ranges, git+https repository', () => {
	assert(tgz.length === publicPackages.length, `expected ${publicPackages.length} tarballs in ${tarballs}`);
	for (const file of tgz) {
		const listing = sh('tar', ['tzf', file], work);
		assert(listing.includes('package/LICENSE'), `${file} has no LICENSE`);
		assert(!listing.includes('package/src/'), `${file} ships src/`);
		const manifest = sh('tar', ['xzf', file, '-O', 'package/package.json'], work);
		assert(!manifest.includes('@ovenjs/source'), `${file}: package.json still has the @ovenjs/source condition`);
		assert(!manifest.includes('workspace:'), `${file}: package.json has a workspace: range`);
		assert(
			JSON.parse(manifest).repository?.url?.startsWith('git+https://'),
			`${file}: repository.url is not git+https`,
		);
	}
});

await check('publint (strict) on every tarball', () => {
	assert(tgz.length === publicPackages.length, `expected ${publicPackages.length} tarballs in ${tarballs}`);
	const publint = join(root, 'node_modules', '.bin', 'publint');
	for (const file of tgz) {
		const out = sh(publint, ['--strict', file], root);
		assert(!/\b(error|warning|suggestion)s?\b/i.test(out.replace(/^Running publint.*$/gm, '')), `${file}: ${out}`);
	}
});

// 2. A bare consumer project: the tarballs and typescript, nothing else.
const project = join(work, 'bot');
mkdirSync(join(project, 'src'), { recursive: true });
writeFileSync(
	join(project, 'package.json'),
	JSON.stringify({ name: 'consumer-bot', private: true, type: 'module' }, null, 2),
);
const typescriptVersion = JSON.parse(
	readFileSync(join(root, 'node_modules', 'typescript7', 'package.json'), 'utf8'),
).version;
await check(`npm install the tarballs + typescript@${typescriptVersion} into an empty project`, () => {
	sh('npm', ['install', ...tgz.filter((f) => !/create-ovenjs/.test(f)), `typescript@${typescriptVersion}`], project);
	for (const optional of ['msgpackr', 'lz4-napi', 'zlib-sync', 'msgpackr-extract']) {
		assert(!existsSync(join(project, 'node_modules', optional)), `${optional} was installed by a plain install`);
	}
});

// The 30-line bot of the README, against the mock; the same body as ESM (.ts/.mjs) and CommonJS (.cts/.cjs).
const esmImports =
	"import { GatewayIntentBits } from 'discord-api-types/v10';\nimport { ChatInputCommandInteraction, Client, SlashCommandBuilder } from '@ovenjs/core';\nimport { MockDiscord } from '@ovenjs/testing';\n";
const cjsRequires =
	"const { GatewayIntentBits } = require('discord-api-types/v10');\nconst { ChatInputCommandInteraction, Client, SlashCommandBuilder } = require('@ovenjs/core');\nconst { MockDiscord } = require('@ovenjs/testing');\n";
// kind: 'ts' (ESM TypeScript), 'cts' (CommonJS TypeScript: import syntax, no top-level await), 'mjs', 'cjs'.
const botBody = (kind) => `${kind === 'cjs' ? cjsRequires : esmImports}
${kind === 'cjs' || kind === 'cts' ? `async function main()${kind === 'cts' ? ': Promise<void>' : ''} {` : '{'}
const discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 2 });
const client = new Client({ token: discord.token, intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent, rest: { api: discord.apiBase } });
client.on('messageCreate', async (message) => {
	if (message.content === '!ping') await message.reply('pong');
});
client.on('interactionCreate', async (interaction) => {
	if (interaction instanceof ChatInputCommandInteraction && interaction.commandName === 'ping') await interaction.reply('pong!');
});
await client.login();
await client.registerCommands([new SlashCommandBuilder('ping', 'Replies with pong')]);
const guild = [...discord.world.guilds.values()][0];
const channelId = guild === undefined ? undefined : [...guild.channels][0];
if (guild === undefined || channelId === undefined) throw new Error('the mock has no channel');
const user = discord.world.addMember(guild.id).user;
const reply = discord.requests.waitFor('POST', '/channels/{channel_id}/messages');
discord.world.sendMessage(channelId, user.id, '!ping');
const replied = JSON.stringify((await reply).body);
const response = JSON.stringify(await discord.world.triggerInteraction({ data: { id: '1', name: 'ping', type: 1 }, channelId, userId: user.id }));
await client.destroy();
await discord.stop();
if (!replied.includes('pong') || !response.includes('pong!')) throw new Error('the bot did not answer: ' + replied + ' ' + response);
console.log('bot answered !ping and /ping');
}
${kind === 'cjs' || kind === 'cts' ? `main().catch((error${kind === 'cts' ? ': unknown' : ''}) => { console.error(error); process.exitCode = 1; });\n` : ''}`;

writeFileSync(join(project, 'src', 'bot.ts'), botBody('ts'));
writeFileSync(join(project, 'src', 'bot.cts'), botBody('cts'));
writeFileSync(join(project, 'bot.mjs'), botBody('mjs'));
writeFileSync(join(project, 'bot.cjs'), botBody('cjs'));
const compilerOptions = {
	target: 'ES2023',
	lib: ['ES2023'],
	module: 'NodeNext',
	moduleResolution: 'NodeNext',
	strict: true,
	skipLibCheck: false,
	noEmit: true,
};
writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
writeFileSync(join(project, 'tsconfig.bot.json'), JSON.stringify({ compilerOptions, files: ['src/bot.ts'] }, null, 2));

function diagnostics(output) {
	const pick = (label) => output.match(new RegExp(`^${label}:\\s+([\\d.]+)`, 'm'))?.[1];
	return {
		types: Number(pick('Types')),
		instantiations: Number(pick('Instantiations')),
		memoryKB: Number(pick('Memory used')),
		checkSeconds: Number(pick('Check time')),
		totalSeconds: Number(pick('Total time')),
	};
}

await check('the bot type-checks as ESM and CJS (NodeNext, strict, skipLibCheck: false, no types setting)', () => {
	sh(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
});

if (!skipTiming)
	await check('consumer type-check time of the 30-line bot (TypeScript 7 and 5.9, --extendedDiagnostics)', () => {
		const tsc7 = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
		const tsc59 = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
		for (const [label, tsc] of [
			[`typescript ${typescriptVersion}`, tsc7],
			['typescript 5.9', tsc59],
		]) {
			const runs = [0, 1, 2].map(() => {
				const started = performance.now();
				const out = sh(process.execPath, [tsc, '-p', 'tsconfig.bot.json', '--extendedDiagnostics'], project);
				return { ...diagnostics(out), wallSeconds: (performance.now() - started) / 1000 };
			});
			runs.sort((a, b) => a.wallSeconds - b.wallSeconds);
			const median = runs[1];
			results.timings[label] = median;
			console.log(
				`      ${label}: ${median.wallSeconds.toFixed(2)} s wall (check ${median.checkSeconds} s, total ${median.totalSeconds} s), ${median.types} types, ${median.instantiations} instantiations, ${Math.round(median.memoryKB / 1024)} MB`,
			);
		}
	});

/** A preload that records every native addon the process loads. */
writeFileSync(
	join(project, 'dlopen-spy.cjs'),
	`const loaded = [];
const original = process.dlopen;
process.dlopen = function (module, filename, ...rest) { loaded.push(filename); return original.call(this, module, filename, ...rest); };
process.on('exit', () => { if (loaded.length > 0) { console.error('native addons loaded: ' + loaded.join(', ')); process.exitCode = 3; } });
`,
);

for (const file of ['bot.mjs', 'bot.cjs']) {
	await check(`${file} runs against the mock and loads no native addon`, () => {
		const out = sh(process.execPath, ['--require', './dlopen-spy.cjs', file], project, { timeout: 60_000 });
		assert(out.includes('bot answered !ping and /ping'), out);
	});
}

writeFileSync(
	join(project, 'dual.mjs'),
	`import { createRequire } from 'node:module';
import * as esm from '@ovenjs/core';
const cjs = createRequire(import.meta.url)('@ovenjs/core');
if (esm.Client === cjs.Client) throw new Error('one copy only: the check proves nothing');
const pairs = {
	Client: (m) => new m.Client({ token: 'x'.repeat(24) + '.abcdef.' + 'y'.repeat(27), intents: 0 }),
	SlashCommandBuilder: (m) => new m.SlashCommandBuilder('ping', 'pong'),
	ContextMenuCommandBuilder: (m) => new m.ContextMenuCommandBuilder('User info', 2),
	EmbedBuilder: (m) => new m.EmbedBuilder(),
	ButtonBuilder: (m) => new m.ButtonBuilder(),
	ModalBuilder: (m) => new m.ModalBuilder('id', 'title'),
	ExtensionBus: (m) => new m.ExtensionBus(),
	CoreError: (m) => new m.CoreError('CORE_NOT_LOGGED_IN', 'x'),
};
const failures = [];
for (const [name, make] of Object.entries(pairs)) {
	const fromCjs = make(cjs);
	const fromEsm = make(esm);
	if (!(fromCjs instanceof esm[name])) failures.push('CJS ' + name + ' is not instanceof the ESM class');
	if (!(fromEsm instanceof cjs[name])) failures.push('ESM ' + name + ' is not instanceof the CJS class');
	if (name !== 'CoreError' && fromCjs instanceof esm.EmbedBuilder && name !== 'EmbedBuilder') failures.push(name + ' claims to be an EmbedBuilder');
	if (typeof fromCjs.destroy === 'function') await fromCjs.destroy();
	if (typeof fromEsm.destroy === 'function') await fromEsm.destroy();
}
class MyClient extends esm.Client {}
if (new cjs.Client({ token: 'x'.repeat(24) + '.abcdef.' + 'y'.repeat(27), intents: 0 }) instanceof MyClient) failures.push('a plain Client is instanceof a user subclass');
if (failures.length > 0) { console.error(failures.join('\\n')); process.exit(1); }
console.log('instanceof agrees across the ESM and CJS builds');
`,
);
await check('ESM and CJS builds in one process: instanceof agrees (Client, builders, bus, errors)', () => {
	const out = sh(process.execPath, ['dual.mjs'], project, { timeout: 60_000 });
	assert(out.includes('instanceof agrees'), out);
});

await check('every subpath type-checks with the optional peers installed (ioredis, pg, @types/pg, nats)', () => {
	sh('npm', ['install', 'ioredis@^5.8.0', 'pg@^8.16.0', '@types/pg@^8.15.0', 'nats@^2.29.3'], project);
	const specifiers = publicPackages
		.filter(({ manifest }) => manifest.name.startsWith('@ovenjs/'))
		.flatMap(({ manifest }) =>
			Object.keys(manifest.exports ?? {})
				.filter((k) => k !== './package.json')
				.map((k) => `${manifest.name}${k.slice(1)}`),
		);
	const body =
		specifiers.map((s, i) => `import * as entry${i} from '${s}';`).join('\n') +
		`\nexport const entries = [${specifiers.map((_, i) => `entry${i}`).join(', ')}];\n`;
	mkdirSync(join(project, 'all'), { recursive: true });
	writeFileSync(join(project, 'all', 'esm.ts'), body);
	writeFileSync(join(project, 'all', 'cjs.cts'), body);
	writeFileSync(join(project, 'tsconfig.all.json'), JSON.stringify({ compilerOptions, include: ['all'] }, null, 2));
	sh(
		process.execPath,
		[join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.all.json'],
		project,
	);
});

// 6. create-ovenjs.
const hasObservability = existsSync(join(root, 'packages', 'observability', 'package.json'));
const variants = [
	{ name: 'ts-esm-bot', flags: ['--ts', '--esm', '--features', 'commands,plugin,redis'] },
	{ name: 'js-cjs-bot', flags: ['--js', '--cjs', '--features', 'commands,plugin'] },
	{ name: 'ts-cjs-bot', flags: ['--ts', '--cjs', '--features', 'none'] },
	{ name: 'js-esm-bot', flags: ['--js', '--esm', '--features', 'commands,redis'] },
	...(hasObservability
		? [{ name: 'ts-esm-dashboard-bot', flags: ['--ts', '--esm', '--features', 'commands,dashboard'] }]
		: []),
];
if (!hasObservability)
	console.log(
		'  - create-ovenjs --features dashboard: not installed and run (no packages/observability in this workspace yet)',
	);

async function startAgainstMock(dir, commands) {
	const { MockDiscord } = await import(pathToFileURL(join(root, 'packages', 'testing', 'dist', 'index.js')).href);
	const discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 2 });
	const child = spawn('npm', ['start'], {
		cwd: dir,
		env: { ...npmEnv, DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiBase },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	try {
		const deadline = Date.now() + 60_000;
		while (!output.includes('Ready as')) {
			if (Date.now() > deadline || child.exitCode !== null)
				throw new Error(`npm start did not get ready:\n${output}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const guild = [...discord.world.guilds.values()][0];
		const channelId = [...guild.channels][0];
		const user = discord.world.addMember(guild.id).user;
		let answer;
		if (commands) {
			answer = JSON.stringify(
				await discord.world.triggerInteraction({
					data: { id: '1', name: 'ping', type: 1 },
					channelId,
					userId: user.id,
				}),
			);
		} else {
			const reply = discord.requests.waitFor('POST', '/channels/{channel_id}/messages');
			discord.world.sendMessage(channelId, user.id, '!ping');
			answer = JSON.stringify((await reply).body);
		}
		assert(answer.includes('pong!'), `the started bot answered ${answer}\n${output}`);
		process.kill(-child.pid, 'SIGINT');
		const { code, signal } = await Promise.race([
			exited,
			new Promise((resolve) => setTimeout(() => resolve({ code: 'timeout' }), 15_000)),
		]);
		assert(
			code === 0 || signal === 'SIGINT',
			`npm start did not stop cleanly on SIGINT (code ${code}, signal ${signal}):\n${output}`,
		);
	} finally {
		if (child.exitCode === null) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}
		await discord.stop();
	}
}

if (!skipScaffold) {
	const scaffoldRoot = join(work, 'scaffold');
	mkdirSync(scaffoldRoot, { recursive: true });
	const creator = join(work, 'creator');
	await check('install create-ovenjs from its tarball', () => {
		mkdirSync(creator, { recursive: true });
		writeFileSync(join(creator, 'package.json'), '{ "private": true }');
		sh('npm', ['install', ...tgz.filter((f) => /create-ovenjs|ovenjs-types/.test(f))], creator);
	});
	const bin = join(creator, 'node_modules', '.bin', 'create-ovenjs');
	for (const variant of variants) {
		const dir = join(scaffoldRoot, variant.name);
		const commands = !variant.flags.includes('none');
		const ts = variant.flags.includes('--ts');
		await check(
			`create-ovenjs ${variant.flags.join(' ')}: scaffold, npm install, npm test${ts ? ', typecheck' : ''}, npm start answers on the mock`,
			async () => {
				const out = sh(
					bin,
					[variant.name, '--yes', ...variant.flags, '--ovenjs-tarballs', tarballs],
					scaffoldRoot,
				);
				assert(out.includes('Done. Now run:') && out.includes(`cd ${variant.name}`), out);
				sh('npm', ['install'], dir, { timeout: 600_000 });
				const test = sh('npm', ['test'], dir, { timeout: 180_000 });
				assert(/1 passed/.test(test), test);
				if (ts) sh('npm', ['run', 'typecheck'], dir);
				await startAgainstMock(dir, commands);
			},
		);
	}
}

mkdirSync(join(root, '.ci'), { recursive: true });
writeFileSync(
	join(root, '.ci', 'consumer-check.json'),
	`${JSON.stringify({ date: new Date().toISOString(), node: process.version, timings: results.timings }, null, 2)}\n`,
);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
console.log(`consumer-check: ${results.passed} passed, ${results.failed} failed`);
process.exitCode = results.failed > 0 ? 1 : 0;
