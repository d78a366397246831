import type { Redis } from 'ioredis';
import { abortReason, sleep } from '../utils/abort.js';
import { isArray } from '../utils/payload.js';
import { IDENTIFY_WINDOW_MS } from '../utils/constants.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyThrottler, SessionStartLimit } from '../interfaces/IdentifyThrottler.js';

/** Options of {@link RedisIdentifyThrottler}. */
export interface RedisIdentifyThrottlerOptions {
	/** A connected ioredis client (the throttler does not close it). */
	readonly redis: Redis;
	/** Prefix of the keys; give every bot its own. @defaultValue `'ovenjs:ws:identify:'` */
	readonly keyPrefix?: string;
	/** The identify window of a bucket in ms (Discord's is 5 s; tests shorten it). @defaultValue `5_000` */
	readonly windowMs?: number;
	/** Called when the shared daily budget is spent and identifies wait for the reset. */
	readonly onBudgetExhausted?: (waitMs: number) => void;
}

// KEYS: bucket, budget, total. ARGV: window ms. Returns { granted, waitMs, budgetSpent }. After the budget
// key expires (Discord's reset) it starts again from the stored total, for 24 h.
const ACQUIRE = `
local budget = redis.call('GET', KEYS[2])
if not budget then
  local total = redis.call('GET', KEYS[3])
  if total then
    redis.call('SET', KEYS[2], total, 'PX', 86400000)
    budget = total
  end
end
if budget and tonumber(budget) <= 0 then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then ttl = 1000 end
  return {0, ttl, 1}
end
if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = 10 end
  return {0, ttl, 0}
end
if budget then redis.call('DECR', KEYS[2]) end
return {1, 0, 0}
`;

function isAcquireResult(value: unknown): value is readonly [number, number, number] {
	if (!isArray(value) || value.length !== 3) return false;
	return value.every((item) => typeof item === 'number');
}

/**
 * Identify throttler shared through Redis, so several processes or machines running one bot's shards share its
 * `max_concurrency` buckets (one identify per bucket per 5 s) and its `session_start_limit` budget. Within a
 * process, requests of one bucket are served in call order.
 *
 * ```ts
 * import { RedisIdentifyThrottler } from '@ovenjs/ws/redis';
 * const identifyThrottler = new RedisIdentifyThrottler({ redis: new Redis(), keyPrefix: 'mybot:identify:' });
 * ```
 */
export class RedisIdentifyThrottler implements IdentifyThrottler {
	readonly #redis: Redis;
	readonly #prefix: string;
	readonly #windowMs: number;
	readonly #onBudgetExhausted: ((waitMs: number) => void) | undefined;
	#maxConcurrency = 1;
	readonly #tails = new Map<number, Promise<void>>();

	public constructor(options: RedisIdentifyThrottlerOptions) {
		const windowMs = options.windowMs ?? IDENTIFY_WINDOW_MS;
		if (!Number.isInteger(windowMs) || windowMs < 1)
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'windowMs',
				`must be a positive integer, got ${String(windowMs)}.`,
			]);
		this.#redis = options.redis;
		this.#prefix = options.keyPrefix ?? 'ovenjs:ws:identify:';
		this.#windowMs = windowMs;
		this.#onBudgetExhausted = options.onBudgetExhausted;
	}

	/** Stores Discord's budget (authoritative: it counts every process's identifies) and the bucket count. */
	public async setLimits(limits: SessionStartLimit): Promise<void> {
		if (!Number.isInteger(limits.maxConcurrency) || limits.maxConcurrency < 1) {
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'maxConcurrency',
				`must be a positive integer, got ${String(limits.maxConcurrency)}.`,
			]);
		}
		this.#maxConcurrency = limits.maxConcurrency;
		await this.#redis.set(`${this.#prefix}total`, String(limits.total));
		await this.#redis.set(`${this.#prefix}budget`, String(limits.remaining), 'PX', Math.max(1, limits.resetAfter));
	}

	public waitForIdentify(shardId: number, signal?: AbortSignal): Promise<void> {
		const key = shardId % this.#maxConcurrency;
		const previous = this.#tails.get(key) ?? Promise.resolve();
		const mine = previous.then(
			() => this.#acquire(key, signal),
			() => this.#acquire(key, signal),
		);
		const tail = mine.catch(() => undefined);
		this.#tails.set(key, tail);
		void tail.then(() => {
			if (this.#tails.get(key) === tail) this.#tails.delete(key);
		});
		return mine;
	}

	async #acquire(key: number, signal: AbortSignal | undefined): Promise<void> {
		for (;;) {
			if (signal?.aborted === true) throw abortReason(signal);
			const result: unknown = await this.#redis.eval(
				ACQUIRE,
				3,
				`${this.#prefix}bucket:${key}`,
				`${this.#prefix}budget`,
				`${this.#prefix}total`,
				String(this.#windowMs),
			);
			if (!isAcquireResult(result)) throw GatewayError.of('GATEWAY_REDIS_UNEXPECTED_REPLY', ['identify']);
			const [granted, waitMs, budgetSpent] = result;
			if (granted === 1) return;
			if (budgetSpent === 1) this.#onBudgetExhausted?.(waitMs);
			await sleep(Math.max(1, waitMs), signal);
		}
	}
}
