/**
 * End to end against `@ovenjs/testing`'s MockDiscord over real sockets, with faults injected and every event
 * counted: the application must see each one exactly once, in order per shard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MockDiscord } from '@ovenjs/testing';
import {
	type GatewayCompression,
	type GatewayDispatch,
	WebSocketManager,
	type WebSocketManagerOptions,
} from '../src/index.js';
import { until } from './helpers/FakeGateway.js';

const INTENTS = 1 | (1 << 9) | (1 << 15); // Guilds, GuildMessages, MessageContent

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function start(
	mockOptions: Parameters<typeof MockDiscord.start>[0] = {},
	options: Partial<WebSocketManagerOptions> = {},
) {
	const discord = await MockDiscord.start({ guilds: 2, membersPerGuild: 5, ...mockOptions });
	cleanup.push(() => discord.stop());
	const manager = new WebSocketManager({
		token: discord.token,
		intents: INTENTS,
		fetchGatewayInformation: async () => {
			const response = await fetch(`${discord.apiBase}/v10/gateway/bot`, {
				headers: { authorization: `Bot ${discord.token}` },
			});
			return response.json();
		},
		reconnectBackoff: { initial: 10, max: 100 },
		...options,
	});
	cleanup.push(() => manager.destroy());
	const messages: GatewayDispatch[] = [];
	const all: GatewayDispatch[] = [];
	manager.on('dispatch', (event) => {
		all.push(event);
		if (event.t === 'MESSAGE_CREATE') messages.push(event);
	});
	const channel = [...discord.world.channels.values()].find((c) => c.guildId !== null);
	if (channel === undefined) throw new Error('the mock generated no guild channel');
	return { discord, manager, messages, all, channelId: channel.id };
}

/** Message contents in arrival order. */
const contents = (events: readonly GatewayDispatch[]): string[] =>
	events.map((e) => (e.d as { content: string }).content);
const expected = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => `flood ${i + from}`);

