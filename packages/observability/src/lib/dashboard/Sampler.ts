import type { Instrumentation, InstrumentationSnapshot } from '../Instrumentation.js';

/** One point of the dashboard's time series. */
export interface DashboardSample {
	/** Milliseconds since 1970. */
	readonly t: number;
	readonly eventsPerSec: number;
	readonly restPerSec: number;
	readonly rest429PerSec: number;
	readonly queueDepth: number;
	/** Heartbeat round trip per shard, in ms (shards without an ACK yet are left out). */
	readonly latencyMs: Readonly<Record<string, number>>;
	/** Hit ratio per cache tier since start, 0–1 (tiers without reads are left out). */
	readonly cacheHitRatio: Readonly<Record<string, number>>;
	/** Shards per status. */
	readonly shardStatus: Readonly<Record<string, number>>;
}

/** Turns snapshots taken at an interval into rates, keeping the last `size` samples. */
export class Sampler {
	readonly #instrumentation: Instrumentation;
	readonly #size: number;
	readonly #history: DashboardSample[] = [];
	#previous: InstrumentationSnapshot;

	public constructor(instrumentation: Instrumentation, size: number) {
		this.#instrumentation = instrumentation;
		this.#size = size;
		this.#previous = instrumentation.snapshot();
	}

	/** The samples kept, oldest first. */
	public get history(): readonly DashboardSample[] {
		return this.#history;
	}

	/** Takes a snapshot and appends the sample computed from it. */
	public sample(): { readonly snapshot: InstrumentationSnapshot; readonly sample: DashboardSample } {
		const snapshot = this.#instrumentation.snapshot();
		const previous = this.#previous;
		this.#previous = snapshot;
		const seconds = Math.max(0.001, (snapshot.time - previous.time) / 1000);
		const rate = (now: number, before: number): number => Math.max(0, now - before) / seconds;
		const latencyMs: Record<string, number> = {};
		const shardStatus: Record<string, number> = {};
		for (const shard of snapshot.shards) {
			if (shard.latencyMs !== undefined) latencyMs[String(shard.id)] = shard.latencyMs;
			shardStatus[shard.status] = (shardStatus[shard.status] ?? 0) + 1;
		}
		const cacheHitRatio: Record<string, number> = {};
		for (const tier of snapshot.cache) {
			const reads = tier.hits + tier.misses;
			if (reads > 0) cacheHitRatio[tier.tier] = tier.hits / reads;
		}
		const sample: DashboardSample = {
			t: snapshot.time,
			eventsPerSec: rate(snapshot.events, previous.events),
			restPerSec: rate(snapshot.restRequests, previous.restRequests),
			rest429PerSec: rate(snapshot.rest429, previous.rest429),
			queueDepth: snapshot.queueDepth,
			latencyMs,
			cacheHitRatio,
			shardStatus,
		};
		this.#history.push(sample);
		if (this.#history.length > this.#size) this.#history.splice(0, this.#history.length - this.#size);
		return { snapshot, sample };
	}
}
