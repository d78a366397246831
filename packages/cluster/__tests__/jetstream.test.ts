import { Redis } from 'ioredis';
import { connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayDispatch } from '@ovenjs/ws';
import { Emitter } from '@ovenjs/types';
import { NATS_URL, natsAvailable, redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import type { ClusterError } from '@ovenjs/cluster';
import { RedisSessionStore } from '@ovenjs/cluster/redis';
import {
	DispatchHeaders,
	JetStreamPublisher,
	JetStreamWorker,
	ensureDispatchStream,
	type WorkerDispatch,
} from '@ovenjs/cluster/jetstream';

const redisGate = await redisAvailable('the JetStream publisher and worker');
const natsGate = await natsAvailable('the JetStream publisher and worker');

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out');
		await sleep(20);
	}
}

class FakeManager extends Emitter<{ dispatch: [event: GatewayDispatch] }> {}

const message = (shardId: number, s: number, n: number): GatewayDispatch =>
	new GatewayDispatch(shardId, 'MESSAGE_CREATE', s, JSON.stringify({ t: 'MESSAGE_CREATE', s, op: 0, d: { n } }));

describe.skipIf(!redisGate.available || !natsGate.available)('JetStream publisher and worker', () => {
	let redis: Redis;
	let nats: NatsConnection;
	const prefix = uniquePrefix('cluster-js');
	const tag = prefix.replace(/[^A-Za-z0-9]/g, '_');
	const streams: string[] = [];

	beforeAll(async () => {
		redis = new Redis(redisGate.url);
		nats = await connect({ servers: NATS_URL });
	});
	afterAll(async () => {
		const jsm = await nats.jetstreamManager();
		for (const stream of streams) await jsm.streams.delete(stream).catch(() => undefined);
		await nats.drain();
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	});

	async function stream(name: string): Promise<{ stream: string; subjectPrefix: string }> {
		const s = `T_${tag}_${name}`.slice(0, 80);
		const subjectPrefix = `t.${tag}.${name}`;
		streams.push(s);
		await ensureDispatchStream(await nats.jetstreamManager(), { stream: s, subjectPrefix, storage: 'memory' });
		return { stream: s, subjectPrefix };
	}

	it('publishes with headers, stores the acknowledged sequence, and a republished event is stored once and handled once', async () => {
		const names = await stream('basic');
		const sessions = new RedisSessionStore({ redis, keyPrefix: `${prefix}basic:sessions:`, flushInterval: 10 });
		const publisher = new JetStreamPublisher({ nats, sessions, subjectPrefix: names.subjectPrefix });
		const manager = new FakeManager();
		publisher.attach(manager);
		const hooks = publisher.sessionHooks();
		await hooks.updateSessionInfo(0, {
			sessionId: 'abc',
			sequence: 1,
			resumeUrl: 'wss://r',
			shardId: 0,
			shardCount: 1,
		});
		for (let s = 2; s <= 101; s++) manager.emit('dispatch', message(0, s, s));
		await publisher.flush();
		expect(await sessions.retrieve(0)).toMatchObject({ sessionId: 'abc', sequence: 101 });
		// A resumed process republishes what Discord replays: JetStream's Nats-Msg-Id keeps one copy.
		const restarted = new JetStreamPublisher({ nats, sessions, subjectPrefix: names.subjectPrefix });
		expect(await restarted.sessionHooks().retrieveSessionInfo(0)).toMatchObject({ sequence: 101 });
		for (let s = 90; s <= 101; s++) restarted.publish(message(0, s, s));
		await restarted.flush();
		expect(restarted.stats()).toMatchObject({ published: 0, duplicates: 12 });
		const seen: number[] = [];
		const worker = new JetStreamWorker({
			nats,
			redis,
			shardIds: [0],
			...names,
			durable: 'basic',
			keyPrefix: `${prefix}basic:w:`,
			handler: (event: WorkerDispatch) => {
				seen.push(event.s);
				if (event.s === 50) throw new Error('the handler failed on purpose');
			},
		});
		const failures: ClusterError[] = [];
		worker.on('error', (error) => failures.push(error));
		await worker.start();
		await until(() => seen.length >= 100);
		await sleep(200);
		await worker.stop();
		expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
		// A failing handler is reported with its event, acknowledged and not retried.
		expect(failures).toMatchObject([{ code: 'CLUSTER_HANDLER_FAILED', shardId: 0 }]);
		expect(await redis.hget(worker.marksKey, '0')).toBe('abc:101');
	});

	it('holds an event that arrives before its predecessor and delivers both in order; moves past a gap that never closes', async () => {
		const names = await stream('order');
		const js = nats.jetstream();
		const publish = async (s: number, previous: number, session = 'x'): Promise<void> => {
			const h = headers();
			h.set(DispatchHeaders.shard, '0');
			h.set(DispatchHeaders.session, session);
			h.set(DispatchHeaders.sequence, String(s));
			h.set(DispatchHeaders.previous, String(previous));
			h.set(DispatchHeaders.event, 'MESSAGE_CREATE');
			await js.publish(
				`${names.subjectPrefix}.0.MESSAGE_CREATE`,
				JSON.stringify({ t: 'MESSAGE_CREATE', s, op: 0, d: {} }),
				{ headers: h },
			);
		};
		await publish(2, 0);
		await publish(4, 3);
		await publish(3, 2);
		await publish(7, 6);
		await publish(8, 7);
		const seen: number[] = [];
		const gaps: unknown[] = [];
		const worker = new JetStreamWorker({
			nats,
			redis,
			shardIds: [0],
			...names,
			durable: 'order',
			keyPrefix: `${prefix}order:w:`,
			ackWait: 500,
			gapTimeout: 600,
			handler: (event) => void seen.push(event.s),
		});
		worker.on('gap', (gap) => gaps.push(gap));
		await worker.start();
		await until(() => seen.length >= 5);
		await worker.stop();
		expect(seen).toEqual([2, 3, 4, 7, 8]);
		expect(gaps).toEqual([{ shardId: 0, sessionId: 'x', after: 4, next: 7 }]);
		expect(worker.stats()).toMatchObject({ handled: 5, gaps: 1 });
	});

	it('queues the handler transaction with the deduplication mark, so a second worker skips what the first handled', async () => {
		const names = await stream('tx');
		const sessions = new RedisSessionStore({ redis, keyPrefix: `${prefix}tx:sessions:` });
		const publisher = new JetStreamPublisher({ nats, sessions, subjectPrefix: names.subjectPrefix });
		await publisher
			.sessionHooks()
			.updateSessionInfo(1, { sessionId: 'tx', sequence: 1, resumeUrl: 'wss://r', shardId: 1, shardCount: 2 });
		for (let s = 2; s <= 21; s++) publisher.publish(message(1, s, s));
		await publisher.flush();
		const key = `${prefix}tx:effects`;
		const options = { nats, redis, shardIds: [1], ...names, durable: 'tx', keyPrefix: `${prefix}tx:w:` } as const;
		const first = new JetStreamWorker({ ...options, handler: (event, tx) => void tx.rpush(key, String(event.s)) });
		await first.start();
		await until(() => first.stats().handled >= 20);
		await first.stop();
		// The same events again without a Nats-Msg-Id (as a redelivery past the duplicate window would bring them).
		const js = nats.jetstream();
		for (let s = 15; s <= 21; s++) {
			const h = headers();
			h.set(DispatchHeaders.shard, '1');
			h.set(DispatchHeaders.session, 'tx');
			h.set(DispatchHeaders.sequence, String(s));
			h.set(DispatchHeaders.previous, String(s - 1));
			h.set(DispatchHeaders.event, 'MESSAGE_CREATE');
			await js.publish(`${names.subjectPrefix}.1.MESSAGE_CREATE`, '{}', { headers: h });
		}
		const second = new JetStreamWorker({ ...options, handler: (event, tx) => void tx.rpush(key, String(event.s)) });
		await second.start();
		await until(() => second.stats().duplicates >= 7);
		await second.stop();
		expect(second.stats().handled).toBe(0);
		expect((await redis.lrange(key, 0, -1)).map(Number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
	});

	it('bounds what waits for acknowledgements: past maxPending a shard stalls at its last acknowledged sequence and says so', async () => {
		const names = await stream('stall');
		const sessions = new RedisSessionStore({ redis, keyPrefix: `${prefix}stall:sessions:`, flushInterval: 1 });
		const publisher = new JetStreamPublisher({ nats, sessions, subjectPrefix: names.subjectPrefix, maxPending: 8 });
		const stalled: number[] = [];
		const stallCodes: string[] = [];
		const pressure: boolean[] = [];
		publisher.on('stalled', ({ shardId, error }) => {
			stalled.push(shardId);
			stallCodes.push(error.code);
		});
		publisher.on('backpressure', ({ high }) => pressure.push(high));
		await publisher
			.sessionHooks()
			.updateSessionInfo(0, { sessionId: 'st', sequence: 1, resumeUrl: 'wss://r', shardId: 0, shardCount: 1 });
		for (let s = 2; s <= 200; s++) publisher.publish(message(0, s, s));
		await publisher.flush();
		const stats = publisher.stats();
		expect(stalled).toEqual([0]);
		expect(stallCodes).toEqual(['CLUSTER_BACKPRESSURE']);
		expect(stats.stalledShards).toEqual([0]);
		expect(stats.published).toBe(8);
		expect(stats.dropped).toBe(191);
		expect(pressure).toEqual([true, false]);
		// A restart resumes from here, and Discord replays everything after it.
		expect(await sessions.retrieve(0)).toMatchObject({ sequence: 9 });
		// A manager without the publisher's session hooks: nothing can be published, and it says why.
		const unhooked = new JetStreamPublisher({ nats, sessions, subjectPrefix: names.subjectPrefix });
		const reasons: ClusterError[] = [];
		unhooked.on('stalled', ({ error }) => reasons.push(error));
		unhooked.publish(message(3, 5, 5));
		expect(reasons).toMatchObject([{ code: 'CLUSTER_SESSION_HOOKS_MISSING', shardId: 3 }]);
		expect(reasons[0]?.message).toContain('pass publisher.sessionHooks() to the WebSocketManager');
	});
});
