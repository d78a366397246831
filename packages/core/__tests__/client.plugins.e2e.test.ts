import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { definePlugin, PluginError, stateKey, type PluginErrorReport, type PluginInfo } from '@ovenjs/plugins';
import { asUserId, type ChannelId, type UserId } from '@ovenjs/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientMessage, type ClientOptions } from '../src/index.js';

const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const fixtures = fileURLToPath(new URL('../../plugins/__tests__/fixtures/', import.meta.url));
let discord: MockDiscord;
let channelId: ChannelId;
let userId: UserId;
const clients: Client[] = [];
const dirs: string[] = [];

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 1, heartbeatIntervalMs: 500, identifyIntervalMs: 10 });
	const guild = [...discord.world.guilds.values()][0];
	const first = guild === undefined ? undefined : [...guild.channels][0];
	if (guild === undefined || first === undefined) throw new Error('the mock has no guild channel');
	channelId = first;
	userId = asUserId(discord.world.addMember(guild.id).user.id);
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((bot) => bot.destroy()));
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
	await discord.stop();
});

function client(plugins: NonNullable<ClientOptions['plugins']>): {
	bot: Client;
	errors: PluginErrorReport[];
	loads: PluginInfo[];
	unloads: PluginInfo[];
} {
	const bot = new Client({ token: discord.token, intents, rest: { api: discord.apiBase }, plugins });
	clients.push(bot);
	const errors: PluginErrorReport[] = [];
	const loads: PluginInfo[] = [];
	const unloads: PluginInfo[] = [];
	bot.on('pluginError', (report) => void errors.push(report));
	bot.on('pluginLoad', (info) => void loads.push(info));
	bot.on('pluginUnload', (info) => void unloads.push(info));
	return { bot, errors, loads, unloads };
}

