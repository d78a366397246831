import { LRUCache } from 'lru-cache';
import { CacheError } from '../errors/CacheError.js';
import type { CacheEntry, CacheSetOptions, CacheTier, EvictionListener } from '../interfaces/CacheTier.js';
import { compileGlob } from '../utils/glob.js';
import { assertNumberOption } from '../utils/keys.js';
import { markClass } from '@ovenjs/types';

/** Options of a {@link MemoryTier}. */
export interface MemoryTierOptions {
	/** The tier name in stats and events. @defaultValue `'memory'` */
	readonly name?: string;
	/** The most entries held; the least recently used is evicted beyond it. @defaultValue `10_000` */
	readonly max?: number;
	/**
	 * A cap on the summed {@link MemoryTierOptions.sizeOf} of entries, in bytes; `0` disables it.
	 * @defaultValue `0`
	 */
	readonly maxSize?: number;
	/** Estimates the size of a value in bytes (used by `maxSize` and the memory estimate). @defaultValue a JSON-length estimate */
	readonly sizeOf?: (value: unknown, key: string) => number;
	/** Default time to live in ms; `0` means no expiry. @defaultValue `0` */
	readonly ttl?: number;
	/** Sliding TTL: each read restarts the entry's TTL. @defaultValue `false` */
	readonly slidingTtl?: boolean;
	/** The clock TTLs are measured with, in ms. @defaultValue `performance.now` */
	readonly now?: () => number;
}

interface Slot {
	readonly value: unknown;
	readonly tags: readonly string[] | undefined;
}

/** Rough byte size of a value, used when no `sizeOf` is given. */
export function estimateSize(value: unknown): number {
	switch (typeof value) {
		case 'string':
			return 16 + value.length * 2;
		case 'number':
		case 'boolean':
		case 'undefined':
			return 8;
		case 'bigint':
			return 24;
		default:
			if (value === null) return 8;
			if (Buffer.isBuffer(value)) return 80 + value.length;
			try {
				const json: unknown = JSON.stringify(value, (_k, v: unknown) =>
					typeof v === 'bigint' ? v.toString() : v,
				);
				return 48 + (typeof json === 'string' ? json.length * 2 : 0);
			} catch {
				return 256;
			}
	}
}

/**
 * The in-process tier, on `lru-cache`: bounded by count and/or bytes, with TTL and optional sliding TTL.
 * Reads are also available synchronously ({@link MemoryTier.getSync}) for the hot path.
 */
