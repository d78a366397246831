import { AccessModel } from './analytics/AccessModel.js';
import { DefaultWarmingOptions, type WarmingOptions } from './MultiTierCacheOptions.js';
import type { Promotion } from './Promotion.js';

/** How many co-accessed keys a read prefetches. */
const CO_ACCESSED_PER_READ = 4;

/**
 * Predictive warming: an {@link AccessModel} of the reads, whose top predictions are loaded into the first tier
 * (on a timer or by `warm()`), and whose co-accessed keys are prefetched after each read.
 */
export class Warming {
	/** The access model. */
	public readonly model: AccessModel;
	readonly #promotion: Promotion;
	readonly #clock: () => number;
	readonly #count: number;
	readonly #coAccess: boolean;

	public constructor(options: WarmingOptions, promotion: Promotion, clock: () => number) {
		this.model = new AccessModel(options);
		this.#promotion = promotion;
		this.#clock = clock;
		this.#count = options.count ?? DefaultWarmingOptions.count;
		this.#coAccess = options.coAccess ?? DefaultWarmingOptions.coAccess;
	}

	/** Records a read of `key` (before it is served). */
	public recordRead(key: string): void {
		this.model.record(key, this.#clock());
	}

	/** After a read of `key`: prefetches the keys usually read right after it (when `coAccess`). */
	public afterRead(key: string): void {
		if (!this.#coAccess) return;
		const model = this.model;
		void this.#promotion.prefetch([
			...new Set([...model.followers(key), ...model.coAccessed(key, CO_ACCESSED_PER_READ)]),
		]);
	}

	/** Loads the `count` keys the model predicts into the first tier; resolves to how many were loaded. */
	public warm(count = this.#count): Promise<number> {
		const keys = this.model.predict(this.#clock(), count).map((prediction) => prediction.key);
		return this.#promotion.prefetch(keys);
	}

	/** The hottest keys now. */
	public hottest(count: number): ReturnType<AccessModel['hottest']> {
		return this.model.hottest(this.#clock(), count);
	}

	/** Forgets invalidated keys. */
	public forget(keys: readonly string[]): void {
		for (const key of keys) this.model.forget(key);
	}
}
