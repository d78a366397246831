import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { MockDiscord } from '@ovenjs/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitPolicy, RateLimitTicket } from '../src/index.js';
import { RedisStore } from '../src/redis.js';
import { answer, messages, testPolicy } from './fixtures/limits.js';

const gate = await redisAvailable('RedisStore tests');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.redis-store-test-token-abcdefghijklmn';

const policy: RateLimitPolicy = { ...testPolicy, discoveryTimeoutMs: 60_000 };
const ticket = messages;
const res = answer;

describe.skipIf(!gate.available)('RedisStore (real Redis)', () => {
	let redis: Redis;
	const stores: RedisStore[] = [];
	const make = (prefix = uniquePrefix('rest')): RedisStore => {
		const store = new RedisStore({ redis, token: TOKEN, prefix });
		stores.push(store);
		return store;
	};

	beforeAll(() => {
		redis = new Redis(gate.url);
	});
	afterAll(async () => {
		for (const store of stores) await store.clear();
		await redis.quit();
	});

	it('namespaces keys by a digest of the token, never the token', async () => {
		const store = make();
		await store.acquire(ticket, policy);
		const keys = await redis.keys(`${store.namespace}:*`);
		expect(keys.length).toBeGreaterThan(0);
		for (const key of keys) expect(key).not.toContain(TOKEN);
		expect(store.namespace).not.toContain(TOKEN.slice(0, 20));
	});

	it('probes an unknown bucket once, then shares the discovered bucket between two store instances', async () => {
		const prefix = uniquePrefix('rest');
		const a = make(prefix);
		const b = make(prefix);
		expect((await a.acquire(ticket, policy)).granted).toBe(true);
		expect(await b.acquire(ticket, policy)).toMatchObject({ granted: false, reason: 'discovery' });
		const done = await a.complete(
			ticket,
			res({ hash: 'h1', limit: 3, remaining: 2, resetAfterMs: 30_000 }),
			policy,
			'',
		);
		expect(done.discovered).toBe('h1');
		expect((await b.acquire(ticket, policy)).granted).toBe(true);
		expect((await a.acquire(ticket, policy)).granted).toBe(true);
		const blocked = await b.acquire(ticket, policy);
		expect(blocked).toMatchObject({ granted: false, reason: 'bucket', bucket: 'h1:1' });
		// A stale response claiming more room does not reopen the bucket.
		await b.complete(ticket, res({ hash: 'h1', limit: 3, remaining: 2, resetAfterMs: 29_000 }), policy, '');
		expect((await a.acquire(ticket, policy)).granted).toBe(false);
	});

	it('enforces one global window across instances and honours a global 429', async () => {
		const prefix = uniquePrefix('rest');
		const a = make(prefix);
		const b = make(prefix);
		const tight = { ...policy, globalLimit: 3, globalWindowMs: 60_000 };
		const free: RateLimitTicket = { route: 'GET /gateway/bot', major: '', global: true };
		const first = await a.acquire(free, tight);
		expect(first.granted).toBe(true);
		await a.complete(free, res({}), tight, first.granted ? first.lease : '');
		expect((await b.acquire(free, tight)).granted).toBe(true);
		expect((await a.acquire(free, tight)).granted).toBe(true);
		expect(await b.acquire(free, tight)).toMatchObject({ granted: false, reason: 'global' });
		expect((await b.acquire({ ...free, global: false }, tight)).granted).toBe(true);

		const c = make();
		await c.acquire(free, policy);
		await c.complete(free, res({ status: 429, global: true, scope: 'global', retryAfterMs: 30_000 }), policy, '');
		expect(await c.acquire(ticket, policy)).toMatchObject({ granted: false, reason: 'global' });
	});

	it('shares the invalid-request counter and blocks at the limit; shared 429s do not count', async () => {
		const prefix = uniquePrefix('rest');
		const a = make(prefix);
		const b = make(prefix);
		const small = { ...policy, invalidLimit: 2 };
		const free: RateLimitTicket = { route: 'GET /users/:id', major: '', global: true };
		await a.acquire(free, small);
		expect(
			(await a.complete(free, res({ status: 429, scope: 'shared', retryAfterMs: 5 }), small, '')).invalidCount,
		).toBe(0);
		expect((await a.complete(free, res({ status: 401 }), small, '')).invalidCount).toBe(1);
		expect((await b.complete(free, res({ status: 403 }), small, '')).invalidCount).toBe(2);
		expect(await a.acquire(free, small)).toMatchObject({ granted: false, reason: 'invalid' });
	});

	// The window model itself (discovery, resets, slots kept for requests in flight, late answers, sublimits, the
	// invalid-request counter) is checked on simulated time by the contract suite, storeContract.test.ts, which runs
	// the same scenarios against MemoryStore and RedisStore.

	it('reloads its scripts after SCRIPT FLUSH', async () => {
		const store = make();
		await store.acquire(ticket, policy);
		await redis.script('FLUSH');
		await store.complete(ticket, res({ hash: 'h2', limit: 2, remaining: 1, resetAfterMs: 10_000 }), policy, '');
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
	});
});

