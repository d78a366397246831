import { LRUCache } from 'lru-cache';
import { randomUUID } from 'node:crypto';
import type { ExtensionPointEmitter } from '@ovenjs/types';
import { CacheError } from './errors/CacheError.js';
import type { CacheSetOptions, CacheTier } from './interfaces/CacheTier.js';
import type { InvalidationBus, InvalidationMessage } from './interfaces/InvalidationBus.js';
import type { InvalidationReason } from './extension-points.js';
import type { TierState } from './TierState.js';
import { TierSet } from './TierSet.js';
import { MemoryTier } from './tiers/MemoryTier.js';
import { AccessModel, type AccessModelOptions } from './analytics/AccessModel.js';
import { LatencyHistogram } from './analytics/LatencyHistogram.js';
import { buildStats, type CacheStats } from './analytics/CacheStats.js';
import { assertKey, assertNumberOption, assertPattern, dependencyTag } from './utils/keys.js';
import './extension-points.js';
import { markClass, Emitter } from '@ovenjs/types';

/** Write policy for the tiers below the first. */
export type WriteMode = 'through' | 'behind';

/** Options of predictive warming. */
export interface WarmingOptions extends AccessModelOptions {
	/** Turns the access model and warming on. @defaultValue `false` */
	readonly enabled?: boolean;
	/** Every this many ms, the top predicted keys are loaded into the first tier; `0` disables it. @defaultValue `60_000` */
	readonly interval?: number;
	/** How many predicted keys one warming round considers. @defaultValue `100` */
	readonly count?: number;
	/** After each read, prefetch the keys usually read right after it. @defaultValue `true` */
	readonly coAccess?: boolean;
}

/** Options of a {@link MultiTierCache}. */
export interface MultiTierCacheOptions {
	/** The tiers, fastest first. @defaultValue `[new MemoryTier()]` (memory only: needs no server) */
	readonly tiers?: readonly CacheTier[];
	/** `'through'`: writes reach every tier before `set` resolves; `'behind'`: lower tiers are written in batches. @defaultValue `'through'` */
	readonly writeMode?: WriteMode;
	/** Write-behind flush period in ms. @defaultValue `100` */
	readonly flushInterval?: number;
	/** How often down tiers are probed for recovery, in ms. @defaultValue `1_000` */
	readonly healthCheckInterval?: number;
	/** A key read from a slower tier is copied to faster tiers after this many reads there. @defaultValue `1` */
	readonly promoteAfter?: number;
	/** Copy entries the first tier evicts (capacity) down to the next tier. @defaultValue `true` */
	readonly demoteOnEvict?: boolean;
	/** Time to live, in ms, for copies promoted into faster tiers; `0` uses the tier default. @defaultValue `0` */
	readonly promotedTtl?: number;
	/** Cross-process invalidation (e.g. `RedisInvalidationBus`). @defaultValue none */
	readonly bus?: InvalidationBus;
	/** Extension-point bus (`cache:*` points). @defaultValue none */
	readonly emitter?: ExtensionPointEmitter;
	/**
	 * With a `bus`, also publish every `set` so other processes drop their memory copy of the key (and read the
	 * new value from a shared tier). @defaultValue `true`
	 */
	readonly publishWrites?: boolean;
	/** Predictive warming. @defaultValue disabled */
	readonly warming?: WarmingOptions;
	/** Clock in ms used by the access model. @defaultValue `Date.now` */
	readonly now?: () => number;
}

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

const now = (): number => performance.timeOrigin + performance.now();

