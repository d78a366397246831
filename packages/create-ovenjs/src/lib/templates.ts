import type { Feature, ProjectOptions } from './options.js';

/** One generated file: a path relative to the project folder and its text. */
export interface ProjectFile {
	readonly path: string;
	readonly contents: string;
}

/** Versions of the third-party packages a generated project depends on. */
export const ThirdPartyVersions = {
	'discord-api-types': '^0.38.57',
	ioredis: '^5.8.0',
	msgpackr: '^1.11.0',
	vitest: '^4.1.0',
	typescript: '^7.0.2',
	tsx: '^4.20.0',
	'@types/node': '^20.19.0',
} as const;

/** Where the generated package.json takes `@ovenjs/*` from: a semver range, or local tarballs (`file:`). */
export type OvenjsSource = { readonly range: string } | { readonly tarballs: Readonly<Record<string, string>> };

/** How sources are written for one language and module format. */
class Syntax {
	public readonly ts: boolean;
	public readonly esm: boolean;
	readonly #exported: string[] = [];

	public constructor(options: ProjectOptions) {
		this.ts = options.language === 'ts';
		this.esm = options.moduleFormat === 'esm';
	}

	/** `true` when the file is written with `require`/`module.exports` (JavaScript, CommonJS). */
	public get commonjs(): boolean {
		return !this.ts && !this.esm;
	}

	/** The extension of source files. */
	public get ext(): string {
		if (this.ts) return 'ts';
		return 'js';
	}

	/** An import of named values (and, in TypeScript, types). */
	public imports(from: string, names: readonly string[], types: readonly string[] = []): string {
		const all = [...names, ...(this.ts ? types.map((t) => `type ${t}`) : [])];
		if (all.length === 0) return '';
		if (this.commonjs) return names.length === 0 ? '' : `const { ${names.join(', ')} } = require('${from}');\n`;
		if (names.length === 0) return `import type { ${types.join(', ')} } from '${from}';\n`;
		return `import { ${all.join(', ')} } from '${from}';\n`;
	}

	/** `export ` (or nothing in CommonJS JavaScript, where {@link footer} lists the exports). */
	public exported(name: string): string {
		this.#exported.push(name);
		return this.commonjs ? '' : 'export ';
	}

	/** `module.exports = { ... }` for CommonJS JavaScript; resets the list. */
	public footer(): string {
		const names = this.#exported.splice(0);
		return this.commonjs && names.length > 0 ? `\nmodule.exports = { ${names.join(', ')} };\n` : '';
	}

	/** A type annotation (`: T`) in TypeScript, nothing in JavaScript. */
	public t(type: string): string {
		return this.ts ? `: ${type}` : '';
	}
}

function has(options: ProjectOptions, feature: Feature): boolean {
	return options.features.includes(feature);
}

function json(value: unknown): string {
	return `${JSON.stringify(value, null, '\t')}\n`;
}

