/**
 * The rate-limit store contract: one set of scenarios on simulated time, run against every store, so the window
 * model written twice — in TypeScript (MemoryStore) and in Lua (RedisStore's scripts) — cannot drift apart (the
 * way twilight runs its bucket scenarios on paused time against its public API, `http-ratelimiting/tests`).
 * Time is injected through the stores' `clock` option and only moves when a scenario moves it; RedisStore runs
 * against the real Redis at OVENJS_REDIS_URL.
 */
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
	MemoryStore,
	type AcquireResult,
	type RateLimitPolicy,
	type RateLimitResponse,
	type RateLimitStore,
	type RateLimitTicket,
} from '../src/index.js';
import { RedisStore } from '../src/redis.js';
import { answer, messages, testPolicy } from './fixtures/limits.js';

const gate = await redisAvailable('RedisStore contract scenarios');
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.store-contract-token-abcdefghijklmnop';
const START = 1_700_000_000_000;

const policy = testPolicy;
const otherChannel: RateLimitTicket = { ...messages, major: '2' };
const edit: RateLimitTicket = { route: 'PATCH /channels/:id/messages/:id', major: '1', global: true };
const gateway: RateLimitTicket = { route: 'GET /gateway/bot', major: '', global: true };
const webhook: RateLimitTicket = { route: 'POST /webhooks/:id/:token', major: '9:abc', global: false };

/** A 200 that names its bucket. */
function ok(hash: string, limit: number, remaining: number, resetAfterMs: number): RateLimitResponse {
	return answer({ hash, limit, remaining, resetAfterMs });
}

/** A store under test, driven on simulated time. */
class Sim {
	public now = START;
	public readonly store: RateLimitStore;

	public constructor(make: (clock: () => number) => RateLimitStore) {
		this.store = make(() => this.now);
	}

	public advance(ms: number): void {
		this.now += ms;
	}

	public async acquire(ticket: RateLimitTicket, p: RateLimitPolicy = policy): Promise<AcquireResult> {
		return this.store.acquire(ticket, p);
	}

	/** Acquires and expects a grant; returns its lease. */
	public async take(ticket: RateLimitTicket, p: RateLimitPolicy = policy): Promise<string> {
		const result = await this.store.acquire(ticket, p);
		expect(result, `${ticket.route} at +${this.now - START} ms`).toMatchObject({ granted: true });
		return result.granted ? result.lease : '';
	}

	/** How many grants in a row the store gives now (each left unanswered). */
	public async room(ticket: RateLimitTicket, p: RateLimitPolicy = policy, max = 20): Promise<number> {
		let granted = 0;
		while (granted < max && (await this.store.acquire(ticket, p)).granted) granted++;
		return granted;
	}

	public async complete(
		ticket: RateLimitTicket,
		response: RateLimitResponse,
		lease: string,
		p: RateLimitPolicy = policy,
	): Promise<{ discovered: string | undefined; invalidCount: number }> {
		return this.store.complete(ticket, response, p, lease);
	}

	/** Discovers `ticket`'s bucket: its probe answers `hash` with `limit`/`remaining` and a window of `windowMs`. */
	public async discover(
		ticket: RateLimitTicket,
		hash: string,
		limit: number,
		remaining: number,
		windowMs: number,
	): Promise<void> {
		const lease = await this.take(ticket);
		await this.complete(ticket, ok(hash, limit, remaining, windowMs), lease);
	}
}

interface Subject {
	readonly name: string;
	readonly available: boolean;
	readonly make: (clock: () => number) => RateLimitStore;
}

let redis: Redis | undefined;
const redisStores: RedisStore[] = [];

const subjects: Subject[] = [
	{ name: 'MemoryStore', available: true, make: (clock) => new MemoryStore({ clock }) },
	{
		name: 'RedisStore',
		available: gate.available,
		make: (clock) => {
			redis ??= new Redis(gate.url);
			const store = new RedisStore({ redis, token: TOKEN, prefix: uniquePrefix('contract'), clock });
			redisStores.push(store);
			return store;
		},
	},
];

afterAll(async () => {
	for (const store of redisStores) await store.clear();
	await redis?.quit();
});