/**
 * A cache composed of tiers (fastest first): read-through with promotion to faster tiers, demotion of evicted
 * entries, write-through or write-behind, and failover — a tier that fails is skipped for reads, its writes
 * are journaled and replayed when a health probe sees it back (`tierDown`/`tierUp` events). `get`/`set` never
 * reject because of an outage; they reject only for bad input (`CACHE_INVALID_KEY`, ...).
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
	private readonly tierSet: TierSet;
	/** The first tier when it is a memory tier (read synchronously by {@link MultiTierCache.getSync}), found once. */
	readonly #syncTier: MemoryTier | undefined;
	private readonly writeMode: WriteMode;
	private readonly promoteAfter: number;
	private readonly promotedTtl: number;
	private readonly emitter: ExtensionPointEmitter | undefined;
	private readonly bus: InvalidationBus | undefined;
	private readonly clock: () => number;
	private readonly readCounts = new Map<string, number>();
	private readonly timers: NodeJS.Timeout[] = [];
	private readonly rules = new Map<string, InvalidationRule>();
	/** The access model behind warming and hottest keys (undefined when warming is disabled). */
	public readonly model: AccessModel | undefined;
	private readonly warming: Required<Pick<WarmingOptions, 'count' | 'coAccess'>>;
	/** Time an invalidation takes to reach every local tier, in ns. */
	public readonly invalidationLatency = new LatencyHistogram();
	/** Time from a remote process's invalidation to its arrival here, in ns. */
	public readonly remoteInvalidationLatency = new LatencyHistogram();
	private ready: Promise<void> = Promise.resolve();
	/** Write sequence: a read may only promote what it read if the key was not written since it started. */
	private seq = 0;
	private barrier = 0;
	private readonly lastWrite = new LRUCache<string, number>({ max: 50_000 });
	private readonly publishWrites: boolean;
	private closed = false;

	public constructor(options: MultiTierCacheOptions = {}) {
		super();
		const tiers = options.tiers ?? [new MemoryTier()];
		if (tiers.length === 0) throw CacheError.of('CACHE_INVALID_OPTION', ['tiers', 'a list of at least one tier (fastest first)', 'an empty list']);
		const writeMode: unknown = options.writeMode ?? 'through';
		if (writeMode !== 'through' && writeMode !== 'behind') {
			throw CacheError.of('CACHE_INVALID_OPTION', ['writeMode', "'through' or 'behind'", String(writeMode)]);
		}
		assertNumberOption('flushInterval', options.flushInterval, 1);
		assertNumberOption('healthCheckInterval', options.healthCheckInterval, 1);
		assertNumberOption('promoteAfter', options.promoteAfter, 1);
		assertNumberOption('promotedTtl', options.promotedTtl, 0);
		this.writeMode = writeMode;
		this.tierSet = new TierSet(tiers, writeMode, {
			onDown: (state, error) => {
				if (this.emitter?.has('cache:tierDown') === true) this.emitter.emit('cache:tierDown', state.tier.name, error);
				if (this.hasListeners('tierDown')) this.emit('tierDown', state.tier.name, error);
			},
			onUp: (state, resynced) => {
				if (this.emitter?.has('cache:tierUp') === true) this.emitter.emit('cache:tierUp', state.tier.name, resynced);
				if (this.hasListeners('tierUp')) this.emit('tierUp', state.tier.name, resynced);
			},
			closed: () => this.closed,
		});
		const first = this.tierSet.states[0]?.tier;
		this.#syncTier = first instanceof MemoryTier ? first : undefined;
		this.promoteAfter = options.promoteAfter ?? 1;
		this.promotedTtl = options.promotedTtl ?? 0;
		this.emitter = options.emitter;
		this.bus = options.bus;
		this.publishWrites = options.publishWrites ?? true;
		this.clock = options.now ?? Date.now;
		const warming = options.warming ?? {};
		this.model = warming.enabled === true ? new AccessModel(warming) : undefined;
		this.warming = { count: warming.count ?? 100, coAccess: warming.coAccess ?? true };
		for (const state of this.tierSet.states) {
			state.tier.onEvict?.((key, value, reason) => {
				this.onEvicted(state, key, value, reason, options.demoteOnEvict ?? true);
			});
		}
		this.timers.push(setInterval(() => void this.tierSet.healthCheck().catch(() => undefined), options.healthCheckInterval ?? 1_000).unref());
		if (this.writeMode === 'behind') this.timers.push(setInterval(() => void this.tierSet.flushAll().catch(() => undefined), options.flushInterval ?? 100).unref());
		const warmEvery = warming.interval ?? 60_000;
		if (this.model !== undefined && warmEvery > 0) this.timers.push(setInterval(() => void this.warm().catch(() => 0), warmEvery).unref());
		if (this.bus !== undefined) {
			const bus = this.bus;
			// A bus that cannot subscribe must not crash the bot: the failure is swallowed here (RedisInvalidationBus
			// retries on reconnect by itself).
			this.ready = bus
				.subscribe((message) => {
					this.onRemoteInvalidation(message);
				})
				.catch(() => undefined);
		}
	}

	/** Resolves once the invalidation bus (if any) is subscribed. */
	public whenReady(): Promise<void> {
		return this.ready;
	}

	/** The tiers, fastest first. */
	public get tiers(): readonly CacheTier[] {
		return this.tierSet.states.map((state) => state.tier);
	}

	/**
	 * Synchronous read from the first tier only (when it is a {@link MemoryTier}); `undefined` on a miss or when
	 * the first tier is remote. The fastest path: no promise, no slower tiers.
	 */
	public getSync(key: string): unknown {
		const first = this.tierSet.states[0];
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
		const value = await this.read(key);
		return guard === undefined || value === undefined || guard(value) ? value : undefined;
	}

	private async read(key: string): Promise<unknown> {
		assertKey(key);
		this.assertOpen();
		if (this.emitter?.has('cache:beforeGet') === true) this.emitter.emit('cache:beforeGet', key);
		this.model?.record(key, this.clock());
		const started = this.seq;
		let value: unknown;
		let answered: TierState | undefined;
		for (const state of this.tierSet.states) {
			const pending = state.index > 0 ? state.pendingOp(key) : undefined;
			if (pending !== undefined) {
				if (pending.kind === 'set') {
					value = pending.value;
					answered = state;
				}
				break;
			}
			if (!state.up) continue;
			const emitter = this.emitter?.has('cache:tierRead') === true ? this.emitter : undefined;
			const readStart = emitter === undefined ? 0 : performance.now();
			value = await this.tierSet.readTier(state, key);
			emitter?.emit('cache:tierRead', { key, tier: state.tier.name, hit: value !== undefined, durationMs: performance.now() - readStart });
			if (value !== undefined) {
				answered = state;
				break;
			}
		}
		if (answered !== undefined && answered.index > 0 && this.unchangedSince(key, started)) this.promote(key, value, answered.index);
		if (this.model !== undefined && this.warming.coAccess) void this.prefetch([...new Set([...this.model.followers(key), ...this.model.coAccessed(key, 4)])]);
		if (this.emitter?.has('cache:afterGet') === true) this.emitter.emit('cache:afterGet', key, answered !== undefined, answered?.tier.name);
		return value;
	}

	/** Reads many keys at once (one batched call per tier); results in order, `undefined` for misses. */
	public async mget(keys: readonly string[]): Promise<unknown[]> {
		for (const key of keys) assertKey(key);
		this.assertOpen();
		const results: unknown[] = keys.map(() => undefined);
		const startSeq = this.seq;
		let missing = keys.map((_key, index) => index);
		for (const state of this.tierSet.states) {
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
				const started = process.hrtime.bigint();
				try {
					const values = await state.tier.mget(toRead.map((index) => keys[index] ?? ''));
					state.getLatency.record(Number(process.hrtime.bigint() - started));
					toRead.forEach((index, position) => {
						const value = values[position];
						if (value === undefined) {
							state.misses++;
							stillMissing.push(index);
						} else {
							state.hits++;
							results[index] = value;
							const key = keys[index] ?? '';
							if (state.index > 0 && this.unchangedSince(key, startSeq)) this.promote(key, value, state.index);
						}
					});
				} catch (error) {
					this.tierSet.markDown(state, error);
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
	 * (`CACHE_INVALID_OPTION`): use {@link delete}.
	 */
	public async set(key: string, value: unknown, options: MultiTierSetOptions = {}): Promise<void> {
		assertKey(key);
		this.assertOpen();
		if (value === undefined) throw CacheError.of('CACHE_INVALID_VALUE', [key]);
		assertNumberOption('ttl', options.ttl, 0);
		if (this.emitter?.has('cache:beforeSet') === true) this.emitter.emit('cache:beforeSet', key, value);
		const tags = [...(options.tags ?? []), ...(options.dependsOn ?? []).map(dependencyTag)];
		const tierOptions: CacheSetOptions = { ...(options.ttl === undefined ? {} : { ttl: options.ttl }), ...(tags.length > 0 ? { tags } : {}) };
		this.touch(key);
		await this.tierSet.apply(key, { kind: 'set', value, options: tierOptions });
		if (this.bus !== undefined && this.publishWrites) {
			this.tierSet.track(this.bus.publish({ origin: this.id, keys: [key], tags: [], patterns: [], sentAt: now() }));
		}
		if (this.emitter?.has('cache:afterSet') === true) this.emitter.emit('cache:afterSet', key, value);
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
		this.assertOpen();
		for (const key of target.keys ?? []) assertKey(key);
		for (const pattern of target.patterns ?? []) assertPattern(pattern);
		const started = process.hrtime.bigint();
		const removed = new Set<string>();
		if ((target.tags?.length ?? 0) > 0 || (target.patterns?.length ?? 0) > 0) this.barrier = ++this.seq;
		const queue = [...(target.keys ?? [])];
		const tags = [...(target.tags ?? [])];
		for (const pattern of target.patterns ?? []) await this.tierSet.sweepPattern(pattern);
		while (queue.length > 0 || tags.length > 0) {
			const key = queue.shift();
			if (key !== undefined) {
				if (removed.has(key)) continue;
				removed.add(key);
				this.touch(key);
				await this.tierSet.apply(key, { kind: 'delete' });
				tags.push(dependencyTag(key));
				continue;
			}
			const tag = tags.shift();
			if (tag === undefined) break;
			for (const swept of await this.tierSet.sweepTag(tag)) if (!removed.has(swept)) queue.push(swept);
		}
		this.invalidationLatency.record(Number(process.hrtime.bigint() - started));
		const keys = [...removed];
		this.report(keys, reason);
		if (this.bus !== undefined) {
			const message: InvalidationMessage = { origin: this.id, keys, tags: [...(target.tags ?? [])], patterns: [...(target.patterns ?? [])], sentAt: now() };
			this.tierSet.track(this.bus.publish(message));
		}
		return keys;
	}

	/** Registers what a gateway event invalidates (see `discordInvalidationRules`). */
	public addRule(event: string, rule: InvalidationRule): this {
		this.rules.set(event, rule);
		return this;
	}

	/** Applies the rule registered for `event` to its data; resolves to the keys removed. */
	public async handleDispatch(event: string, data: unknown): Promise<string[]> {
		const target = this.rules.get(event)?.(data);
		return target === undefined ? [] : this.invalidate(target, 'event');
	}

	/** Writes every journaled operation to tiers that are up; resolves once done (or failed over). */
	public async flush(): Promise<void> {
		await this.tierSet.flushAll();
		await this.tierSet.settle();
	}

	/**
	 * Loads the keys the access model predicts into the first tier from slower tiers. Resolves to how many were
	 * loaded. A no-op when warming is disabled.
	 */
	public async warm(count = this.warming.count): Promise<number> {
		if (this.model === undefined || this.closed) return 0;
		const keys = this.model.predict(this.clock(), count).map((prediction) => prediction.key);
		return this.prefetch(keys);
	}

	/** Per-tier hit ratio, latency, evictions, memory, hottest keys and tuning suggestions. */
	public stats(): CacheStats {
		return buildStats(this.tierSet.states, {
			writeMode: this.writeMode,
			invalidation: this.invalidationLatency,
			remoteInvalidation: this.remoteInvalidationLatency,
			hottest: this.model?.hottest(this.clock(), 10) ?? [],
		});
	}

	/** Flushes journals to reachable tiers, unsubscribes and closes every tier. Idempotent. */
	public async close(): Promise<void> {
		if (this.closed) return;
		for (const timer of this.timers) clearInterval(timer);
		await this.flush().catch(() => undefined);
		this.closed = true;
		await this.bus?.close();
		await Promise.allSettled(this.tierSet.states.map((state) => state.tier.close()));
	}






	private promote(key: string, value: unknown, from: number): void {
		if (this.promoteAfter > 1) {
			const count = (this.readCounts.get(key) ?? 0) + 1;
			if (count < this.promoteAfter) {
				this.readCounts.set(key, count);
				if (this.readCounts.size > 10_000) this.readCounts.clear();
				return;
			}
			this.readCounts.delete(key);
		}
		const options: CacheSetOptions = this.promotedTtl > 0 ? { ttl: this.promotedTtl } : {};
		for (const state of this.tierSet.states.slice(0, from)) {
			if (state.up) this.tierSet.track(this.tierSet.write(state, key, { kind: 'set', value, options }));
		}
	}

	private prefetch(keys: readonly string[]): Promise<number> {
		const started = this.seq;
		return this.tierSet.prefetch(keys, (key) => this.unchangedSince(key, started) && !this.closed, this.promotedTtl > 0 ? { ttl: this.promotedTtl } : undefined);
	}

	private onEvicted(state: TierState, key: string, value: unknown, reason: 'evict' | 'expire', demote: boolean): void {
		state.evictions++;
		if (this.emitter?.has('cache:evict') === true) this.emitter.emit('cache:evict', key, state.tier.name, reason);
		if (this.hasListeners('evict')) this.emit('evict', key, state.tier.name, reason);
		const next = this.tierSet.states[state.index + 1];
		if (!demote || reason !== 'evict' || next === undefined || this.closed) return;
		if (next.pendingOp(key) !== undefined) return;
		const demotion = (async () => {
			if (!next.up || (await next.tier.has(key))) return;
			await this.tierSet.write(next, key, { kind: 'set', value, options: undefined });
		})().catch((error: unknown) => {
			this.tierSet.markDown(next, error);
		});
		this.tierSet.track(demotion);
	}

	private onRemoteInvalidation(message: InvalidationMessage): void {
		if (message.origin === this.id || this.closed) return;
		this.remoteInvalidationLatency.record(Math.max(0, (now() - message.sentAt) * 1e6));
		for (const key of message.keys) this.touch(key);
		if (message.tags.length > 0 || message.patterns.length > 0) this.barrier = ++this.seq;
		const local = this.tierSet.states.filter((state) => !state.tier.shared);
		const task = (async () => {
			for (const state of local) {
				for (const key of message.keys) await state.tier.delete(key);
				for (const tag of message.tags) await state.tier.deleteByTag(tag);
				for (const pattern of message.patterns) await state.tier.deleteByPattern(pattern);
			}
			this.report(message.keys, 'remote');
		})();
		this.tierSet.track(task);
	}

	private touch(key: string): void {
		this.lastWrite.set(key, ++this.seq);
	}

	/** Whether `key` was neither written nor swept since sequence `started` (so a value read then is current). */
	private unchangedSince(key: string, started: number): boolean {
		return this.barrier <= started && (this.lastWrite.get(key) ?? 0) <= started;
	}

	private report(keys: readonly string[], reason: InvalidationReason): void {
		if (this.emitter?.has('cache:invalidate') === true) this.emitter.emit('cache:invalidate', keys, reason);
		if (this.hasListeners('invalidate')) this.emit('invalidate', keys, reason);
		if (this.model !== undefined) for (const key of keys) this.model.forget(key);
	}








	private assertOpen(): void {
		if (this.closed) throw CacheError.of('CACHE_CLOSED', ['This MultiTierCache']);
	}
}
