import type {
	AcquireResult,
	CompleteResult,
	RateLimitPolicy,
	RateLimitResponse,
	RateLimitStore,
	RateLimitTicket,
} from '../interfaces/RateLimitStore.js';
import { RestError } from '../errors/RestError.js';
import { positive } from '../utils/options.js';

/** Options of {@link MemoryStore}. Every property is optional; defaults are in {@link DefaultMemoryStoreOptions}. */
export interface MemoryStoreOptions {
	/**
	 * Buckets whose window ended this long ago are dropped (milliseconds).
	 * @defaultValue {@link DefaultMemoryStoreOptions.bucketIdleMs}
	 */
	readonly bucketIdleMs?: number;
	/**
	 * Route → bucket-hash mappings unused this long are dropped (Discord may re-hash routes), in milliseconds.
	 * @defaultValue {@link DefaultMemoryStoreOptions.hashTtlMs}
	 */
	readonly hashTtlMs?: number;
	/**
	 * How often (at most) the store sweeps idle buckets and stale hashes, checked on `acquire`, in milliseconds.
	 * @defaultValue {@link DefaultMemoryStoreOptions.sweepIntervalMs}
	 */
	readonly sweepIntervalMs?: number;
	/**
	 * The time source, in milliseconds since 1970: for simulations and tests on simulated time.
	 * @defaultValue `Date.now()` (read on every call, so fake timers drive it)
	 */
	readonly clock?: () => number;
}

/** The defaults of {@link MemoryStoreOptions}. */
export const DefaultMemoryStoreOptions = {
	bucketIdleMs: 300_000,
	hashTtlMs: 3_600_000,
	sweepIntervalMs: 60_000,
} as const satisfies Required<Omit<MemoryStoreOptions, 'clock'>>;

interface BucketState {
	/** `-1` while the bucket is unknown (its first request is in flight). */
	limit: number;
	remaining: number;
	resetAt: number;
	/** The longest window observed, used as the provisional reset of a fresh window. */
	windowMs: number;
	/** Until when the discovery probe holds the bucket (unknown buckets only). */
	probeUntil: number;
	/** Counts the bucket's windows; a grant's lease carries it, so late responses of an old window are recognised. */
	generation: number;
	/** `resetAt` is our guess for a window no response has described yet. */
	provisional: boolean;
	/**
	 * Requests granted from this bucket and not answered, per window generation (usually one or two entries):
	 * Discord may count any of them in the next window. An entry expires one discovery timeout after its last
	 * grant (the request timeout plus a second): a request that never answers, or whose process died, stops
	 * holding slots.
	 */
	pending: Pending[];
	/** Reset estimates of answers that Discord counted in a later window than ours (they were processed late). */
	late: number[];
	/** The reset estimate of the window before the current one. */
	previousResetAt: number;
}

interface Pending {
	readonly generation: number;
	count: number;
	until: number;
}

interface RouteHash {
	/** `''` when the route has no bucket (no rate-limit headers). */
	readonly hash: string;
	seen: number;
}

/** A grant's lease names its bucket window generation: `w<generation>`. */
function leaseGeneration(lease: string): number | undefined {
	const generation = lease.startsWith('w') ? Number(lease.slice(1)) : Number.NaN;
	return Number.isSafeInteger(generation) ? generation : undefined;
}

function fresh(limit: number, remaining: number, resetAt: number, windowMs: number, probeUntil: number): BucketState {
	return {
		limit,
		remaining,
		resetAt,
		windowMs,
		probeUntil,
		generation: 0,
		provisional: false,
		pending: [],
		late: [],
		previousResetAt: 0,
	};
}

/** Requests of `state` still in flight; drops expired generations. */
function inFlight(state: BucketState, now: number): number {
	const pending = state.pending;
	let total = 0;
	for (let i = pending.length - 1; i >= 0; i--) {
		const entry = pending[i];
		if (entry === undefined) continue;
		if (entry.until <= now || entry.count <= 0) pending.splice(i, 1);
		else total += entry.count;
	}
	return total;
}

/** How often a queue waiting for the first answer of a guessed window asks again (each answer also wakes it). */
const DRAIN_POLL_MS = 25;

/** How often a request blocked only by in-flight global requests asks again (a completion frees a slot). */
const GLOBAL_POLL_MS = 10;

