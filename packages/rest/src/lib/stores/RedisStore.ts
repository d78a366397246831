import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RestError } from '../errors/RestError.js';
import type {
	AcquireResult,
	CompleteResult,
	RateLimitPolicy,
	RateLimitReason,
	RateLimitResponse,
	RateLimitStore,
	RateLimitTicket,
} from '../interfaces/RateLimitStore.js';
import { positive } from '../utils/options.js';
import { ACQUIRE_SCRIPT, COMPLETE_SCRIPT } from './redisScripts.js';

/** Options of {@link RedisStore}. Defaults are in {@link DefaultRedisStoreOptions}. */
export interface RedisStoreOptions {
	/** A connected ioredis client (the store never closes it; `quit()` it yourself). */
	readonly redis: Redis;
	/**
	 * The bot token whose limits are shared. Only a SHA-256 digest of it is used (in key names); the token is
	 * never sent to Redis.
	 */
	readonly token: string;
	/**
	 * Key prefix, so several bots or environments can share one Redis.
	 * @defaultValue {@link DefaultRedisStoreOptions.prefix}
	 */
	readonly prefix?: string;
	/**
	 * Buckets whose window ended this long ago expire (milliseconds).
	 * @defaultValue {@link DefaultRedisStoreOptions.bucketIdleMs}
	 */
	readonly bucketIdleMs?: number;
	/**
	 * Route → bucket-hash mappings unused this long expire (milliseconds).
	 * @defaultValue {@link DefaultRedisStoreOptions.hashTtlMs}
	 */
	readonly hashTtlMs?: number;
	/**
	 * The time source, in milliseconds since 1970: for simulations and tests on simulated time. Every process
	 * sharing the namespace must use the same clock. Key expiry still runs on Redis's own clock.
	 * @defaultValue the Redis server's clock (`TIME`), so the processes' clocks need not agree
	 */
	readonly clock?: () => number;
}

/** The defaults of {@link RedisStoreOptions}. */
export const DefaultRedisStoreOptions = {
	prefix: 'ovenjs:rest',
	bucketIdleMs: 300_000,
	hashTtlMs: 3_600_000,
} as const satisfies Required<Pick<RedisStoreOptions, 'prefix' | 'bucketIdleMs' | 'hashTtlMs'>>;

const REASONS: ReadonlySet<string> = new Set(['global', 'bucket', 'discovery', 'invalid']);

function isReason(value: unknown): value is RateLimitReason {
	return typeof value === 'string' && REASONS.has(value);
}

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function toNumber(value: unknown): number {
	return typeof value === 'number' ? value : Number(value);
}

function opt(value: number | undefined): string {
	return value === undefined ? '' : String(value);
}

/**
 * A {@link RateLimitStore} in Redis: processes that use one token and one Redis share buckets, the global
 * limit and the invalid-request counter. Every decision is one atomic Lua script (`EVALSHA`), so two
 * processes can never both take a bucket's last slot.
 *
 * ```ts
 * import { Redis } from 'ioredis';
 * import { REST } from '@ovenjs/rest';
 * import { RedisStore } from '@ovenjs/rest/redis';
 * const store = new RedisStore({ redis: new Redis(), token });
 * const rest = new REST({ token, store });
 * ```
 *
 * Keys live under `<prefix>:<first 16 hex of sha256(token)>:`; the store is meant for one Redis node (all of
 * a token's keys are touched by one script).
 */
export class RedisStore implements RateLimitStore {
	/** The key namespace (`<prefix>:<token digest>`). */
	public readonly namespace: string;
	readonly #redis: Redis;
	readonly #bucketIdleMs: string;
	readonly #hashTtlMs: string;
	readonly #clock: (() => number) | undefined;
	readonly #instance = randomBytes(6).toString('base64url');
	#counter = 0;
	#acquireSha: string | undefined;
	#completeSha: string | undefined;

