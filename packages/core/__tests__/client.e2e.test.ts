import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
	ApplicationCommandType,
	GatewayIntentBits,
	InteractionResponseType,
	InteractionType,
} from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { asUserId, type ChannelId, type UserId } from '@ovenjs/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	ChatInputCommandInteraction,
	Client,
	CoreError,
	ExtensionBus,
	SlashCommandBuilder,
	type ClientMessage,
	type DispatchEnvelope,
} from '../src/index.js';

const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;
let discord: MockDiscord;
let channelId: ChannelId;
let userId: UserId;
const clients: Client[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ovenjs-core-'));

function client(bus?: ExtensionBus): Client {
	const created = new Client({
		token: discord.token,
		intents,
		rest: { api: discord.apiBase },
		...(bus === undefined ? {} : { bus }),
	});
	clients.push(created);
	return created;
}

function answerPing(bot: Client): void {
	bot.on('messageCreate', async (message: ClientMessage) => {
		if (message.content === '!ping') await message.reply(`pong ${message.latency} ms`);
	});
	bot.on('interactionCreate', async (interaction) => {
		if (interaction instanceof ChatInputCommandInteraction && interaction.commandName === 'ping')
			await interaction.reply(`pong (${interaction.latency} ms)`);
	});
}

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if (check()) return;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 2, heartbeatIntervalMs: 500, identifyIntervalMs: 10 });
	const guild = [...discord.world.guilds.values()][0];
	if (guild === undefined) throw new Error('the mock has no guild');
	const first = [...guild.channels][0];
	if (first === undefined) throw new Error('the mock guild has no channel');
	channelId = first;
	userId = asUserId(discord.world.addMember(guild.id).user.id);
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((bot) => bot.destroy()));
});

afterAll(async () => {
	await discord.stop();
	rmSync(dir, { recursive: true, force: true });
});

