import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { RedisIdentifyQueue, RedisSessionStore } from '@ovenjs/cluster/redis';

const gate = await redisAvailable('the cluster Redis session store and identify queue');

describe.skipIf(!gate.available)('RedisSessionStore', () => {
	let redis: Redis;
	const prefix = uniquePrefix('cluster-sessions');
	beforeAll(() => {
		redis = new Redis(gate.url);
	});
	afterAll(async () => {
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	});

	const session = (shardId: number, sequence: number, sessionId = `s${shardId}`) => ({
		sessionId,
		sequence,
		resumeUrl: 'wss://resume.example',
		shardId,
		shardCount: 4,
	});

	it('writes a new session at once, coalesces sequence bumps, and flushes on demand', async () => {
		const store = new RedisSessionStore({ redis, keyPrefix: prefix, flushInterval: 60_000 });
		await store.update(0, session(0, 1));
		expect(JSON.parse((await redis.get(`${prefix}0`)) ?? 'null')).toMatchObject({ sessionId: 's0', sequence: 1 });
		for (let s = 2; s <= 50; s++) expect(store.update(0, session(0, s))).toBeUndefined();
		expect(JSON.parse((await redis.get(`${prefix}0`)) ?? 'null')).toMatchObject({ sequence: 1 });
		// What is not written yet is still what a retrieve answers.
		expect(await store.retrieve(0)).toMatchObject({ sequence: 50 });
		await store.flush();
		expect(JSON.parse((await redis.get(`${prefix}0`)) ?? 'null')).toMatchObject({ sequence: 50 });
		expect(await new RedisSessionStore({ redis, keyPrefix: prefix }).retrieve(0)).toEqual(session(0, 50));
		expect(await redis.pttl(`${prefix}0`)).toBeGreaterThan(800_000);
	});

	it('writes after flushInterval without a flush, deletes on null, counts and clears', async () => {
		const store = new RedisSessionStore({ redis, keyPrefix: prefix, flushInterval: 20 });
		await store.update(1, session(1, 1));
		void store.update(1, session(1, 9));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await new RedisSessionStore({ redis, keyPrefix: prefix }).retrieve(1)).toMatchObject({ sequence: 9 });
		await store.update(2, session(2, 1));
		expect(await store.count([0, 1, 2, 3])).toBe(3);
		await store.update(2, null);
		expect(await store.retrieve(2)).toBeNull();
		await store.clear([0, 1]);
		expect(await store.count([0, 1, 2, 3])).toBe(0);
	});

	it('ignores what it cannot trust: invalid JSON, a wrong shape, another shard', async () => {
		const store = new RedisSessionStore({ redis, keyPrefix: prefix });
		await redis.set(`${prefix}5`, '{not json');
		await redis.set(`${prefix}6`, JSON.stringify({ sessionId: 's', sequence: -1 }));
		await redis.set(`${prefix}7`, JSON.stringify(session(8, 3)));
		expect([await store.retrieve(5), await store.retrieve(6), await store.retrieve(7)]).toEqual([null, null, null]);
		expect(() => new RedisSessionStore({ redis, ttl: 0 })).toThrow(/ttl must be a positive integer/);
	});
});

describe.skipIf(!gate.available)('RedisIdentifyQueue', () => {
	let redis: Redis;
	const prefix = uniquePrefix('cluster-identify');
	beforeAll(() => {
		redis = new Redis(gate.url);
	});
	afterAll(async () => {
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length > 0) await redis.del(...keys);
		redis.disconnect();
	});

	it('admits one identify per bucket per window, in shard order across "processes" that arrive out of order', async () => {
		const keyPrefix = `${prefix}order:`;
		const limits = { total: 1000, remaining: 1000, resetAfter: 86_400_000, maxConcurrency: 2 };
		const a = new RedisIdentifyQueue({ redis, keyPrefix, windowMs: 150 });
		const b = new RedisIdentifyQueue({ redis, keyPrefix, windowMs: 150 });
		await a.plan([0, 1, 2, 3, 4, 5], 2);
		await Promise.all([a.setLimits(limits), b.setLimits(limits)]);
		const granted: { shard: number; at: number }[] = [];
		const wait = (queue: RedisIdentifyQueue, shard: number) =>
			queue.waitForIdentify(shard).then(() => granted.push({ shard, at: Date.now() }));
		// The "second process" asks first, for its higher shards.
		const later = [wait(b, 4), wait(b, 5)];
		await new Promise((resolve) => setTimeout(resolve, 50));
		await Promise.all([...later, wait(a, 2), wait(a, 3), wait(a, 0), wait(a, 1)]);
		for (const bucket of [0, 1]) {
			const inBucket = granted.filter((g) => g.shard % 2 === bucket);
			expect(inBucket.map((g) => g.shard)).toEqual(bucket === 0 ? [0, 2, 4] : [1, 3, 5]);
			for (let i = 1; i < inBucket.length; i++)
				expect((inBucket[i]?.at ?? 0) - (inBucket[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(140);
		}
		expect(Number(await redis.get(`${keyPrefix}budget`))).toBe(994);
	});

	it('drops a planned or waiting shard whose process went away once its lease ends', async () => {
		const keyPrefix = `${prefix}lease:`;
		const queue = new RedisIdentifyQueue({ redis, keyPrefix, windowMs: 10, leaseMs: 300 });
		await queue.plan([0], 1, 200);
		const started = Date.now();
		await queue.waitForIdentify(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
		expect(await redis.zcard(`${keyPrefix}queue:0`)).toBe(0);
	});

	it('gives up its place when aborted, and reports a spent budget', async () => {
		const keyPrefix = `${prefix}budget:`;
		const spent: number[] = [];
		const queue = new RedisIdentifyQueue({
			redis,
			keyPrefix,
			windowMs: 10,
			onBudgetExhausted: (ms) => spent.push(ms),
		});
		await queue.setLimits({ total: 1000, remaining: 1, resetAfter: 60_000, maxConcurrency: 1 });
		await queue.waitForIdentify(0);
		const controller = new AbortController();
		const waiting = queue.waitForIdentify(1, controller.signal);
		await new Promise((resolve) => setTimeout(resolve, 100));
		controller.abort(new Error('stopped'));
		await expect(waiting).rejects.toThrow('stopped');
		expect(spent.length).toBeGreaterThan(0);
		expect(spent[0]).toBeGreaterThan(50_000);
		expect(await redis.zcard(`${keyPrefix}queue:0`)).toBe(0);
	});
});
