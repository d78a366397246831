import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { MemoryTier, MultiTierCache, ValueCodec } from '@ovenjs/cache';
import { RedisInvalidationBus, RedisTier } from '@ovenjs/cache/redis';
import { TcpProxy, waitFor } from './helpers/TcpProxy.js';

const redis = await redisAvailable('RedisTier tests');

describe.skipIf(!redis.available)('RedisTier (real Redis)', () => {
	let client: Redis;
	const prefix = uniquePrefix('cache-redis');
	beforeAll(() => {
		client = new Redis(redis.url);
	});
	afterAll(async () => {
		const keys = await client.keys(`${prefix}*`);
		if (keys.length > 0) await client.del(...keys);
		await client.quit();
	});

	it('round-trips values with msgpack, compresses large ones, batches and expires', async () => {
		const tier = new RedisTier({ client, prefix: `${prefix}a:` });
		await tier.set('small', { id: '1', n: 2, big: 12n });
		const large = { text: 'x'.repeat(10_000) };
		await tier.set('large', large, { ttl: 60_000 });
		expect(await tier.get('small')).toEqual({ id: '1', n: 2, big: 12n });
		expect(await tier.get('large')).toEqual(large);
		const raw = await client.getBuffer(`${prefix}a:v:large`);
		expect(raw).not.toBeNull();
		expect(raw!.length).toBeLessThan(1_000);
		expect((raw![0] ?? 0) & 0x80).toBe(0x80);
		expect(await client.pttl(`${prefix}a:v:large`)).toBeGreaterThan(50_000);
		await tier.mset([
			{ key: 'm1', value: 1 },
			{ key: 'm2', value: 'two', options: { tags: ['t'] } },
		]);
		expect(await tier.mget(['m1', 'nope', 'm2'])).toEqual([1, undefined, 'two']);
		expect(await tier.has('m1')).toBe(true);
		expect(await tier.deleteByTag('t')).toEqual(['m2']);
		expect(await tier.get('m2')).toBeUndefined();
		await tier.mset([
			{ key: 'p:1', value: 1 },
			{ key: 'p:2', value: 1 },
			{ key: 'q:1', value: 1 },
		]);
		expect(await tier.deleteByPattern('p:*')).toBe(2);
		expect(await tier.get('q:1')).toBe(1);
		expect(await tier.delete('q:1')).toBe(true);
		expect(await tier.delete('q:1')).toBe(false);
		await tier.clear();
		expect(await tier.get('small')).toBeUndefined();
		expect(await tier.ping()).toBe(true);
		const { inspect } = await import('node:util');
		const secret = new RedisTier({ url: 'redis://:hunter2@127.0.0.1:1', redisOptions: { lazyConnect: true } });
		expect(inspect(secret)).not.toContain('hunter2');
		await secret.close();
	});

	it('migrates values written under an older schema version on read', async () => {
		const v0 = new RedisTier({ client, prefix: `${prefix}mig:` });
		await v0.set('user', { name: 'a' });
		const v1 = new RedisTier({
			client,
			prefix: `${prefix}mig:`,
			codec: new ValueCodec({
				schemaVersion: 1,
				migrations: {
					0: (value) => ({ ...(typeof value === 'object' && value !== null ? value : {}), migrated: true }),
				},
			}),
		});
		expect(await v1.get('user')).toEqual({ name: 'a', migrated: true });
		await expect(
			new RedisTier({ client, prefix: `${prefix}mig:`, codec: { schemaVersion: 2 } }).get('user'),
		).rejects.toMatchObject({ code: 'CACHE_MIGRATION_FAILED' });
	});

	it('fails over when the connection drops, keeps serving from memory and resyncs on reconnect', async () => {
		const proxy = new TcpProxy(Number(new URL(redis.url).port || 6379));
		const port = await proxy.start();
		const tier = new RedisTier({ url: `redis://127.0.0.1:${port}`, prefix: `${prefix}fo:`, commandTimeout: 300 });
		const cache = new MultiTierCache({ tiers: [new MemoryTier({ max: 100 }), tier], healthCheckInterval: 50 });
		const events: string[] = [];
		cache.on('tierDown', (name) => events.push(`down:${name}`));
		cache.on('tierUp', (name, resynced) => events.push(`up:${name}:${resynced}`));
		try {
			await cache.set('a', 1);
			expect(await client.exists(`${prefix}fo:v:a`)).toBe(1);
			await proxy.stop();
			await cache.set('b', 2);
			await cache.set('a', 10);
			expect(events).toEqual(['down:redis']);
			expect(await cache.get('b')).toBe(2);
			expect(await client.exists(`${prefix}fo:v:b`)).toBe(0);
			await proxy.start();
			await waitFor(() => events.length >= 2);
			expect(events[1]).toBe('up:redis:2');
			const check = new RedisTier({ client, prefix: `${prefix}fo:` });
			expect(await check.mget(['a', 'b'])).toEqual([10, 2]);
		} finally {
			await cache.close();
			await proxy.stop();
		}
	});

	it('write-behind: batches writes, survives an outage and loses nothing acknowledged', async () => {
		const proxy = new TcpProxy(Number(new URL(redis.url).port || 6379));
		const port = await proxy.start();
		const tier = new RedisTier({ url: `redis://127.0.0.1:${port}`, prefix: `${prefix}wb:`, commandTimeout: 300 });
		const cache = new MultiTierCache({
			tiers: [new MemoryTier({ max: 1_000 }), tier],
			writeMode: 'behind',
			flushInterval: 20,
			healthCheckInterval: 50,
		});
		const events: string[] = [];
		cache.on('tierDown', (name) => events.push(`down:${name}`));
		cache.on('tierUp', (name) => events.push(`up:${name}`));
		const check = new RedisTier({ client, prefix: `${prefix}wb:` });
		try {
			for (let index = 0; index < 50; index++) await cache.set(`k${index}`, index);
			await cache.flush();
			expect(await check.mget(['k0', 'k49'])).toEqual([0, 49]);
			await proxy.stop();
			for (let index = 50; index < 100; index++) await cache.set(`k${index}`, index);
			await cache.delete('k0');
			await waitFor(() => events.includes('down:redis'));
			expect(cache.stats().tiers[1]?.backlog).toBeGreaterThan(0);
			await proxy.start();
			await waitFor(() => events.includes('up:redis'));
			await cache.flush();
			const values = await check.mget(Array.from({ length: 100 }, (_, index) => `k${index}`));
			expect(values).toEqual([undefined, ...Array.from({ length: 99 }, (_, index) => index + 1)]);
		} finally {
			await cache.close();
			await proxy.stop();
		}
	});

	it('write-behind drops a value its tier cannot encode instead of blocking the tier', async () => {
		const tier = new RedisTier({ client, prefix: `${prefix}poison:`, codec: { serializer: 2 } });
		const cache = new MultiTierCache({
			tiers: [new MemoryTier(), tier],
			writeMode: 'behind',
			flushInterval: 10_000,
			healthCheckInterval: 50,
		});
		try {
			await cache.set('good-1', 1);
			await cache.set('poison', { big: 1n });
			await cache.set('good-2', 2);
			await cache.flush();
			expect(await tier.mget(['good-1', 'poison', 'good-2'])).toEqual([1, undefined, 2]);
			const stats = cache.stats().tiers[1];
			expect(stats?.up).toBe(true);
			expect(stats?.backlog).toBe(0);
			expect(stats?.errors).toBe(1);
			const through = new MultiTierCache({ tiers: [new MemoryTier(), tier] });
			await expect(through.set('poison', { big: 1n })).rejects.toMatchObject({
				code: 'CACHE_SERIALIZATION_FAILED',
			});
			await through.close();
		} finally {
			await cache.close();
		}
	});

	it('keeps the memory tiers of two processes coherent through pub/sub', async () => {
		const channel = `${prefix}bus`;
		const makeCache = (): MultiTierCache =>
			new MultiTierCache({
				tiers: [new MemoryTier(), new RedisTier({ client, prefix: `${prefix}bus:` })],
				bus: new RedisInvalidationBus({ client, channel }),
			});
		const one = makeCache();
		const two = makeCache();
		try {
			await Promise.all([one.whenReady(), two.whenReady()]);
			const nextRemote = (): Promise<readonly string[]> =>
				new Promise((resolve) => {
					two.once('invalidate', (keys, reason) => {
						if (reason === 'remote') resolve(keys);
					});
				});
			let arrived = nextRemote();
			await one.set('user:1', { name: 'old' }, { tags: ['users'] });
			expect(await arrived).toEqual(['user:1']);
			expect(await two.get('user:1')).toEqual({ name: 'old' });
			await two.flush();
			expect(two.getSync('user:1')).toEqual({ name: 'old' });
			// A write in one process drops the other's memory copy; its next read sees the new value.
			arrived = nextRemote();
			await one.set('user:1', { name: 'new' }, { tags: ['users'] });
			expect(await arrived).toEqual(['user:1']);
			expect(two.getSync('user:1')).toBeUndefined();
			expect(await two.get('user:1')).toEqual({ name: 'new' });
			await two.flush();
			arrived = nextRemote();
			await one.delete('user:1');
			expect(await arrived).toEqual(['user:1']);
			expect(two.getSync('user:1')).toBeUndefined();
			expect(await two.get('user:1')).toBeUndefined();
			expect(two.stats().remoteInvalidationLatency.count).toBe(3);
			expect(two.stats().remoteInvalidationLatency.p50).toBeGreaterThan(0);
		} finally {
			await one.close();
			await two.close();
		}
	});
});

