import type { TierState } from '../TierState.js';
import type { LatencyHistogram } from './LatencyHistogram.js';
import type { Prediction } from './AccessModel.js';

/** A latency summary, in microseconds. */
export interface LatencySummary {
	readonly count: number;
	readonly p50: number;
	readonly p99: number;
	readonly mean: number;
	readonly max: number;
}

/** Counters and latency of one tier. */
export interface TierStats {
	readonly name: string;
	readonly up: boolean;
	readonly hits: number;
	readonly misses: number;
	/** `hits / (hits + misses)`, `0` before any read. */
	readonly hitRatio: number;
	readonly errors: number;
	readonly writes: number;
	readonly evictions: number;
	/** Operations journaled for this tier (write-behind or outage), not yet applied. */
	readonly backlog: number;
	readonly entries: number | undefined;
	/** Estimated bytes held, when the tier can tell. */
	readonly memoryBytes: number | undefined;
	readonly getLatency: LatencySummary;
	readonly setLatency: LatencySummary;
}

/** A snapshot from `MultiTierCache.stats()`. */
export interface CacheStats {
	readonly tiers: readonly TierStats[];
	/** Share of reads answered by any tier. */
	readonly hitRatio: number;
	/** Time for an invalidation to reach every local tier. */
	readonly invalidationLatency: LatencySummary;
	/** Time for another process's invalidation to arrive here (bus). */
	readonly remoteInvalidationLatency: LatencySummary;
	/** The most-read keys by decayed frequency (empty when warming is disabled). */
	readonly hottestKeys: readonly Prediction[];
	/** Plain-language tuning suggestions derived from the numbers above. */
	readonly suggestions: readonly string[];
}

/** Summarises a histogram in microseconds. */
export function summarize(histogram: LatencyHistogram): LatencySummary {
	return {
		count: histogram.count,
		p50: histogram.percentile(50) / 1000,
		p99: histogram.percentile(99) / 1000,
		mean: histogram.mean / 1000,
		max: histogram.max / 1000,
	};
}

interface StatsContext {
	readonly writeMode: 'through' | 'behind';
	readonly invalidation: LatencyHistogram;
	readonly remoteInvalidation: LatencyHistogram;
	readonly hottest: readonly Prediction[];
}

/** Builds a {@link CacheStats} snapshot, including suggestions. */
export function buildStats(states: readonly TierState[], context: StatsContext): CacheStats {
	const tiers = states.map((state): TierStats => {
		const reads = state.hits + state.misses;
		return {
			name: state.tier.name,
			up: state.up,
			hits: state.hits,
			misses: state.misses,
			hitRatio: reads === 0 ? 0 : state.hits / reads,
			errors: state.errors,
			writes: state.sets,
			evictions: state.evictions,
			backlog: state.backlog,
			entries: state.tier.size?.(),
			memoryBytes: state.tier.memoryEstimate?.(),
			getLatency: summarize(state.getLatency),
			setLatency: summarize(state.setLatency),
		};
	});
	const first = tiers[0];
	const lookups = first === undefined ? 0 : first.hits + first.misses;
	const hits = tiers.reduce((sum, tier) => sum + tier.hits, 0);
	return {
		tiers,
		hitRatio: lookups === 0 ? 0 : Math.min(1, hits / lookups),
		invalidationLatency: summarize(context.invalidation),
		remoteInvalidationLatency: summarize(context.remoteInvalidation),
		hottestKeys: context.hottest,
		suggestions: suggest(tiers, context),
	};
}

function suggest(tiers: readonly TierStats[], context: StatsContext): string[] {
	const out: string[] = [];
	const [first, ...rest] = tiers;
	if (first === undefined) return out;
	const reads = first.hits + first.misses;
	if (reads >= 100 && first.hitRatio < 0.5 && first.evictions > first.hits * 0.1) {
		out.push(
			`The ${first.name} tier answers only ${(first.hitRatio * 100).toFixed(1)} % of reads and evicted ${first.evictions} entries: raise its "max" (or "maxSize") so hot keys stay in memory.`,
		);
	}
	if (reads >= 100 && first.hitRatio < 0.5 && rest.some((tier) => tier.hits > first.hits)) {
		out.push(
			'Most reads are answered by a slower tier: enable warming ({ warming: { enabled: true } }) or lower "promoteAfter" so hot keys are promoted sooner.',
		);
	}
	for (const tier of tiers) {
		if (!tier.up)
			out.push(
				`The ${tier.name} tier is down; ${tier.backlog} operations are journaled and will be replayed when it is back. Check its server and connection settings.`,
			);
		else if (tier.backlog > 10_000)
			out.push(
				`The ${tier.name} tier has ${tier.backlog} unapplied writes: it is slower than the write rate; use write-through or a faster server.`,
			);
		if (tier.errors > 0 && tier.errors > (tier.hits + tier.misses + tier.writes) * 0.01) {
			out.push(
				`The ${tier.name} tier failed on ${tier.errors} operations (more than 1 %): check its server's health and latency.`,
			);
		}
		if (tier.getLatency.count > 100 && tier.name !== first.name && tier.getLatency.p99 > 10_000) {
			out.push(
				`The ${tier.name} tier's p99 read latency is ${(tier.getLatency.p99 / 1000).toFixed(1)} ms: move it closer or add a faster tier above it.`,
			);
		}
	}
	if (
		context.writeMode === 'through' &&
		rest.some((tier) => tier.setLatency.count > 100 && tier.setLatency.p99 > 5_000)
	) {
		out.push(
			'Writes wait for slow lower tiers: writeMode "behind" acknowledges after the memory tier and batches the rest.',
		);
	}
	if (reads >= 100 && first.hitRatio > 0.99 && first.evictions === 0 && (first.entries ?? 0) > 0) {
		out.push(`The ${first.name} tier has never evicted and answers > 99 % of reads: it may be larger than needed.`);
	}
	return out;
}
