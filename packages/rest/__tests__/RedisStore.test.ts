import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { MockDiscord } from '@ovenjs/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitPolicy, RateLimitResponse, RateLimitTicket } from '../src/index.js';
import { RedisStore } from '../src/redis.js';

const gate = await redisAvailable('RedisStore tests');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.redis-store-test-token-abcdefghijklmn';

const policy: RateLimitPolicy = {
	globalLimit: 50,
	globalWindowMs: 1_000,
	invalidLimit: 100,
	invalidWindowMs: 600_000,
	offsetMs: 0,
	discoveryTimeoutMs: 60_000,
};
const ticket: RateLimitTicket = { route: 'POST /channels/:id/messages', major: '1', global: true };
const lease = (result: Awaited<ReturnType<RedisStore['acquire']>>): string => (result.granted ? result.lease : '');
const res = (partial: Partial<RateLimitResponse>): RateLimitResponse => ({
	status: 200,
	hash: undefined,
	limit: undefined,
	remaining: undefined,
	resetAfterMs: undefined,
	retryAfterMs: undefined,
	scope: undefined,
	global: false,
	...partial,
});

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
		const done = await a.complete(ticket, res({ hash: 'h1', limit: 3, remaining: 2, resetAfterMs: 30_000 }), policy, '');
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
		expect((await a.complete(free, res({ status: 429, scope: 'shared', retryAfterMs: 5 }), small, '')).invalidCount).toBe(0);
		expect((await a.complete(free, res({ status: 401 }), small, '')).invalidCount).toBe(1);
		expect((await b.complete(free, res({ status: 403 }), small, '')).invalidCount).toBe(2);
		expect(await a.acquire(free, small)).toMatchObject({ granted: false, reason: 'invalid' });
	});

	it('does not probe a major twice when the hash is learned while its first probe is in flight', async () => {
		const store = make();
		const other: RateLimitTicket = { ...ticket, major: '2' };
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(other, policy)).granted).toBe(true);
		await store.complete(ticket, res({ hash: 'h3', limit: 5, remaining: 4, resetAfterMs: 30_000 }), policy, '');
		expect(await store.acquire(other, policy)).toMatchObject({ granted: false, reason: 'discovery' });
	});

	it('starts the next window at its reset, keeping a slot for each request still in flight', async () => {
		const store = make();
		const probe = await store.acquire(ticket, policy);
		await store.complete(ticket, res({ hash: 'h4', limit: 2, remaining: 1, resetAfterMs: 200 }), policy, lease(probe));
		const inFlight = await store.acquire(ticket, policy);
		expect(inFlight.granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
		await new Promise((resolve) => setTimeout(resolve, 250));
		// Discord may count the unanswered request in the new window: one slot of two opens.
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect(await store.acquire(ticket, policy)).toMatchObject({ granted: false, reason: 'bucket' });
		// It answers, counted in the new window: its slot was kept, nothing more opens.
		await store.complete(ticket, res({ hash: 'h4', limit: 2, remaining: 1, resetAfterMs: 200 }), policy, lease(inFlight));
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
	});

	it('frees the kept slot when the late answer shows Discord counted it in the window before', async () => {
		const store = make();
		const probe = await store.acquire(ticket, policy);
		// A 400 ms window: its answer must come within half a window (200 ms) of the reset to count as the old one's.
		await store.complete(ticket, res({ hash: 'h6', limit: 2, remaining: 1, resetAfterMs: 400 }), policy, lease(probe));
		const inFlight = await store.acquire(ticket, policy);
		await new Promise((resolve) => setTimeout(resolve, 420));
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
		await store.complete(ticket, res({ hash: 'h6', limit: 2, remaining: 0, resetAfterMs: 0 }), policy, lease(inFlight));
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
	});

	it('stops keeping a slot for a request whose process died, after the discovery timeout', async () => {
		const store = make();
		const short = { ...policy, discoveryTimeoutMs: 300 };
		const probe = await store.acquire(ticket, short);
		await store.complete(ticket, res({ hash: 'h7', limit: 2, remaining: 1, resetAfterMs: 100 }), short, lease(probe));
		expect((await store.acquire(ticket, short)).granted).toBe(true); // never answers: its process died
		await new Promise((resolve) => setTimeout(resolve, 120));
		const a = await store.acquire(ticket, short);
		expect(a.granted).toBe(true);
		expect((await store.acquire(ticket, short)).granted).toBe(false);
		await store.complete(ticket, res({ hash: 'h7', limit: 2, remaining: 0, resetAfterMs: 100 }), short, lease(a));
		await new Promise((resolve) => setTimeout(resolve, 320));
		// Past the discovery timeout the lost request no longer holds a slot: a full window opens.
		expect((await store.acquire(ticket, short)).granted).toBe(true);
		expect((await store.acquire(ticket, short)).granted).toBe(true);
		expect((await store.acquire(ticket, short)).granted).toBe(false);
	});

	it('keeps the slot of a request that failed in flight, but gives back one that was never sent', async () => {
		const store = make();
		const probe = await store.acquire(ticket, policy);
		await store.complete(ticket, res({ hash: 'h8', limit: 3, remaining: 2, resetAfterMs: 200 }), policy, lease(probe));
		const failed = await store.acquire(ticket, policy);
		const unsent = await store.acquire(ticket, policy);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
		await store.complete(ticket, res({ status: 0, sent: false }), policy, lease(unsent));
		const again = await store.acquire(ticket, policy);
		expect(again.granted).toBe(true);
		await store.complete(ticket, res({ hash: 'h8', limit: 3, remaining: 0, resetAfterMs: 190 }), policy, lease(again));
		await store.complete(ticket, res({ status: 0 }), policy, lease(failed));
		await new Promise((resolve) => setTimeout(resolve, 220));
		// The next window keeps a slot for the failed request (Discord may count it): two of three open.
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
	});

	it('opens the next window minus requests in flight when another route sharing the bucket answers first', async () => {
		const store = make();
		const edit: RateLimitTicket = { ...ticket, route: 'PATCH /channels/:id/messages/:id' };
		const probe = await store.acquire(ticket, policy);
		await store.complete(ticket, res({ hash: 'h9', limit: 3, remaining: 2, resetAfterMs: 100 }), policy, lease(probe));
		const a = await store.acquire(ticket, policy);
		const b = await store.acquire(ticket, policy);
		expect(a.granted && b.granted).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 120));
		const first = await store.acquire(edit, policy);
		expect(first.granted).toBe(true);
		await store.complete(edit, res({ hash: 'h9', limit: 3, remaining: 2, resetAfterMs: 1_000 }), policy, lease(first));
		// a and b may still be counted in Discord's new window: one slot, not two.
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
	});

	it('holds a window whose reset is only a guess until its first answer arrives', async () => {
		const store = make();
		const probe = await store.acquire(ticket, policy);
		await store.complete(ticket, res({ hash: 'h5', limit: 2, remaining: 1, resetAfterMs: 100 }), policy, lease(probe));
		const last = await store.acquire(ticket, policy);
		await store.complete(ticket, res({ hash: 'h5', limit: 2, remaining: 0, resetAfterMs: 100 }), policy, lease(last));
		await new Promise((resolve) => setTimeout(resolve, 120));
		const a = await store.acquire(ticket, policy);
		const b = await store.acquire(ticket, policy);
		expect(a.granted && b.granted).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 120));
		// Our guess ran out, but nothing Discord said describes this window yet: it holds (asks again shortly).
		expect(await store.acquire(ticket, policy)).toMatchObject({ granted: false, reason: 'bucket', waitMs: 25 });
		await store.complete(ticket, res({ hash: 'h5', limit: 2, remaining: 1, resetAfterMs: 100 }), policy, lease(a));
		expect(await store.acquire(ticket, policy)).toMatchObject({ granted: false, reason: 'bucket' });
		await new Promise((resolve) => setTimeout(resolve, 120));
		// b is still in flight and keeps one slot of the next window.
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
		await store.complete(ticket, res({ hash: 'h5', limit: 2, remaining: 0, resetAfterMs: 0 }), policy, lease(b));
	});

	it('releases a probe whose request got no response', async () => {
		const store = make();
		await store.acquire(ticket, policy);
		expect((await store.acquire(ticket, policy)).granted).toBe(false);
		await store.complete(ticket, res({ status: 0 }), policy, '');
		expect((await store.acquire(ticket, policy)).granted).toBe(true);
	});

	it('ends the probe of a major held under a known hash when its answer names no bucket (no discovery-timeout stall)', async () => {
		const store = make();
		const other: RateLimitTicket = { ...ticket, major: '2' };
		await store.complete(ticket, res({ hash: 'h9', limit: 5, remaining: 4, resetAfterMs: 10_000 }), policy, lease(await store.acquire(ticket, policy)));
		expect((await store.acquire(other, policy)).granted).toBe(true); // probe of major 2 under h9
		await store.complete(other, res({ status: 404 }), policy, ''); // answered without rate-limit headers
		await store.complete(ticket, res({ hash: 'h9', limit: 5, remaining: 3, resetAfterMs: 10_000 }), policy, lease(await store.acquire(ticket, policy)));
		expect(await store.acquire(other, policy)).toMatchObject({ granted: true });
	});

	it('ends the probe of a major held under a hash the route no longer answers with', async () => {
		const store = make();
		const other: RateLimitTicket = { ...ticket, major: '2' };
		await store.complete(ticket, res({ hash: 'h7', limit: 5, remaining: 4, resetAfterMs: 10_000 }), policy, lease(await store.acquire(ticket, policy)));
		expect((await store.acquire(other, policy)).granted).toBe(true); // probe of major 2 under h7
		await store.complete(other, res({ hash: 'h8', limit: 5, remaining: 4, resetAfterMs: 10_000 }), policy, ''); // the route now maps to h8
		await store.complete(ticket, res({ hash: 'h7', limit: 5, remaining: 3, resetAfterMs: 10_000 }), policy, ''); // and back to h7
		expect(await store.acquire(other, policy)).toMatchObject({ granted: true });
	});

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
		const fast = await MockDiscord.start({ guilds: 1, channelsPerGuild: 1, rateLimits: { windowMs: 100, perRoute: 20, global: 1_000_000 } });
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
