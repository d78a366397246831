import { LRUCache } from 'lru-cache';
import { assertNumberOption } from '../utils/keys.js';
import { KeyPatterns } from './KeyPatterns.js';

/** Options of an {@link AccessModel}. */
export interface AccessModelOptions {
	/** How many keys the model tracks (least recently seen are forgotten). @defaultValue `50_000` */
	readonly maxKeys?: number;
	/** Half-life of the decayed access frequency, in ms. @defaultValue `600_000` (10 minutes) */
	readonly halfLife?: number;
	/** Two accesses closer than this many ms count as co-accessed. @defaultValue `2_000` */
	readonly coAccessWindow?: number;
	/** How many co-accessed keys are remembered per key. @defaultValue `8` */
	readonly coAccessFanout?: number;
	/** Length of a "day" for the time-of-day profile, in ms (24 buckets). @defaultValue `86_400_000` */
	readonly dayLength?: number;
}

interface KeyModel {
	frequency: number;
	/** Raw number of accesses (for co-access confidence). */
	count: number;
	updatedAt: number;
	readonly profile: Float32Array;
	readonly next: Map<string, number>;
}

/** A scored prediction. */
export interface Prediction {
	readonly key: string;
	readonly score: number;
}

const PROFILE_BUCKETS = 24;

/**
 * The access-pattern model behind predictive warming. For each key it keeps:
 * - a **decayed frequency** (each access adds 1; the total halves every `halfLife` ms),
 * - a **time-of-day profile** (24 buckets over `dayLength`), so keys hot at this hour score higher,
 * - **co-accessed keys**: the keys most often read within `coAccessWindow` ms after it.
 *
 * {@link AccessModel.predict} ranks keys by `frequency × time-of-day weight`, plus co-access weight from the
 * most recent accesses. It runs entirely in memory, is deterministic given the same inputs and clock values,
 * and is what `replayTrace` measures against plain LRU.
 */
export class AccessModel {
	readonly #models: LRUCache<string, KeyModel>;
	readonly #halfLife: number;
	readonly #window: number;
	readonly #fanout: number;
	readonly #dayLength: number;
	readonly #recent: { key: string; at: number }[] = [];
	readonly #patterns = new KeyPatterns();

	public constructor(options: AccessModelOptions = {}) {
		assertNumberOption('maxKeys', options.maxKeys, 1);
		assertNumberOption('halfLife', options.halfLife, 1);
		assertNumberOption('coAccessWindow', options.coAccessWindow, 0);
		assertNumberOption('coAccessFanout', options.coAccessFanout, 0);
		assertNumberOption('dayLength', options.dayLength, PROFILE_BUCKETS);
		this.#models = new LRUCache({ max: options.maxKeys ?? 50_000 });
		this.#halfLife = options.halfLife ?? 600_000;
		this.#window = options.coAccessWindow ?? 2_000;
		this.#fanout = options.coAccessFanout ?? 8;
		this.#dayLength = options.dayLength ?? 86_400_000;
	}

