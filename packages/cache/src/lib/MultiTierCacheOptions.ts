import type { ExtensionPointEmitter } from '@ovenjs/types';
import type { AccessModelOptions } from './analytics/AccessModel.js';
import type { CacheError } from './errors/CacheError.js';
import type { InvalidationReason } from './extension-points.js';
import type { CacheSetOptions, CacheTier } from './interfaces/CacheTier.js';
import type { InvalidationBus } from './interfaces/InvalidationBus.js';

/** Write policy for the tiers below the first. */
export type WriteMode = 'through' | 'behind';

/** Options of predictive warming. */
export interface WarmingOptions extends AccessModelOptions {
	/** Turns the access model and warming on. @defaultValue {@link DefaultWarmingOptions.enabled} */
	readonly enabled?: boolean;
	/** Every this many ms, the top predicted keys are loaded into the first tier; `0` disables it. @defaultValue {@link DefaultWarmingOptions.interval} */
	readonly interval?: number;
	/** How many predicted keys one warming round considers. @defaultValue {@link DefaultWarmingOptions.count} */
	readonly count?: number;
	/** After each read, prefetch the keys usually read right after it. @defaultValue {@link DefaultWarmingOptions.coAccess} */
	readonly coAccess?: boolean;
}

/** The defaults of {@link WarmingOptions} (the access model's own are on `AccessModelOptions`). */
export const DefaultWarmingOptions = {
	enabled: false,
	interval: 60_000,
	count: 100,
	coAccess: true,
} as const satisfies Required<Pick<WarmingOptions, 'enabled' | 'interval' | 'count' | 'coAccess'>>;

/** Options of a {@link MultiTierCache}. */
export interface MultiTierCacheOptions {
	/** The tiers, fastest first. @defaultValue `[new MemoryTier()]` (memory only: needs no server) */
	readonly tiers?: readonly CacheTier[];
	/** `'through'`: writes reach every tier before `set` resolves; `'behind'`: lower tiers are written in batches. @defaultValue {@link DefaultMultiTierCacheOptions.writeMode} */
	readonly writeMode?: WriteMode;
	/** Write-behind flush period in ms. @defaultValue {@link DefaultMultiTierCacheOptions.flushInterval} */
	readonly flushInterval?: number;
	/** How often down tiers are probed for recovery, in ms. @defaultValue {@link DefaultMultiTierCacheOptions.healthCheckInterval} */
	readonly healthCheckInterval?: number;
	/** A key read from a slower tier is copied to faster tiers after this many reads there. @defaultValue {@link DefaultMultiTierCacheOptions.promoteAfter} */
	readonly promoteAfter?: number;
	/** Copy entries the first tier evicts (capacity) down to the next tier. @defaultValue {@link DefaultMultiTierCacheOptions.demoteOnEvict} */
	readonly demoteOnEvict?: boolean;
	/** Time to live, in ms, for copies promoted into faster tiers; `0` uses the tier default. @defaultValue {@link DefaultMultiTierCacheOptions.promotedTtl} */
	readonly promotedTtl?: number;
	/** Cross-process invalidation (e.g. `RedisInvalidationBus`). @defaultValue none */
	readonly bus?: InvalidationBus;
	/** Extension-point bus (`cache:*` points). @defaultValue none */
	readonly emitter?: ExtensionPointEmitter;
	/**
	 * With a `bus`, also publish every `set` so other processes drop their memory copy of the key (and read the
	 * new value from a shared tier). @defaultValue {@link DefaultMultiTierCacheOptions.publishWrites}
	 */
	readonly publishWrites?: boolean;
	/** Predictive warming. @defaultValue disabled (see {@link DefaultWarmingOptions}) */
	readonly warming?: WarmingOptions;
	/** Clock in ms used by the access model. @defaultValue `Date.now` */
	readonly now?: () => number;
}

/** The defaults of {@link MultiTierCacheOptions}. */
export const DefaultMultiTierCacheOptions = {
	writeMode: 'through',
	flushInterval: 100,
	healthCheckInterval: 1_000,
	promoteAfter: 1,
	demoteOnEvict: true,
	promotedTtl: 0,
	publishWrites: true,
} as const satisfies Required<
	Pick<
		MultiTierCacheOptions,
		| 'writeMode'
		| 'flushInterval'
		| 'healthCheckInterval'
		| 'promoteAfter'
		| 'demoteOnEvict'
		| 'promotedTtl'
		| 'publishWrites'
	>
>;

/** Events of a {@link MultiTierCache} (also available as `cache:*` extension points). */
export interface MultiTierCacheEvents {
	tierDown: [tier: string, error: CacheError];
	tierUp: [tier: string, resynced: number];
	invalidate: [keys: readonly string[], reason: InvalidationReason];
	evict: [key: string, tier: string, reason: 'evict' | 'expire'];
}

/** Per-write options of {@link MultiTierCache.set}. */
export interface MultiTierSetOptions extends CacheSetOptions {
	/** Keys this entry depends on: invalidating any of them also invalidates this entry (cascade). */
	readonly dependsOn?: readonly string[];
}

/** What {@link MultiTierCache.invalidate} should drop. */
export interface InvalidationTarget {
	readonly keys?: readonly string[];
	readonly tags?: readonly string[];
	readonly patterns?: readonly string[];
}

/** Maps a gateway dispatch's data to what it invalidates (`undefined`: nothing). */
export type InvalidationRule = (data: unknown) => InvalidationTarget | undefined;
