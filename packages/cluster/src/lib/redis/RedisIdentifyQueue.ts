import type { Redis } from 'ioredis';
import type { IdentifyThrottler, SessionStartLimit } from '@ovenjs/ws';
import { z } from 'zod';
import { ClusterError } from '../errors/ClusterError.js';

/** Options of {@link RedisIdentifyQueue}. */
export interface RedisIdentifyQueueOptions {
	/** A connected ioredis client (the queue does not close it). */
	readonly redis: Redis;
	/** Prefix of the keys; give every bot its own. @defaultValue `'ovenjs:identify:'` */
	readonly keyPrefix?: string;
	/**
	 * The identify window of a bucket in ms: Discord allows one IDENTIFY per `max_concurrency` bucket per 5 s. A
	 * small margin over it absorbs network jitter between the grant and Discord receiving the IDENTIFY.
	 * @defaultValue `5_250`
	 */
	readonly windowMs?: number;
	/** A waiting shard whose process stopped polling for this long loses its place, in ms. @defaultValue `3_000` */
	readonly leaseMs?: number;
	/** Called when the shared daily budget is spent and identifies wait for the reset. */
	readonly onBudgetExhausted?: (waitMs: number) => void;
}

/** Defaults of {@link RedisIdentifyQueueOptions}. */
export const DefaultRedisIdentifyQueueOptions = {
	keyPrefix: 'ovenjs:identify:',
	windowMs: 5_250,
	leaseMs: 3_000,
} as const satisfies Partial<RedisIdentifyQueueOptions>;

// KEYS: queue (zset of waiting shards by id), leases (hash shard -> expiry ms), bucket lock, budget, total.
// ARGV: shard, lease ms, window ms. Returns { granted, waitMs, budgetSpent }. The lowest waiting shard of a bucket
// whose lease is alive goes first; a dead waiter (its process stopped polling) is dropped.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local shard = ARGV[1]
redis.call('ZADD', KEYS[1], 'NX', tonumber(shard), shard)
local lease = tonumber(redis.call('HGET', KEYS[2], shard) or '0')
if lease < now + tonumber(ARGV[2]) then redis.call('HSET', KEYS[2], shard, now + tonumber(ARGV[2])) end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return {0, 10, 0} end
  local expiry = tonumber(redis.call('HGET', KEYS[2], head) or '0')
  if expiry >= now then
    if head ~= shard then return {0, 25, 0} end
    break
  end
  redis.call('ZREM', KEYS[1], head)
  redis.call('HDEL', KEYS[2], head)
end
local budget = redis.call('GET', KEYS[4])
if not budget then
  local total = redis.call('GET', KEYS[5])
  if total then
    redis.call('SET', KEYS[4], total, 'PX', 86400000)
    budget = total
  end
end
if budget and tonumber(budget) <= 0 then
  local ttl = redis.call('PTTL', KEYS[4])
  if ttl < 0 then ttl = 1000 end
  return {0, ttl, 1}
end
if not redis.call('SET', KEYS[3], shard, 'PX', ARGV[3], 'NX') then
  local ttl = redis.call('PTTL', KEYS[3])
  if ttl < 0 then ttl = 10 end
  return {0, ttl, 0}