describe.each(subjects)('rate-limit store contract: $name', ({ available, make }) => {
	const sim = (): Sim => new Sim(make);
	/** Teaches the store that `ticket`'s route has no bucket, then lets its one request leave the global window. */
	const unbucketed = async (s: Sim, ticket: RateLimitTicket, p: RateLimitPolicy): Promise<void> => {
		await s.complete(ticket, answer({ status: 200 }), await s.take(ticket, p), p);
		s.advance(p.globalWindowMs);
	};

	describe.skipIf(!available)('buckets', () => {
		it('lets exactly one request probe an unknown bucket; the others wait for discovery', async () => {
			const s = sim();
			const probe = await s.take(messages);
			expect(await s.acquire(messages)).toMatchObject({
				granted: false,
				reason: 'discovery',
				waitMs: policy.discoveryTimeoutMs,
			});
			s.advance(1_000);
			expect(await s.acquire(messages)).toMatchObject({
				granted: false,
				reason: 'discovery',
				waitMs: policy.discoveryTimeoutMs - 1_000,
			});
			// Other majors of the route probe on their own.
			expect((await s.acquire(otherChannel)).granted).toBe(true);
			const done = await s.complete(messages, ok('abc', 5, 4, 2_000), probe);
			expect(done).toEqual({ discovered: 'abc', invalidCount: 0 });
			expect(await s.room(messages)).toBe(4);
		});

		it('waits at remaining 0 exactly until the reset, then opens a full window', async () => {
			const s = sim();
			await s.discover(messages, 'abc', 3, 2, 2_000);
			const a = await s.take(messages);
			const b = await s.take(messages);
			expect(await s.acquire(messages)).toEqual({
				granted: false,
				reason: 'bucket',
				waitMs: 2_000,
				bucket: 'abc:1',
			});
			await s.complete(messages, ok('abc', 3, 1, 1_900), a);
			await s.complete(messages, ok('abc', 3, 0, 1_800), b);
			s.advance(500);
			// The earliest estimate of the window counts: 1,800 ms after the last answer.
			expect(await s.acquire(messages)).toEqual({
				granted: false,
				reason: 'bucket',
				waitMs: 1_300,
				bucket: 'abc:1',
			});
			s.advance(1_300);
			expect(await s.room(messages)).toBe(3);
		});

		it('adds the offset to every reset Discord announces', async () => {
			const s = sim();
			const offset = { ...policy, offsetMs: 50 };
			const probe = await s.take(messages, offset);
			await s.complete(messages, ok('abc', 1, 0, 1_000), probe, offset);
			expect(await s.acquire(messages, offset)).toMatchObject({
				granted: false,
				reason: 'bucket',
				waitMs: 1_050,
			});
			s.advance(1_049);
			expect((await s.acquire(messages, offset)).granted).toBe(false);
			s.advance(1);
			expect((await s.acquire(messages, offset)).granted).toBe(true);
		});

		it('never trusts an answer that reports more room than the requests it already let through', async () => {
			const s = sim();
			await s.discover(messages, 'abc', 3, 2, 5_000);
			const a = await s.take(messages);
			await s.take(messages);
			// A stale answer claims two left; both slots were taken.
			await s.complete(messages, ok('abc', 3, 2, 4_900), a);
			expect(await s.acquire(messages)).toMatchObject({ granted: false, reason: 'bucket' });
		});

		it('keeps major parameters apart and throttles routes that share a hash together (shared buckets)', async () => {
			const s = sim();
			await s.discover(messages, 'abc', 2, 1, 5_000);
			// Another route answers with the same hash: it joins the bucket of its major.
			const probe = await s.take(edit);
			expect(await s.complete(edit, ok('abc', 2, 0, 5_000), probe)).toMatchObject({ discovered: 'abc' });
			expect(await s.acquire(messages)).toMatchObject({ granted: false, reason: 'bucket', bucket: 'abc:1' });
			expect(await s.acquire(edit)).toMatchObject({ granted: false, reason: 'bucket', bucket: 'abc:1' });
			// Another channel has its own bucket under the same hash, probed once.
			expect(await s.acquire(otherChannel)).toMatchObject({ granted: true, bucket: 'abc:2' });
			expect(await s.acquire(otherChannel)).toMatchObject({
				granted: false,
				reason: 'discovery',
				bucket: 'abc:2',
			});
		});

		it('does not probe a major twice when the hash is learned while its first probe is in flight', async () => {
			const s = sim();
			const probe = await s.take(messages);
			await s.take(otherChannel);
			await s.complete(messages, ok('abc', 5, 4, 5_000), probe);
			expect(await s.acquire(otherChannel)).toMatchObject({ granted: false, reason: 'discovery' });
		});

		it('leaves a route without a bucket to the global limit alone', async () => {
			const s = sim();
			const probe = await s.take(gateway);
			expect(await s.complete(gateway, answer({ status: 200 }), probe)).toEqual({
				discovered: undefined,
				invalidCount: 0,
			});
			expect(await s.room(gateway, policy, 10)).toBe(10);
		});

		it('releases a probe that got no answer or a 5xx, and lets another probe after the discovery timeout', async () => {
			const s = sim();
			const first = await s.take(messages);
			await s.complete(messages, answer({ status: 0 }), first);
			const second = await s.take(messages);
			await s.complete(messages, answer({ status: 502 }), second);
			await s.take(messages); // never answers
			expect(await s.acquire(messages)).toMatchObject({ granted: false, reason: 'discovery' });
			s.advance(policy.discoveryTimeoutMs);
			expect((await s.acquire(messages)).granted).toBe(true);
		});

		it('ends the probe of a major held under a known hash when its answer names no bucket', async () => {
			const s = sim();
			await s.discover(messages, 'abc', 5, 4, 10_000);
			await s.take(otherChannel); // probe of channel 2 under abc
			await s.complete(otherChannel, answer({ status: 404 }), '');
			await s.complete(messages, ok('abc', 5, 3, 10_000), await s.take(messages));
			expect((await s.acquire(otherChannel)).granted).toBe(true);
		});

		it('ends the probe of a major held under a hash the route no longer answers with', async () => {
			const s = sim();
			await s.discover(messages, 'h7', 5, 4, 10_000);
			await s.take(otherChannel); // probe of channel 2 under h7
			expect(await s.complete(otherChannel, ok('h8', 5, 4, 10_000), '')).toMatchObject({ discovered: 'h8' });
			expect(await s.complete(messages, ok('h7', 5, 3, 10_000), '')).toMatchObject({ discovered: 'h7' });
			expect((await s.acquire(otherChannel)).granted).toBe(true);
		});
	});

	describe.skipIf(!available)('windows', () => {
		it('starts the next window at its reset, keeping a slot for each request still in flight', async () => {
			const s = sim();
			await s.discover(messages, 'h4', 2, 1, 200);
			const inFlight = await s.take(messages);
			expect((await s.acquire(messages)).granted).toBe(false);
			s.advance(250);
			expect(await s.room(messages)).toBe(1);
			// It answers, counted in the new window: its slot was kept, nothing more opens.
			await s.complete(messages, ok('h4', 2, 1, 200), inFlight);
			expect((await s.acquire(messages)).granted).toBe(false);
		});

		it('frees the kept slot when the late answer shows Discord counted it in the window before', async () => {
			const s = sim();
			await s.discover(messages, 'h6', 2, 1, 400);
			const inFlight = await s.take(messages);
			s.advance(420);
			expect(await s.room(messages)).toBe(1);
			await s.complete(messages, ok('h6', 2, 0, 0), inFlight);
			expect(await s.room(messages)).toBe(1);
		});

		it('stops keeping a slot for a request that never answers, after the discovery timeout', async () => {
			const s = sim();
			const short = { ...policy, discoveryTimeoutMs: 300 };
			const probe = await s.take(messages, short);
			await s.complete(messages, ok('h7', 2, 1, 100), probe, short);
			await s.take(messages, short); // never answers: its process died
			s.advance(120);
			const a = await s.take(messages, short);
			expect((await s.acquire(messages, short)).granted).toBe(false);
			await s.complete(messages, ok('h7', 2, 0, 100), a, short);
			s.advance(320);
			expect(await s.room(messages, short)).toBe(2);
		});

		it('keeps the slot of a request that failed in flight, but gives back one that was never sent', async () => {
			const s = sim();
			await s.discover(messages, 'h8', 3, 2, 200);
			const failed = await s.take(messages);
			const unsent = await s.take(messages);
			expect((await s.acquire(messages)).granted).toBe(false);
			await s.complete(messages, answer({ status: 0, sent: false }), unsent);
			const again = await s.take(messages);
			await s.complete(messages, ok('h8', 3, 0, 190), again);
			await s.complete(messages, answer({ status: 0 }), failed);
			s.advance(220);
			// The next window keeps a slot for the failed request (Discord may count it): two of three open.
			expect(await s.room(messages)).toBe(2);
		});

		it('opens the next window minus requests in flight when another route sharing the bucket answers first', async () => {
			const s = sim();
			await s.discover(messages, 'h9', 3, 2, 100);
			await s.take(messages);
			await s.take(messages);
			s.advance(120);
			const first = await s.take(edit);
			await s.complete(edit, ok('h9', 3, 2, 1_000), first);
			// Both earlier requests may still be counted in Discord's new window: one slot, not two.
			expect(await s.room(messages)).toBe(1);
		});

		it('holds a window whose reset is only a guess until its first answer arrives', async () => {
			const s = sim();
			await s.discover(messages, 'h5', 2, 1, 100);
			await s.complete(messages, ok('h5', 2, 0, 100), await s.take(messages));
			s.advance(120);
			const a = await s.take(messages);
			const b = await s.take(messages);
			s.advance(120);
			// Our guess ran out, but nothing Discord said describes this window yet: it holds (asks again shortly).
			expect(await s.acquire(messages)).toEqual({ granted: false, reason: 'bucket', waitMs: 25, bucket: 'h5:1' });
			await s.complete(messages, ok('h5', 2, 1, 100), a);
			expect(await s.acquire(messages)).toMatchObject({ granted: false, reason: 'bucket' });
			s.advance(120);
			// b is still in flight and keeps one slot of the next window.
			expect(await s.room(messages)).toBe(1);
			await s.complete(messages, ok('h5', 2, 0, 0), b);
		});

		it('takes a slot of the next window for an answer Discord counted in it (processed late)', async () => {
			const s = sim();
			await s.discover(messages, 'hl', 3, 2, 1_000);
			const late = await s.take(messages);
			s.advance(600);
			// Its reset estimate lies more than half a window beyond ours: Discord counted it in the next window.
			await s.complete(messages, ok('hl', 3, 2, 1_000), late);
			expect(await s.room(messages)).toBe(1);
			s.advance(400);
			// The next window: one slot kept for the request still in flight, one taken by the late answer.
			expect(await s.room(messages)).toBe(1);
		});
	});

	describe.skipIf(!available)('global limit', () => {
		const tight = { ...policy, globalLimit: 3, globalWindowMs: 1_000 };

		it('counts a request from its grant until one window after its answer', async () => {
			const s = sim();
			await unbucketed(s, gateway, tight);
			const leases = [await s.take(gateway, tight), await s.take(gateway, tight), await s.take(gateway, tight)];
			// All three are in flight: the store asks again shortly (a completion frees a slot).
			expect(await s.acquire(gateway, tight)).toEqual({
				granted: false,
				reason: 'global',
				waitMs: 10,
				bucket: undefined,
			});
			s.advance(200);
			await s.complete(gateway, answer({}), leases[0] ?? '', tight);
			s.advance(300);
			await s.complete(gateway, answer({}), leases[1] ?? '', tight);
			// The oldest answered request leaves the window one window after its answer (at +1,200 ms).
			expect(await s.acquire(gateway, tight)).toEqual({
				granted: false,
				reason: 'global',
				waitMs: 700,
				bucket: undefined,
			});
			s.advance(700);
			await s.take(gateway, tight);
			expect((await s.acquire(gateway, tight)).granted).toBe(false);
			// Requests outside the global limit (webhooks with a token, interaction callbacks) are not held.
			expect((await s.acquire(webhook, tight)).granted).toBe(true);
		});

		it('gives the slot of a granted request that never left the process back at once', async () => {
			const s = sim();
			await unbucketed(s, gateway, tight);
			const leases = [await s.take(gateway, tight), await s.take(gateway, tight), await s.take(gateway, tight)];
			await s.complete(gateway, answer({ status: 0, sent: false }), leases[2] ?? '', tight);
			expect(await s.room(gateway, tight)).toBe(1);
		});

		it('blocks every global route after a global 429 until Retry-After (plus the offset) passes', async () => {
			const s = sim();
			const offset = { ...policy, offsetMs: 50 };
			const lease = await s.take(gateway, offset);
			await s.complete(
				gateway,
				answer({ status: 429, global: true, scope: 'global', retryAfterMs: 30_000 }),
				lease,
				offset,
			);
			expect(await s.acquire(messages, offset)).toEqual({
				granted: false,
				reason: 'global',
				waitMs: 30_050,
				bucket: undefined,
			});
			expect((await s.acquire(webhook, offset)).granted).toBe(true);
			s.advance(30_049);
			expect((await s.acquire(gateway, offset)).granted).toBe(false);
			s.advance(1);
			expect((await s.acquire(gateway, offset)).granted).toBe(true);
		});
	});

	describe.skipIf(!available)('429s and sublimits', () => {
		it('blocks a bucket after a user 429 until Retry-After, but not after a shared-scope 429 or a sublimit', async () => {
			const s = sim();
			await s.discover(messages, 'abc', 5, 4, 5_000);
			// A shared-scope 429 (another resource's limit) says nothing about our bucket.
			await s.complete(
				messages,
				answer({
					status: 429,
					hash: 'abc',
					limit: 5,
					remaining: 3,
					resetAfterMs: 5_000,
					retryAfterMs: 2_000,
					scope: 'shared',
				}),
				await s.take(messages),
			);
			// A sublimit 429 (remaining left in the bucket) delays only that request.
			await s.complete(
				messages,
				answer({
					status: 429,
					hash: 'abc',
					limit: 5,
					remaining: 2,
					resetAfterMs: 5_000,
					retryAfterMs: 60_000,
					scope: 'user',
				}),
				await s.take(messages),
			);
			expect((await s.acquire(messages)).granted).toBe(true);
			// A user 429 with the bucket empty blocks it for Retry-After.
			await s.complete(
				messages,
				answer({
					status: 429,
					hash: 'abc',
					limit: 5,
					remaining: 0,
					resetAfterMs: 5_000,
					retryAfterMs: 8_000,
					scope: 'user',
				}),
				await s.take(messages),
			);
			expect(await s.acquire(messages)).toEqual({
				granted: false,
				reason: 'bucket',
				waitMs: 8_000,
				bucket: 'abc:1',
			});
			s.advance(8_000);
			expect((await s.acquire(messages)).granted).toBe(true);
		});

		it('blocks an unknown bucket whose probe got a user 429', async () => {
			const s = sim();
			const probe = await s.take(messages);
			await s.complete(messages, answer({ status: 429, hash: 'abc', retryAfterMs: 3_000, scope: 'user' }), probe);
			expect(await s.acquire(messages)).toEqual({
				granted: false,
				reason: 'bucket',
				waitMs: 3_000,
				bucket: 'abc:1',
			});
			s.advance(3_000);
			expect((await s.acquire(messages)).granted).toBe(true);
		});
	});

	describe.skipIf(!available)('invalid-request counter', () => {
		const small = { ...policy, invalidLimit: 3 };

		it('counts 401, 403 and 429 (not shared ones), blocks at the limit until the window moves', async () => {
			const s = sim();
			expect(
				(await s.complete(gateway, answer({ status: 429, scope: 'shared', retryAfterMs: 5 }), '', small))
					.invalidCount,
			).toBe(0);
			expect((await s.complete(gateway, answer({ status: 401 }), '', small)).invalidCount).toBe(1);
			expect((await s.complete(gateway, answer({ status: 404 }), '', small)).invalidCount).toBe(1);
			s.advance(60_000);
			expect((await s.complete(gateway, answer({ status: 403 }), '', small)).invalidCount).toBe(2);
			expect(
				(await s.complete(webhook, answer({ status: 429, scope: 'user', retryAfterMs: 5 }), '', small))
					.invalidCount,
			).toBe(3);
			// Every route waits, also ones outside the global limit; until the first slot (the 401) leaves the window:
			// the window is cut into ten 60 s slots, so a count leaves 10 to 11 slots after it was made.
			const blocked = await s.acquire(webhook, small);
			expect(blocked).toMatchObject({ granted: false, reason: 'invalid', bucket: undefined });
			const wait = blocked.granted ? 0 : blocked.waitMs;
			expect(wait).toBeGreaterThan(600_000 - 60_000);
			expect(wait).toBeLessThanOrEqual(660_000);
			s.advance(wait - 1);
			expect((await s.acquire(gateway, small)).granted).toBe(false);
			s.advance(1);
			expect((await s.acquire(gateway, small)).granted).toBe(true);
			expect((await s.complete(gateway, answer({ status: 200 }), '', small)).invalidCount).toBe(2);
		});
	});
});