describe.skipIf(!redis.available)('RedisTier extras (real Redis)', () => {
	it('slides the TTL on read and reads plain JSON written by other clients', async () => {
		const client = new Redis(redis.url);
		const prefix = uniquePrefix('cache-redis-extra');
		try {
			const tier = new RedisTier({ client, prefix, ttl: 60_000, slidingTtl: true });
			await tier.set('k', 1);
			await client.pexpire(`${prefix}v:k`, 5_000);
			expect(await tier.get('k')).toBe(1);
			expect(await client.pttl(`${prefix}v:k`)).toBeGreaterThan(50_000);
			await client.set(`${prefix}v:json`, JSON.stringify({ from: 'another client' }));
			expect(await tier.get('json')).toEqual({ from: 'another client' });
			await client.set(`${prefix}v:bad`, Buffer.from([0x63, 0x00, 0x01]));
			await expect(tier.get('bad')).rejects.toMatchObject({ code: 'CACHE_UNKNOWN_SERIALIZER' });
			await tier.clear();
		} finally {
			await client.quit();
		}
	});
});

describe.skipIf(!redis.available)('RedisInvalidationBus (real Redis)', () => {
	it('delivers between fresh connections and re-sends messages published while disconnected', async () => {
		const channel = `${uniquePrefix('cache-bus')}chan`;
		const a = new Redis(redis.url);
		const b = new Redis(redis.url);
		const busA = new RedisInvalidationBus({ client: a, channel });
		const busB = new RedisInvalidationBus({ client: b, channel });
		try {
			const received: string[] = [];
			await busB.subscribe((message) => received.push(...message.keys));
			await busA.publish({ origin: 'a', keys: ['first'], tags: [], patterns: [], sentAt: 1 });
			await waitFor(() => received.includes('first'));
			a.disconnect(true);
			await busA.publish({ origin: 'a', keys: ['while-down'], tags: [], patterns: [], sentAt: 2 });
			await waitFor(() => received.includes('while-down'));
			expect(received).toEqual(['first', 'while-down']);
			expect(busA.pending).toBe(0);
		} finally {
			await busA.close();
			await busB.close();
			await a.quit();
			await b.quit();
		}
	});
});