end
if budget then redis.call('DECR', KEYS[4]) end
redis.call('ZREM', KEYS[1], shard)
redis.call('HDEL', KEYS[2], shard)
return {1, 0, 0}
`;

const AcquireResult = z.tuple([z.number(), z.number(), z.number()]);

function reasonOf(signal: { readonly reason: unknown }): unknown {
	return signal.reason;
}

function abortError(signal: AbortSignal, shardId?: number): Error {
	const reason = reasonOf(signal);
	if (reason instanceof Error) return reason;
	return new ClusterError(
		'CLUSTER_STOPPED',
		'The identify wait was aborted.',
		shardId === undefined ? {} : { shardId },
	);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted === true) {
			reject(abortError(signal));
			return;
		}
		const onAbort = (): void => {
			clearTimeout(timer);
			if (signal !== undefined) reject(abortError(signal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * The global identify control of a cluster: an {@link IdentifyThrottler} shared through Redis by every process and
 * machine of one bot. Each `max_concurrency` bucket (`shard_id % max_concurrency`) admits one IDENTIFY per window,
 * in shard order across processes (the lowest waiting shard of a bucket goes first), and every identify takes one
 * session start from the daily budget Discord reported. Unlike `@ovenjs/ws/redis`'s `RedisIdentifyThrottler`
 * (first come, first served), it keeps the order when processes start at different times: {@link plan} the shards
 * before forking them.
 *
 * ```ts
 * const identifyThrottler = new RedisIdentifyQueue({ redis, keyPrefix: 'mybot:identify:' });
 * ```
 */
export class RedisIdentifyQueue implements IdentifyThrottler {
	readonly #redis: Redis;
	readonly #prefix: string;
	readonly #windowMs: number;
	readonly #leaseMs: number;
	readonly #onBudgetExhausted: ((waitMs: number) => void) | undefined;
	#maxConcurrency: number | undefined;

	public constructor(options: RedisIdentifyQueueOptions) {
		const d = DefaultRedisIdentifyQueueOptions;
		for (const key of ['windowMs', 'leaseMs'] as const) {
			const value = options[key];
			if (value !== undefined && (!Number.isInteger(value) || value < 1))
				throw new ClusterError(
					'CLUSTER_INVALID_OPTION',
					`RedisIdentifyQueue ${key} must be a positive integer (ms), got ${String(value)}.`,
				);
		}
		this.#redis = options.redis;
		this.#prefix = options.keyPrefix ?? d.keyPrefix;
		this.#windowMs = options.windowMs ?? d.windowMs;
		this.#leaseMs = options.leaseMs ?? d.leaseMs;
		this.#onBudgetExhausted = options.onBudgetExhausted;
	}

	/** Stores Discord's budget (authoritative: it counts every process's identifies) and the bucket count. */
	public async setLimits(limits: SessionStartLimit): Promise<void> {
		if (!Number.isInteger(limits.maxConcurrency) || limits.maxConcurrency < 1)
			throw new ClusterError(
				'CLUSTER_INVALID_OPTION',
				`maxConcurrency must be a positive integer, got ${String(limits.maxConcurrency)}.`,
			);
		this.#maxConcurrency = limits.maxConcurrency;
		await this.#redis
			.multi()
			.set(`${this.#prefix}maxConcurrency`, String(limits.maxConcurrency))
			.set(`${this.#prefix}total`, String(limits.total))
			.set(`${this.#prefix}budget`, String(limits.remaining), 'PX', Math.max(1, limits.resetAfter))
			.exec();
	}

	async #buckets(): Promise<number> {
		if (this.#maxConcurrency !== undefined) return this.#maxConcurrency;
		const stored = Number(await this.#redis.get(`${this.#prefix}maxConcurrency`));
		return Number.isInteger(stored) && stored > 0 ? stored : 1;
	}

	/**
	 * Reserves places for `shardIds` in their buckets' queues for `leaseMs` (default 30 s), so that shards started
	 * later by other processes still identify in shard order. Call it before forking the processes, with the shards
	 * that have no stored session (the others resume and must not hold a place).
	 */
	public async plan(shardIds: readonly number[], maxConcurrency: number, leaseMs = 30_000): Promise<void> {
		if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
			throw new ClusterError(
				'CLUSTER_INVALID_OPTION',
				`maxConcurrency must be a positive integer, got ${String(maxConcurrency)}.`,
			);
		this.#maxConcurrency = maxConcurrency;
		const [seconds, micros] = await this.#redis.time();
		const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
		const multi = this.#redis.multi().set(`${this.#prefix}maxConcurrency`, String(maxConcurrency));
		for (const id of shardIds) {
			const bucket = id % maxConcurrency;
			multi.zadd(`${this.#prefix}queue:${bucket}`, 'NX', id, String(id));
			multi.hset(`${this.#prefix}leases:${bucket}`, String(id), String(now + leaseMs));
		}
		await multi.exec();
	}

	public async waitForIdentify(shardId: number, signal?: AbortSignal): Promise<void> {
		const bucket = shardId % (await this.#buckets());
		const keys = [
			`${this.#prefix}queue:${bucket}`,
			`${this.#prefix}leases:${bucket}`,
			`${this.#prefix}bucket:${bucket}`,
			`${this.#prefix}budget`,
			`${this.#prefix}total`,
		];
		try {
			for (;;) {
				if (signal?.aborted === true) throw abortError(signal, shardId);
				const raw: unknown = await this.#redis.eval(
					ACQUIRE,
					keys.length,
					...keys,
					String(shardId),
					String(this.#leaseMs),
					String(this.#windowMs),
				);
				const parsed = AcquireResult.safeParse(raw);
				if (!parsed.success)
					throw new ClusterError(
						'CLUSTER_STORE_FAILED',
						'Redis answered the identify script with an unexpected value; check the Redis server.',
						{ shardId },
					);
				const [granted, waitMs, budgetSpent] = parsed.data;
				if (granted === 1) return;
				if (budgetSpent === 1) this.#onBudgetExhausted?.(waitMs);
				// Poll well within the lease so a live waiter never loses its place.
				await sleep(Math.max(1, Math.min(waitMs, Math.floor(this.#leaseMs / 3))), signal);
			}
		} catch (error) {
			await this.#redis
				.multi()
				.zrem(keys[0] ?? '', String(shardId))
				.hdel(keys[1] ?? '', String(shardId))
				.exec()
				.catch(() => undefined);
			throw error;
		}
	}
}
