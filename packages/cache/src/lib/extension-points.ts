import type { CacheError } from './errors/CacheError.js';

/** One tier consulted by a read (`cache:tierRead`). */
export interface TierReadInfo {
	/** The key read. */
	readonly key: string;
	/** The tier's name (`'memory'`, `'redis'`, `'postgres'`, `'entity'` for the entity cache). */
	readonly tier: string;
	/** Whether this tier had the key. */
	readonly hit: boolean;
	/** How long this tier's read took, in milliseconds (`0` for the synchronous entity cache). */
	readonly durationMs: number;
}

/** Why keys were invalidated, as reported by `cache:invalidate`. */
export type InvalidationReason = 'delete' | 'tag' | 'pattern' | 'cascade' | 'remote' | 'event';

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Before a read: a `MultiTierCache` get, or a single-entity `EntityCache` getter (keys like `guild:<id>`). */
		'cache:beforeGet': [key: string];
		/** After a read: whether it hit, and which tier answered (`'entity'` for the entity cache). */
		'cache:afterGet': [key: string, hit: boolean, tier: string | undefined];
		/**
		 * Every tier a read consulted, in order, each with its own hit or miss (per-tier hit ratios); emitted in the
		 * reader's async context, after the tier answered.
		 */
		'cache:tierRead': [read: TierReadInfo];
		/** Before a write: a `MultiTierCache` set, or a gateway dispatch the `EntityCache` ingests. */
		'cache:beforeSet': [key: string, value: unknown];
		/** After a write was applied to (or journaled for) every tier, or a dispatch changed the entity cache. */
		'cache:afterSet': [key: string, value: unknown];
		/** Keys (and tags/patterns) were invalidated. */
		'cache:invalidate': [keys: readonly string[], reason: InvalidationReason];
		/** A tier dropped an entry by itself (capacity or TTL). */
		'cache:evict': [key: string, tier: string, reason: 'evict' | 'expire'];
		/** A tier became unreachable; reads skip it and writes are journaled. */
		'cache:tierDown': [tier: string, error: CacheError];
		/** A tier is reachable again; `resynced` journaled operations were replayed. */
		'cache:tierUp': [tier: string, resynced: number];
	}
}