describe.skipIf(!redis.available)('startup while Redis is unreachable', () => {
	it('does not crash, serves from memory, subscribes and resyncs once Redis is reachable', async () => {
		const proxy = new TcpProxy(Number(new URL(redis.url).port || 6379));
		const port = await proxy.start();
		await proxy.stop();
		const prefix = uniquePrefix('cache-startup');
		const channel = `${prefix}bus`;
		const url = `redis://127.0.0.1:${port}`;
		const client = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 300, retryStrategy: () => 50 });
		client.on('error', () => undefined);
		const bus = new RedisInvalidationBus({ client, channel });
		const cache = new MultiTierCache({
			tiers: [new MemoryTier(), new RedisTier({ url, prefix, commandTimeout: 300 })],
			bus,
			healthCheckInterval: 50,
		});
		const direct = new Redis(redis.url);
		const other = new RedisInvalidationBus({ client: direct, channel });
		try {
			await cache.whenReady();
			expect(bus.isSubscribed).toBe(false);
			await cache.set('k', 'v');
			expect(await cache.get('k')).toBe('v');
			await proxy.start();
			await waitFor(
				() => bus.isSubscribed && cache.stats().tiers[1]?.up === true && cache.stats().tiers[1]?.backlog === 0,
			);
			expect(await new RedisTier({ client: direct, prefix }).get('k')).toBe('v');
			const dropped = new Promise<readonly string[]>((resolve) => {
				cache.once('invalidate', (keys, reason) => {
					if (reason === 'remote') resolve(keys);
				});
			});
			await other.publish({
				origin: 'elsewhere',
				keys: ['k'],
				tags: [],
				patterns: [],
				sentAt: performance.timeOrigin + performance.now(),
			});
			expect(await dropped).toEqual(['k']);
		} finally {
			await cache.close();
			await other.close();
			client.disconnect();
			await new RedisTier({ client: direct, prefix }).clear();
			await direct.quit();
			await proxy.stop();
		}
	});
});
