import { createHash } from 'node:crypto';

/** Rate-limit settings of the mock. */
export interface RateLimitOptions {
	/** Length of a per-route bucket window in milliseconds. @defaultValue 1000 */
	readonly windowMs?: number;
	/**
	 * Requests per window per bucket: one number for every route, or a map from a route key such as
	 * `'POST /channels/{channel_id}/messages'` to its limit (routes not listed get 5).
	 * @defaultValue 5
	 */
	readonly perRoute?: number | Readonly<Record<string, number>>;
	/** Requests per second across all routes, per bot. @defaultValue 50 */
	readonly global?: number;
	/** Set to `false` to switch rate limiting off (headers are still sent). @defaultValue true */
	readonly enabled?: boolean;
}

/** The outcome of {@link RateLimiter.take}. */
export interface RateLimitDecision {
	readonly limited: false | 'user' | 'global';
	readonly headers: Record<string, string>;
	/** Seconds until the caller may retry (only when limited). */
	readonly retryAfter: number;
}

interface Bucket {
	remaining: number;
	resetAt: number;
	limit: number;
}

/** Discord-style bucket hashes: stable per bucket name, opaque like Discord's. */
export function bucketHash(name: string): string {
	return createHash('sha256').update(name).digest('hex').slice(0, 32);
}

/**
 * Per-route buckets (keyed by bucket hash and major parameter) plus a global per-second limit, answering with
 * Discord's `X-RateLimit-*` headers.
 */
export class RateLimiter {
	readonly #buckets = new Map<string, Bucket>();
	#globalWindowStart = 0;
	#globalCount = 0;
	readonly #windowMs: number;
	readonly #perRoute: number | Readonly<Record<string, number>>;
	readonly #globalLimit: number;
	readonly #enabled: boolean;
	readonly #clock: () => number;

	public constructor(options: RateLimitOptions = {}, clock: () => number = Date.now) {
		this.#clock = clock;
		this.#windowMs = options.windowMs ?? 1000;
		this.#perRoute = options.perRoute ?? 5;
		this.#globalLimit = options.global ?? 50;
		this.#enabled = options.enabled ?? true;
	}

	/** Consumes one request from the route's bucket (and the global budget). */
	public take(routeKey: string, hash: string, majorParameter: string, countsGlobally: boolean): RateLimitDecision {
		const now = this.#clock();
		if (countsGlobally && this.#enabled) {
			if (now - this.#globalWindowStart >= 1000) {
				this.#globalWindowStart = now;
				this.#globalCount = 0;
			}
			if (this.#globalCount >= this.#globalLimit) {
				const retryAfter = (this.#globalWindowStart + 1000 - now) / 1000;
				return {
					limited: 'global',
					retryAfter,
					headers: {
						'x-ratelimit-global': 'true',
						'x-ratelimit-scope': 'global',
						'retry-after': String(Math.max(1, Math.ceil(retryAfter))),
					},
				};
			}
			this.#globalCount++;
		}
		const key = `${hash}:${majorParameter}`;
		const limit = typeof this.#perRoute === 'number' ? this.#perRoute : (this.#perRoute[routeKey] ?? 5);
		let bucket = this.#buckets.get(key);
		if (bucket === undefined || now >= bucket.resetAt) {
			bucket = { remaining: limit, resetAt: now + this.#windowMs, limit };
			this.#buckets.set(key, bucket);
		}
		const resetAfter = (bucket.resetAt - now) / 1000;
		const headers: Record<string, string> = {
			'x-ratelimit-limit': String(bucket.limit),
			'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
			'x-ratelimit-reset-after': resetAfter.toFixed(3),
			'x-ratelimit-bucket': hash,
		};
		if (bucket.remaining <= 0 && this.#enabled) {
			if (countsGlobally) this.#globalCount--;
			headers['x-ratelimit-remaining'] = '0';
			headers['x-ratelimit-scope'] = 'user';
			headers['retry-after'] = String(Math.max(1, Math.ceil(resetAfter)));
			return { limited: 'user', retryAfter: resetAfter, headers };
		}
		bucket.remaining = Math.max(0, bucket.remaining - 1);
		headers['x-ratelimit-remaining'] = String(bucket.remaining);
		return { limited: false, retryAfter: 0, headers };
	}

	/** Forgets every bucket (used between tests). */
	public reset(): void {
		this.#buckets.clear();
		this.#globalCount = 0;
	}
}