function packageJson(options: ProjectOptions, syntax: Syntax, source: OvenjsSource): string {
	const ovenjs = (name: string): string =>
		'range' in source ? source.range : (source.tarballs[name] ?? source.tarballs['@ovenjs/core'] ?? '');
	const run = syntax.ts ? 'tsx' : 'node';
	const scripts: Record<string, string> = {
		dev: syntax.ts ? `tsx watch src/index.${syntax.ext}` : `node --watch src/index.${syntax.ext}`,
		start: `${run} src/index.${syntax.ext}`,
		test: 'vitest run',
	};
	if (has(options, 'commands')) scripts.register = `${run} src/register.${syntax.ext}`;
	if (syntax.ts) scripts.typecheck = 'tsc';
	const dependencies: Record<string, string> = {
		'@ovenjs/core': ovenjs('@ovenjs/core'),
		'discord-api-types': ThirdPartyVersions['discord-api-types'],
	};
	if (has(options, 'plugin')) dependencies['@ovenjs/plugins'] = ovenjs('@ovenjs/plugins');
	if (has(options, 'redis')) {
		dependencies['@ovenjs/cache'] = ovenjs('@ovenjs/cache');
		dependencies.ioredis = ThirdPartyVersions.ioredis;
		dependencies.msgpackr = ThirdPartyVersions.msgpackr;
	}
	if (has(options, 'dashboard')) dependencies['@ovenjs/observability'] = ovenjs('@ovenjs/observability');
	const devDependencies: Record<string, string> = {
		'@ovenjs/testing': ovenjs('@ovenjs/testing'),
		vitest: ThirdPartyVersions.vitest,
	};
	if (syntax.ts) {
		devDependencies['@types/node'] = ThirdPartyVersions['@types/node'];
		devDependencies.tsx = ThirdPartyVersions.tsx;
		devDependencies.typescript = ThirdPartyVersions.typescript;
	}
	const manifest: Record<string, unknown> = {
		name: options.name,
		version: '0.1.0',
		private: true,
		type: syntax.esm ? 'module' : 'commonjs',
		engines: { node: '>=20.19' },
		scripts,
		dependencies: sortKeys(dependencies),
		devDependencies: sortKeys(devDependencies),
	};
	// Unreleased builds: every @ovenjs package (also the ones only depended on by others) from its tarball.
	if ('tarballs' in source) manifest.overrides = sortKeys({ ...source.tarballs });
	return json(manifest);
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
	return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function tsconfig(): string {
	return json({
		compilerOptions: {
			target: 'ES2023',
			lib: ['ES2023'],
			module: 'NodeNext',
			moduleResolution: 'NodeNext',
			types: ['node'],
			strict: true,
			noUncheckedIndexedAccess: true,
			verbatimModuleSyntax: false,
			skipLibCheck: true,
			noEmit: true,
		},
		include: ['src', 'test'],
	});
}

function env(s: Syntax): string {
	return `${s.imports('node:process', ['loadEnvFile'])}
/** Reads .env into process.env when the file exists (Node's own loader; no dotenv needed). */
${s.exported('loadEnv')}function loadEnv()${s.t('void')} {
	try {
		loadEnvFile();
	} catch (error) {
		if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
	}
}
${s.footer()}`;
}

function pingCommand(options: ProjectOptions, s: Syntax): string {
	const redis = has(options, 'redis');
	const typeImports = s.ts ? `import type { Command } from './index.js';\n` : '';
	const body = redis
		? `		const count = await countPing(context.cache);
		await interaction.reply(\`pong! (\${interaction.latency} ms, ping #\${count})\`);`
		: `		await interaction.reply(\`pong! (\${interaction.latency} ms)\`);`;
	const helper = redis
		? `
/** Counts pings in the cache (Redis when REDIS_URL is set: shared by every process of the bot). */
async function countPing(cache${s.t('MultiTierCache')})${s.t('Promise<number>')} {
	const previous = await cache.get('pings');
	const count = (typeof previous === 'number' ? previous : 0) + 1;
	await cache.set('pings', count);
	return count;
}
`
		: '';
	const cacheImport = redis && s.ts ? `import type { MultiTierCache } from '@ovenjs/cache';\n` : '';
	return `${s.imports('@ovenjs/core', ['SlashCommandBuilder'])}${cacheImport}${typeImports}${helper}
/** /ping: answers with the time the interaction took to arrive. */
${s.exported('ping')}const ping${s.t('Command')} = {
	name: 'ping',
	data: new SlashCommandBuilder('ping', 'Replies with pong'),
	async execute(interaction${redis ? ', context' : ''}) {
${body}
	},
};
${s.footer()}`;
}

function commandsIndex(options: ProjectOptions, s: Syntax): string {
	const context = s.ts
		? `
/** What a command gets besides its interaction. */
export interface CommandContext {
	readonly client: Client;${has(options, 'redis') ? '\n\treadonly cache: MultiTierCache;' : ''}
}

/** A slash command: its definition (registered by \`npm run register\`) and its handler. */
export interface Command {
	readonly name: string;
	readonly data: SlashCommandBuilder;
	execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
}
`
		: '';
	const coreTypes = s.ts
		? `import type { ChatInputCommandInteraction, Client, SlashCommandBuilder } from '@ovenjs/core';\n`
		: '';
	const cacheType = s.ts && has(options, 'redis') ? `import type { MultiTierCache } from '@ovenjs/cache';\n` : '';
	return `${coreTypes}${cacheType}${s.imports('./ping.js', ['ping'])}${context}
/** Every command of the bot. */
${s.exported('commands')}const commands${s.t('readonly Command[]')} = [ping];
${s.footer()}`;
}

function cacheModule(s: Syntax): string {
	return `${s.imports('@ovenjs/cache', ['MemoryTier', 'MultiTierCache'])}${s.imports('@ovenjs/cache/redis', ['RedisTier'])}
/**
 * The bot's cache: memory, then Redis when REDIS_URL is set (values shared by every process of the bot and kept
 * across restarts). Without REDIS_URL it is memory only and needs no server.
 */
${s.exported('createCache')}function createCache(redisUrl${s.ts ? '?: string' : ''})${s.t('MultiTierCache')} {
	const tiers = redisUrl === undefined || redisUrl === '' ? [new MemoryTier()] : [new MemoryTier(), new RedisTier({ url: redisUrl })];
	return new MultiTierCache({ tiers });
}
${s.footer()}`;
}

function pluginModule(s: Syntax): string {
	return `${s.imports('@ovenjs/plugins', ['definePlugin'])}
/**
 * A plugin, loaded by \`client.plugins\` (see bot): \`ctx\` opens only what its manifest grants, here the
 * \`interaction:received\` hook. A published plugin keeps this manifest in its package.json ("ovenjs").
 */
${s.exported('commandLog')}const commandLog = definePlugin({
	name: 'ovenjs-plugin-command-log',
	version: '1.0.0',
	manifest: { engine: '*', permissions: ['hook:interaction:received'] },
	setup(ctx) {
		ctx.hook('interaction:received', (interaction) => {
			console.log(\`[command-log] interaction \${interaction.id} (type \${interaction.type})\`);
		});
	},
});
${s.footer()}`;
}

function botModule(options: ProjectOptions, s: Syntax): string {
	const commands = has(options, 'commands');
	const redis = has(options, 'redis');
	const plugin = has(options, 'plugin');
	const coreValues = commands ? ['ChatInputCommandInteraction', 'Client'] : ['Client'];
	const intents = commands
		? 'GatewayIntentBits.Guilds'
		: 'GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent';
	const lines: string[] = [];
	lines.push(s.imports('discord-api-types/v10', ['GatewayIntentBits']).trimEnd());
	lines.push(s.imports('@ovenjs/core', coreValues).trimEnd());
	if (redis && s.ts) lines.push(`import type { MultiTierCache } from '@ovenjs/cache';`);
	if (commands) lines.push(s.imports('./commands/index.js', ['commands']).trimEnd());
	if (redis) lines.push(s.imports('./cache.js', ['createCache']).trimEnd());
	if (plugin) lines.push(s.imports('./plugins/commandLog.js', ['commandLog']).trimEnd());
	const optionsType = s.ts
		? `
/** How to reach Discord (or a mock of it, in tests). */
export interface BotOptions {
	readonly token: string;
	/** The REST API base URL; \`undefined\` for Discord's. The gateway URL is asked from it. */
	readonly apiUrl?: string | undefined;${redis ? '\n\t/** Redis for the cache; memory only when unset. */\n\treadonly redisUrl?: string | undefined;' : ''}
}

/** A running bot. */
export interface Bot {
	readonly client: Client;${redis ? '\n\treadonly cache: MultiTierCache;' : ''}
	stop(): Promise<void>;
}
`
		: '';
	const handler = commands
		? `	client.on('interactionCreate', async (interaction) => {
		if (!(interaction instanceof ChatInputCommandInteraction)) return;
		const command = commands.find((candidate) => candidate.name === interaction.commandName);
		if (command === undefined) return;
		try {
			await command.execute(interaction, { client${redis ? ', cache' : ''} });
		} catch (error) {
			console.error(\`/\${interaction.commandName} failed:\`, error);
		}
	});`
		: `	client.on('messageCreate', async (message) => {
		if (message.authorId === client.userId || message.content !== '!ping') return;
		await message.reply(\`pong! (\${message.latency} ms)\`);
	});`;
	const pluginSetup = plugin
		? `
	client.on('pluginError', ({ error }) => {
		console.error(error.message);
	});
`
		: '';
	return `${lines.join('\n')}
${optionsType}
/** Creates the client, wires the handlers and logs in; resolves once the bot is ready. */
${s.exported('startBot')}async function startBot(options${s.t('BotOptions')})${s.t('Promise<Bot>')} {${redis ? '\n\tconst cache = createCache(options.redisUrl);' : ''}
	const client = new Client({
		token: options.token,
		intents: ${intents},
		...(options.apiUrl === undefined ? {} : { rest: { api: options.apiUrl } }),${plugin ? '\n\t\tplugins: { load: [commandLog] }, // loaded before login() connects' : ''}
	});
${handler}
${pluginSetup}
	await client.login();
	return {
		client,${redis ? '\n\t\tcache,' : ''}
		async stop() {
			await client.destroy();${redis ? '\n\t\t\tawait cache.close();' : ''}
		},
	};
}
${s.footer()}`;
}

function indexModule(options: ProjectOptions, s: Syntax): string {
	const dashboard = has(options, 'dashboard');
	const redis = has(options, 'redis');
	const lines = [s.imports('./env.js', ['loadEnv']).trimEnd(), s.imports('./bot.js', ['startBot']).trimEnd()];
	if (dashboard) lines.push(s.imports('@ovenjs/observability', ['instrument', 'startDashboard']).trimEnd());
	const dashboardSetup = dashboard
		? `
	instrument(bot.client);
	const port = Number(process.env.DASHBOARD_PORT ?? '3030');
	await startDashboard({ client: bot.client, port });
	console.log(\`Dashboard: http://127.0.0.1:\${port}\`);`
		: '';
	return `${lines.join('\n')}

loadEnv();

async function main()${s.t('Promise<void>')} {
	const token = process.env.DISCORD_TOKEN;
	if (token === undefined || token === '') {
		console.error('DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token in it.');
		process.exitCode = 1;
		return;
	}
	const apiUrl = process.env.DISCORD_API_URL;
	const bot = await startBot({ token, apiUrl: apiUrl === '' ? undefined : apiUrl${redis ? ', redisUrl: process.env.REDIS_URL' : ''} });
	console.log(\`Ready as \${bot.client.cache.self?.username ?? String(bot.client.userId)}\`);${dashboardSetup}
	const stop = ()${s.t('void')} => {
		bot.stop().then(
			() => process.exit(0),
			(error${s.t('unknown')}) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error${s.t('unknown')}) => {
	console.error(error);
	process.exitCode = 1;
});
`;
}

function registerModule(s: Syntax): string {
	return `${s.imports('./env.js', ['loadEnv'])}${s.imports('./bot.js', ['startBot'])}${s.imports('./commands/index.js', ['commands'])}
/** Registers every command globally (\`npm run register\`); run it again after changing a command's definition. */
async function main()${s.t('Promise<void>')} {
	loadEnv();
	const token = process.env.DISCORD_TOKEN;
	if (token === undefined || token === '') throw new Error('DISCORD_TOKEN is not set: copy .env.example to .env and put your bot token in it.');
	const apiUrl = process.env.DISCORD_API_URL;
	const bot = await startBot({ token, apiUrl: apiUrl === '' ? undefined : apiUrl });
	try {
		const registered = await bot.client.registerCommands(commands.map((command) => command.data));
		console.log(\`Registered \${registered.map((command) => \`/\${command.name}\`).join(', ')}\`);
	} finally {
		await bot.stop();
	}
}

main().catch((error${s.t('unknown')}) => {
	console.error(error);
	process.exitCode = 1;
});
`;
}

function testModule(options: ProjectOptions, s: Syntax): string {
	const commands = has(options, 'commands');
	// Test files are ESM (vitest's own format) in every variant; a CommonJS bot is imported through Node's interop.
	const botImport = `import { startBot } from '../src/bot.js';`;
	const typeImport = s.ts ? `import type { Bot } from '../src/bot.js';\n` : '';
	const scenario = commands
		? `it('answers /ping', async () => {
	bot = await startBot({ token: discord.token, apiUrl: discord.apiBase });
	const guild = [...discord.world.guilds.values()][0];
	if (guild === undefined) throw new Error('the mock has no guild');
	const channelId = [...guild.channels][0];
	if (channelId === undefined) throw new Error('the guild has no channel');
	const member = discord.world.addMember(guild.id);

	const response = await discord.world.triggerInteraction({ channelId, userId: member.user.id, data: { id: '1', name: 'ping', type: 1 } });

	expect(JSON.stringify(response)).toContain('pong!');
});`
		: `it('answers !ping', async () => {
	bot = await startBot({ token: discord.token, apiUrl: discord.apiBase });
	const guild = [...discord.world.guilds.values()][0];
	if (guild === undefined) throw new Error('the mock has no guild');
	const channelId = [...guild.channels][0];
	if (channelId === undefined) throw new Error('the guild has no channel');
	const user = discord.world.addMember(guild.id).user;

	const reply = discord.requests.waitFor('POST', '/channels/{channel_id}/messages');
	discord.world.sendMessage(channelId, user.id, '!ping');

	expect(JSON.stringify((await reply).body)).toContain('pong!');
});`;
	return `import { afterEach, beforeEach, expect, it } from 'vitest';
import { MockDiscord } from '@ovenjs/testing';
${botImport}
${typeImport}
// The bot runs against @ovenjs/testing's mock Discord: real sockets on 127.0.0.1, no token, no network.
let discord${s.t('MockDiscord')};
let bot${s.t('Bot | undefined')};

beforeEach(async () => {
	discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 2 });
});

afterEach(async () => {
	await bot?.stop();
	bot = undefined;
	await discord.stop();
});

${scenario}
`;
}

function readme(options: ProjectOptions, s: Syntax): string {
	const commands = has(options, 'commands');
	return `# ${options.name}

A Discord bot on [OvenJS](https://github.com/ovenjs/ovenjs).

## Run it

1. Create an application and a bot at https://discord.com/developers/applications and copy its token.
2. \`cp .env.example .env\` and put the token in \`DISCORD_TOKEN\`.
3. \`npm install\`${commands ? '\n4. `npm run register` (once, and after changing a command)\n5. `npm run dev`' : '\n4. `npm run dev`'}

| script | what it does |
| --- | --- |
| \`npm run dev\` | runs the bot and restarts it when a file changes |
| \`npm start\` | runs the bot |
| \`npm test\` | tests the bot against a mock Discord (no token, no network) |${commands ? '\n| `npm run register` | registers the slash commands |' : ''}${s.ts ? '\n| `npm run typecheck` | type-checks the project |' : ''}
`;
}

function envExample(options: ProjectOptions): string {
	const lines = [
		'# Your bot token (https://discord.com/developers/applications → Bot → Reset Token). Never commit .env.',
		'DISCORD_TOKEN=',
		"# Another REST API base (a mock Discord, e.g. @ovenjs/testing's ovenjs-mock); empty for Discord's.",
		'DISCORD_API_URL=',
	];
	if (has(options, 'redis'))
		lines.push('# Redis for the cache (redis://127.0.0.1:6379); empty for memory only.', 'REDIS_URL=');
	if (has(options, 'dashboard'))
		lines.push('# The port of the dashboard (bound to 127.0.0.1).', 'DASHBOARD_PORT=3030');
	return `${lines.join('\n')}\n`;
}

/**
 * Every file of a new project, generated from the answers. `source` says where `@ovenjs/*` packages come from
 * (a semver range, or tarballs for unreleased builds).
 */
export function projectFiles(options: ProjectOptions, source: OvenjsSource): ProjectFile[] {
	const s = new Syntax(options);
	const ext = s.ext;
	const testExt = s.ts ? 'ts' : s.esm ? 'js' : 'mjs';
	const files: ProjectFile[] = [
		{ path: 'package.json', contents: packageJson(options, s, source) },
		{ path: 'README.md', contents: readme(options, s) },
		{ path: '.env.example', contents: envExample(options) },
		{ path: '.gitignore', contents: 'node_modules\n.env\ndist\n' },
		{ path: `src/env.${ext}`, contents: env(s) },
		{ path: `src/bot.${ext}`, contents: botModule(options, s) },
		{ path: `src/index.${ext}`, contents: indexModule(options, s) },
		{ path: `test/bot.test.${testExt}`, contents: testModule(options, s) },
	];
	if (s.ts) files.push({ path: 'tsconfig.json', contents: tsconfig() });
	if (has(options, 'commands')) {
		files.push({ path: `src/commands/index.${ext}`, contents: commandsIndex(options, s) });
		files.push({ path: `src/commands/ping.${ext}`, contents: pingCommand(options, s) });
		files.push({ path: `src/register.${ext}`, contents: registerModule(s) });
	}
	if (has(options, 'redis')) files.push({ path: `src/cache.${ext}`, contents: cacheModule(s) });
	if (has(options, 'plugin')) files.push({ path: `src/plugins/commandLog.${ext}`, contents: pluginModule(s) });
	return files;
}
