import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyGrant, IdentifyThrottler, SessionStartLimit } from '../interfaces/IdentifyThrottler.js';
import { abortReason } from '../utils/abort.js';
import { IDENTIFY_WINDOW_MS } from '../utils/constants.js';

interface Waiter {
	readonly resolve: (grant: IdentifyGrant) => void;
	readonly reject: (reason: Error) => void;
	readonly signal: AbortSignal | undefined;
	readonly onAbort: () => void;
}

/** A granted identify not reported yet: the bucket stays closed until its report or `deadline`. */
interface Held {
	readonly grant: IdentifyGrant;
	readonly deadline: number;
}

interface Bucket {
	/** When the window of the last IDENTIFY sent in this bucket ends (ms since 1970). */
	windowEnd: number;
	held: Held | undefined;
	readonly queue: Waiter[];
	timer: ReturnType<typeof setTimeout> | undefined;
}

/** Options of {@link SimpleIdentifyThrottler}. */
export interface SimpleIdentifyThrottlerOptions {
	/** Called when the daily budget is spent and identifies wait for the reset. */
	readonly onBudgetExhausted?: (waitMs: number) => void;
	/**
	 * How long a granted identify may stay unreported (see {@link IdentifyGrant}) before it is counted as sent, in
	 * ms. Longer than the longest delay between a grant and the send; it only matters when a report is lost.
	 * @defaultValue {@link DefaultSimpleIdentifyThrottlerOptions.sendTimeoutMs}
	 */
	readonly sendTimeoutMs?: number;
}

/** The defaults of {@link SimpleIdentifyThrottlerOptions}. */
export const DefaultSimpleIdentifyThrottlerOptions = {
	sendTimeoutMs: 10_000,
} as const satisfies Required<Pick<SimpleIdentifyThrottlerOptions, 'sendTimeoutMs'>>;

/**
 * In-memory identify throttler: `max_concurrency` buckets (`shard_id % max_concurrency`), one identify per
 * bucket per 5 s, served in call order; and the `session_start_limit` budget, which is never overdrawn — when it
 * is spent, identifies wait for the reset instead of burning it in a reconnect loop. A bucket's 5 s run from when
 * the shard reports its IDENTIFY sent ({@link IdentifyGrant}), as Discord counts them, not from the grant.
 */
export class SimpleIdentifyThrottler implements IdentifyThrottler {
	#maxConcurrency = 1;
	#total = 1_000;
	#remaining = 1_000;
	#resetAt = 0;
	readonly #buckets = new Map<number, Bucket>();
	readonly #onBudgetExhausted: ((waitMs: number) => void) | undefined;
	readonly #sendTimeoutMs: number;

	public constructor(options: SimpleIdentifyThrottlerOptions = {}) {
		const sendTimeoutMs = options.sendTimeoutMs ?? DefaultSimpleIdentifyThrottlerOptions.sendTimeoutMs;
		if (!Number.isInteger(sendTimeoutMs) || sendTimeoutMs < 1)
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'sendTimeoutMs',
				`must be a positive integer (ms), got ${String(sendTimeoutMs)}.`,
			]);
		this.#onBudgetExhausted = options.onBudgetExhausted;
		this.#sendTimeoutMs = sendTimeoutMs;
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

	public waitForIdentify(shardId: number, signal?: AbortSignal): Promise<IdentifyGrant> {
		if (signal?.aborted === true) return Promise.reject(abortReason(signal));
		const key = shardId % this.#maxConcurrency;
		let bucket = this.#buckets.get(key);
		if (bucket === undefined) {
			bucket = { windowEnd: 0, held: undefined, queue: [], timer: undefined };
			this.#buckets.set(key, bucket);
		}
		const owner = bucket;
		return new Promise<IdentifyGrant>((resolve, reject) => {
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
		const now = Date.now();
		const held = bucket.held;
		if (held !== undefined && now >= held.deadline) {
			// Never reported: counted as sent at its deadline.
			bucket.held = undefined;
			bucket.windowEnd = Math.max(bucket.windowEnd, held.deadline + IDENTIFY_WINDOW_MS);
		}
		const head = bucket.queue[0];
		if (head === undefined) return;
		if (now >= this.#resetAt && this.#resetAt !== 0) {
			this.#remaining = this.#total;
			this.#resetAt = now + 86_400_000;
		}
		let wait = Math.max(0, (bucket.held?.deadline ?? bucket.windowEnd) - now);
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
		const grant = this.#grant(bucket);
		bucket.held = { grant, deadline: now + this.#sendTimeoutMs };
		head.resolve(grant);
		if (bucket.queue.length > 0) this.#schedule(bucket);
	}

	/** The slot handed to a shard: its first report reopens the bucket (`notSent`) or starts its window (`sent`). */
	#grant(bucket: Bucket): IdentifyGrant {
		let reported = false;
		const report = (sent: boolean): Promise<void> => {
			if (reported) return Promise.resolve();
			reported = true;
			const current = bucket.held?.grant === grant;
			if (sent) {
				// A late report (past the deadline) still counts: the window covers the IDENTIFY it announces.
				bucket.windowEnd = Math.max(bucket.windowEnd, Date.now() + IDENTIFY_WINDOW_MS);
				if (current) bucket.held = undefined;
			} else if (current) {
				bucket.held = undefined;
				this.#remaining = Math.min(this.#total, this.#remaining + 1);
			}
			this.#schedule(bucket);
			return Promise.resolve();
		};
		const grant: IdentifyGrant = { sent: () => report(true), notSent: () => report(false) };
		return grant;
	}
}
