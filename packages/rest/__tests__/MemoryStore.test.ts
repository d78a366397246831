import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, type RateLimitPolicy, type RateLimitResponse, type RateLimitTicket } from '../src/index.js';
import { answer, messages, testPolicy } from './fixtures/limits.js';

const policy: RateLimitPolicy = { ...testPolicy, discoveryTimeoutMs: 5_000 };

const otherChannel: RateLimitTicket = { ...messages, major: '2' };

function ok(hash: string, limit: number, remaining: number, resetAfterMs: number, status = 200): RateLimitResponse {
	return { status, hash, limit, remaining, resetAfterMs, retryAfterMs: undefined, scope: undefined, global: false };
}

function lease(result: ReturnType<MemoryStore['acquire']>): string {
	return result.granted ? result.lease : '';
}

const response = answer;

describe('MemoryStore', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		vi.setSystemTime(1_700_000_000_000);
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('lets exactly one request probe an unknown bucket until its response arrives', () => {
		const store = new MemoryStore();
		expect(store.acquire(messages, policy).granted).toBe(true);
		const second = store.acquire(messages, policy);
		expect(second).toMatchObject({ granted: false, reason: 'discovery' });
		const done = store.complete(messages, ok('abc', 5, 4, 1_000), policy);
		expect(done.discovered).toBe('abc');
		expect(store.hashOf(messages.route)).toBe('abc');
		for (let i = 0; i < 4; i++) expect(store.acquire(messages, policy).granted).toBe(true);
		const blocked = store.acquire(messages, policy);
		expect(blocked).toMatchObject({ granted: false, reason: 'bucket', bucket: 'abc:1' });
		expect(blocked.granted ? 0 : blocked.waitMs).toBe(1_000);
	});

	it('ends the probe of a major held under a known hash when its answer names no bucket (no discovery-timeout stall)', () => {
		const store = new MemoryStore();
		store.complete(messages, ok('abc', 5, 4, 1_000), policy, lease(store.acquire(messages, policy)));
		expect(store.acquire(otherChannel, policy).granted).toBe(true); // probe of channel 2 under abc
		store.complete(otherChannel, response({ status: 404 }), policy); // answered without rate-limit headers
		// Another answer names abc again: channel 2 must not wait for the discovery timeout of its old probe.
		store.complete(messages, ok('abc', 5, 3, 1_000), policy, lease(store.acquire(messages, policy)));
		expect(store.acquire(otherChannel, policy)).toMatchObject({ granted: true });
	});

	it('ends the probe of a major held under a hash the route no longer answers with', () => {
		const store = new MemoryStore();
		store.complete(messages, ok('abc', 5, 4, 1_000), policy, lease(store.acquire(messages, policy)));
		expect(store.acquire(otherChannel, policy).granted).toBe(true); // probe of channel 2 under abc
		store.complete(otherChannel, ok('def', 5, 4, 1_000), policy); // the route now maps to def
		store.complete(messages, ok('abc', 5, 3, 1_000), policy); // and back to abc
		expect(store.acquire(otherChannel, policy)).toMatchObject({ granted: true });
	});

	it('does not probe a major twice when the hash is learned while its first probe is in flight', () => {
		const store = new MemoryStore();
		expect(store.acquire(messages, policy).granted).toBe(true); // probe of channel 1
		expect(store.acquire(otherChannel, policy).granted).toBe(true); // probe of channel 2
		store.complete(messages, ok('abc', 5, 4, 1_000), policy); // hash learned from channel 1
		expect(store.acquire(otherChannel, policy)).toMatchObject({ granted: false, reason: 'discovery' });
		store.complete(otherChannel, ok('abc', 5, 4, 1_000), policy);
		for (let i = 0; i < 4; i++) expect(store.acquire(otherChannel, policy).granted).toBe(true);
		expect(store.acquire(otherChannel, policy).granted).toBe(false);
	});

	it('starts the next window at its reset, keeping a slot for each request still in flight', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		const inFlight = store.acquire(messages, policy);
		expect(inFlight.granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		vi.advanceTimersByTime(1_000);
		// The window is over and its last request has not answered: Discord may count it in the new window,
		// so the new window opens with one slot instead of two.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'bucket' });
		// It answers, processed in Discord's new window: its slot was already kept, nothing more opens.
		store.complete(messages, ok('abc', 2, 1, 1_000), policy, lease(inFlight));
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('frees the kept slot when the late answer shows Discord counted it in the window before', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		const inFlight = store.acquire(messages, policy);
		vi.advanceTimersByTime(1_000);
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		vi.advanceTimersByTime(10);
		// Its reset estimate is the old window's: Discord processed it before the reset.
		store.complete(messages, ok('abc', 2, 0, 0), policy, lease(inFlight));
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('stops keeping a slot for a request that never answers after the discovery timeout', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		expect(store.acquire(messages, policy).granted).toBe(true); // never answers (its process died, say)
		vi.advanceTimersByTime(1_000);
		const a = store.acquire(messages, policy);
		expect(a.granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy, lease(a));
		vi.advanceTimersByTime(policy.discoveryTimeoutMs);
		// Past the discovery timeout the lost request no longer holds a slot: a full window opens.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('keeps the slot of a request that failed in flight, but gives back one that was never sent', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 3, 2, 1_000), policy);
		const failed = store.acquire(messages, policy);
		const unsent = store.acquire(messages, policy);
		expect(store.acquire(messages, policy).granted).toBe(false);
		// Aborted while queued (never left the process): its slot of this window is free again.
		store.complete(messages, response({ status: 0, sent: false }), policy, lease(unsent));
		const again = store.acquire(messages, policy);
		expect(again.granted).toBe(true);
		store.complete(messages, ok('abc', 3, 0, 990), policy, lease(again));
		// A connection reset after sending: Discord may still count it, in this window or the next.
		store.complete(messages, response({ status: 0 }), policy, lease(failed));
		vi.advanceTimersByTime(1_000);
		// The next window keeps a slot for it: two of three open.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('opens the next window minus requests in flight when another route sharing the bucket answers first', () => {
		const store = new MemoryStore();
		const edit: RateLimitTicket = { route: 'PATCH /channels/:id/messages/:id', major: '1', global: true };
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 3, 2, 1_000), policy);
		const a = store.acquire(messages, policy);
		const b = store.acquire(messages, policy);
		vi.advanceTimersByTime(1_000);
		// The other route's first request (its hash unknown yet) answers: "2 remaining" in Discord's new window.
		expect(store.acquire(edit, policy).granted).toBe(true);
		store.complete(edit, ok('abc', 3, 2, 1_000), policy);
		// a and b may still be counted in that window: one slot, not two.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 3, 1, 990), policy, lease(a));
		store.complete(messages, ok('abc', 3, 0, 990), policy, lease(b));
	});

	it('frees no slot for an old answer whose kept slot already expired', () => {
		const long: RateLimitPolicy = { ...policy, discoveryTimeoutMs: 500 };
		const store = new MemoryStore();
		store.acquire(messages, long);
		store.complete(messages, ok('abc', 2, 1, 10_000), long);
		const slow = store.acquire(messages, long);
		vi.advanceTimersByTime(10_000);
		// slow's record expired long ago: the new window opens with both slots.
		expect(store.acquire(messages, long).granted).toBe(true);
		expect(store.acquire(messages, long).granted).toBe(true);
		// slow answers, counted in the old window: no slot was kept for it, so none is freed.
		store.complete(messages, ok('abc', 2, 0, 0), long, lease(slow));
		expect(store.acquire(messages, long).granted).toBe(false);
	});

	it("lets an older request counted in a guessed window set that window's reset", () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		const old = store.acquire(messages, policy);
		vi.advanceTimersByTime(1_000);
		// A guessed window (resets at 2,000 by our guess); `old` holds one of its slots.
		const fresh = store.acquire(messages, policy);
		expect(fresh.granted).toBe(true);
		vi.advanceTimersByTime(200);
		// `old` reached Discord late and opened its new window: that window resets 1,000 ms from now (2,200).
		store.complete(messages, ok('abc', 2, 1, 1_000), policy, lease(old));
		vi.advanceTimersByTime(800);
		// Our guess (2,000) has passed, Discord's reset (2,200) has not.
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'bucket', waitMs: 200 });
		vi.advanceTimersByTime(200);
		// `fresh` is still in flight: one slot of two.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 2, 0, 1_000), policy, lease(fresh));
	});

	it('holds a window whose reset is only a guess until its first answer arrives', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		const last = store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 0, 1_000), policy, lease(last));
		vi.advanceTimersByTime(1_000);
		// A new window on our own estimate: nothing Discord said describes it yet.
		const a = store.acquire(messages, policy);
		const b = store.acquire(messages, policy);
		expect(a.granted && b.granted).toBe(true);
		vi.advanceTimersByTime(1_000);
		// Our guess has run out but Discord may have opened the window later (its requests are still in flight):
		// the queue is told to ask again shortly (or when an answer arrives), not to wait for a reset.
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'bucket', waitMs: 25 });
		// The first answer says the window resets 300 ms from now: that is when the next one opens.
		store.complete(messages, ok('abc', 2, 1, 300), policy, lease(a));
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'bucket' });
		vi.advanceTimersByTime(300);
		// b is still in flight and keeps one slot of the next window.
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 2, 0, 0), policy, lease(b));
	});

	it('keeps a slot in every window a request stays in flight across, and takes slots answers counted late', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 3, 2, 1_000), policy);
		const slow = store.acquire(messages, policy);
		const late = store.acquire(messages, policy);
		vi.advanceTimersByTime(900);
		// Processed in Discord's next window (its reset is almost a full window after ours): it takes a slot there.
		store.complete(messages, ok('abc', 3, 2, 1_000), policy, lease(late));
		vi.advanceTimersByTime(100);
		// Next window: 3 slots minus `slow` (in flight) minus `late` (counted there); it ends with `late`'s window.
		const x = store.acquire(messages, policy);
		expect(x.granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 3, 0, 900), policy, lease(x));
		vi.advanceTimersByTime(899);
		expect(store.acquire(messages, policy).granted).toBe(false);
		vi.advanceTimersByTime(1);
		// Two resets later `slow` still has not answered: it still holds a slot of this window.
		const y = store.acquire(messages, policy);
		store.complete(messages, ok('abc', 3, 1, 1_000), policy, lease(y));
		const z = store.acquire(messages, policy);
		expect(y.granted && z.granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, ok('abc', 3, 0, 1_000), policy, lease(z));
		store.complete(messages, ok('abc', 3, 0, 0), policy, lease(slow));
		vi.advanceTimersByTime(1_000);
		// Nothing in flight any more: a full window.
		for (let i = 0; i < 3; i++) expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('gives a full window when the last answers came back in time', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 1, 1_000), policy);
		const second = store.acquire(messages, policy);
		store.complete(messages, ok('abc', 2, 0, 1_000), policy, lease(second));
		vi.advanceTimersByTime(1_000);
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(true);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('takes the earliest reset estimate of the current window and ignores older windows', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 3, 2, 1_000), policy);
		const first = store.acquire(messages, policy);
		const second = store.acquire(messages, policy);
		vi.advanceTimersByTime(100);
		store.complete(messages, ok('abc', 3, 1, 800), policy, lease(first)); // estimate: now + 800 = 900 from start
		store.complete(messages, ok('abc', 3, 0, 850), policy, lease(second)); // a later estimate (950) does not win
		vi.advanceTimersByTime(799);
		expect(store.acquire(messages, policy).granted).toBe(false);
		vi.advanceTimersByTime(1);
		expect(store.acquire(messages, policy).granted).toBe(true);
	});

	it('never trusts a response that reports more room than the requests it already let through', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 5, 4, 1_000), policy);
		for (let i = 0; i < 4; i++) store.acquire(messages, policy);
		// A late response from earlier in the window says 3 remain; the store knows 0 do.
		store.complete(messages, ok('abc', 5, 3, 900), policy);
		expect(store.acquire(messages, policy).granted).toBe(false);
	});

	it('keeps major parameters apart and throttles routes that share a hash together', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 1, 0, 1_000), policy);
		// Channel 2 is a different bucket: it probes on its own.
		expect(store.acquire(otherChannel, policy).granted).toBe(true);
		const edit: RateLimitTicket = { route: 'PATCH /channels/:id/messages/:id', major: '1', global: true };
		expect(store.acquire(edit, policy).granted).toBe(true);
		// Its response reveals the same hash: both routes now share channel 1's empty bucket.
		store.complete(edit, ok('abc', 1, 0, 1_000), policy);
		expect(store.acquire(edit, policy)).toMatchObject({ granted: false, reason: 'bucket', bucket: 'abc:1' });
	});

	it('enforces the global limit over a sliding window', () => {
		const store = new MemoryStore();
		const small = { ...policy, globalLimit: 3 };
		const noBucket: RateLimitTicket = { route: 'GET /gateway/bot', major: '', global: true };
		store.acquire(noBucket, small);
		store.complete(noBucket, response({ status: 200 }), small);
		expect(store.hashOf(noBucket.route)).toBe('');
		expect(store.acquire(noBucket, small).granted).toBe(true);
		vi.advanceTimersByTime(500);
		expect(store.acquire(noBucket, small).granted).toBe(true);
		const blocked = store.acquire(noBucket, small);
		expect(blocked).toMatchObject({ granted: false, reason: 'global', waitMs: 500 });
		vi.advanceTimersByTime(500);
		expect(store.acquire(noBucket, small).granted).toBe(true);
		// Requests exempt from the global limit (interaction callbacks, no auth) still pass.
		expect(store.acquire({ ...noBucket, global: false }, small).granted).toBe(true);
	});

	it('counts a global request from its grant until one window after its response', () => {
		const store = new MemoryStore();
		const small = { ...policy, globalLimit: 2 };
		const free: RateLimitTicket = { route: 'GET /gateway/bot', major: '', global: true };
		store.acquire(free, small);
		store.complete(free, response({}), small, '');
		expect(store.acquire(free, small).granted).toBe(true);
		vi.advanceTimersByTime(5_000);
		// Still in flight after 5 s: Discord may receive it at any moment, so it still counts.
		expect(store.acquire(free, small).granted).toBe(true);
		expect(store.acquire(free, small)).toMatchObject({ granted: false, reason: 'global' });
		store.complete(free, response({}), small, '');
		vi.advanceTimersByTime(999);
		expect(store.acquire(free, small).granted).toBe(false);
		vi.advanceTimersByTime(1);
		expect(store.acquire(free, small).granted).toBe(true);
	});

	it('blocks everything after a global 429 until Retry-After passes', () => {
		const store = new MemoryStore();
		const noBucket: RateLimitTicket = { route: 'GET /gateway/bot', major: '', global: true };
		store.acquire(noBucket, policy);
		store.complete(noBucket, response({ status: 429, global: true, scope: 'global', retryAfterMs: 2_000 }), policy);
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'global', waitMs: 2_000 });
		vi.advanceTimersByTime(2_000);
		expect(store.acquire(messages, policy).granted).toBe(true);
	});

	it('blocks a bucket after a user 429 but not after a shared-scope 429 or a sublimit', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 5, 4, 1_000), policy);
		store.acquire(messages, policy);
		store.complete(messages, { ...ok('abc', 5, 3, 1_000, 429), scope: 'shared', retryAfterMs: 5_000 }, policy);
		expect(store.acquire(messages, policy).granted).toBe(true);
		store.complete(messages, { ...ok('abc', 5, 2, 1_000, 429), scope: 'user', retryAfterMs: 5_000 }, policy);
		expect(store.acquire(messages, policy).granted).toBe(true);
		store.complete(messages, { ...ok('abc', 5, 0, 1_000, 429), scope: 'user', retryAfterMs: 5_000 }, policy);
		expect(store.acquire(messages, policy)).toMatchObject({ granted: false, reason: 'bucket', waitMs: 5_000 });
	});

	it('counts invalid requests (not shared 429s) and blocks at the limit until the window moves', () => {
		const store = new MemoryStore();
		const small = { ...policy, invalidLimit: 3 };
		const noBucket: RateLimitTicket = { route: 'GET /users/:id', major: '', global: true };
		store.acquire(noBucket, small);
		expect(
			store.complete(noBucket, response({ status: 429, scope: 'shared', retryAfterMs: 10 }), small).invalidCount,
		).toBe(0);
		expect(store.complete(noBucket, response({ status: 401 }), small).invalidCount).toBe(1);
		expect(store.complete(noBucket, response({ status: 403 }), small).invalidCount).toBe(2);
		expect(store.complete(noBucket, response({ status: 404 }), small).invalidCount).toBe(2);
		expect(
			store.complete(noBucket, response({ status: 429, scope: 'user', retryAfterMs: 10 }), small).invalidCount,
		).toBe(3);
		const blocked = store.acquire(noBucket, small);
		expect(blocked).toMatchObject({ granted: false, reason: 'invalid' });
		vi.advanceTimersByTime(blocked.granted ? 0 : blocked.waitMs);
		expect(store.invalidCount(small)).toBe(0);
		expect(store.acquire(noBucket, small).granted).toBe(true);
	});

	it('releases a probe whose request failed without a response', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		expect(store.acquire(messages, policy).granted).toBe(false);
		store.complete(messages, response({ status: 0 }), policy);
		expect(store.acquire(messages, policy).granted).toBe(true);
	});

	it('lets another request probe when the probe never answers', () => {
		const store = new MemoryStore();
		store.acquire(messages, policy);
		vi.advanceTimersByTime(policy.discoveryTimeoutMs);
		expect(store.acquire(messages, policy).granted).toBe(true);
	});

	it('sweeps idle buckets and stale hashes', () => {
		const store = new MemoryStore({ bucketIdleMs: 1_000, hashTtlMs: 5_000, sweepIntervalMs: 100 });
		store.acquire(messages, policy);
		store.complete(messages, ok('abc', 5, 4, 1_000), policy);
		expect(store.bucketCount).toBe(1);
		vi.advanceTimersByTime(2_500);
		store.acquire(otherChannel, policy);
		expect(store.bucketCount).toBe(1); // channel 1's bucket went; channel 2's probe is new
		expect(store.routeCount).toBe(1);
		vi.advanceTimersByTime(10_000);
		store.acquire({ route: 'GET /gateway', major: '', global: false }, policy);
		expect(store.routeCount).toBe(0);
	});
});
