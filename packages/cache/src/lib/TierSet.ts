import { CacheError, isValueError } from './errors/CacheError.js';
import { TierState, type PendingOp } from './TierState.js';
import type { CacheSetOptions, CacheTier } from './interfaces/CacheTier.js';
import { MemoryTier } from './tiers/MemoryTier.js';

/** Callbacks a {@link TierSet} reports through. */
export interface TierSetHooks {
	onDown(state: TierState, error: CacheError): void;
	onUp(state: TierState, resynced: number): void;
	closed(): boolean;
}

/**
 * The tiers of a {@link MultiTierCache} and their failover: reads and writes that fail mark a tier down (writes
 * are journaled on its {@link TierState}), a health probe replays the journal when the tier answers again, and
 * background work (write-behind flushes, promotions, demotions) is tracked so `settle()` can wait for it.
 */
export class TierSet {
	public readonly states: TierState[];
	public readonly writeMode: 'through' | 'behind';
	readonly #hooks: TierSetHooks;
	readonly #background = new Set<Promise<unknown>>();
	#checking = false;

	public constructor(tiers: readonly CacheTier[], writeMode: 'through' | 'behind', hooks: TierSetHooks) {
		this.writeMode = writeMode;
		this.#hooks = hooks;
		this.states = tiers.map((tier, index) => new TierState(tier, index));
	}