/** How many slots the invalid-request window is cut into (plus one, so the sum always covers a full window). */
const INVALID_SLOTS = 10;

/**
 * The default, in-process {@link RateLimitStore}. Every call is synchronous and O(1) (sweeping is amortised).
 * Time comes from `Date.now()` (or the `clock` option), so fake timers drive it in tests.
 */
export class MemoryStore implements RateLimitStore {
	readonly #buckets = new Map<string, BucketState>();
	readonly #routes = new Map<string, RouteHash>();
	/** Completion times of recent global requests (a circular queue, oldest at #doneHead). */
	#done = new Float64Array(0);
	#doneHead = 0;
	#doneCount = 0;
	/** Global requests granted and not yet completed. */
	#inflight = 0;
	#globalBlockedUntil = 0;
	readonly #slotIds = new Float64Array(INVALID_SLOTS + 1).fill(-Infinity);
	readonly #slotCounts = new Uint32Array(INVALID_SLOTS + 1);
	#lastSweep = 0;
	readonly #bucketIdleMs: number;
	readonly #hashTtlMs: number;
	readonly #sweepIntervalMs: number;
	readonly #clock: (() => number) | undefined;

	public constructor(options: MemoryStoreOptions = {}) {
		const given: unknown = options;
		if (typeof given !== 'object' || given === null)
			throw RestError.of('REST_INVALID_OPTION', ['options of new MemoryStore()', 'must be an object']);
		this.#bucketIdleMs = positive(
			'MemoryStore.bucketIdleMs',
			options.bucketIdleMs ?? DefaultMemoryStoreOptions.bucketIdleMs,
			true,
		);
		this.#hashTtlMs = positive(
			'MemoryStore.hashTtlMs',
			options.hashTtlMs ?? DefaultMemoryStoreOptions.hashTtlMs,
			true,
		);
		this.#sweepIntervalMs = positive(
			'MemoryStore.sweepIntervalMs',
			options.sweepIntervalMs ?? DefaultMemoryStoreOptions.sweepIntervalMs,
			true,
		);
		const clock: unknown = options.clock;
		if (clock !== undefined && typeof clock !== 'function')
			throw RestError.of('REST_INVALID_OPTION', [
				'option "MemoryStore.clock"',
				`must be a function returning milliseconds; got ${typeof clock}`,
			]);
		this.#clock = options.clock;
	}

	/** Number of buckets currently tracked (known and probing). */
	public get bucketCount(): number {
		return this.#buckets.size;
	}

	/** Number of route → hash mappings currently known. */
	public get routeCount(): number {
		return this.#routes.size;
	}

	/** The bucket hash Discord assigned to `route`, `''` for a route without a bucket, `undefined` if unknown. */
	public hashOf(route: string): string | undefined {
		return this.#routes.get(route)?.hash;
	}

	/** Invalid requests counted in the current window. */
	public invalidCount(policy: RateLimitPolicy): number {
		return this.#invalidSum(this.#now(), policy);
	}

	public acquire(ticket: RateLimitTicket, policy: RateLimitPolicy): AcquireResult {
		const now = this.#now();
		if (now - this.#lastSweep >= this.#sweepIntervalMs) this.#sweep(now);

		if (this.#invalidSum(now, policy) >= policy.invalidLimit) {
			return { granted: false, reason: 'invalid', waitMs: this.#invalidWait(now, policy), bucket: undefined };
		}
		if (ticket.global) {
			if (this.#done.length !== policy.globalLimit) this.#resizeWindow(policy.globalLimit);
			if (this.#globalBlockedUntil > now) {
				return { granted: false, reason: 'global', waitMs: this.#globalBlockedUntil - now, bucket: undefined };
			}
			this.#expire(now, policy.globalWindowMs);
			if (this.#inflight + this.#doneCount >= policy.globalLimit) {
				const waitMs =
					this.#doneCount > 0
						? (this.#done[this.#doneHead] ?? now) + policy.globalWindowMs - now
						: GLOBAL_POLL_MS;
				return { granted: false, reason: 'global', waitMs: Math.max(1, waitMs), bucket: undefined };
			}
		}

		const route = this.#routes.get(ticket.route);
		let key: string | undefined;
		let lease = '';
		if (route === undefined) key = `?${ticket.route}:${ticket.major}`;
		else {
			route.seen = now;
			if (route.hash !== '') key = `${route.hash}:${ticket.major}`;
		}
		if (key !== undefined) {
			const state = this.#buckets.get(key);
			if (state === undefined) {
				// The route's own probe (sent before its hash was known) may still be in flight for this major.
				const probe = route === undefined ? undefined : this.#buckets.get(`?${ticket.route}:${ticket.major}`);
				if (probe !== undefined && probe.limit < 0 && probe.probeUntil > now) {
					return { granted: false, reason: 'discovery', waitMs: probe.probeUntil - now, bucket: key };
				}
				this.#buckets.set(key, fresh(-1, 0, 0, 0, now + policy.discoveryTimeoutMs));
			} else if (state.limit < 0) {
				if (state.probeUntil > now)
					return { granted: false, reason: 'discovery', waitMs: state.probeUntil - now, bucket: key };
				state.probeUntil = now + policy.discoveryTimeoutMs;
			} else {
				if (state.resetAt <= now) {
					// The next window starts at the reset estimate, with a slot kept for every request still in flight
					// (Discord may count it in the new window). Only a window that no answer has described yet holds:
					// its reset is our guess, and Discord may have opened it later than we did. A request that never
					// answers stops holding the bucket after the discovery timeout.
					if (
						state.provisional &&
						inFlight(state, now) > 0 &&
						now < state.resetAt + policy.discoveryTimeoutMs
					) {
						return { granted: false, reason: 'bucket', waitMs: DRAIN_POLL_MS, bucket: key };
					}
					this.#rollover(state, now);
				}
				if (state.remaining <= 0)
					return { granted: false, reason: 'bucket', waitMs: state.resetAt - now, bucket: key };
				state.remaining--;
				const generation = state.generation;
				const last = state.pending.at(-1);
				if (last?.generation === generation) {
					last.count++;
					last.until = now + policy.discoveryTimeoutMs;
				} else state.pending.push({ generation, count: 1, until: now + policy.discoveryTimeoutMs });
				lease = `w${generation}`;
			}
		}
		if (ticket.global) this.#inflight++;
		return { granted: true, bucket: key, lease };
	}

	public complete(
		ticket: RateLimitTicket,
		response: RateLimitResponse,
		policy: RateLimitPolicy,
		lease = '',
	): CompleteResult {
		const now = this.#now();
		const sent = response.sent !== false;
		if (ticket.global && this.#inflight > 0) {
			this.#inflight--;
			// A request that reached Discord counts for one more window; one that never left counts no more.
			if (sent) this.#pushDone(now);
		}
		// Whether this answer's request held a slot kept in the current window (it was in flight at the last reset).
		let kept = false;
		const generation = leaseGeneration(lease);
		if (generation !== undefined) {
			const granted = this.#routes.get(ticket.route)?.hash;
			const owner =
				granted === undefined || granted === '' ? undefined : this.#buckets.get(`${granted}:${ticket.major}`);
			const entry = owner?.pending.find((p) => p.generation === generation);
			// A request that may have reached Discord without an answer keeps its slot until its record expires.
			if (owner !== undefined && entry !== undefined && (!sent || response.status !== 0)) {
				entry.count--;
				if (entry.count <= 0) owner.pending.splice(owner.pending.indexOf(entry), 1);
				kept = generation !== owner.generation;
				// Never sent: the slot of its own window is free again.
				if (!sent && !kept && owner.remaining < owner.limit) owner.remaining++;
			}
		}
		const probeKey = `?${ticket.route}:${ticket.major}`;
		const status = response.status;
		const shared = response.scope === 'shared';
		let invalidCount = 0;
		if (status === 401 || status === 403 || (status === 429 && !shared))
			invalidCount = this.#countInvalid(now, policy);
		else invalidCount = this.#invalidSum(now, policy);

		if (status === 429 && (response.global || response.scope === 'global')) {
			this.#globalBlockedUntil = Math.max(
				this.#globalBlockedUntil,
				now + (response.retryAfterMs ?? 1_000) + policy.offsetMs,
			);
		}

		let discovered: string | undefined;
		const hash = response.hash;
		if (hash === undefined) {
			if (status === 0 || status >= 500 || status === 429) {
				this.#releaseProbe(probeKey, ticket);
			} else {
				// Discord sent no bucket: the route is only subject to the global limit. A probe this major held under
				// the route's previous hash is over too (else a later answer naming that hash again would leave the
				// major waiting on it for the discovery timeout).
				this.#releaseProbe(probeKey, ticket);
				this.#buckets.delete(probeKey);
				if (this.#routes.get(ticket.route)?.hash !== '')
					this.#routes.set(ticket.route, { hash: '', seen: now });
			}
			return { discovered, invalidCount };
		}

		const known = this.#routes.get(ticket.route);
		if (known?.hash !== hash) {
			discovered = hash;
			// A probe this major held under the route's previous hash is over (see the no-bucket case above).
			this.#releaseProbe(probeKey, ticket);
			this.#routes.set(ticket.route, { hash, seen: now });
		}
		const key = `${hash}:${ticket.major}`;
		const probe = this.#buckets.get(probeKey);
		if (probe !== undefined) this.#buckets.delete(probeKey);
		let state = this.#buckets.get(key);

		if (response.limit !== undefined && response.remaining !== undefined && response.resetAfterMs !== undefined) {
			const windowMs = response.resetAfterMs + policy.offsetMs;
			const resetAt = now + windowMs;
			if (state === undefined || state.limit < 0) {
				state = fresh(response.limit, response.remaining, resetAt, windowMs, 0);
				this.#buckets.set(key, state);
			} else {
				state.limit = response.limit;
				state.windowMs = Math.max(state.windowMs, windowMs);
				// An answer we cannot place (another route's first request) after our window ended describes the
				// next one: open it (keeping slots for requests in flight), then fold the answer in.
				if (generation === undefined && state.resetAt <= now) this.#rollover(state, now);
				this.#place(
					state,
					response.remaining,
					resetAt,
					generation === undefined || generation === state.generation,
					kept,
				);
			}
		} else if (state?.limit !== undefined && state.limit < 0) {
			state.probeUntil = 0;
		}

		if (
			status === 429 &&
			!shared &&
			!response.global &&
			response.scope !== 'global' &&
			(response.remaining ?? 0) <= 0
		) {
			const until = now + (response.retryAfterMs ?? 1_000) + policy.offsetMs;
			if (state === undefined || state.limit < 0) {
				state = fresh(response.limit ?? 1, 0, until, until - now, 0);
				this.#buckets.set(key, state);
			} else {
				state.remaining = 0;
				state.resetAt = Math.max(state.resetAt, until);
				state.provisional = false;
			}
		}
		return { discovered, invalidCount };
	}

	/** Forgets everything (buckets, hashes, global window, invalid counter). */
	public clear(): void {
		this.#buckets.clear();
		this.#routes.clear();
		this.#doneHead = 0;
		this.#doneCount = 0;
		this.#inflight = 0;
		this.#globalBlockedUntil = 0;
		this.#slotIds.fill(-Infinity);
		this.#slotCounts.fill(0);
	}

	public destroy(): void {
		this.clear();
	}

	#now(): number {
		const clock = this.#clock;
		return clock === undefined ? Date.now() : clock();
	}

	/** Starts a bucket's next window. */
	#rollover(state: BucketState, now: number): void {
		state.generation++;
		state.previousResetAt = state.resetAt;
		// Late answers whose window may still be open took slots of it, and anything still in flight may too
		// (they stay pending until they answer or expire, so a request in flight across two resets holds a slot
		// of both windows).
		let taken = 0;
		let resetAt = 0;
		for (const estimate of state.late) {
			if (estimate > now) {
				taken++;
				resetAt = Math.max(resetAt, estimate);
			}
		}
		state.late.length = 0;
		state.remaining = state.limit - inFlight(state, now) - taken;
		if (taken > 0) {
			state.resetAt = resetAt;
			state.provisional = false;
		} else {
			state.resetAt = now + state.windowMs;
			state.provisional = true;
		}
	}

	/**
	 * Folds one answer into the bucket. Every answer's reset estimate is at or after the true reset (it was
	 * received after Discord computed it), so the earliest estimate of a window is the tightest safe one. An
	 * estimate more than half a window after ours means Discord counted that request in its next window (it was
	 * processed late): that slot of the next window is taken. An answer from a window we already left whose
	 * estimate is within half a window of that earlier window's reset was counted there: the slot kept for it in
	 * ours (if its record was still there) is free again. Any other answer describes the current window; the first
	 * one replaces a guessed reset.
	 */
	#place(state: BucketState, remaining: number, estimate: number, current: boolean, kept: boolean): void {
		const half = state.windowMs / 2;
		if (!(current && state.provisional) && estimate > state.resetAt + half) {
			if (state.late.length < 1_000) state.late.push(estimate);
			return;
		}
		if (!current && estimate <= state.previousResetAt + half) {
			// Counted in an earlier window: the slot kept for it in ours (if one was) is free again.
			if (kept) state.remaining = Math.min(state.limit, state.remaining + 1);
			return;
		}
		// The answer describes the current window (an older request Discord counted in it does too).
		state.remaining = Math.min(state.remaining, remaining);
		if (state.provisional) {
			state.resetAt = Math.max(state.resetAt, estimate);
			state.provisional = false;
		} else {
			state.resetAt = Math.min(state.resetAt, estimate);
		}
	}

	#releaseProbe(probeKey: string, ticket: RateLimitTicket): void {
		const hash = this.#routes.get(ticket.route)?.hash;
		for (const key of [probeKey, hash === undefined || hash === '' ? undefined : `${hash}:${ticket.major}`]) {
			if (key === undefined) continue;
			const state = this.#buckets.get(key);
			if (state !== undefined && state.limit < 0) state.probeUntil = 0;
		}
	}

	#resizeWindow(size: number): void {
		this.#done = new Float64Array(size);
		this.#doneHead = 0;
		this.#doneCount = 0;
	}

	#expire(now: number, windowMs: number): void {
		const done = this.#done;
		while (this.#doneCount > 0 && now - (done[this.#doneHead] ?? 0) >= windowMs) {
			this.#doneHead = (this.#doneHead + 1) % done.length;
			this.#doneCount--;
		}
	}

	#pushDone(now: number): void {
		const done = this.#done;
		if (done.length === 0) return;
		if (this.#doneCount === done.length) {
			this.#doneHead = (this.#doneHead + 1) % done.length;
			this.#doneCount--;
		}
		done[(this.#doneHead + this.#doneCount) % done.length] = now;
		this.#doneCount++;
	}

	#slotMs(policy: RateLimitPolicy): number {
		return policy.invalidWindowMs / INVALID_SLOTS;
	}

	#invalidSum(now: number, policy: RateLimitPolicy): number {
		const current = Math.floor(now / this.#slotMs(policy));
		let sum = 0;
		for (let i = 0; i <= INVALID_SLOTS; i++) {
			if ((this.#slotIds[i] ?? -Infinity) > current - INVALID_SLOTS - 1) sum += this.#slotCounts[i] ?? 0;
		}
		return sum;
	}

	#invalidWait(now: number, policy: RateLimitPolicy): number {
		const slotMs = this.#slotMs(policy);
		const current = Math.floor(now / slotMs);
		let oldest = current;
		for (let i = 0; i <= INVALID_SLOTS; i++) {
			const id = this.#slotIds[i] ?? -Infinity;
			if (id > current - INVALID_SLOTS - 1 && id < oldest && (this.#slotCounts[i] ?? 0) > 0) oldest = id;
		}
		return Math.max(1, (oldest + INVALID_SLOTS + 1) * slotMs - now);
	}

	#countInvalid(now: number, policy: RateLimitPolicy): number {
		const current = Math.floor(now / this.#slotMs(policy));
		const index = current % (INVALID_SLOTS + 1);
		if (this.#slotIds[index] !== current) {
			this.#slotIds[index] = current;
			this.#slotCounts[index] = 0;
		}
		this.#slotCounts[index] = (this.#slotCounts[index] ?? 0) + 1;
		return this.#invalidSum(now, policy);
	}

	#sweep(now: number): void {
		this.#lastSweep = now;
		for (const [key, state] of this.#buckets) {
			const idle =
				state.limit < 0
					? state.probeUntil < now - this.#bucketIdleMs
					: state.resetAt < now - this.#bucketIdleMs;
			if (idle) this.#buckets.delete(key);
		}
		for (const [route, entry] of this.#routes) {
			if (entry.seen < now - this.#hashTtlMs) this.#routes.delete(route);
		}
	}
}