describe('Client against the mock Discord', () => {
	it('logs in, reports shard progress, fills the cache and fires the lifecycle points', async () => {
		const bus = new ExtensionBus();
		const points: string[] = [];
		bus.on('client:beforeConnect', () => void points.push('beforeConnect'));
		bus.on('client:ready', (info) => void points.push(`ready:${info.guildCount}`));
		bus.on('security:authSuccess', (info) => void points.push(`auth:${info.kind}`));
		bus.on('lifecycle:shardReady', (info) => void points.push(`shard:${info.shardId}`));
		const bot = client(bus);
		const progress: number[] = [];
		bot.on('shardProgress', (p) => void progress.push(p.ready));
		const ready = bot.waitFor('ready');
		await bot.login();
		const [info] = await ready;
		expect(info.guildCount).toBe(2);
		expect(progress.at(-1)).toBe(1);
		expect(bot.isReady).toBe(true);
		expect(bot.userId).toBe(discord.botUser.id);
		expect(bot.applicationId).toBe(discord.application.id);
		expect(bot.cache.guildIds()).toHaveLength(2);
		expect(points).toEqual(expect.arrayContaining(['auth:rest', 'beforeConnect', 'shard:0', 'ready:2']));
		expect(inspect(bot)).not.toContain(discord.token);
		await expect(bot.login()).rejects.toMatchObject({ code: 'CORE_ALREADY_LOGGED_IN' });
	});

	it('answers !ping and a /ping slash command', async () => {
		const bot = client();
		answerPing(bot);
		await bot.login();
		const before = discord.requests.filter('POST', '/channels/{channel_id}/messages').length;
		discord.world.sendMessage(channelId, userId, '!ping');
		await until(
			() => discord.requests.filter('POST', '/channels/{channel_id}/messages').length > before,
			'the !ping reply',
		);
		expect(JSON.stringify(discord.requests.last()?.body)).toMatch(/"content":"pong -?\d+ ms"/);
		const response = await discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommand,
			data: { id: '1', name: 'ping', type: ApplicationCommandType.ChatInput },
			channelId,
			userId,
		});
		expect(response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
		expect(JSON.stringify(response.data)).toMatch(/"content":"pong \(-?\d+ ms\)"/);
	});

	it('registers slash commands in bulk', async () => {
		const bot = client();
		await bot.login();
		const registered = await bot.registerCommands([new SlashCommandBuilder('ping', 'Replies with the latency')]);
		expect(registered.map((command) => command.name)).toEqual(['ping']);
	});

	it('resumes after a forced close and keeps answering', async () => {
		const bot = client();
		answerPing(bot);
		await bot.login();
		const resumed = bot.waitFor('shardResume');
		discord.gateway.closeAll(4000);
		const [info] = await resumed;
		expect(info.shardId).toBe(0);
		const before = discord.requests.filter('POST', '/channels/{channel_id}/messages').length;
		discord.world.sendMessage(channelId, userId, '!ping');
		await until(
			() => discord.requests.filter('POST', '/channels/{channel_id}/messages').length > before,
			'the reply after resume',
		);
	});

	it('records dispatches and replays them into a client that never connected', async () => {
		const file = join(dir, 'session.jsonl');
		const bot = client();
		await bot.pipeline.record(file);
		await bot.login();
		discord.world.sendMessage(channelId, userId, 'recorded message');
		await until(
			() => bot.cache.messages(channelId).some((message) => message.content === 'recorded message'),
			'the recorded message',
		);
		const written = await bot.pipeline.stopRecording();
		expect(written).toBeGreaterThanOrEqual(3);

		const replayed = client();
		const contents: string[] = [];
		replayed.on('messageCreate', (message) => void contents.push(message.content));
		expect(await replayed.replay(file)).toBe(written);
		expect(contents).toContain('recorded message');
		expect(replayed.cache.guildIds()).toHaveLength(2);
		expect(replayed.userId).toBe(discord.botUser.id);
	});

	it('filters, transforms and batches dispatches in priority order', async () => {
		const bot = client();
		const order: string[] = [];
		bot.pipeline.filter((event) => {
			order.push('filter:0');
			return !(event.t === 'MESSAGE_CREATE' && JSON.stringify(event.d).includes('drop me'));
		});
		bot.pipeline.filter(
			() => {
				order.push('filter:10');
				return true;
			},
			{ priority: 10 },
		);
		bot.pipeline.transform((event) =>
			event.t === 'MESSAGE_CREATE' ? { ...event, t: 'MESSAGE_CREATE' } : undefined,
		);
		const batches: DispatchEnvelope[][] = [];
		const handle = bot.pipeline.batch('MESSAGE_CREATE', (events) => void batches.push(events), {
			size: 2,
			intervalMs: 60_000,
		});
		const seen: string[] = [];
		bot.on('messageCreate', (message) => void seen.push(message.content));
		await bot.login();
		expect(order.slice(0, 2)).toEqual(['filter:10', 'filter:0']);
		for (const text of ['one', 'drop me', 'two', 'three']) discord.world.sendMessage(channelId, userId, text);
		await until(() => seen.length === 3, 'three messages');
		expect(seen).toEqual(['one', 'two', 'three']);
		expect(bot.pipeline.dropped).toBe(1);
		expect(batches.map((batch) => batch.length)).toEqual([2]);
		await handle.stop();
		expect(batches.map((batch) => batch.length)).toEqual([2, 1]);
	});

	it('rejects a bad token without printing it, and bad options with typed errors', async () => {
		const secret = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.this-is-not-a-real-token-at-all-xx';
		const bot = new Client({ token: secret, intents, rest: { api: discord.apiBase, retries: 0 } });
		clients.push(bot);
		const error: unknown = await bot.login().then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(Error);
		expect(String(error instanceof Error ? `${error.message}${error.stack ?? ''}` : error)).not.toContain(secret);
		expect(() => new Client({ token: '', intents })).toThrow(CoreError);
		expect(() => new Client({ token: 'x', intents: -1 })).toThrow(/intents must be a non-negative integer/);
	});
});
