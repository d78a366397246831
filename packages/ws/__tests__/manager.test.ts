import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExtensionPointEmitter, ExtensionPointName, GuildId } from '@ovenjs/types';
import { GatewayError, type IdentifyThrottler, type ShardProgress, WebSocketManager } from '../src/index.js';
import { MemberRequests } from '../src/lib/MemberRequests.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	vi.useRealTimers();
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('start-up', () => {
	it('starts identifies in shard order within each max_concurrency bucket and reports progress', async () => {
		const gw = await FakeGateway.start({ recommendedShards: 6, maxConcurrency: 2 });
		cleanup.push(() => gw.stop());
		const calls: number[] = [];
		const throttler: IdentifyThrottler = {
			setLimits: () => undefined,
			waitForIdentify: async (shardId) => {
				calls.push(shardId);
				await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
			},
		};
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: throttler,
		});
		cleanup.push(() => manager.destroy());
		const progress: ShardProgress[] = [];
		manager.on('progress', (p) => progress.push(p));
		let allReady = 0;
		manager.on('allReady', () => allReady++);
		await manager.connect();
		expect(calls.filter((id) => id % 2 === 0)).toEqual([0, 2, 4]);
		expect(calls.filter((id) => id % 2 === 1)).toEqual([1, 3, 5]);
		expect(progress.at(-1)).toEqual({ identified: 6, ready: 6, total: 6, shardCount: 6 });
		for (let i = 1; i < progress.length; i++) {
			expect(progress[i]?.ready).toBeGreaterThanOrEqual(progress[i - 1]?.ready ?? 0);
			expect(progress[i]?.identified).toBeGreaterThanOrEqual(progress[i - 1]?.identified ?? 0);
		}
		expect(allReady).toBe(1);
		const status = await manager.fetchStatus();
		expect(status.map((s) => s.shardId)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('checks periodically whether Discord recommends more shards and reshards by itself', async () => {
		const gw = await FakeGateway.start({ recommendedShards: 1 });
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
			reshardCheckInterval: 50,
		});
		cleanup.push(() => manager.destroy());
		const phases: string[] = [];
		manager.on('reshard', (e) => phases.push(`${e.phase}:${e.to}`));
		await manager.connect();
		await new Promise((r) => setTimeout(r, 150));
		expect(phases).toEqual([]);
		gw.recommendedShards = 2;
		await until(() => phases.includes('switched:2'), 5_000, 'automatic reshard');
		expect(manager.shardCount).toBe(2);
	});
});

describe('extension points and thresholds', () => {
	it('calls ws:beforeConnect, ws:afterConnect, ws:onMessage, ws:onClose, ws:shardStatus and ws:shardReady', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const calls: [string, unknown[]][] = [];
		const listened = new Set<ExtensionPointName>([
			'ws:beforeConnect',
			'ws:afterConnect',
			'ws:onMessage',
			'ws:onClose',
			'ws:shardStatus',
			'ws:shardReady',
		]);
		const extensions: ExtensionPointEmitter = {
			has: (point) => listened.has(point),
			emit: (point, ...args) => {
				calls.push([point, args]);
			},
			transform: (_point, value) => Promise.resolve(value),
		};
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			shardCount: 1,
			gatewayUrl: gw.url,
			extensions,
			reconnectBackoff: { initial: 10, max: 20 },
		});
		cleanup.push(() => manager.destroy());
		await manager.connect();
		gw.closeAll(4000);
		await until(() => calls.filter(([p]) => p === 'ws:shardReady').length === 2);
		const points = new Set(calls.map(([p]) => p));
		expect(points).toEqual(listened);
		const before = calls.find(([p]) => p === 'ws:beforeConnect')?.[1][0] as { url: string; resuming: boolean };
		expect(before.url).toContain('v=10');
		expect(before.url).not.toContain(gw.token);
		expect(calls.filter(([p]) => p === 'ws:shardReady').map(([, a]) => a[1])).toEqual([false, true]);
		expect(calls.find(([p]) => p === 'ws:onClose')?.[1][0]).toMatchObject({
			shardId: 0,
			code: 4000,
			willReconnect: true,
		});
	});

	it('reshards when a shard holds more guilds than guildsPerShardThreshold', async () => {
		const guilds = ['81384788765712384', '81384788765712385', '175928847299117063'];
		const gw = await FakeGateway.start({ guilds, recommendedShards: 1 });
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
			guildsPerShardThreshold: 2,
		});
		cleanup.push(() => manager.destroy());
		const phases: string[] = [];
		manager.on('reshard', (e) => phases.push(`${e.phase}:${e.from}->${e.to}`));
		await manager.connect();
		await until(() => phases.length === 2, 5_000, 'threshold reshard');
		expect(phases).toEqual(['started:1->2', 'switched:1->2']);
	});
});

describe('member requests', () => {
	const guildId = '81384788765712384' as GuildId;

	it('fails with GATEWAY_TIMEOUT when no chunk arrives, and GATEWAY_DESTROYED on destroy', async () => {
		vi.useFakeTimers();
		const sent: unknown[] = [];
		const requests = new MemberRequests((_shard, payload) => {
			sent.push(payload);
			return Promise.resolve();
		});
		const timedOut = requests.collect(0, { guildId, timeout: 1_000 });
		const check = expect(timedOut).rejects.toMatchObject({ code: 'GATEWAY_TIMEOUT' });
		await vi.advanceTimersByTimeAsync(1_000);
		await check;
		const pending = requests.collect(0, { guildId, userIds: [] });
		requests.rejectAll(new GatewayError('GATEWAY_DESTROYED', 'gone'));
		await expect(pending).rejects.toMatchObject({ code: 'GATEWAY_DESTROYED' });
		expect(sent).toHaveLength(2);
		expect(requests.size).toBe(0);
	});

	it('gives up after the configured RATE_LIMITED retries with GATEWAY_RATE_LIMITED', async () => {
		vi.useFakeTimers();
		const nonces: string[] = [];
		const requests = new MemberRequests((_shard, payload) => {
			nonces.push((payload.d as { nonce: string }).nonce);
			return Promise.resolve();
		});
		const result = requests.collect(0, { guildId, nonce: 'n1', rateLimitRetries: 1 });
		const check = expect(result).rejects.toMatchObject({ code: 'GATEWAY_RATE_LIMITED', retryAfter: 2 });
		await vi.advanceTimersByTimeAsync(0);
		expect(
			requests.handle('RATE_LIMITED', { opcode: 8, retry_after: 2, meta: { guild_id: guildId, nonce: 'n1' } }),
		).toBe(true);
		await vi.advanceTimersByTimeAsync(2_000);
		expect(nonces).toEqual(['n1', 'n1']);
		requests.handle('RATE_LIMITED', { opcode: 8, retry_after: 2, meta: { guild_id: guildId, nonce: 'n1' } });
		await check;
		expect(requests.handle('GUILD_MEMBERS_CHUNK', { nonce: 'other' })).toBe(false);
	});
});
