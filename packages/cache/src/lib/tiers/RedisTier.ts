import { Redis, type RedisOptions } from 'ioredis';
import { CacheError } from '../errors/CacheError.js';
import type { CacheEntry, CacheSetOptions, CacheTier } from '../interfaces/CacheTier.js';
import { ValueCodec, type ValueCodecOptions } from '../utils/Serializer.js';
import { assertNumberOption } from '../utils/keys.js';

/** Options of a {@link RedisTier}. */
export interface RedisTierOptions {
	/** An ioredis client to use (not closed by the tier). Without it, the tier connects to `url`. */
	readonly client?: Redis;
	/** Connection URL when no client is given. @defaultValue `'redis://127.0.0.1:6379'` */
	readonly url?: string;
	/** Extra ioredis options when the tier creates the client. @defaultValue `{}` */
	readonly redisOptions?: RedisOptions;
	/** Prefix of every key this tier writes. @defaultValue `'ovenjs:cache:'` */
	readonly prefix?: string;
	/** The tier name in stats and events. @defaultValue `'redis'` */
	readonly name?: string;
	/** Default time to live in ms; `0` means no expiry. @defaultValue `0` */
	readonly ttl?: number;
	/**
	 * Sliding TTL: each `get` restarts the entry's default TTL (`GETEX ... PX`, Redis 6.2+). Only applies when
	 * `ttl` is set. @defaultValue `false`
	 */
	readonly slidingTtl?: boolean;
	/** How values are encoded (msgpackr, lz4 above 1 KiB, schema version). @defaultValue `new ValueCodec()` */
	readonly codec?: ValueCodec | ValueCodecOptions;
	/** A command that gets no answer within this many ms fails (and the tier fails over). @defaultValue `1_000` */
	readonly commandTimeout?: number;
}

/** Escapes Redis glob metacharacters other than `*` and `?`. */
function escapeGlob(text: string, keepWildcards: boolean): string {
	return text.replace(keepWildcards ? /[[\]\\]/g : /[[\]\\*?]/g, '\\$&');
}

/**
 * A tier on Redis (ioredis): values are msgpackr-encoded (lz4 above a size threshold) with a version byte,
 * writes are pipelined, tags are Redis sets. Calls reject with `CACHE_TIER_UNAVAILABLE` when Redis does not
 * answer within `commandTimeout`; {@link MultiTierCache} fails over and resyncs.
 */
export class RedisTier implements CacheTier {
	public readonly name: string;
	public readonly shared = true;
	public readonly durable = false;
	/** The ioredis client in use. */
	public readonly client: Redis;
	readonly #owned: boolean;
	readonly #prefix: string;
	readonly #ttl: number;
	readonly #codec: ValueCodec;
	readonly #sliding: boolean;

	public constructor(options: RedisTierOptions = {}) {
		assertNumberOption('ttl', options.ttl, 0);
		assertNumberOption('commandTimeout', options.commandTimeout, 1);
		this.name = options.name ?? 'redis';
		this.#prefix = options.prefix ?? 'ovenjs:cache:';
		this.#ttl = options.ttl ?? 0;
		this.#sliding = (options.slidingTtl ?? false) && this.#ttl > 0;
		this.#codec = options.codec instanceof ValueCodec ? options.codec : new ValueCodec(options.codec);
		this.#owned = options.client === undefined;
		this.client =
			options.client ??
			new Redis(options.url ?? 'redis://127.0.0.1:6379', {
				maxRetriesPerRequest: 1,
				commandTimeout: options.commandTimeout ?? 1_000,
				retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
				...options.redisOptions,
			});
		// Connection errors surface through failed commands; an unhandled 'error' event would crash the process.
		this.client.on('error', () => undefined);
	}