	/** Resolves once the tracked background tasks (and up to 10 rounds of tasks they start) have settled. */
	public async settle(): Promise<void> {
		for (let round = 0; round < 10 && this.#background.size > 0; round++)
			await Promise.allSettled([...this.#background]);
	}

	public async readTier(state: TierState, key: string): Promise<unknown> {
		const started = process.hrtime.bigint();
		try {
			const value = await state.tier.get(key);
			state.getLatency.record(Number(process.hrtime.bigint() - started));
			if (value === undefined) state.misses++;
			else state.hits++;
			return value;
		} catch (error) {
			if (isValueError(error)) {
				state.errors++;
				state.misses++;
				return undefined;
			}
			this.markDown(state, error);
			return undefined;
		}
	}

	public async apply(key: string, op: PendingOp): Promise<void> {
		const writes: Promise<void>[] = [];
		for (const state of this.states) {
			if (state.index > 0 && (this.writeMode === 'behind' || !state.up || state.pendingOp(key) !== undefined)) {
				state.journal(key, op);
				if (state.up && this.writeMode === 'through') this.track(this.flushState(state));
				continue;
			}
			writes.push(this.write(state, key, op));
		}
		await Promise.all(writes);
	}

	public async write(state: TierState, key: string, op: PendingOp): Promise<void> {
		const started = process.hrtime.bigint();
		try {
			if (op.kind === 'set') await state.tier.set(key, op.value, op.options);
			else await state.tier.delete(key);
			state.sets++;
			state.setLatency.record(Number(process.hrtime.bigint() - started));
		} catch (error) {
			if (error instanceof CacheError && error.code !== 'CACHE_TIER_UNAVAILABLE') throw error;
			state.journal(key, op);
			this.markDown(state, error);
		}
	}

	public async sweepTag(tag: string): Promise<string[]> {
		const keys = new Set<string>();
		await Promise.all(
			this.states.map(async (state) => {
				if (!state.up || (state.index > 0 && this.writeMode === 'behind')) {
					state.journalTag(tag);
					return;
				}
				try {
					for (const key of await state.tier.deleteByTag(tag)) keys.add(key);
				} catch (error) {
					state.journalTag(tag);
					this.markDown(state, error);
				}
			}),
		);
		return [...keys];
	}

	public async sweepPattern(pattern: string): Promise<void> {
		await Promise.all(
			this.states.map(async (state) => {
				if (!state.up || (state.index > 0 && (this.writeMode === 'behind' || state.backlog > 0))) {
					state.journalPattern(pattern);
					return;
				}
				try {
					await state.tier.deleteByPattern(pattern);
				} catch (error) {
					state.journalPattern(pattern);
					this.markDown(state, error);
				}
			}),
		);
	}

	public markDown(state: TierState, error: unknown): void {
		state.errors++;
		if (!state.up) return;
		state.up = false;
		const cacheError =
			error instanceof CacheError
				? error
				: CacheError.of('CACHE_TIER_UNAVAILABLE', [state.tier.name, 'serve a request', String(error)], {
						cause: error,
						tier: state.tier.name,
					});
		this.#hooks.onDown(state, cacheError);
	}

	public async healthCheck(): Promise<void> {
		if (this.#checking) return;
		this.#checking = true;
		try {
			for (const state of this.states) await this.#probe(state);
		} finally {
			this.#checking = false;
		}
	}

	async #probe(state: TierState): Promise<void> {
		if (state.up || this.#hooks.closed()) return;
		// A custom tier's ping may reject despite the contract: treat that as "still down".
		if (!(await state.tier.ping().catch(() => false))) return;
		try {
			const resynced = await state.flush((keys) => void this.#dropLocal(keys));
			if (!state.markUp()) return;
			// Writes journaled while the replay ran are applied now.
			if (state.backlog > 0) this.track(this.flushState(state));
			this.#hooks.onUp(state, resynced);
		} catch {
			state.errors++;
		}
	}

	public async flushAll(): Promise<void> {
		await Promise.all(
			this.states.map((state) => (state.up && state.backlog > 0 ? this.flushState(state) : Promise.resolve())),
		);
	}

	public async flushState(state: TierState): Promise<void> {
		try {
			await state.flush((keys) => void this.#dropLocal(keys));
		} catch (error) {
			this.markDown(state, error);
		}
	}

	async #dropLocal(keys: readonly string[]): Promise<void> {
		for (const state of this.states)
			if (!state.tier.shared && state.up) for (const key of keys) await state.tier.delete(key).catch(() => false);
	}

	public track(task: Promise<unknown>): void {
		const guarded = task.catch(() => undefined);
		this.#background.add(guarded);
		void guarded.then(() => this.#background.delete(guarded));
	}

	/**
	 * Copies `keys` missing from the first tier into it from slower tiers (journals first), loading only keys
	 * for which `canLoad` still holds when their value arrives. Never rejects; resolves to how many were loaded.
	 */
	public prefetch(
		keys: readonly string[],
		canLoad: (key: string) => boolean,
		options: CacheSetOptions | undefined,
	): Promise<number> {
		const first = this.states[0];
		if (first === undefined || this.states.length < 2 || keys.length === 0) return Promise.resolve(0);
		let missing = keys.filter((key) => !(first.tier instanceof MemoryTier) || !first.tier.hasSync(key));
		if (missing.length === 0) return Promise.resolve(0);
		// In-process tiers on both ends: copy synchronously, so the key is there before the next read.
		const second = this.states[1];
		if (first.tier instanceof MemoryTier && second?.tier instanceof MemoryTier && second.up) {
			const memory = first.tier;
			const source = second.tier;
			let copied = 0;
			missing = missing.filter((key) => {
				if (second.pendingOp(key) !== undefined || !canLoad(key)) return true;
				const value = source.getSync(key);
				if (value === undefined) return true;
				memory.setSync(key, value, options);
				copied++;
				return false;
			});
			if (missing.length === 0 || this.states.length < 3) return Promise.resolve(copied);
		}
		const task = (async () => {
			let loaded = 0;
			let wanted = missing;
			const load = async (key: string, value: unknown): Promise<void> => {
				if (!canLoad(key)) return;
				await this.write(first, key, { kind: 'set', value, options: options });
				loaded++;
			};
			for (const state of this.states.slice(1)) {
				if (wanted.length === 0) break;
				const toRead: string[] = [];
				for (const key of wanted) {
					const pending = state.pendingOp(key);
					if (pending === undefined) toRead.push(key);
					else if (pending.kind === 'set') await load(key, pending.value);
				}
				if (!state.up || toRead.length === 0) {
					wanted = state.up ? [] : toRead;
					continue;
				}
				try {
					const values = await state.tier.mget(toRead);
					const next: string[] = [];
					for (const [index, key] of toRead.entries()) {
						const value = values[index];
						if (value === undefined) next.push(key);
						else await load(key, value);
					}
					wanted = next;
				} catch (error) {
					this.markDown(state, error);
					wanted = toRead;
				}
			}
			return loaded;
		})();
		this.track(task);
		// Callers may ignore the result (`void this.prefetch(...)`): the returned promise never rejects.
		return task.catch(() => 0);
	}
}
