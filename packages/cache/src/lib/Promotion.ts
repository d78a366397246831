import type { CacheSetOptions } from './interfaces/CacheTier.js';
import type { TierSet } from './TierSet.js';
import type { TierState } from './TierState.js';
import type { WriteSequence } from './WriteSequence.js';

/** How values move between tiers (see `MultiTierCacheOptions`). */
export interface PromotionSettings {
	readonly promoteAfter: number;
	readonly promotedTtl: number;
	readonly demoteOnEvict: boolean;
}

/** How many keys may wait for their `promoteAfter`-th read before the counts are forgotten. */
const MAX_COUNTED_KEYS = 10_000;

/**
 * Moving values between tiers: a value read from a slower tier is copied up to the faster ones (after
 * `promoteAfter` reads, with `promotedTtl`), predicted keys are prefetched into the first tier, and what the first
 * tier evicts for capacity is copied down to the next one.
 */
export class Promotion {
	readonly #tiers: TierSet;
	readonly #writes: WriteSequence;
	readonly #settings: PromotionSettings;
	readonly #closed: () => boolean;
	/** Options of promoted copies, built once. */
	readonly #copyOptions: CacheSetOptions;
	readonly #readCounts = new Map<string, number>();

	public constructor(tiers: TierSet, writes: WriteSequence, settings: PromotionSettings, closed: () => boolean) {
		this.#tiers = tiers;
		this.#writes = writes;
		this.#settings = settings;
		this.#closed = closed;
		this.#copyOptions = settings.promotedTtl > 0 ? { ttl: settings.promotedTtl } : {};
	}

	/** After a read that tier `from` answered (and that started at sequence `started`): copies the value up. */
	public afterRead(key: string, value: unknown, from: number, started: number): void {
		if (from > 0 && this.#writes.unchangedSince(key, started)) this.#promote(key, value, from);
	}

	/** Loads `keys` into the first tier from slower ones, unless written meanwhile; resolves to how many. */
	public prefetch(keys: readonly string[]): Promise<number> {
		const started = this.#writes.current;
		const writes = this.#writes;
		const closed = this.#closed;
		return this.#tiers.prefetch(
			keys,
			(key) => writes.unchangedSince(key, started) && !closed(),
			this.#settings.promotedTtl > 0 ? this.#copyOptions : undefined,
		);
	}

	/** Copies an entry tier `state` evicted for capacity down to the next tier (unless it holds the key already). */
	public demote(state: TierState, key: string, value: unknown, reason: 'evict' | 'expire'): void {
		const tiers = this.#tiers;
		const next = tiers.states[state.index + 1];
		if (!this.#settings.demoteOnEvict || reason !== 'evict' || next === undefined || this.#closed()) return;
		if (next.pendingOp(key) !== undefined) return;
		const demotion = (async () => {
			if (!next.up || (await next.tier.has(key))) return;
			await tiers.write(next, key, { kind: 'set', value, options: undefined });
		})().catch((error: unknown) => {
			tiers.markDown(next, error);
		});
		tiers.track(demotion);
	}

	#promote(key: string, value: unknown, from: number): void {
		const after = this.#settings.promoteAfter;
		if (after > 1) {
			const count = (this.#readCounts.get(key) ?? 0) + 1;
			if (count < after) {
				this.#readCounts.set(key, count);
				if (this.#readCounts.size > MAX_COUNTED_KEYS) this.#readCounts.clear();
				return;
			}
			this.#readCounts.delete(key);
		}
		const tiers = this.#tiers;
		for (const state of tiers.states.slice(0, from)) {
			if (state.up) tiers.track(tiers.write(state, key, { kind: 'set', value, options: this.#copyOptions }));
		}
	}
}
