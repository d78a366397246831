import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { RedisIdentifyThrottler } from '../src/redis.js';
import { MockDiscord } from '@ovenjs/testing';
import { type IdentifyThrottler, WebSocketManager } from '../src/index.js';
import { FakeGateway } from './helpers/FakeGateway.js';

const redis = await redisAvailable('RedisIdentifyThrottler tests');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a grant and sends at once, as a shard does: records when the grant came. */
async function identifyNow(throttler: RedisIdentifyThrottler, shardId: number, log?: (at: number) => void) {
	const grant = await throttler.waitForIdentify(shardId);
	log?.(Date.now());
	await grant.sent();
}

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
			...[0, 1].map((id) => identifyNow(one, id, (at) => grants.push({ who: `a${id}`, at }))),
			...[2, 3].map((id) => identifyNow(two, id, (at) => grants.push({ who: `b${id}`, at }))),
		]);
		expect(grants).toHaveLength(4);
		const times = grants.map((g) => g.at).sort((x, y) => x - y);
		for (let i = 1; i < times.length; i++)
			expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(250);
		expect(grants.filter((g) => g.who.startsWith('a')).map((g) => g.who)).toEqual(['a0', 'a1']);
		expect(Number(await a.get(`${keyPrefix}budget`))).toBe(996);
		await a.del(`${keyPrefix}budget`, `${keyPrefix}bucket:0`, `${keyPrefix}total`, `${keyPrefix}maxConcurrency`);
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
		await Promise.all([identifyNow(throttler, 0), identifyNow(throttler, 1)]);
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
		await identifyNow(other, 3);
		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		// The reset restored the budget from the stored total (10), minus this identify.
		expect(await a.get(`${keyPrefix}budget`)).toBe('9');
		await a.del(
			`${keyPrefix}bucket:0`,
			`${keyPrefix}bucket:1`,
			`${keyPrefix}budget`,
			`${keyPrefix}total`,
			`${keyPrefix}maxConcurrency`,
		);
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
			await a.del(
				`${keyPrefix}budget`,
				`${keyPrefix}total`,
				`${keyPrefix}bucket:0`,
				`${keyPrefix}maxConcurrency`,
			);
		}
	});

	describe('the ordered queue', () => {
		const prefix = uniquePrefix('ws-identify-queue');
		afterAll(async () => {
			const keys = await a.keys(`${prefix}*`);
			if (keys.length > 0) await a.del(...keys);
		});

		it('admits one identify per bucket per window, in shard order across processes that arrive out of order', async () => {
			const keyPrefix = `${prefix}order:`;
			const limits = { total: 1000, remaining: 1000, resetAfter: 86_400_000, maxConcurrency: 2 };
			const one = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 150 });
			const two = new RedisIdentifyThrottler({ redis: b, keyPrefix, windowMs: 150 });
			await one.plan([0, 1, 2, 3, 4, 5], 2);
			await Promise.all([one.setLimits(limits), two.setLimits(limits)]);
			const granted: { shard: number; at: number }[] = [];
			const wait = (throttler: RedisIdentifyThrottler, shard: number) =>
				identifyNow(throttler, shard, (at) => granted.push({ shard, at }));
			// The second process asks first, for its higher shards.
			const later = [wait(two, 4), wait(two, 5)];
			await new Promise((resolve) => setTimeout(resolve, 50));
			await Promise.all([...later, wait(one, 2), wait(one, 3), wait(one, 0), wait(one, 1)]);
			for (const bucket of [0, 1]) {
				const inBucket = granted.filter((g) => g.shard % 2 === bucket);
				expect(inBucket.map((g) => g.shard)).toEqual(bucket === 0 ? [0, 2, 4] : [1, 3, 5]);
				for (let i = 1; i < inBucket.length; i++)
					expect((inBucket[i]?.at ?? 0) - (inBucket[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(140);
			}
			expect(Number(await a.get(`${keyPrefix}budget`))).toBe(994);
		});

		it('drops a planned or waiting shard whose process went away once its lease ends', async () => {
			const keyPrefix = `${prefix}lease:`;
			const throttler = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 10, leaseMs: 300 });
			await throttler.plan([0], 1, 200);
			const started = Date.now();
			await identifyNow(throttler, 1);
			expect(Date.now() - started).toBeGreaterThanOrEqual(150);
			expect(await a.zcard(`${keyPrefix}queue:0`)).toBe(0);
		});

		it('gives up its place when aborted, and reports a spent budget with the time to its reset', async () => {
			const keyPrefix = `${prefix}budget:`;
			const spent: number[] = [];
			const throttler = new RedisIdentifyThrottler({
				redis: a,
				keyPrefix,
				windowMs: 10,
				onBudgetExhausted: (ms) => spent.push(ms),
			});
			await throttler.setLimits({ total: 1000, remaining: 1, resetAfter: 60_000, maxConcurrency: 1 });
			await identifyNow(throttler, 0);
			const controller = new AbortController();
			const waiting = throttler.waitForIdentify(1, controller.signal);
			await new Promise((resolve) => setTimeout(resolve, 100));
			controller.abort(new Error('stopped'));
			await expect(waiting).rejects.toThrow('stopped');
			expect(spent.length).toBeGreaterThan(0);
			expect(spent[0]).toBeGreaterThan(50_000);
			expect(await a.zcard(`${keyPrefix}queue:0`)).toBe(0);
		});

		it('times a bucket from the send, not the grant: a slow send holds the next identify of the bucket back', async () => {
			const keyPrefix = `${prefix}send:`;
			const one = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 200 });
			const two = new RedisIdentifyThrottler({ redis: b, keyPrefix, windowMs: 200 });
			await one.setLimits({ total: 1000, remaining: 1000, resetAfter: 60_000, maxConcurrency: 1 });
			const first = await one.waitForIdentify(0);
			let nextAt = 0;
			const next = identifyNow(two, 1, (at) => {
				nextAt = at;
			});
			// Shard 0's connection is slow: its IDENTIFY leaves 500 ms after the grant, more than a window later.
			await sleep(500);
			expect(nextAt).toBe(0);
			const sentAt = Date.now();
			await first.sent();
			await next;
			// The other process's shard was granted a full window after the send (one clock: Redis runs here).
			expect(nextAt - sentAt).toBeGreaterThanOrEqual(200 - 1);
		});

		it('gives the slot back when IDENTIFY was not sent; an unreported grant holds its bucket until the send timeout', async () => {
			const keyPrefix = `${prefix}release:`;
			const throttler = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 200, sendTimeoutMs: 800 });
			await throttler.setLimits({ total: 1000, remaining: 5, resetAfter: 60_000, maxConcurrency: 1 });
			const dropped = await throttler.waitForIdentify(0);
			expect(await a.get(`${keyPrefix}budget`)).toBe('4');
			// Held until the report, as if it were sent at the send timeout.
			expect(await a.pttl(`${keyPrefix}bucket:0`)).toBeGreaterThan(800);
			await dropped.notSent();
			expect(await a.exists(`${keyPrefix}bucket:0`)).toBe(0);
			expect(await a.get(`${keyPrefix}budget`)).toBe('5');
			// Only the first report counts.
			await dropped.sent();
			expect(await a.exists(`${keyPrefix}bucket:0`)).toBe(0);
			// A grant whose process died before reporting: the bucket opens sendTimeoutMs + windowMs after the grant.
			const before = Date.now();
			await throttler.waitForIdentify(1);
			await identifyNow(throttler, 2);
			expect(Date.now() - before).toBeGreaterThanOrEqual(800 + 200 - 1);
			expect(await a.get(`${keyPrefix}budget`)).toBe('3');
			expect(() => new RedisIdentifyThrottler({ redis: a, sendTimeoutMs: -1 })).toThrow(
				expect.objectContaining({ code: 'GATEWAY_INVALID_OPTION' }) as Error,
			);
		});

		it("keeps a late IDENTIFY (slow link to Redis) from landing inside the next one's window at the gateway", async () => {
			const keyPrefix = `${prefix}mock:`;
			const discord = await MockDiscord.start({
				guilds: 3,
				shards: 3,
				maxConcurrency: 1,
				identifyIntervalMs: 250,
			});
			const inner = new RedisIdentifyThrottler({ redis: a, keyPrefix, windowMs: 600 });
			// Shard 0's grant reaches it 700 ms after Redis gave it. Timed from the grant, shard 1 would identify at
			// 600 ms and shard 0 at 700 ms: 100 ms apart at the gateway, refused with op 9.
			const slow: IdentifyThrottler = {
				setLimits: (limits) => inner.setLimits(limits),
				waitForIdentify: async (shardId, signal) => {
					const grant = await inner.waitForIdentify(shardId, signal);
					if (shardId === 0) await sleep(700);
					return grant;
				},
			};
			const manager = new WebSocketManager({
				token: discord.token,
				intents: 1,
				fetchGatewayInformation: async () =>
					(
						await fetch(`${discord.apiBase}/v10/gateway/bot`, {
							headers: { authorization: `Bot ${discord.token}` },
						})
					).json(),
				identifyThrottler: slow,
			});
			try {
				await manager.connect();
				const log = discord.gateway.identifyLog;
				expect(log.map((entry) => [entry.shardId, entry.accepted])).toEqual([
					[0, true],
					[1, true],
					[2, true],
				]);
				expect(discord.gateway.identify.rejected).toBe(0);
			} finally {
				await manager.destroy();
				await discord.stop();
			}
		});

		it('refuses options and limits that are not positive integers, with GATEWAY_INVALID_OPTION', async () => {
			expect(() => new RedisIdentifyThrottler({ redis: a, windowMs: 0 })).toThrow(
				expect.objectContaining({ code: 'GATEWAY_INVALID_OPTION' }) as Error,
			);
			expect(() => new RedisIdentifyThrottler({ redis: a, leaseMs: 1.5 })).toThrow(
				expect.objectContaining({ code: 'GATEWAY_INVALID_OPTION' }) as Error,
			);
			const throttler = new RedisIdentifyThrottler({ redis: a, keyPrefix: `${prefix}invalid:` });
			await expect(
				throttler.setLimits({ total: 1, remaining: 1, resetAfter: 1, maxConcurrency: 0 }),
			).rejects.toMatchObject({ code: 'GATEWAY_INVALID_OPTION' });
			await expect(throttler.plan([0], 2, 0)).rejects.toMatchObject({ code: 'GATEWAY_INVALID_OPTION' });
		});
	});
});
