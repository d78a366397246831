import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyThrottler, SessionStartLimit } from '../interfaces/IdentifyThrottler.js';
import { abortReason } from '../utils/abort.js';
import { IDENTIFY_WINDOW_MS } from '../utils/constants.js';

interface Waiter {
	readonly resolve: () => void;
	readonly reject: (reason: Error) => void;
	readonly signal: AbortSignal | undefined;
	readonly onAbort: () => void;
}

interface Bucket {
	nextAt: number;
	readonly queue: Waiter[];
	timer: ReturnType<typeof setTimeout> | undefined;
}

/** Options of {@link SimpleIdentifyThrottler}. */
export interface SimpleIdentifyThrottlerOptions {
	/** Called when the daily budget is spent and identifies wait for the reset. */
	readonly onBudgetExhausted?: (waitMs: number) => void;
}

/**
 * In-memory identify throttler: `max_concurrency` buckets (`shard_id % max_concurrency`), one identify per
 * bucket per 5 s, served in call order; and the `session_start_limit` budget, which is never overdrawn — when it
 * is spent, identifies wait for the reset instead of burning it in a reconnect loop.
 */
export class SimpleIdentifyThrottler implements IdentifyThrottler {
	#maxConcurrency = 1;
	#total = 1_000;
	#remaining = 1_000;
	#resetAt = 0;
	readonly #buckets = new Map<number, Bucket>();
	readonly #onBudgetExhausted: ((waitMs: number) => void) | undefined;

	public constructor(options: SimpleIdentifyThrottlerOptions = {}) {
		this.#onBudgetExhausted = options.onBudgetExhausted;
	}

	/** The identify buckets in use. */
	public get maxConcurrency(): number {
		return this.#maxConcurrency;
	}

	/** Session starts left in the current period. */
	public get remaining(): number {
		return this.#remaining;
	}

	public setLimits(limits: SessionStartLimit): void {
		if (!Number.isInteger(limits.maxConcurrency) || limits.maxConcurrency < 1) {
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'maxConcurrency',
				`must be a positive integer, got ${String(limits.maxConcurrency)}.`,
			]);
		}
		this.#maxConcurrency = limits.maxConcurrency;
		this.#total = limits.total;
		this.#remaining = limits.remaining;
		this.#resetAt = Date.now() + limits.resetAfter;
	}

	public waitForIdentify(shardId: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted === true) return Promise.reject(abortReason(signal));
		const key = shardId % this.#maxConcurrency;
		let bucket = this.#buckets.get(key);
		if (bucket === undefined) {
			bucket = { nextAt: 0, queue: [], timer: undefined };
			this.#buckets.set(key, bucket);
		}
		const owner = bucket;
		return new Promise<void>((resolve, reject) => {
			const waiter: Waiter = {
				resolve,
				reject,
				signal,
				onAbort: () => {
					const index = owner.queue.indexOf(waiter);
					if (index !== -1) owner.queue.splice(index, 1);
					if (signal !== undefined) reject(abortReason(signal));
					this.#schedule(owner);
				},
			};
			signal?.addEventListener('abort', waiter.onAbort, { once: true });
			owner.queue.push(waiter);
			this.#schedule(owner);
		});
	}

	#schedule(bucket: Bucket): void {
		if (bucket.timer !== undefined) {
			clearTimeout(bucket.timer);
			bucket.timer = undefined;
		}
		const head = bucket.queue[0];
		if (head === undefined) return;
		const now = Date.now();
		if (now >= this.#resetAt && this.#resetAt !== 0) {
			this.#remaining = this.#total;
			this.#resetAt = now + 86_400_000;
		}
		let wait = Math.max(0, bucket.nextAt - now);
		if (this.#remaining <= 0) {
			const budgetWait = Math.max(1, this.#resetAt - now);
			this.#onBudgetExhausted?.(budgetWait);
			wait = Math.max(wait, budgetWait);
		}
		if (wait > 0) {
			bucket.timer = setTimeout(() => {
				bucket.timer = undefined;
				this.#schedule(bucket);
			}, wait);
			return;
		}
		bucket.queue.shift();
		head.signal?.removeEventListener('abort', head.onAbort);
		this.#remaining--;
		bucket.nextAt = now + IDENTIFY_WINDOW_MS;
		head.resolve();
		if (bucket.queue.length > 0) this.#schedule(bucket);
	}
}
