import { randomUUID } from 'node:crypto';
import { markClass, Emitter, type ExtensionPointEmitter } from '@ovenjs/types';
import type { AccessModel } from './analytics/AccessModel.js';
import { buildStats, type CacheStats } from './analytics/CacheStats.js';
import { LatencyHistogram } from './analytics/LatencyHistogram.js';
import { CacheError } from './errors/CacheError.js';
import type { InvalidationReason } from './extension-points.js';
import type { CacheSetOptions, CacheTier } from './interfaces/CacheTier.js';
import { InvalidationLink } from './InvalidationLink.js';
import { InvalidationRules } from './InvalidationRules.js';
import {
	DefaultMultiTierCacheOptions,
	DefaultWarmingOptions,
	type InvalidationRule,
	type InvalidationTarget,
	type MultiTierCacheEvents,
	type MultiTierCacheOptions,
	type MultiTierSetOptions,
	type WriteMode,
} from './MultiTierCacheOptions.js';
import { Promotion } from './Promotion.js';
import type { TierState } from './TierState.js';
import { TierSet } from './TierSet.js';
import { MemoryTier } from './tiers/MemoryTier.js';
import { assertKey, assertNumberOption, assertPattern, dependencyTag } from './utils/keys.js';
import { Warming } from './Warming.js';
import { WriteSequence } from './WriteSequence.js';
import './extension-points.js';

export type {
	WriteMode,
	WarmingOptions,
	MultiTierCacheOptions,
	MultiTierCacheEvents,
	MultiTierSetOptions,
	InvalidationTarget,
	InvalidationRule,
} from './MultiTierCacheOptions.js';

/**
 * A cache composed of tiers (fastest first): read-through with promotion to faster tiers, demotion of evicted
 * entries, write-through or write-behind, and failover — a tier that fails is skipped for reads, its writes
 * are journaled and replayed when a health probe sees it back (`tierDown`/`tierUp` events). `get`/`set` never
 * reject because of an outage; they reject only for bad input (`CACHE_INVALID_KEY`, ...).
 *
 * This class is the facade: the tiers and their failover are a {@link TierSet}, moving values between tiers is
 * {@link Promotion}, read/write ordering is {@link WriteSequence}, the cross-process bus is
 * {@link InvalidationLink}, event rules are {@link InvalidationRules} and predictive warming is {@link Warming}.
 *
 * @example
 * ```ts
 * const cache = new MultiTierCache(); // memory only, no server needed
 * await cache.set('user:1', { name: 'a' }, { ttl: 60_000, tags: ['users'] });
 * await cache.get('user:1');
 * ```
 */
