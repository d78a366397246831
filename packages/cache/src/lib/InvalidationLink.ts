import type { LatencyHistogram } from './analytics/LatencyHistogram.js';
import type { InvalidationBus, InvalidationMessage } from './interfaces/InvalidationBus.js';
import type { InvalidationTarget } from './MultiTierCacheOptions.js';
import type { TierSet } from './TierSet.js';
import type { WriteSequence } from './WriteSequence.js';

const wallClock = (): number => performance.timeOrigin + performance.now();

/** What a {@link InvalidationLink} works with (the cache's parts). */
export interface InvalidationLinkParts {
	readonly bus: InvalidationBus;
	/** This cache's ID on the bus (its own messages come back and are ignored). */
	readonly origin: string;
	readonly tiers: TierSet;
	readonly writes: WriteSequence;
	/** Records the time from a remote process's invalidation to its arrival here, in ns. */
	readonly latency: LatencyHistogram;
	/** Also publish every `set` (see `MultiTierCacheOptions.publishWrites`). */
	readonly publishWrites: boolean;
	/** Reports keys another process invalidated (events, access model), once the local tiers dropped them. */
	readonly onRemote: (keys: readonly string[]) => void;
	readonly closed: () => boolean;
}

/**
 * A cache's link to the other processes through an {@link InvalidationBus}: publishes its writes and invalidations,
 * and drops from the local (non-shared) tiers what other processes invalidated.
 */
export class InvalidationLink {
	/** Resolves once subscribed (never rejects: a bus that cannot subscribe must not crash the bot). */
	public readonly ready: Promise<void>;
	readonly #parts: InvalidationLinkParts;

	public constructor(parts: InvalidationLinkParts) {
		this.#parts = parts;
		// RedisInvalidationBus retries on reconnect by itself; a failure to subscribe is swallowed here.
		this.ready = parts.bus
			.subscribe((message) => {
				this.#receive(message);
			})
			.catch(() => undefined);
	}

	/** Tells other processes that `key` was written (when `publishWrites`). */
	public publishWrite(key: string): void {
		const { bus, origin, tiers, publishWrites } = this.#parts;
		if (publishWrites)
			tiers.track(bus.publish({ origin, keys: [key], tags: [], patterns: [], sentAt: wallClock() }));
	}

	/** Tells other processes what was invalidated here. */
	public publishInvalidation(keys: readonly string[], target: InvalidationTarget): void {
		const { bus, origin, tiers } = this.#parts;
		const message: InvalidationMessage = {
			origin,
			keys: [...keys],
			tags: [...(target.tags ?? [])],
			patterns: [...(target.patterns ?? [])],
			sentAt: wallClock(),
		};
		tiers.track(bus.publish(message));
	}

	/** Unsubscribes. */
	public close(): Promise<void> {
		return this.#parts.bus.close();
	}

	#receive(message: InvalidationMessage): void {
		const { origin, tiers, writes, latency, onRemote, closed } = this.#parts;
		if (message.origin === origin || closed()) return;
		latency.record(Math.max(0, (wallClock() - message.sentAt) * 1e6));
		for (const key of message.keys) writes.touch(key);
		if (message.tags.length > 0 || message.patterns.length > 0) writes.sweep();
		const local = tiers.states.filter((state) => !state.tier.shared);
		const task = (async () => {
			for (const state of local) {
				for (const key of message.keys) await state.tier.delete(key);
				for (const tag of message.tags) await state.tier.deleteByTag(tag);
				for (const pattern of message.patterns) await state.tier.deleteByPattern(pattern);
			}
			onRemote(message.keys);
		})();
		tiers.track(task);
	}
}
