import { CacheError, isValueError } from './errors/CacheError.js';
import type { CacheEntry, CacheSetOptions, CacheTier } from './interfaces/CacheTier.js';
import { LatencyHistogram } from './analytics/LatencyHistogram.js';
import { compileGlob } from './utils/glob.js';

/** An operation not yet applied to a tier. */
export type PendingOp =
	| { readonly kind: 'set'; readonly value: unknown; readonly options: CacheSetOptions | undefined }
	| { readonly kind: 'delete' };

/** A tag or pattern invalidation not yet applied to a tier. */
export type PendingSweep =
	{ readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'pattern'; readonly pattern: string };

/**
 * Everything {@link MultiTierCache} knows about one tier: health, counters, and the journal of operations
 * not yet applied to it (write-behind, or written while the tier was down). The journal is replayed on
 * recovery; newer operations on a key replace older ones, so replay applies only the final state.
 */
export class TierState {
	public up = true;
	public hits = 0;
	public misses = 0;
	public errors = 0;
	public sets = 0;
	public evictions = 0;
	public readonly getLatency = new LatencyHistogram();
	public readonly setLatency = new LatencyHistogram();
	/** Keyed operations not yet applied, latest wins. */
	public readonly pending = new Map<string, PendingOp>();
	/** Keyed operations being applied right now (reads consult them so a flush never exposes stale data). */
	public readonly inflight = new Map<string, PendingOp>();
	/** Tag/pattern invalidations not yet applied, in order. */
	public sweeps: PendingSweep[] = [];
	#flushing: Promise<number> | undefined;

	public constructor(
		public readonly tier: CacheTier,
		public readonly index: number,
	) {}

	/** Marks the tier up; returns `false` if it already was (another probe got there first). */
	public markUp(): boolean {
		if (this.up) return false;
		this.up = true;
		return true;
	}

	/** The newest unapplied operation on `key`, if any. */
	public pendingOp(key: string): PendingOp | undefined {
		return this.pending.get(key) ?? this.inflight.get(key);
	}

	/** Records an operation to apply later. */
	public journal(key: string, op: PendingOp): void {
		this.pending.delete(key);
		this.pending.set(key, op);
	}

	/** Records a tag invalidation to apply later; journaled writes filed under the tag become deletes. */
	public journalTag(tag: string): void {
		for (const [key, op] of this.pending) {
			if (op.kind === 'set' && op.options?.tags?.includes(tag) === true)
				this.pending.set(key, { kind: 'delete' });
		}
		this.sweeps.push({ kind: 'tag', tag });
	}

	/** Records a pattern invalidation to apply later; journaled writes matching it become deletes. */
	public journalPattern(pattern: string): void {
		const glob = compileGlob(pattern);
		for (const [key, op] of this.pending) {
			if (op.kind === 'set' && glob.test(key)) this.pending.set(key, { kind: 'delete' });
		}
		this.sweeps.push({ kind: 'pattern', pattern });
	}

	/** How many operations wait for this tier. */
	public get backlog(): number {
		return this.pending.size + this.sweeps.length;
	}

	/**
	 * Applies the journal to the tier. Resolves to the number of operations applied and the keys the replayed
	 * tag sweeps deleted. On failure, operations not applied go back into the journal (without overwriting
	 * newer ones) and the promise rejects.
	 */
	public flush(onSweptKeys: (keys: readonly string[]) => void): Promise<number> {
		this.#flushing ??= this.#doFlush(onSweptKeys).finally(() => {
			this.#flushing = undefined;
		});
		return this.#flushing;
	}

	/** Values the tier could not encode, dropped from the journal (a poison value must not block the tier). */
	public readonly rejected: { key: string; error: CacheError }[] = [];

	/**
	 * Writes `sets` in one batch; if the batch fails because a value cannot be encoded, writes them one by one
	 * and drops (into {@link rejected}) the values that cannot be encoded. Outages still throw.
	 */
	async #writeSets(sets: readonly CacheEntry[]): Promise<void> {
		try {
			await this.tier.mset(sets);
			return;
		} catch (error) {
			if (!isValueError(error)) throw error;
		}
		for (const entry of sets) {
			try {
				await this.tier.set(entry.key, entry.value, entry.options);
			} catch (error) {
				if (!isValueError(error)) throw error;
				this.errors++;
				this.rejected.push({ key: entry.key, error });
				if (this.rejected.length > 100) this.rejected.shift();
			}
		}
	}

	async #doFlush(onSweptKeys: (keys: readonly string[]) => void): Promise<number> {
		let applied = 0;
		while (this.sweeps.length > 0 || this.pending.size > 0) {
			const sweeps = this.sweeps;
			this.sweeps = [];
			const batch = [...this.pending].slice(0, 1000);
			for (const [key, op] of batch) {
				this.pending.delete(key);
				this.inflight.set(key, op);
			}
			try {
				for (let index = 0; index < sweeps.length; index++) {
					const sweep = sweeps[index];
					if (sweep === undefined) continue;
					try {
						if (sweep.kind === 'tag') onSweptKeys(await this.tier.deleteByTag(sweep.tag));
						else await this.tier.deleteByPattern(sweep.pattern);
						applied++;
					} catch (error) {
						this.sweeps = [...sweeps.slice(index), ...this.sweeps];
						throw error;
					}
				}
				const sets: CacheEntry[] = [];
				const deletes: string[] = [];
				for (const [key, op] of batch) {
					if (op.kind === 'set')
						sets.push(
							op.options === undefined
								? { key, value: op.value }
								: { key, value: op.value, options: op.options },
						);
					else deletes.push(key);
				}
				if (sets.length > 0) await this.#writeSets(sets);
				await Promise.all(deletes.map((key) => this.tier.delete(key)));
				applied += batch.length;
				this.inflight.clear();
			} catch (error) {
				for (const [key, op] of batch) if (!this.pending.has(key)) this.pending.set(key, op);
				this.inflight.clear();
				throw error instanceof CacheError
					? error
					: CacheError.of(
							'CACHE_TIER_UNAVAILABLE',
							[this.tier.name, 'replay its journaled writes', String(error)],
							{ cause: error, tier: this.tier.name },
						);
			}
		}
		return applied;
	}
}
