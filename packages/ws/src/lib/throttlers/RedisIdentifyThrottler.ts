import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { abortReason, sleep } from '../utils/abort.js';
import { isArray } from '../utils/payload.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyGrant, IdentifyThrottler, SessionStartLimit } from '../interfaces/IdentifyThrottler.js';

/** Options of {@link RedisIdentifyThrottler}. */
export interface RedisIdentifyThrottlerOptions {
	/** A connected ioredis client (the throttler does not close it). */
	readonly redis: Redis;
	/**
	 * Prefix of the keys; give every bot its own.
	 * @defaultValue {@link DefaultRedisIdentifyThrottlerOptions.keyPrefix}
	 */
	readonly keyPrefix?: string;
	/**
	 * The identify window of a bucket in ms: Discord allows one IDENTIFY per `max_concurrency` bucket per 5 s. The
	 * window runs from when the shard reported its IDENTIFY sent (see {@link IdentifyGrant}); a small margin over
	 * 5 s absorbs the difference in network delay between two shards' IDENTIFYs reaching Discord (tests shorten it).
	 * @defaultValue {@link DefaultRedisIdentifyThrottlerOptions.windowMs}
	 */
	readonly windowMs?: number;
	/**
	 * How long a granted identify may stay unreported (its process died between the grant and the send) before it
	 * is counted as sent, in ms; until then its bucket stays closed. Longer than the longest delay between a grant
	 * and the send.
	 * @defaultValue {@link DefaultRedisIdentifyThrottlerOptions.sendTimeoutMs}
	 */
	readonly sendTimeoutMs?: number;
	/**
	 * A waiting shard whose process stopped polling for this long loses its place in the queue, in ms.
	 * @defaultValue {@link DefaultRedisIdentifyThrottlerOptions.leaseMs}
	 */
	readonly leaseMs?: number;
	/** Called when the shared daily budget is spent and identifies wait for the reset. */
	readonly onBudgetExhausted?: (waitMs: number) => void;
}

/** The defaults of {@link RedisIdentifyThrottlerOptions}. */
export const DefaultRedisIdentifyThrottlerOptions = {
	keyPrefix: 'ovenjs:ws:identify:',
	windowMs: 5_250,
	leaseMs: 3_000,
	sendTimeoutMs: 10_000,
} as const satisfies Required<
	Pick<RedisIdentifyThrottlerOptions, 'keyPrefix' | 'windowMs' | 'leaseMs' | 'sendTimeoutMs'>
>;

/** How long a place reserved by {@link RedisIdentifyThrottler.plan} lasts by default, in ms. */
const PLAN_LEASE_MS = 30_000;

/** How often a waiter that is not first of its bucket asks again, in ms. */
const QUEUE_POLL_MS = 25;

// KEYS: queue (zset of waiting shards by id), leases (hash shard -> expiry ms), bucket lock, budget, total.
// ARGV: shard, lease ms, hold ms (send timeout + window), queue poll ms, grant id. Returns { granted, waitMs,
// budgetSpent }. The lowest waiting shard of a bucket whose lease is alive goes first; a dead waiter (its process
// stopped polling) is dropped. A grant locks the bucket ('held:' and its id) as if it were sent at the send timeout;
// its report (SENT, RELEASE) comes within milliseconds, so the head waiter polls fast meanwhile. After the budget key expires (Discord's reset) the budget starts again from
// the stored total, for 24 h.
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
    if head ~= shard then return {0, tonumber(ARGV[4]), 0} end
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
if not redis.call('SET', KEYS[3], 'held:' .. ARGV[5], 'PX', ARGV[3], 'NX') then
  local holder = redis.call('GET', KEYS[3])
  if holder and string.sub(holder, 1, 5) == 'held:' then return {0, tonumber(ARGV[4]), 0} end
  local ttl = redis.call('PTTL', KEYS[3])
  if ttl < 0 then ttl = 10 end
  return {0, ttl, 0}
end
if budget then redis.call('DECR', KEYS[4]) end
redis.call('ZREM', KEYS[1], shard)
redis.call('HDEL', KEYS[2], shard)
return {1, 0, 0}
`;

// KEYS: bucket lock. ARGV: grant id, window ms. The IDENTIFY of the grant was sent: its window starts now (Redis's
// clock, after the send). A late report, once another grant holds the bucket, stretches that lock to cover it.
const SENT = `
local holder = redis.call('GET', KEYS[1])
if holder == 'held:' .. ARGV[1] or not holder then
  redis.call('SET', KEYS[1], 'sent:' .. ARGV[1], 'PX', ARGV[2])
  return 1
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

