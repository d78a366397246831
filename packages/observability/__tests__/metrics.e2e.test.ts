import type { ChannelId, UserId } from '@ovenjs/types';
import { GatewayCloseCodes, MockDiscord } from '@ovenjs/testing';
import type { Client } from '@ovenjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard, type Instrumentation } from '../src/index.js';
import { mockClient, parseMetrics, series, until } from './helpers.js';

let discord: MockDiscord;
let client: Client;
let dashboard: Dashboard;
let instrumentation: Instrumentation;
let channelId: ChannelId;
let userId: UserId;
let entityReads = 0;
const replies: string[] = [];

async function scrape(): Promise<Map<string, number>> {
	const response = await fetch(new URL('/metrics', dashboard.url));
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
	return parseMetrics(await response.text());
}

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 3,
		heartbeatIntervalMs: 200,
		identifyIntervalMs: 10,
		rateLimits: { windowMs: 1_500, perRoute: 10 },
	});
	const guild = [...discord.world.guilds.values()][0];
	const first = guild === undefined ? undefined : [...guild.channels][0];
	if (guild === undefined || first === undefined) throw new Error('the mock world is empty');
	channelId = first;
	userId = discord.world.addMember(guild.id).user.id;
	client = mockClient(discord);
	client.on('messageCreate', async (message) => {
		// A cache read from the handler (counted in the entity tier) and a reply (a REST call).
		expect(client.cache.channel(message.channelId)).toBeDefined();
		entityReads++;
		if (message.content !== '!ping') return;
		const sent = await message.reply('pong');
		replies.push(sent.id);
	});
	dashboard = await startDashboard({ client, port: 0, intervalMs: 100 });
	instrumentation = dashboard.instrumentation;
	await client.login();
});

afterAll(async () => {
	await dashboard.close();
	await client.destroy();
	await discord.stop();
});

