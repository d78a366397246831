import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	GatewayError,
	type GatewayDispatch,
	type IdentifyThrottler,
	type SessionInfo,
	WebSocketManager,
	workerShardingStrategy,
} from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

const granted: number[] = [];
const recording: IdentifyThrottler = {
	setLimits: () => undefined,
	waitForIdentify: (shardId) => {
		granted.push(shardId);
		return Promise.resolve();
	},
};

describe('WorkerShardingStrategy', () => {
	it('runs shards in worker threads: ordered dispatches, resume without loss, throttler and session hooks on the main thread', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const store = new Map<number, SessionInfo>();
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			shardCount: 3,
			gatewayUrl: gw.url,
			identifyThrottler: recording,
			reconnectBackoff: { initial: 10, max: 50 },
			dispatchEvents: ['MESSAGE_CREATE', 'READY'],
			strategy: workerShardingStrategy({ shardsPerWorker: 2 }),
			updateSessionInfo: (id, info) => {
				if (info === null) store.delete(id);
				else store.set(id, info);
			},
		});
		cleanup.push(() => manager.destroy());
		const events: GatewayDispatch[] = [];
		manager.on('dispatch', (e) => events.push(e));
		let resumed = 0;
		manager.on('resumed', () => resumed++);
		await manager.connect();
		expect(granted).toEqual([0, 1, 2]);
		expect(
			events
				.filter((e) => e.t === 'READY')
				.map((e) => e.shardId)
				.sort(),
		).toEqual([0, 1, 2]);
		for (let n = 0; n < 60; n++) gw.dispatch(n % 3, 'MESSAGE_CREATE', { n });
		for (let n = 0; n < 30; n++) gw.dispatch(0, 'TYPING_START', { n });
		await until(() => events.filter((e) => e.t === 'MESSAGE_CREATE').length === 60);
		gw.terminateAll();
		for (let n = 60; n < 90; n++) gw.dispatch(n % 3, 'MESSAGE_CREATE', { n });
		await until(() => resumed === 3, 10_000, 'three resumes');
		await until(() => events.filter((e) => e.t === 'MESSAGE_CREATE').length === 90);
		for (const shard of [0, 1, 2]) {
			const got = events
				.filter((e) => e.t === 'MESSAGE_CREATE' && e.shardId === shard)
				.map((e) => (e.d as { n: number }).n);
			expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i * 3 + shard));
		}
		const status = await manager.fetchStatus();
		expect(status.map((s) => s.status)).toEqual(['ready', 'ready', 'ready']);
		expect(status[0]?.skipped).toBeGreaterThanOrEqual(30);
		// Counted by name across the thread boundary, wanted or skipped, each once (a resume replays none twice).
		expect(status[0]?.dispatches).toMatchObject({ READY: 1, MESSAGE_CREATE: 30, TYPING_START: 30 });
		expect(store.get(1)?.sequence).toBe(status[1]?.sequence);
		await manager.send(2, { op: 3, d: { since: null, activities: [], status: 'online', afk: false } });
		await until(() => gw.received.some((p) => (p as { op: number }).op === 3));
		await expect(manager.send(2, { op: 6, d: {} })).rejects.toBeInstanceOf(GatewayError);
	});

	it('carries fatal close errors across the thread boundary as typed errors', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		gw.rejectCode = 4014;
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1 << 8,
			shardCount: 1,
			gatewayUrl: gw.url,
			identifyThrottler: recording,
			strategy: workerShardingStrategy(),
		});
		cleanup.push(() => manager.destroy());
		const error = await manager.connect().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({
			code: 'GATEWAY_DISALLOWED_INTENTS',
			closeCode: 4014,
			privilegedIntents: ['GuildPresences'],
		});
	});

	it('reports a crashed worker as GATEWAY_WORKER_FAILED and still destroys cleanly', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'ovenjs-ws-'));
		const entry = join(dir, 'crash.mjs');
		await writeFile(entry, "throw new Error('boom');\n");
		const manager = new WebSocketManager({
			token: 'token-for-crash-test',
			intents: 1,
			shardCount: 2,
			gatewayUrl: 'ws://127.0.0.1:9',
			identifyThrottler: recording,
			strategy: workerShardingStrategy({ shardsPerWorker: 1, workerPath: entry }),
		});
		const errors: string[] = [];
		manager.on('error', (e) => errors.push(`${e.shardId}:${e.error.code}`));
		await expect(manager.connect()).rejects.toMatchObject({ code: 'GATEWAY_WORKER_FAILED' });
		await until(() => errors.length === 2);
		expect((await manager.fetchStatus()).map((s) => [s.shardId, s.status])).toEqual([
			[0, 'failed'],
			[1, 'failed'],
		]);
		await manager.destroy();
		expect(errors.sort()).toEqual(['0:GATEWAY_WORKER_FAILED', '1:GATEWAY_WORKER_FAILED']);
		await rm(dir, { recursive: true });
	});

	it('reshards live with worker-thread shard sets, without losing or duplicating an event', async () => {
		const guilds = ['81384788765712384', '81384788765712385', '175928847299117063', '222078108977594368'];
		const gw = await FakeGateway.start({ guilds, recommendedShards: 1 });
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: recording,
			strategy: workerShardingStrategy({ shardsPerWorker: 1 }),
		});
		cleanup.push(() => manager.destroy());
		const seen: number[] = [];
		manager.on('dispatch', (e) => {
			if (e.t === 'MESSAGE_CREATE') seen.push((e.d as { n: number }).n);
		});
		await manager.connect();
		let n = 0;
		let flooding = true;
		const flood = (async () => {
			while (flooding) {
				for (let i = 0; i < 4; i++, n++)
					gw.dispatchGuild(guilds[n % guilds.length] ?? '', 'MESSAGE_CREATE', { n });
				await new Promise((r) => setTimeout(r, 2));
			}
		})();
		await until(() => seen.length > 100);
		expect(await manager.reshard(2)).toBe(true);
		const at = n;
		await until(() => n > at + 100);
		flooding = false;
		await flood;
		await until(() => seen.length >= n, 10_000, `${n} events`);
		await new Promise((r) => setTimeout(r, 100));
		expect(seen).toHaveLength(n);
		expect(new Set(seen).size).toBe(n);
		expect((await manager.fetchStatus()).map((s) => s.shardId)).toEqual([0, 1]);
	});
});
