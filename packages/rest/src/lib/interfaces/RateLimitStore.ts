/**
 * The swappable rate-limit store. The REST client asks the store before every request (`acquire`) and tells
 * it what Discord answered (`complete`); everything the limiter knows lives behind these two calls, so a
 * shared store (Redis) makes several processes that use one token share buckets, the global limit and the
 * invalid-request counter.
 *
 * Implementations: {@link MemoryStore} (default, one process) and `RedisStore` from `@ovenjs/rest/redis`.
 */

/** Identifies the bucket a request falls in, before its Discord bucket hash is known. */
export interface RateLimitTicket {
	/** Method + route template with minor IDs replaced, e.g. `POST /channels/:id/messages`. */
	readonly route: string;
	/** The major parameter (channel, guild or webhook ID + token digest), or `''` when the route has none. */
	readonly major: string;
	/** Whether the request counts toward the global limit (bot-authenticated, not an interaction callback). */
	readonly global: boolean;
}

/** The limits the store enforces; the same object is passed on every call. */
export interface RateLimitPolicy {
	/** Requests allowed per {@link RateLimitPolicy.globalWindowMs} across all routes. */
	readonly globalLimit: number;
	/** The sliding window of the global limit, in milliseconds. */
	readonly globalWindowMs: number;
	/** Invalid requests (401, 403, 429 except `shared`) allowed per {@link RateLimitPolicy.invalidWindowMs} before requests block. */
	readonly invalidLimit: number;
	/** The window of the invalid-request guard, in milliseconds. */
	readonly invalidWindowMs: number;
	/** Extra milliseconds added to every reset Discord announces (clock skew and latency margin). */
	readonly offsetMs: number;
	/** How long an unknown bucket stays locked for its first request before another may probe it. */
	readonly discoveryTimeoutMs: number;
}

/** Why a request may not go yet. */
export type RateLimitReason = 'global' | 'bucket' | 'discovery' | 'invalid';

/** The answer to {@link RateLimitStore.acquire}. */
export type AcquireResult =
	| {
			readonly granted: true;
			readonly bucket: string | undefined;
			/** Identifies this grant; passed back to {@link RateLimitStore.complete} (`''` when the store needs none). */
			readonly lease: string;
	  }
	| {
			readonly granted: false;
			/** Milliseconds to wait before asking again (the store may also be woken earlier by a completion). */
			readonly waitMs: number;
			readonly reason: RateLimitReason;
			/** The bucket key that blocked, when the bucket (not global/invalid) is the reason. */
			readonly bucket: string | undefined;
	  };

/** What Discord answered, reduced to what the limiter needs. `status` 0 means no response (network error). */
export interface RateLimitResponse {
	readonly status: number;
	/** `X-RateLimit-Bucket`. */
	readonly hash: string | undefined;
	/** `X-RateLimit-Limit`. */
	readonly limit: number | undefined;
	/** `X-RateLimit-Remaining`. */
	readonly remaining: number | undefined;
	/** `X-RateLimit-Reset-After`, in milliseconds. */
	readonly resetAfterMs: number | undefined;
	/** `Retry-After` (429 only), in milliseconds. */
	readonly retryAfterMs: number | undefined;
	/** `X-RateLimit-Scope`: `user`, `global` or `shared`. */
	readonly scope: string | undefined;
	/** `X-RateLimit-Global` (429 only). */
	readonly global: boolean;
	/**
	 * `false` when the request never left this process (aborted while queued, circuit open): its slot may be
	 * given back. Absent otherwise: a `status` 0 answer (network error, abort in flight) may still have reached
	 * Discord, so its slot stays taken until the discovery timeout.
	 */
	readonly sent?: false;
}

/** The answer to {@link RateLimitStore.complete}. */
export interface CompleteResult {
	/** The bucket hash, when this response revealed a new route → hash mapping. */
	readonly discovered: string | undefined;
	/** Invalid requests counted in the current window (after this response). */
	readonly invalidCount: number;
}

/** The contract every rate-limit store implements. */
export interface RateLimitStore {
	/**
	 * Atomically checks the invalid-request guard, the global limit and the request's bucket, and when all
	 * allow it, takes one slot of each. An unknown bucket grants exactly one request (the probe) until
	 * {@link RateLimitStore.complete} records its response.
	 *
	 * The global limit counts a request from its grant until one window after its completion (Discord may
	 * have received it at any point in between), so no latency can squeeze one request too many into
	 * Discord's window.
	 */
	acquire(ticket: RateLimitTicket, policy: RateLimitPolicy): AcquireResult | Promise<AcquireResult>;
	/**
	 * Records Discord's answer to a request that `acquire` granted (or its failure, with `status` 0). Called
	 * exactly once per grant, with the grant's `lease`.
	 */
	complete(
		ticket: RateLimitTicket,
		response: RateLimitResponse,
		policy: RateLimitPolicy,
		lease: string,
	): CompleteResult | Promise<CompleteResult>;
	/** Releases timers and connections the store owns. The REST client calls it from `destroy()` only for stores it created. */
	destroy?(): void | Promise<void>;
}