	/** Records an access of `key` at time `now` (ms). */
	public record(key: string, now: number): void {
		let model = this.#models.get(key);
		if (model === undefined) {
			model = {
				frequency: 0,
				count: 0,
				updatedAt: now,
				profile: new Float32Array(PROFILE_BUCKETS),
				next: new Map(),
			};
			this.#models.set(key, model);
		}
		const decay = this.#decay(now - model.updatedAt);
		model.frequency = model.frequency * decay + 1;
		model.count++;
		model.updatedAt = now;
		const bucket = this.#bucketOf(now);
		for (let index = 0; index < PROFILE_BUCKETS; index++)
			model.profile[index] = (model.profile[index] ?? 0) * decay;
		model.profile[bucket] = (model.profile[bucket] ?? 0) + 1;
		this.#patterns.seen(key);
		if (this.#fanout > 0) {
			for (const previous of this.#recent) {
				if (previous.key === key || now - previous.at > this.#window) continue;
				const from = this.#models.peek(previous.key);
				if (from !== undefined) this.#link(from, key);
				this.#patterns.link(previous.key, key);
			}
		}
		this.#recent.push({ key, at: now });
		if (this.#recent.length > 4) this.#recent.shift();
	}

	/** The decayed access frequency of `key` at `now`. */
	public frequency(key: string, now: number): number {
		const model = this.#models.peek(key);
		return model === undefined ? 0 : model.frequency * this.#decay(now - model.updatedAt);
	}

	/**
	 * The keys most often read shortly after `key`, best first. With `minConfidence`, only keys that followed
	 * `key` at least twice and in at least that share of its reads.
	 */
	public coAccessed(key: string, limit = this.#fanout, minConfidence = 0): string[] {
		const model = this.#models.peek(key);
		if (model === undefined) return [];
		const floor = minConfidence > 0 ? Math.max(2, minConfidence * model.count) : 0;
		return [...model.next.entries()]
			.filter(([, weight]) => weight >= floor)
			.sort((a, b) => b[1] - a[1])
			.slice(0, limit)
			.map(([next]) => next);
	}

	/**
	 * Keys predicted to follow `key` from the *shape* of keys (IDs as variables): after `member:1:2` was often
	 * followed by `user:2`, `member:3:4` predicts `user:4` even if those two were never read together.
	 */
	public followers(key: string): string[] {
		return this.#fanout > 0 ? this.#patterns.predict(key) : [];
	}

	/** The `limit` keys most likely to be read next at time `now`, best first. */
	public predict(now: number, limit: number): Prediction[] {
		const bucket = this.#bucketOf(now);
		const scores = new Map<string, number>();
		for (const [key, model] of this.#models.entries()) {
			const decay = this.#decay(now - model.updatedAt);
			let total = 0;
			for (const value of model.profile) total += value;
			const hourWeight = total > 0 ? ((model.profile[bucket] ?? 0) * PROFILE_BUCKETS + 1) / (total + 1) : 1;
			scores.set(key, model.frequency * decay * hourWeight);
		}
		for (const recent of this.#recent) {
			const model = this.#models.peek(recent.key);
			if (model === undefined) continue;
			for (const [next, weight] of model.next) scores.set(next, (scores.get(next) ?? 0) + weight * 4);
		}
		return [...scores.entries()]
			.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
			.slice(0, limit)
			.map(([key, score]) => ({ key, score }));
	}

	/** The `limit` keys with the highest decayed frequency at `now`. */
	public hottest(now: number, limit: number): Prediction[] {
		const out: Prediction[] = [];
		for (const [key, model] of this.#models.entries())
			out.push({ key, score: model.frequency * this.#decay(now - model.updatedAt) });
		return out.sort((a, b) => b.score - a.score).slice(0, limit);
	}

	/** How many keys the model tracks. */
	public get size(): number {
		return this.#models.size;
	}

	/** Forgets `key`. */
	public forget(key: string): void {
		this.#models.delete(key);
	}

	#link(from: KeyModel, to: string): void {
		const existing = from.next.get(to);
		if (existing !== undefined) {
			from.next.set(to, existing + 1);
			return;
		}
		if (from.next.size >= this.#fanout) {
			let weakest: string | undefined;
			let weakestScore = Infinity;
			for (const [key, score] of from.next) {
				if (score < weakestScore) {
					weakest = key;
					weakestScore = score;
				}
			}
			if (weakest !== undefined) from.next.delete(weakest);
		}
		from.next.set(to, 1);
	}

	#decay(elapsed: number): number {
		return elapsed <= 0 ? 1 : 0.5 ** (elapsed / this.#halfLife);
	}

	#bucketOf(now: number): number {
		const phase = ((now % this.#dayLength) + this.#dayLength) % this.#dayLength;
		return Math.min(PROFILE_BUCKETS - 1, Math.floor((phase / this.#dayLength) * PROFILE_BUCKETS));
	}
}