export class MemoryTier implements CacheTier {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'cache.MemoryTier');
	}

	public readonly name: string;
	public readonly shared = false;
	public readonly durable = false;
	readonly #lru: LRUCache<string, Slot>;
	readonly #tagIndex = new Map<string, Set<string>>();
	readonly #listeners: EvictionListener[] = [];
	readonly #sizeOf: (value: unknown, key: string) => number;
	#closed = false;

	public constructor(options: MemoryTierOptions = {}) {
		assertNumberOption('max', options.max, 1);
		assertNumberOption('maxSize', options.maxSize, 0);
		assertNumberOption('ttl', options.ttl, 0);
		this.name = options.name ?? 'memory';
		const sizeOf = options.sizeOf ?? estimateSize;
		this.#sizeOf = sizeOf;
		const maxSize = options.maxSize ?? 0;
		this.#lru = new LRUCache<string, Slot>({
			max: options.max ?? 10_000,
			...(maxSize > 0
				? {
						maxSize,
						sizeCalculation: (slot: Slot, key: string) => Math.max(1, Math.ceil(sizeOf(slot.value, key))),
					}
				: {}),
			ttl: options.ttl ?? 0,
			updateAgeOnGet: options.slidingTtl ?? false,
			ttlAutopurge: false,
			...(options.now === undefined ? {} : { perf: { now: options.now }, ttlResolution: 0 }),
			dispose: (slot, key, reason) => {
				this.#untag(key, slot.tags);
				if (reason === 'evict' || reason === 'expire') {
					for (const listener of this.#listeners) listener(key, slot.value, reason);
				}
			},
		});
	}

	/** Synchronous read for the hot path (no promise); `undefined` on a miss. */
	public getSync(key: string): unknown {
		return this.#lru.get(key)?.value;
	}

	/** Whether `key` is present, without touching recency. */
	public hasSync(key: string): boolean {
		return this.#lru.has(key);
	}

	/** Synchronous write. */
	public setSync(key: string, value: unknown, options?: CacheSetOptions): void {
		this.#assertOpen();
		const tags = options?.tags !== undefined && options.tags.length > 0 ? options.tags : undefined;
		const ttl = options?.ttl ?? 0;
		this.#lru.set(key, { value, tags }, ttl > 0 ? { ttl } : {});
		if (tags !== undefined && this.#lru.has(key)) {
			for (const tag of tags) {
				let keys = this.#tagIndex.get(tag);
				if (keys === undefined) this.#tagIndex.set(tag, (keys = new Set()));
				keys.add(key);
			}
		}
	}

	/** Synchronous delete; returns whether the key existed. */
	public deleteSync(key: string): boolean {
		return this.#lru.delete(key);
	}

	public get(key: string): Promise<unknown> {
		return Promise.resolve(this.getSync(key));
	}

	public set(key: string, value: unknown, options?: CacheSetOptions): Promise<void> {
		this.setSync(key, value, options);
		return Promise.resolve();
	}

	public delete(key: string): Promise<boolean> {
		return Promise.resolve(this.deleteSync(key));
	}

	public has(key: string): Promise<boolean> {
		return Promise.resolve(this.#lru.has(key));
	}

	public mget(keys: readonly string[]): Promise<unknown[]> {
		return Promise.resolve(keys.map((key) => this.getSync(key)));
	}

	public mset(entries: readonly CacheEntry[]): Promise<void> {
		for (const entry of entries) this.setSync(entry.key, entry.value, entry.options);
		return Promise.resolve();
	}

	public deleteByTag(tag: string): Promise<string[]> {
		const keys = [...(this.#tagIndex.get(tag) ?? [])];
		for (const key of keys) this.#lru.delete(key);
		this.#tagIndex.delete(tag);
		return Promise.resolve(keys);
	}

	public deleteByPattern(pattern: string): Promise<number> {
		const glob = compileGlob(pattern);
		let count = 0;
		for (const key of [...this.#lru.keys()]) {
			if (glob.test(key) && this.#lru.delete(key)) count++;
		}
		return Promise.resolve(count);
	}

	/** Keys currently held, most recently used first. */
	public keys(): IterableIterator<string> {
		return this.#lru.keys();
	}

	public clear(): Promise<void> {
		this.#lru.clear();
		this.#tagIndex.clear();
		return Promise.resolve();
	}

	public ping(): Promise<boolean> {
		return Promise.resolve(!this.#closed);
	}

	public close(): Promise<void> {
		this.#closed = true;
		this.#lru.clear();
		this.#tagIndex.clear();
		return Promise.resolve();
	}

	public onEvict(listener: EvictionListener): void {
		this.#listeners.push(listener);
	}

	public size(): number {
		return this.#lru.size;
	}

	public memoryEstimate(): number {
		if (this.#lru.calculatedSize > 0) return this.#lru.calculatedSize;
		// Measures up to 1 000 entries and extrapolates, so stats() stays cheap on large tiers.
		let total = 0;
		let sampled = 0;
		for (const [key, slot] of this.#lru.entries()) {
			total += 32 + key.length * 2 + this.#sizeOf(slot.value, key);
			if (++sampled === 1_000) break;
		}
		return sampled === 0 ? 0 : Math.round((total / sampled) * this.#lru.size);
	}

	#untag(key: string, tags: readonly string[] | undefined): void {
		if (tags === undefined) return;
		for (const tag of tags) {
			const keys = this.#tagIndex.get(tag);
			if (keys === undefined) continue;
			keys.delete(key);
			if (keys.size === 0) this.#tagIndex.delete(tag);
		}
	}

	#assertOpen(): void {
		if (this.#closed) throw CacheError.of('CACHE_CLOSED', [`The ${this.name} tier`]);
	}
}