	public constructor(options: RedisStoreOptions) {
		if (typeof options.token !== 'string' || options.token === '') {
			throw RestError.of('REST_INVALID_OPTION', [
				'RedisStore option "token"',
				'must be the bot token (only its SHA-256 digest is used in key names)',
			]);
		}
		this.#redis = options.redis;
		const digest = createHash('sha256')
			.update(options.token.replace(/^(Bot|Bearer)\s+/i, ''))
			.digest('hex')
			.slice(0, 16);
		this.namespace = `${options.prefix ?? DefaultRedisStoreOptions.prefix}:${digest}`;
		this.#bucketIdleMs = String(
			Math.ceil(
				positive(
					'RedisStore.bucketIdleMs',
					options.bucketIdleMs ?? DefaultRedisStoreOptions.bucketIdleMs,
					true,
				),
			),
		);
		this.#hashTtlMs = String(
			Math.ceil(positive('RedisStore.hashTtlMs', options.hashTtlMs ?? DefaultRedisStoreOptions.hashTtlMs, true)),
		);
		const clock: unknown = options.clock;
		if (clock !== undefined && typeof clock !== 'function')
			throw RestError.of('REST_INVALID_OPTION', [
				'option "RedisStore.clock"',
				`must be a function returning milliseconds; got ${typeof clock}`,
			]);
		this.#clock = options.clock;
	}

	public async acquire(ticket: RateLimitTicket, policy: RateLimitPolicy): Promise<AcquireResult> {
		const reply = await this.#run('acquire', [
			this.namespace,
			ticket.route,
			ticket.major,
			ticket.global ? '1' : '0',
			String(policy.globalLimit),
			String(policy.globalWindowMs),
			String(policy.invalidLimit),
			String(policy.invalidWindowMs),
			String(policy.discoveryTimeoutMs),
			this.#hashTtlMs,
			this.#bucketIdleMs,
			`${this.#instance}:${this.#counter++}`,
			this.#now(),
		]);
		if (!isList(reply) || reply.length < 4) throw this.#badReply('acquire', reply);
		const bucket = typeof reply[3] === 'string' && reply[3] !== '' ? reply[3] : undefined;
		if (toNumber(reply[0]) === 1)
			return { granted: true, bucket, lease: typeof reply[4] === 'string' ? reply[4] : '' };
		const reason = reply[2];
		if (!isReason(reason)) throw this.#badReply('acquire', reply);
		return { granted: false, waitMs: Math.max(1, toNumber(reply[1])), reason, bucket };
	}

	public async complete(
		ticket: RateLimitTicket,
		response: RateLimitResponse,
		policy: RateLimitPolicy,
		lease: string,
	): Promise<CompleteResult> {
		const reply = await this.#run('complete', [
			this.namespace,
			ticket.route,
			ticket.major,
			String(response.status),
			response.hash === undefined ? '0' : '1',
			response.hash ?? '',
			opt(response.limit),
			opt(response.remaining),
			opt(response.resetAfterMs),
			opt(response.retryAfterMs),
			response.scope ?? '',
			response.global ? '1' : '0',
			String(policy.offsetMs),
			String(policy.invalidWindowMs),
			this.#hashTtlMs,
			this.#bucketIdleMs,
			lease,
			response.sent === false ? '0' : '1',
			this.#now(),
		]);
		if (!isList(reply) || reply.length < 2) throw this.#badReply('complete', reply);
		const discovered = typeof reply[0] === 'string' && reply[0] !== '' ? reply[0] : undefined;
		return { discovered, invalidCount: toNumber(reply[1]) };
	}

	/** Deletes every key of this namespace (for tests and resets; uses `SCAN`, not `KEYS`). */
	public async clear(): Promise<number> {
		let cursor = '0';
		let deleted = 0;
		do {
			const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${this.namespace}:*`, 'COUNT', 500);
			cursor = next;
			if (keys.length > 0) deleted += await this.#redis.del(...keys);
		} while (cursor !== '0');
		return deleted;
	}

	/** The injected time as a script argument, `''` for Redis's clock. */
	#now(): string {
		const clock = this.#clock;
		return clock === undefined ? '' : String(Math.floor(clock()));
	}

	async #run(which: 'acquire' | 'complete', args: readonly string[]): Promise<unknown> {
		const script = which === 'acquire' ? ACQUIRE_SCRIPT : COMPLETE_SCRIPT;
		let sha = which === 'acquire' ? this.#acquireSha : this.#completeSha;
		sha ??= await this.#load(which, script);
		try {
			return await this.#redis.evalsha(sha, 0, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
			sha = await this.#load(which, script);
			return this.#redis.evalsha(sha, 0, ...args);
		}
	}

	async #load(which: 'acquire' | 'complete', script: string): Promise<string> {
		const sha: unknown = await this.#redis.script('LOAD', script);
		if (typeof sha !== 'string') throw this.#badReply(`load ${which}`, sha);
		if (which === 'acquire') this.#acquireSha = sha;
		else this.#completeSha = sha;
		return sha;
	}

	#badReply(what: string, reply: unknown): RestError {
		return RestError.of('REST_STORE_ERROR', [
			`Redis answered the ${what} script with an unexpected reply (${JSON.stringify(reply)}); is the server Redis 6.2 or newer?`,
		]);
	}
}
