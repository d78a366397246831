import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { RedisIdentifyThrottler } from '../src/redis.js';
import { WebSocketManager } from '../src/index.js';
import { FakeGateway } from './helpers/FakeGateway.js';

const redis = await redisAvailable('RedisIdentifyThrottler tests');

describe.skipIf(!redis.available)('RedisIdentifyThrottler (real Redis)', () => {
	let a: Redis;
	let b: Redis;
	beforeAll(() => {
		a = new Redis(redis.url);
		b = new Redis(redis.url);
	});
	afterAll(async () => {
		await a.quit();
		await b.quit();
	});

	it('shares one bucket across two processes: one identify per window, never two at once', async () => {
		const keyPrefix = uniquePrefix('ws-identify');
		const one = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 300 });
		const two = new RedisIdentifyThrottler({ redis: b, keyPrefix, windowMs: 300 });
		const limits = { total: 1000, remaining: 1000, resetAfter: 60_000, maxConcurrency: 1 };
		await one.setLimits(limits);
		await two.setLimits(limits);
		const grants: { who: string; at: number }[] = [];
		await Promise.all([
			...[0, 1].map((id) => one.waitForIdentify(id).then(() => grants.push({ who: `a${id}`, at: Date.now() }))),
			...[2, 3].map((id) => two.waitForIdentify(id).then(() => grants.push({ who: `b${id}`, at: Date.now() }))),
		]);
		expect(grants).toHaveLength(4);
		const times = grants.map((g) => g.at).sort((x, y) => x - y);
		for (let i = 1; i < times.length; i++)
			expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(250);
		expect(grants.filter((g) => g.who.startsWith('a')).map((g) => g.who)).toEqual(['a0', 'a1']);
		expect(Number(await a.get(`${keyPrefix}budget`))).toBe(996);
		await a.del(`${keyPrefix}budget`, `${keyPrefix}bucket:0`, `${keyPrefix}total`);
	});

	it('uses separate buckets for max_concurrency and never overdraws the shared budget', async () => {
		const keyPrefix = uniquePrefix('ws-identify');
		const throttler = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 200 });
		const waits: number[] = [];
		const other = new RedisIdentifyThrottler({
			redis: b,
			keyPrefix,
			windowMs: 200,
			onBudgetExhausted: (ms) => waits.push(ms),
		});
		await throttler.setLimits({ total: 10, remaining: 2, resetAfter: 400, maxConcurrency: 2 });
		await other.setLimits({ total: 10, remaining: 2, resetAfter: 400, maxConcurrency: 2 });
		await Promise.all([throttler.waitForIdentify(0), throttler.waitForIdentify(1)]);
		expect(await a.get(`${keyPrefix}budget`)).toBe('0');
		const started = Date.now();
		const controller = new AbortController();
		const aborted = other.waitForIdentify(2, controller.signal);
		setTimeout(() => {
			controller.abort(new Error('stop'));
		}, 50);
		await expect(aborted).rejects.toThrow('stop');
		expect(waits.length).toBeGreaterThan(0);
		// After the budget key expires (the reset), identifies proceed again.
		await other.waitForIdentify(3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		// The reset restored the budget from the stored total (10), minus this identify.
		expect(await a.get(`${keyPrefix}budget`)).toBe('9');
		await a.del(`${keyPrefix}bucket:0`, `${keyPrefix}bucket:1`, `${keyPrefix}budget`, `${keyPrefix}total`);
	});

	it('drives a WebSocketManager: shards identify one per window, in order, through the shared budget', async () => {
		const keyPrefix = uniquePrefix('ws-identify-manager');
		const gw = await FakeGateway.start({ recommendedShards: 3, maxConcurrency: 1 });
		const throttler = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 150 });
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: throttler,
		});
		const order: number[] = [];
		manager.on('status', (e) => {
			if (e.status === 'identifying') order.push(e.shardId);
		});
		try {
			await manager.connect();
			expect(order).toEqual([0, 1, 2]);
			expect(gw.identifies.map((i) => i.shardId)).toEqual([0, 1, 2]);
			expect(Number(await a.get(`${keyPrefix}budget`))).toBe(999 - 3);
		} finally {
			await manager.destroy();
			await gw.stop();
			await a.del(`${keyPrefix}budget`, `${keyPrefix}total`, `${keyPrefix}bucket:0`);
		}
	});
});
