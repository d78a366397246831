/** Per-entry options of a write. */
export interface CacheSetOptions {
	/**
	 * Time to live in milliseconds; `0` or omitted uses the tier's default (which may be "no expiry").
	 */
	readonly ttl?: number;
	/** Tags the entry is filed under, for {@link CacheTier.deleteByTag}. */
	readonly tags?: readonly string[];
}

/** One entry of a batched write. */
export interface CacheEntry {
	readonly key: string;
	readonly value: unknown;
	readonly options?: CacheSetOptions;
}

/** Why an entry left a tier on its own. */
export type EvictionReason = 'evict' | 'expire';

/** Called when a tier drops an entry by itself (capacity or TTL), so a composing cache can demote it. */
export type EvictionListener = (key: string, value: unknown, reason: EvictionReason) => void;

/**
 * The contract every cache tier implements: memory ({@link MemoryTier}), Redis (`@ovenjs/cache/redis`) and
 * PostgreSQL (`@ovenjs/cache/postgres`). Values are opaque; remote tiers encode them with a {@link ValueCodec}.
 *
 * Methods of a remote tier reject with `CacheError('CACHE_TIER_UNAVAILABLE')` when the server cannot be
 * reached; {@link MultiTierCache} turns that into failover, so the bot never sees it.
 */
export interface CacheTier {
	/** A short name used in stats and events, e.g. `'memory'`, `'redis'`, `'postgres'`. */
	readonly name: string;
	/**
	 * Whether several processes share this tier's contents (Redis, PostgreSQL). Cross-instance invalidation
	 * only touches tiers that are not shared.
	 */
	readonly shared: boolean;
	/** Whether the tier survives restarts; writes to a durable tier are journaled while it is down. */
	readonly durable: boolean;
	/** The value of `key`, or `undefined`. */
	get(key: string): Promise<unknown>;
	/** Stores `value` under `key` (replacing its tags and TTL). */
	set(key: string, value: unknown, options?: CacheSetOptions): Promise<void>;
	/** Resolves to whether the key existed. */
	delete(key: string): Promise<boolean>;
	/** Whether `key` is present and not expired. */
	has(key: string): Promise<boolean>;
	/** One result per key, `undefined` for misses, in order. */
	mget(keys: readonly string[]): Promise<unknown[]>;
	/** Stores many entries in one batch. */
	mset(entries: readonly CacheEntry[]): Promise<void>;
	/** Deletes every entry filed under `tag` and resolves to their keys. */
	deleteByTag(tag: string): Promise<string[]>;
	/** Deletes every key matching the glob `pattern` (`*`, `?`) and resolves to how many were deleted. */
	deleteByPattern(pattern: string): Promise<number>;
	/** Removes every entry this tier holds (for a shared tier: every entry under its prefix/table). */
	clear(): Promise<void>;
	/** Resolves to whether the backing server answers; never rejects. */
	ping(): Promise<boolean>;
	/** Releases connections and timers. */
	close(): Promise<void>;
	/** Registers the listener for entries the tier drops by itself (only tiers with a capacity call it). */
	onEvict?(listener: EvictionListener): void;
	/** A rough estimate of the bytes held, when the tier can tell. */
	memoryEstimate?(): number;
	/** The number of entries held, when cheap to tell. */
	size?(): number;
}