describe('metrics of a bot against the mock, scraped from /metrics', () => {
	it('counts gateway events, REST requests and handler runs with exact values', async () => {
		const before = await scrape();
		const createsBefore =
			series(before, 'ovenjs_gateway_events_total', { shard: '0', event: 'MESSAGE_CREATE' }) ?? 0;
		for (let i = 0; i < 3; i++) discord.world.sendMessage(channelId, userId, '!ping');
		await until(() => replies.length === 3, 'three replies');
		// The bot's own replies come back as MESSAGE_CREATE too: 3 + 3.
		await until(() => entityReads === 6, 'six handler runs');
		const metrics = await scrape();
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'MESSAGE_CREATE' })).toBe(
			createsBefore + 6,
		);
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'READY' })).toBe(1);
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'GUILD_CREATE' })).toBe(1);
		const posts = discord.requests
			.filter('POST', '/channels/{channel_id}/messages')
			.filter((request) => request.status === 200).length;
		expect(posts).toBe(3);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', {
				method: 'POST',
				route: '/channels/:id/messages',
				status: '200',
			}),
		).toBe(3);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', { method: 'GET', route: '/users/@me', status: '200' }),
		).toBe(1);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', { method: 'GET', route: '/gateway/bot', status: '200' }),
		).toBe(1);
		expect(
			series(metrics, 'ovenjs_rest_request_duration_seconds_count', {
				method: 'POST',
				route: '/channels/:id/messages',
			}),
		).toBe(3);
		expect(series(metrics, 'ovenjs_event_handler_duration_seconds_count', { event: 'messageCreate' })).toBe(6);
		// One entity-cache read per handler run, each a hit.
		expect(series(metrics, 'ovenjs_cache_hits_total', { tier: 'entity' })).toBe(6);
		expect(series(metrics, 'ovenjs_cache_misses_total', { tier: 'entity' })).toBeUndefined();
		expect(series(metrics, 'ovenjs_rest_queue_depth')).toBe(0);
		expect(series(metrics, 'ovenjs_shard_status', { shard: '0', status: 'ready' })).toBe(1);
		expect(series(metrics, 'ovenjs_shard_status', { shard: '0', status: 'resuming' })).toBe(0);
		// Raw IDs never become label values: only route templates.
		const text = await (await fetch(new URL('/metrics', dashboard.url))).text();
		expect(text).not.toContain(channelId);
		// Node's default process metrics are there too.
		expect(series(metrics, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
		expect(series(metrics, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
	});

	it('reports the heartbeat latency per shard', async () => {
		await until(() => instrumentation.snapshot().shards[0]?.latencyMs !== undefined, 'a heartbeat ACK');
		const metrics = await scrape();
		expect(series(metrics, 'ovenjs_gateway_latency_seconds', { shard: '0' })).toBeGreaterThanOrEqual(0);
		expect(series(metrics, 'ovenjs_gateway_latency_seconds', { shard: '0' })).toBeLessThan(1);
	});

	it('counts a forced 429 by scope, and the request still succeeds after waiting', async () => {
		// Another client spends the bucket the bot is about to use: the bot's next request meets a 429.
		const url = `${discord.apiBase}/v10/channels/${channelId}/messages`;
		let status = 0;
		for (let i = 0; i < 20 && status !== 429; i++) {
			const response = await fetch(url, {
				method: 'POST',
				headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ content: 'spam' }),
			});
			status = response.status;
			await response.arrayBuffer();
		}
		expect(status).toBe(429);
		const sent = await client.send(channelId, 'after the 429');
		expect(sent.content).toBe('after the 429');
		const metrics = await scrape();
		expect(series(metrics, 'ovenjs_rest_rate_limited_total', { scope: 'user' })).toBe(1);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', {
				method: 'POST',
				route: '/channels/:id/messages',
				status: '429',
			}),
		).toBe(1);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', {
				method: 'POST',
				route: '/channels/:id/messages',
				status: '200',
			}),
		).toBe(4);
		expect(
			series(metrics, 'ovenjs_rest_request_duration_seconds_count', {
				method: 'POST',
				route: '/channels/:id/messages',
			}),
		).toBe(4);
		expect(instrumentation.snapshot().rest429).toBe(1);
	});

	it('counts a forced resume and a forced re-identify by kind', async () => {
		const resumed = client.waitFor('shardResume');
		discord.gateway.closeAll(GatewayCloseCodes.UnknownError);
		await resumed;
		let metrics = await scrape();
		expect(series(metrics, 'ovenjs_gateway_reconnects_total', { shard: '0', kind: 'resume' })).toBe(1);
		expect(series(metrics, 'ovenjs_gateway_reconnects_total', { shard: '0', kind: 'identify' })).toBeUndefined();
		const identified = client.waitFor('shardReady');
		discord.gateway.invalidateSession(false);
		await identified;
		metrics = await scrape();
		expect(series(metrics, 'ovenjs_gateway_reconnects_total', { shard: '0', kind: 'resume' })).toBe(1);
		expect(series(metrics, 'ovenjs_gateway_reconnects_total', { shard: '0', kind: 'identify' })).toBe(1);
		await until(() => instrumentation.snapshot().shards[0]?.status === 'ready', 'the shard to be ready again');
		metrics = await scrape();
		expect(series(metrics, 'ovenjs_shard_status', { shard: '0', status: 'ready' })).toBe(1);
		// A second READY after the re-identify.
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'READY' })).toBe(2);
		expect(instrumentation.snapshot().reconnects).toBe(2);
	});

	it('serves the snapshot the page plots', async () => {
		const response = await fetch(new URL('/api/snapshot', dashboard.url));
		const body: unknown = await response.json();
		expect(body).toMatchObject({ snapshot: { shards: [{ id: 0, status: 'ready' }], rest429: 1, reconnects: 2 } });
		expect(body).toHaveProperty('history');
	});
});