/** Says `content` as the scripted user; resolves with the bot's next message. */
async function say(bot: Client, content: string): Promise<ClientMessage> {
	const reply = new Promise<ClientMessage>((resolve) => {
		const listener = (message: ClientMessage): void => {
			if (message.authorId !== bot.userId) return;
			bot.off('messageCreate', listener);
			resolve(message);
		};
		bot.on('messageCreate', listener);
	});
	discord.world.sendMessage(channelId, userId, content);
	return reply;
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** An in-process plugin answering `!ping` (a definition passed directly). */
const ping = definePlugin({
	name: 'ovenjs-plugin-ping',
	version: '1.0.0',
	manifest: { engine: '^0.2.0', permissions: ['events:messageCreate', 'rest:channels.createMessage'] },
	setup(ctx) {
		ctx.on('messageCreate', async (message) => {
			if (message.content === '!ping')
				await ctx.api.channels.createMessage(message.channelId, {
					content: `pong (${Date.now() - message.receivedAt} ms in the bot)`,
				});
		});
	},
});

describe('plugins in a Client against the mock Discord', () => {
	it('stops or refuses hostile plugins with typed errors on pluginError while another plugin keeps answering !ping', async () => {
		const { bot, errors } = client({
			load: [
				ping,
				join(fixtures, 'ovenjs-plugin-loop'),
				join(fixtures, 'ovenjs-plugin-hog'),
				join(fixtures, 'ovenjs-plugin-snoop'),
				join(fixtures, 'ovenjs-plugin-fs-import'),
				join(examples, 'ovenjs-plugin-greetings'),
				join(examples, 'ovenjs-plugin-welcome'),
			],
			config: { 'ovenjs-plugin-snoop': { attack: 'prototype' } },
			// Generous start-up limits: this machine may be busy (each isolate is a process started from source here).
			limits: { handlerMs: 3_000, memoryMb: 48, setupMs: 30_000 },
		});
		await bot.login();
		// Refused at load: an isolated plugin importing node:fs.
		expect(errors.map((e) => [e.plugin, e.error.code, e.error.capability])).toEqual([
			['ovenjs-plugin-fs-import', 'PLUGIN_PERMISSION_DENIED', 'import:node:fs'],
		]);
		expect(bot.plugins.loaded).toEqual([
			'ovenjs-plugin-ping',
			'ovenjs-plugin-loop',
			'ovenjs-plugin-hog',
			'ovenjs-plugin-snoop',
			'ovenjs-plugin-greetings',
			'ovenjs-plugin-welcome',
		]);

		// Every plugin gets these messages: the loop spins, the hog allocates, the snoop tries to reach process.
		// The ping plugin answers each while the looping plugin is still running (it is stopped only after its 3 s
		// budget). The latency itself is measured by the benchmark (`pnpm bench --only=plugins`), not asserted here.
		for (let i = 0; i < 3; i++) {
			const answer = await say(bot, '!ping');
			expect(answer.content).toMatch(/^pong/);
		}
		expect(errors.some((e) => e.error.code === 'PLUGIN_TIMEOUT')).toBe(false);

		await until(
			() =>
				['ovenjs-plugin-loop', 'ovenjs-plugin-hog', 'ovenjs-plugin-snoop'].every((name) =>
					errors.some((e) => e.plugin === name),
				),
			`the three runtime errors (${errors.map((e) => e.error.message).join(' | ')})`,
		);
		const byPlugin = new Map(errors.map((e) => [e.plugin, e.error]));
		expect(byPlugin.get('ovenjs-plugin-loop')).toMatchObject({ code: 'PLUGIN_TIMEOUT' });
		expect(byPlugin.get('ovenjs-plugin-hog')).toMatchObject({ code: 'PLUGIN_MEMORY_LIMIT' });
		expect(byPlugin.get('ovenjs-plugin-snoop')).toMatchObject({
			code: 'PLUGIN_PERMISSION_DENIED',
			capability: 'node:process',
		});
		for (const error of byPlugin.values()) {
			expect(error).toBeInstanceOf(PluginError);
			expect(error.message).not.toContain(discord.token);
		}
		const status = Object.fromEntries(bot.plugins.list().map((p) => [p.name, p.status]));
		expect(status).toMatchObject({
			'ovenjs-plugin-loop': 'stopped',
			'ovenjs-plugin-hog': 'stopped',
			'ovenjs-plugin-snoop': 'loaded',
			'ovenjs-plugin-ping': 'loaded',
		});

		// The healthy plugins go on: ping, and welcome through greetings' service (isolate ← worker).
		expect((await say(bot, '!ping')).content).toMatch(/^pong/);
		expect((await say(bot, '!hello')).content).toMatch(/^Hello, /);
		expect((await say(bot, '!greetings')).content).toMatch(/^1 greeting so far/);
	}, 90_000);

	it('loads, lists, reloads and unloads through client.plugins, with the state in client.state and events on the client', async () => {
		const { bot, loads, unloads, errors } = client({
			load: [join(examples, 'ovenjs-plugin-greetings'), join(examples, 'ovenjs-plugin-welcome')],
			isolation: { 'ovenjs-plugin-greetings': 'none', 'ovenjs-plugin-welcome': 'none' },
		});
		await bot.login();
		expect(loads.map((l) => `${l.name}:${l.isolation}`)).toEqual([
			'ovenjs-plugin-greetings:none',
			'ovenjs-plugin-welcome:none',
		]);
		expect(bot.plugins.get('ovenjs-plugin-welcome')).toMatchObject({
			status: 'loaded',
			dependencies: ['ovenjs-plugin-greetings'],
			permissions: ['events:messageCreate', 'rest:channels.createMessage'],
		});
		expect((await say(bot, '!hello')).content).toMatch(/^Hello, /);
		expect(Reflect.get(bot.state.get(), stateKey('ovenjs-plugin-greetings'))).toMatchObject({ greeted: 1 });

		expect(await bot.plugins.reload('ovenjs-plugin-greetings')).toEqual([
			'ovenjs-plugin-greetings',
			'ovenjs-plugin-welcome',
		]);
		expect((await say(bot, '!greetings')).content).toMatch(/^1 greeting so far/);

		const extra = await bot.plugins.load(
			definePlugin({
				name: 'ovenjs-plugin-nosy',
				manifest: { engine: '*', permissions: ['events:messageCreate'] },
				setup(ctx) {
					ctx.on('messageCreate', async () => {
						await ctx.api.users.getMyUser();
					});
				},
			}),
		);
		expect(extra).toEqual({ loaded: ['ovenjs-plugin-nosy'], failed: [] });
		discord.world.sendMessage(channelId, userId, 'anything');
		await until(() => errors.length > 0, 'the refusal');
		expect(errors[0]).toMatchObject({
			plugin: 'ovenjs-plugin-nosy',
			error: { code: 'PLUGIN_PERMISSION_DENIED', capability: 'rest:users.getMyUser' },
		});

		expect(await bot.plugins.unload('ovenjs-plugin-greetings')).toEqual([
			'ovenjs-plugin-welcome',
			'ovenjs-plugin-greetings',
		]);
		expect(unloads.map((u) => u.name)).toEqual(['ovenjs-plugin-welcome', 'ovenjs-plugin-greetings']);
		expect(bot.plugins.list().map((p) => p.name)).toEqual(['ovenjs-plugin-nosy']);
		await bot.destroy();
		expect(unloads.map((u) => u.name)).toContain('ovenjs-plugin-nosy');
	});

	it('discovers the ovenjs-plugin-* dependencies of the bot package', async () => {
		const root = mkdtempSync(join(tmpdir(), 'ovenjs-bot-'));
		dirs.push(root);
		writeFileSync(
			join(root, 'package.json'),
			JSON.stringify({ name: 'my-bot', dependencies: { 'ovenjs-plugin-greetings': '^1.0.0', 'left-pad': '*' } }),
		);
		mkdirSync(join(root, 'node_modules'));
		symlinkSync(join(examples, 'ovenjs-plugin-greetings'), join(root, 'node_modules', 'ovenjs-plugin-greetings'));
		const { bot, errors } = client({ discover: true, root, isolation: 'none' });
		expect(bot.plugins.discover()).toEqual(['ovenjs-plugin-greetings']);
		await bot.login();
		expect(bot.plugins.loaded).toEqual(['ovenjs-plugin-greetings']);
		expect(errors).toEqual([]);
	});
});