// KEYS: bucket lock, budget, total. ARGV: grant id. The IDENTIFY of the grant was not sent: the bucket reopens and
// the session start goes back to the budget (never above the total). Nothing happens once the grant timed out.
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= 'held:' .. ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
local budget = redis.call('GET', KEYS[2])
local total = redis.call('GET', KEYS[3])
if budget and (not total or tonumber(budget) < tonumber(total)) then redis.call('INCR', KEYS[2]) end
return 1
`;

function isAcquireResult(value: unknown): value is readonly [number, number, number] {
	if (!isArray(value) || value.length !== 3) return false;
	return value.every((item) => typeof item === 'number');
}

function checkPositiveInteger(option: string, value: number, unit = ''): void {
	if (!Number.isInteger(value) || value < 1)
		throw GatewayError.of('GATEWAY_INVALID_OPTION', [
			option,
			`must be a positive integer${unit}, got ${String(value)}.`,
		]);
}

/**
 * The identify control of one bot across processes and machines, shared through Redis. Each `max_concurrency`
 * bucket (`shard_id % max_concurrency`) admits one IDENTIFY per window, in shard order across processes (the lowest
 * waiting shard of a bucket goes first, whichever process asked first), and every identify takes one session start
 * from the daily `session_start_limit` budget Discord reported, which is never overdrawn: when it is spent,
 * identifies wait for the reset. A bucket's window runs from when the granted shard reported its IDENTIFY sent
 * ({@link IdentifyGrant}), as Discord counts it. A waiter whose process stopped asking loses its place after `leaseMs`. To keep
 * the order when processes start at different times, {@link RedisIdentifyThrottler.plan} the shards before starting
 * them (`@ovenjs/cluster` re-exports this class from `@ovenjs/cluster/redis`).
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
	readonly #leaseMs: number;
	readonly #sendTimeoutMs: number;
	readonly #onBudgetExhausted: ((waitMs: number) => void) | undefined;
	#maxConcurrency: number | undefined;

	public constructor(options: RedisIdentifyThrottlerOptions) {
		const defaults = DefaultRedisIdentifyThrottlerOptions;
		const windowMs = options.windowMs ?? defaults.windowMs;
		const leaseMs = options.leaseMs ?? defaults.leaseMs;
		const sendTimeoutMs = options.sendTimeoutMs ?? defaults.sendTimeoutMs;
		checkPositiveInteger('windowMs', windowMs, ' (ms)');
		checkPositiveInteger('leaseMs', leaseMs, ' (ms)');
		checkPositiveInteger('sendTimeoutMs', sendTimeoutMs, ' (ms)');
		this.#redis = options.redis;
		this.#prefix = options.keyPrefix ?? defaults.keyPrefix;
		this.#windowMs = windowMs;
		this.#leaseMs = leaseMs;
		this.#sendTimeoutMs = sendTimeoutMs;
		this.#onBudgetExhausted = options.onBudgetExhausted;
	}

	/** Stores Discord's budget (authoritative: it counts every process's identifies) and the bucket count. */
	public async setLimits(limits: SessionStartLimit): Promise<void> {
		checkPositiveInteger('maxConcurrency', limits.maxConcurrency);
		this.#maxConcurrency = limits.maxConcurrency;
		await this.#redis
			.multi()
			.set(`${this.#prefix}maxConcurrency`, String(limits.maxConcurrency))
			.set(`${this.#prefix}total`, String(limits.total))
			.set(`${this.#prefix}budget`, String(limits.remaining), 'PX', Math.max(1, limits.resetAfter))
			.exec();
	}

	/**
	 * Reserves places for `shardIds` in their buckets' queues for `leaseMs`, so that shards started later by other
	 * processes still identify in shard order. Call it before starting the processes, with the shards that have no
	 * stored session (the others resume and must not hold a place).
	 */
	public async plan(shardIds: readonly number[], maxConcurrency: number, leaseMs = PLAN_LEASE_MS): Promise<void> {
		checkPositiveInteger('maxConcurrency', maxConcurrency);
		checkPositiveInteger('leaseMs', leaseMs, ' (ms)');
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

	public async waitForIdentify(shardId: number, signal?: AbortSignal): Promise<IdentifyGrant> {
		const bucket = shardId % (await this.#buckets());
		const queue = `${this.#prefix}queue:${bucket}`;
		const leases = `${this.#prefix}leases:${bucket}`;
		const lock = `${this.#prefix}bucket:${bucket}`;
		const id = `${shardId}:${randomUUID()}`;
		try {
			for (;;) {
				if (signal?.aborted === true) throw abortReason(signal);
				const result: unknown = await this.#redis.eval(
					ACQUIRE,
					5,
					queue,
					leases,
					lock,
					`${this.#prefix}budget`,
					`${this.#prefix}total`,
					String(shardId),
					String(this.#leaseMs),
					String(this.#sendTimeoutMs + this.#windowMs),
					String(QUEUE_POLL_MS),
					id,
				);
				if (!isAcquireResult(result)) throw GatewayError.of('GATEWAY_REDIS_UNEXPECTED_REPLY', ['identify']);
				const [granted, waitMs, budgetSpent] = result;
				if (granted === 1) return this.#grant(lock, id);
				if (budgetSpent === 1) this.#onBudgetExhausted?.(waitMs);
				// Poll well within the lease so a live waiter never loses its place.
				await sleep(Math.max(1, Math.min(waitMs, Math.floor(this.#leaseMs / 3))), signal);
			}
		} catch (error) {
			// Give the place up, so the shards behind it do not wait for its lease to end.
			await this.#redis
				.multi()
				.zrem(queue, String(shardId))
				.hdel(leases, String(shardId))
				.exec()
				.catch(() => undefined);
			throw error;
		}
	}

	/**
	 * The slot handed to a shard. Its first report goes to Redis; a report Redis does not take (it is down) is
	 * dropped, and the grant's lock falls back on the send timeout.
	 */
	#grant(lock: string, id: string): IdentifyGrant {
		let reported = false;
		const report = async (sent: boolean): Promise<void> => {
			if (reported) return;
			reported = true;
			try {
				if (sent) await this.#redis.eval(SENT, 1, lock, id, String(this.#windowMs));
				else await this.#redis.eval(RELEASE, 3, lock, `${this.#prefix}budget`, `${this.#prefix}total`, id);
			} catch {
				// The lock expires by itself: the grant then counts as sent at the send timeout.
			}
		};
		return { sent: () => report(true), notSent: () => report(false) };
	}

	/** The bucket count: from {@link setLimits} or {@link plan}, else as another process stored it, else 1. */
	async #buckets(): Promise<number> {
		if (this.#maxConcurrency !== undefined) return this.#maxConcurrency;
		const stored = Number(await this.#redis.get(`${this.#prefix}maxConcurrency`));
		return Number.isInteger(stored) && stored > 0 ? stored : 1;
	}
}