describe('WebSocketManager against MockDiscord', () => {
	it.each<GatewayCompression>([null, 'zlib-stream', 'zstd-stream'])(
		'connects with shardCount auto and receives a flood exactly once (%s)',
		async (compression) => {
			const { discord, manager, messages, all, channelId } = await start(
				{ shards: 2, maxConcurrency: 2 },
				{ compression },
			);
			const progress: number[] = [];
			manager.on('progress', (p) => progress.push(p.ready));
			await manager.connect();
			expect(manager.shardCount).toBe(2);
			expect(progress.at(-1)).toBe(2);
			expect(
				all
					.filter((e) => e.t === 'READY')
					.map((e) => e.shardId)
					.sort(),
			).toEqual([0, 1]);
			await discord.gateway.flood(1_000, { channelId });
			await until(() => messages.length >= 1_000, 20_000, '1000 messages');
			expect(contents(messages)).toEqual(expected(1_000));
		},
	);

	it('resumes after the mock closes every connection mid-flood: nothing lost, nothing duplicated', async () => {
		const { discord, manager, messages, channelId } = await start({}, { compression: 'zlib-stream' });
		let resumed = 0;
		manager.on('resumed', () => resumed++);
		await manager.connect();
		const flood = discord.gateway.flood(600, { channelId });
		await until(() => messages.length >= 150);
		discord.gateway.closeAll(4000);
		await flood;
		await until(() => resumed >= 1, 10_000, 'resume');
		await until(() => messages.length >= 600, 20_000, '600 messages');
		await new Promise((r) => setTimeout(r, 100));
		expect(contents(messages)).toEqual(expected(600));
		expect(discord.gateway.identify.accepted).toBe(1);
	});

	it('resumes on op 7 RECONNECT and on a resumable INVALID_SESSION', async () => {
		const { discord, manager, messages, channelId } = await start();
		let resumed = 0;
		manager.on('resumed', () => resumed++);
		await manager.connect();
		discord.gateway.reconnect(5_000);
		await until(() => resumed === 1, 10_000, 'resume after op 7');
		discord.gateway.invalidateSession(true);
		await until(() => resumed === 2, 10_000, 'resume after op 9 true');
		await discord.gateway.flood(50, { channelId });
		await until(() => messages.length >= 50);
		expect(contents(messages)).toEqual(expected(50));
		expect(discord.gateway.identify.accepted).toBe(1);
	});

	it('reports a non-resumable INVALID_SESSION and identifies afresh', async () => {
		const { discord, manager, all } = await start();
		const lost: (number | null)[] = [];
		manager.on('sessionLost', (e) => lost.push(e.lastSequence));
		await manager.connect();
		discord.gateway.invalidateSession(false);
		await until(() => all.filter((e) => e.t === 'READY').length === 2, 10_000, 'second READY');
		expect(lost).toHaveLength(1);
		expect(lost[0]).toBeGreaterThan(0);
		expect(discord.gateway.identify.accepted).toBe(2);
	});

	it('detects a zombie connection when ACKs stop and resumes', async () => {
		const { discord, manager, messages, channelId } = await start({ heartbeatIntervalMs: 200 });
		let resumed = 0;
		manager.on('resumed', () => resumed++);
		const closes: number[] = [];
		manager.on('closed', (e) => {
			closes.push(e.code);
			discord.gateway.withholdAcks(false);
		});
		await manager.connect();
		discord.gateway.withholdAcks(true);
		await until(() => resumed === 1, 10_000, 'zombie resume');
		expect(closes[0]).not.toBe(1000);
		await discord.gateway.flood(20, { channelId });
		await until(() => messages.length >= 20);
		expect(contents(messages)).toEqual(expected(20));
	});

	it('fails with GATEWAY_AUTHENTICATION_FAILED for a bad token and GATEWAY_DISALLOWED_INTENTS for 4014', async () => {
		const { discord } = await start();
		const bad = new WebSocketManager({
			token: 'not-the-token-0123456789',
			intents: 1,
			shardCount: 1,
			gatewayUrl: discord.gatewayUrl,
		});
		cleanup.push(() => bad.destroy());
		await expect(bad.connect()).rejects.toMatchObject({ code: 'GATEWAY_AUTHENTICATION_FAILED', closeCode: 4004 });

		const strict = await start({ privilegedIntents: 0 }, { intents: INTENTS | (1 << 1), shardCount: 1 });
		const error = await strict.manager.connect().catch((e: unknown) => e);
		expect(error).toMatchObject({
			code: 'GATEWAY_DISALLOWED_INTENTS',
			closeCode: 4014,
			privilegedIntents: ['GuildMembers', 'MessageContent'],
		});
	});

	it('fetches guild members through op 8 chunks', async () => {
		const { discord, manager } = await start({ membersPerGuild: 20 }, { intents: INTENTS | (1 << 1) });
		await manager.connect();
		const guild = [...discord.world.guilds.values()][0];
		if (guild === undefined) throw new Error('no guild');
		const result = await manager.requestGuildMembers({ guildId: guild.id, limit: 0 });
		expect(result.members.length).toBe(guild.members.size);
	});

	it('reshards live from 1 to 2 shards during a flood without losing or duplicating an event', async () => {
		const { discord, manager, messages, all, channelId } = await start({ guilds: 4, maxConcurrency: 2 });
		await manager.connect();
		expect(manager.shardCount).toBe(1);
		const flood = discord.gateway.flood(800, { channelId });
		await until(() => messages.length >= 100);
		expect(await manager.reshard(2)).toBe(true);
		await flood;
		await discord.gateway.flood(100, { channelId, content: 'after the switch' });
		await until(() => messages.length >= 900, 20_000, '900 messages');
		await new Promise((r) => setTimeout(r, 200));
		const ids = messages.map((e) => (e.d as { id: string }).id);
		expect(new Set(ids).size).toBe(900);
		expect(ids).toHaveLength(900);
		const got = contents(messages);
		expect(got.slice(0, 800)).toEqual(expected(800));
		expect(got.slice(800)).toEqual(Array(100).fill('after the switch'));
		expect(manager.shardCount).toBe(2);
		expect(all.filter((e) => e.t === 'READY')).toHaveLength(1);
	});
});