export class MultiTierCache extends Emitter<MultiTierCacheEvents> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'cache.MultiTierCache');
	}

	/** Identifies this instance on the invalidation bus. */
	public readonly id = randomUUID();
	/** Time an invalidation takes to reach every local tier, in ns. */
	public readonly invalidationLatency = new LatencyHistogram();
	/** Time from a remote process's invalidation to its arrival here, in ns. */
	public readonly remoteInvalidationLatency = new LatencyHistogram();
	readonly #tiers: TierSet;
	/** The first tier when it is a memory tier (read synchronously by {@link MultiTierCache.getSync}), found once. */
	readonly #syncTier: MemoryTier | undefined;
	readonly #writeMode: WriteMode;
	readonly #emitter: ExtensionPointEmitter | undefined;
	readonly #writes = new WriteSequence();
	readonly #promotion: Promotion;
	readonly #link: InvalidationLink | undefined;
	readonly #rules = new InvalidationRules();
	readonly #warming: Warming | undefined;
	readonly #timers: NodeJS.Timeout[] = [];
	#closed = false;

	public constructor(options: MultiTierCacheOptions = {}) {
		super();
		const tiers = options.tiers ?? [new MemoryTier()];
		if (tiers.length === 0)
			throw CacheError.of('CACHE_INVALID_OPTION', [
				'tiers',
				'a list of at least one tier (fastest first)',
				'an empty list',
			]);
		const writeMode: unknown = options.writeMode ?? DefaultMultiTierCacheOptions.writeMode;
		if (writeMode !== 'through' && writeMode !== 'behind')
			throw CacheError.of('CACHE_INVALID_OPTION', ['writeMode', "'through' or 'behind'", String(writeMode)]);
		assertNumberOption('flushInterval', options.flushInterval, 1);
		assertNumberOption('healthCheckInterval', options.healthCheckInterval, 1);
		assertNumberOption('promoteAfter', options.promoteAfter, 1);
		assertNumberOption('promotedTtl', options.promotedTtl, 0);
		this.#writeMode = writeMode;
		this.#emitter = options.emitter;
		const closed = (): boolean => this.#closed;
		this.#tiers = new TierSet(tiers, writeMode, {
			onDown: (state, error) => {
				if (this.#emitter?.has('cache:tierDown') === true)
					this.#emitter.emit('cache:tierDown', state.tier.name, error);
				if (this.hasListeners('tierDown')) this.emit('tierDown', state.tier.name, error);
			},
			onUp: (state, resynced) => {
				if (this.#emitter?.has('cache:tierUp') === true)
					this.#emitter.emit('cache:tierUp', state.tier.name, resynced);
				if (this.hasListeners('tierUp')) this.emit('tierUp', state.tier.name, resynced);
			},
			closed,
		});
		const first = this.#tiers.states[0]?.tier;
		this.#syncTier = first instanceof MemoryTier ? first : undefined;
		this.#promotion = new Promotion(
			this.#tiers,
			this.#writes,
			{
				promoteAfter: options.promoteAfter ?? DefaultMultiTierCacheOptions.promoteAfter,
				promotedTtl: options.promotedTtl ?? DefaultMultiTierCacheOptions.promotedTtl,
				demoteOnEvict: options.demoteOnEvict ?? DefaultMultiTierCacheOptions.demoteOnEvict,
			},
			closed,
		);
		const warming = options.warming ?? {};
		this.#warming =
			(warming.enabled ?? DefaultWarmingOptions.enabled)
				? new Warming(warming, this.#promotion, options.now ?? Date.now)
				: undefined;
		for (const state of this.#tiers.states) {
			state.tier.onEvict?.((key, value, reason) => {
				this.#onEvicted(state, key, value, reason);
			});
		}
		this.#timers.push(
			setInterval(
				() => void this.#tiers.healthCheck().catch(() => undefined),
				options.healthCheckInterval ?? DefaultMultiTierCacheOptions.healthCheckInterval,
			).unref(),
		);
		if (writeMode === 'behind') {
			this.#timers.push(
				setInterval(
					() => void this.#tiers.flushAll().catch(() => undefined),
					options.flushInterval ?? DefaultMultiTierCacheOptions.flushInterval,
				).unref(),
			);
		}
		const warmEvery = warming.interval ?? DefaultWarmingOptions.interval;
		if (this.#warming !== undefined && warmEvery > 0)
			this.#timers.push(setInterval(() => void this.warm().catch(() => 0), warmEvery).unref());
		this.#link =
			options.bus === undefined
				? undefined
				: new InvalidationLink({
						bus: options.bus,
						origin: this.id,
						tiers: this.#tiers,
						writes: this.#writes,
						latency: this.remoteInvalidationLatency,
						publishWrites: options.publishWrites ?? DefaultMultiTierCacheOptions.publishWrites,
						onRemote: (keys) => {
							this.#report(keys, 'remote');
						},
						closed,
					});
	}

	/** Resolves once the invalidation bus (if any) is subscribed. */
	public whenReady(): Promise<void> {
		return this.#link?.ready ?? Promise.resolve();
	}

	/** The tiers, fastest first. */
	public get tiers(): readonly CacheTier[] {
		return this.#tiers.states.map((state) => state.tier);
	}

	/** The access model behind warming and hottest keys (undefined when warming is disabled). */
	public get model(): AccessModel | undefined {
		return this.#warming?.model;
	}

	/**
	 * Synchronous read from the first tier only (when it is a {@link MemoryTier}); `undefined` on a miss or when
	 * the first tier is remote. The fastest path: no promise, no slower tiers.
	 */
	public getSync(key: string): unknown {
		const first = this.#tiers.states[0];
		const memory = this.#syncTier;
		if (first === undefined || memory === undefined) return undefined;
		const value = memory.getSync(key);
		if (value === undefined) first.misses++;
		else first.hits++;
		return value;
	}

	/** Reads `key`, trying each tier in order; `undefined` on a miss. Never rejects for an outage. */
	public get(key: string): Promise<unknown>;
	/**
	 * Reads `key` and checks the value with `guard` (a zod `safeParse` wrapper or any type guard): a value that
	 * fails the check is reported as a miss, so a changed shape in a shared tier never reaches typed code.
	 */
	public get<T>(key: string, guard: (value: unknown) => value is T): Promise<T | undefined>;
	public async get<T>(key: string, guard?: (value: unknown) => value is T): Promise<unknown> {
		const value = await this.#read(key);
		return guard === undefined || value === undefined || guard(value) ? value : undefined;
	}

	async #read(key: string): Promise<unknown> {
		assertKey(key);
		this.#assertOpen();
		const emitter = this.#emitter;
		if (emitter?.has('cache:beforeGet') === true) emitter.emit('cache:beforeGet', key);
		this.#warming?.recordRead(key);
		const started = this.#writes.current;
		let value: unknown;
		let answered: TierState | undefined;
		for (const state of this.#tiers.states) {
			const pending = state.index > 0 ? state.pendingOp(key) : undefined;
			if (pending !== undefined) {
				if (pending.kind === 'set') {
					value = pending.value;
					answered = state;
				}
				break;
			}
			if (!state.up) continue;
			const reads = emitter?.has('cache:tierRead') === true ? emitter : undefined;
			const readStart = reads === undefined ? 0 : performance.now();
			value = await this.#tiers.readTier(state, key);
			reads?.emit('cache:tierRead', {
				key,
				tier: state.tier.name,
				hit: value !== undefined,
				durationMs: performance.now() - readStart,
			});
			if (value !== undefined) {
				answered = state;
				break;
			}
		}
		if (answered !== undefined) this.#promotion.afterRead(key, value, answered.index, started);
		this.#warming?.afterRead(key);
		if (emitter?.has('cache:afterGet') === true)
			emitter.emit('cache:afterGet', key, answered !== undefined, answered?.tier.name);
		return value;
	}

	/** Reads many keys at once (one batched call per tier); results in order, `undefined` for misses. */
	public async mget(keys: readonly string[]): Promise<unknown[]> {
		for (const key of keys) assertKey(key);
		this.#assertOpen();
		const results: unknown[] = keys.map(() => undefined);
		const started = this.#writes.current;
		let missing = keys.map((_key, index) => index);
		for (const state of this.#tiers.states) {
			if (missing.length === 0) break;
			const stillMissing: number[] = [];
			const toRead: number[] = [];
			for (const index of missing) {
				const key = keys[index] ?? '';
				const pending = state.index > 0 ? state.pendingOp(key) : undefined;
				if (pending === undefined) toRead.push(index);
				else if (pending.kind === 'set') results[index] = pending.value;
			}
			if (state.up && toRead.length > 0) {
				const readStart = process.hrtime.bigint();
				try {
					const values = await state.tier.mget(toRead.map((index) => keys[index] ?? ''));
					state.getLatency.record(Number(process.hrtime.bigint() - readStart));
					toRead.forEach((index, position) => {
						const value = values[position];
						if (value === undefined) {
							state.misses++;
							stillMissing.push(index);
						} else {
							state.hits++;
							results[index] = value;
							this.#promotion.afterRead(keys[index] ?? '', value, state.index, started);
						}
					});
				} catch (error) {
					this.#tiers.markDown(state, error);
					stillMissing.push(...toRead);
				}
			} else stillMissing.push(...toRead);
			missing = stillMissing;
		}
		return results;
	}

	/** Whether any tier holds `key`. */
	public async has(key: string): Promise<boolean> {
		return (await this.get(key)) !== undefined;
	}

	/**
	 * Writes `key` to the first tier, then to the others (awaited in write-through, batched in write-behind).
	 * A tier that is down gets the write journaled and replayed on recovery. `undefined` values are refused
	 * (`CACHE_INVALID_VALUE`): use {@link delete}.
	 */
	public async set(key: string, value: unknown, options: MultiTierSetOptions = {}): Promise<void> {
		assertKey(key);
		this.#assertOpen();
		if (value === undefined) throw CacheError.of('CACHE_INVALID_VALUE', [key]);
		assertNumberOption('ttl', options.ttl, 0);
		const emitter = this.#emitter;
		if (emitter?.has('cache:beforeSet') === true) emitter.emit('cache:beforeSet', key, value);
		const tags = [...(options.tags ?? []), ...(options.dependsOn ?? []).map(dependencyTag)];
		const tierOptions: CacheSetOptions = {
			...(options.ttl === undefined ? {} : { ttl: options.ttl }),
			...(tags.length > 0 ? { tags } : {}),
		};
		this.#writes.touch(key);
		await this.#tiers.apply(key, { kind: 'set', value, options: tierOptions });
		this.#link?.publishWrite(key);
		if (emitter?.has('cache:afterSet') === true) emitter.emit('cache:afterSet', key, value);
	}

	/** Deletes `key` (and, by cascade, everything that depends on it) everywhere; resolves to the keys removed. */
	public delete(key: string): Promise<string[]> {
		return this.invalidate({ keys: [key] });
	}

	/**
	 * Drops keys (with dependency cascade), tags and glob patterns from every tier and tells other processes
	 * through the bus. Resolves to the keys known to have been removed.
	 */
	public async invalidate(target: InvalidationTarget, reason: InvalidationReason = 'delete'): Promise<string[]> {
		this.#assertOpen();
		for (const key of target.keys ?? []) assertKey(key);
		for (const pattern of target.patterns ?? []) assertPattern(pattern);
		const started = process.hrtime.bigint();
		const removed = new Set<string>();
		if ((target.tags?.length ?? 0) > 0 || (target.patterns?.length ?? 0) > 0) this.#writes.sweep();
		const queue = [...(target.keys ?? [])];
		const tags = [...(target.tags ?? [])];
		for (const pattern of target.patterns ?? []) await this.#tiers.sweepPattern(pattern);
		while (queue.length > 0 || tags.length > 0) {
			const key = queue.shift();
			if (key !== undefined) {
				if (removed.has(key)) continue;
				removed.add(key);
				this.#writes.touch(key);
				await this.#tiers.apply(key, { kind: 'delete' });
				tags.push(dependencyTag(key));
				continue;
			}
			const tag = tags.shift();
			if (tag === undefined) break;
			for (const swept of await this.#tiers.sweepTag(tag)) if (!removed.has(swept)) queue.push(swept);
		}
		this.invalidationLatency.record(Number(process.hrtime.bigint() - started));
		const keys = [...removed];
		this.#report(keys, reason);
		this.#link?.publishInvalidation(keys, target);
		return keys;
	}

	/** Registers what a gateway event invalidates (see `discordInvalidationRules`). */
	public addRule(event: string, rule: InvalidationRule): this {
		this.#rules.add(event, rule);
		return this;
	}

	/** Applies the rule registered for `event` to its data; resolves to the keys removed. */
	public async handleDispatch(event: string, data: unknown): Promise<string[]> {
		const target = this.#rules.targetOf(event, data);
		return target === undefined ? [] : this.invalidate(target, 'event');
	}

	/** Writes every journaled operation to tiers that are up; resolves once done (or failed over). */
	public async flush(): Promise<void> {
		await this.#tiers.flushAll();
		await this.#tiers.settle();
	}

	/**
	 * Loads the keys the access model predicts into the first tier from slower tiers. Resolves to how many were
	 * loaded. A no-op when warming is disabled.
	 */
	public async warm(count?: number): Promise<number> {
		if (this.#warming === undefined || this.#closed) return 0;
		return this.#warming.warm(count);
	}

	/** Per-tier hit ratio, latency, evictions, memory, hottest keys and tuning suggestions. */
	public stats(): CacheStats {
		return buildStats(this.#tiers.states, {
			writeMode: this.#writeMode,
			invalidation: this.invalidationLatency,
			remoteInvalidation: this.remoteInvalidationLatency,
			hottest: this.#warming?.hottest(10) ?? [],
		});
	}

	/** Flushes journals to reachable tiers, unsubscribes and closes every tier. Idempotent. */
	public async close(): Promise<void> {
		if (this.#closed) return;
		for (const timer of this.#timers) clearInterval(timer);
		await this.flush().catch(() => undefined);
		this.#closed = true;
		await this.#link?.close();
		await Promise.allSettled(this.#tiers.states.map((state) => state.tier.close()));
	}

	#onEvicted(state: TierState, key: string, value: unknown, reason: 'evict' | 'expire'): void {
		state.evictions++;
		if (this.#emitter?.has('cache:evict') === true) this.#emitter.emit('cache:evict', key, state.tier.name, reason);
		if (this.hasListeners('evict')) this.emit('evict', key, state.tier.name, reason);
		this.#promotion.demote(state, key, value, reason);
	}

	#report(keys: readonly string[], reason: InvalidationReason): void {
		if (this.#emitter?.has('cache:invalidate') === true) this.#emitter.emit('cache:invalidate', keys, reason);
		if (this.hasListeners('invalidate')) this.emit('invalidate', keys, reason);
		this.#warming?.forget(keys);
	}

	#assertOpen(): void {
		if (this.#closed) throw CacheError.of('CACHE_CLOSED', ['This MultiTierCache']);
	}
}
