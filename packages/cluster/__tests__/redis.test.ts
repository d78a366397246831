import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { DefaultRedisIdentifyThrottlerOptions, RedisIdentifyThrottler, RedisSessionStore } from '@ovenjs/cluster/redis';
import {
	DefaultRedisIdentifyThrottlerOptions as GatewayDefaults,
	RedisIdentifyThrottler as GatewayRedisIdentifyThrottler,
} from '@ovenjs/ws/redis';

const gate = await redisAvailable('the cluster Redis session store');

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
		expect(() => new RedisSessionStore({ redis, flushInterval: -1 })).toThrow(
			expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }),
		);
	});
});

describe('RedisIdentifyThrottler', () => {
	it("is the gateway's identify queue (one implementation, tested in @ovenjs/ws), re-exported", () => {
		expect(RedisIdentifyThrottler).toBe(GatewayRedisIdentifyThrottler);
		expect(DefaultRedisIdentifyThrottlerOptions).toBe(GatewayDefaults);
	});
});