	/** Inspect output without the client (its options may hold a password). */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `RedisTier { name: ${JSON.stringify(this.name)}, prefix: ${JSON.stringify(this.#prefix)}, status: ${JSON.stringify(this.client.status)} }`;
	}

	public async get(key: string): Promise<unknown> {
		const bytes = await this.#run(() =>
			this.#sliding
				? this.client.getexBuffer(this.#valueKey(key), 'PX', this.#ttl)
				: this.client.getBuffer(this.#valueKey(key)),
		);
		return bytes === null ? undefined : this.#codec.decode(bytes);
	}

	public async set(key: string, value: unknown, options?: CacheSetOptions): Promise<void> {
		await this.mset([{ key, value, ...(options === undefined ? {} : { options }) }]);
	}

	public async delete(key: string): Promise<boolean> {
		return (await this.#run(() => this.client.del(this.#valueKey(key)))) > 0;
	}

	public async has(key: string): Promise<boolean> {
		return (await this.#run(() => this.client.exists(this.#valueKey(key)))) > 0;
	}

	public async mget(keys: readonly string[]): Promise<unknown[]> {
		if (keys.length === 0) return [];
		const values = await this.#run(() => this.client.mgetBuffer(keys.map((key) => this.#valueKey(key))));
		return values.map((bytes) => (bytes === null ? undefined : this.#codec.decode(bytes)));
	}

	public async mset(entries: readonly CacheEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const encoded = entries.map((entry) => ({ entry, bytes: this.#codec.encode(entry.value) }));
		await this.#run(async () => {
			const pipeline = this.client.pipeline();
			for (const { entry, bytes } of encoded) {
				const ttl = entry.options?.ttl ?? 0;
				const effective = ttl > 0 ? ttl : this.#ttl;
				const key = this.#valueKey(entry.key);
				if (effective > 0) pipeline.set(key, bytes, 'PX', effective);
				else pipeline.set(key, bytes);
				for (const tag of entry.options?.tags ?? []) pipeline.sadd(this.#tagKey(tag), entry.key);
			}
			const results = await pipeline.exec();
			const failed = results?.find(([error]) => error !== null);
			if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('pipeline aborted');
		});
	}

	public async deleteByTag(tag: string): Promise<string[]> {
		const tagKey = this.#tagKey(tag);
		const keys = await this.#run(() => this.client.smembers(tagKey));
		await this.#run(() => this.client.del(tagKey, ...keys.map((key) => this.#valueKey(key))));
		return keys;
	}

	public async deleteByPattern(pattern: string): Promise<number> {
		return this.#deleteMatching(`${escapeGlob(this.#prefix, false)}v:${escapeGlob(pattern, true)}`);
	}

	public async clear(): Promise<void> {
		await this.#deleteMatching(`${escapeGlob(this.#prefix, false)}*`);
	}

	public async ping(): Promise<boolean> {
		if (this.client.status !== 'ready') {
			if (this.client.status === 'end' && this.#owned) await this.client.connect().catch(() => undefined);
			return false;
		}
		try {
			await this.client.ping();
			return true;
		} catch {
			return false;
		}
	}

	public async close(): Promise<void> {
		if (this.#owned && this.client.status !== 'end')
			await this.client.quit().catch(() => {
				this.client.disconnect();
			});
	}

	async #deleteMatching(match: string): Promise<number> {
		let cursor = '0';
		let deleted = 0;
		do {
			const [next, keys] = await this.#run(() => this.client.scan(cursor, 'MATCH', match, 'COUNT', 1000));
			cursor = next;
			if (keys.length > 0) deleted += await this.#run(() => this.client.unlink(...keys));
		} while (cursor !== '0');
		return deleted;
	}

	#valueKey(key: string): string {
		return `${this.#prefix}v:${key}`;
	}

	#tagKey(tag: string): string {
		return `${this.#prefix}t:${tag}`;
	}

	async #run<T>(command: () => Promise<T>): Promise<T> {
		try {
			return await command();
		} catch (error) {
			throw CacheError.of(
				'CACHE_TIER_UNAVAILABLE',
				[this.name, 'complete a Redis command', error instanceof Error ? error.message : String(error)],
				{
					cause: error,
					tier: this.name,
				},
			);
		}
	}
}