describe.skipIf(!gate.available)('several processes sharing one token (real Redis + mock Discord)', () => {
	let discord: MockDiscord;
	const child = fileURLToPath(new URL('fixtures/child.ts', import.meta.url));

	beforeAll(async () => {
		discord = await MockDiscord.start({ rateLimits: { windowMs: 1_000, perRoute: 5, global: 50 } });
	});
	afterAll(async () => {
		await discord.stop();
	});

	function run(
		store: 'redis' | 'memory',
		prefix: string,
		channels: readonly string[],
		count: number,
		target: MockDiscord = discord,
	): Promise<{ ok: number; failures: string[]; limited: number }> {
		return new Promise((resolve, reject) => {
			const proc = spawn(process.execPath, ['--conditions=@ovenjs/source', '--import', 'tsx', child], {
				env: {
					...process.env,
					OVENJS_TOKEN: target.token,
					OVENJS_API: target.apiBase,
					OVENJS_CHANNELS: channels.join(','),
					OVENJS_COUNT: String(count),
					OVENJS_STORE: store,
					OVENJS_REDIS_URL: gate.url,
					OVENJS_PREFIX: prefix,
				},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			let err = '';
			proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
			proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
			const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
			proc.on('exit', (code) => {
				clearTimeout(timer);
				const line = out.trim().split('\n').at(-1) ?? '';
				if (code !== 0 || line === '') reject(new Error(`child exited ${code}: ${err.slice(-2_000)}`));
				else resolve(JSON.parse(line) as { ok: number; failures: string[]; limited: number });
			});
		});
	}

	const channels = (): string[] => [...discord.world.channels.keys()].slice(0, 2);

	it('three processes with a RedisStore send everything with zero 429s at the mock', async () => {
		discord.rest.requests.clear();
		const prefix = uniquePrefix('rest-procs');
		const results = await Promise.all([1, 2, 3].map(() => run('redis', prefix, channels(), 12)));
		const log = discord.rest.requests.all();
		expect(results.map((r) => r.ok)).toEqual([12, 12, 12]);
		expect(results.flatMap((r) => r.failures)).toEqual([]);
		expect(log.filter((entry) => entry.method === 'POST').length).toBe(36);
		expect(log.filter((entry) => entry.status === 429)).toEqual([]);
		const cleaner = new Redis(gate.url);
		await new RedisStore({ redis: cleaner, token: discord.token, prefix }).clear();
		await cleaner.quit();
	});

	it('two processes hammering one bucket with 100 ms windows get zero 429s', async () => {
		const fast = await MockDiscord.start({
			guilds: 1,
			channelsPerGuild: 1,
			rateLimits: { windowMs: 100, perRoute: 20, global: 1_000_000 },
		});
		try {
			const prefix = uniquePrefix('rest-fast');
			const channel = [...fast.world.channels.keys()].slice(0, 1);
			const results = await Promise.all([1, 2].map(() => run('redis', prefix, channel, 150, fast)));
			expect(results.map((r) => r.ok)).toEqual([150, 150]);
			expect(fast.rest.requests.all().filter((entry) => entry.status === 429)).toEqual([]);
			const cleaner = new Redis(gate.url);
			await new RedisStore({ redis: cleaner, token: fast.token, prefix }).clear();
			await cleaner.quit();
		} finally {
			await fast.stop();
		}
	});

	it('control: the same load with per-process memory stores does hit 429s (so the test above is meaningful)', async () => {
		discord.rest.requests.clear();
		const results = await Promise.all([1, 2, 3].map(() => run('memory', 'unused', channels(), 12)));
		expect(results.map((r) => r.ok)).toEqual([12, 12, 12]);
		expect(discord.rest.requests.all().filter((entry) => entry.status === 429).length).toBeGreaterThan(0);
	});
});
