import { MemoryTier } from '../tiers/MemoryTier.js';
import { MultiTierCache, type WarmingOptions } from '../MultiTierCache.js';
import { CacheError } from '../errors/CacheError.js';

/** Options of {@link generateTrace}. */
export interface TraceOptions {
	/** Number of reads. */
	readonly length: number;
	/** Guilds in the key space. @defaultValue `200` */
	readonly guilds?: number;
	/** Members per guild. @defaultValue `100` */
	readonly membersPerGuild?: number;
	/** Guilds that are hot at any hour. @defaultValue `4` */
	readonly hotGuilds?: number;
	/** Share of reads that go to the hot guilds. @defaultValue `0.8` */
	readonly hotShare?: number;
	/** Probability that a member read is followed by a read of its user (co-access). @defaultValue `0.7` */
	readonly coAccess?: number;
	/** Simulated ms between reads. @defaultValue `10` */
	readonly step?: number;
	/** Length of a simulated day in ms; each of its 24 hours has its own hot guilds, repeating daily. @defaultValue `24_000` */
	readonly dayLength?: number;
	/** PRNG seed: the same options always give the same trace. @defaultValue `42` */
	readonly seed?: number;
}

/** One read of a trace. */
export interface TraceRead {
	readonly key: string;
	/** Simulated time of the read, in ms. */
	readonly at: number;
}

/** A replayable access trace. */
export interface AccessTrace {
	/** Every key that can be read (the backing tier is preloaded with them). */
	readonly keys: readonly string[];
	readonly reads: readonly TraceRead[];
}

/** Mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). @internal (not exported: the package's tests use it) */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b_79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * A deterministic access trace with the patterns a predictive cache can learn and plain LRU cannot: a
 * time-of-day cycle (each simulated hour has its own hot guilds, repeating every day), co-access (a member
 * read is usually followed by its user) and skewed popularity inside a guild, plus a uniform long tail.
 * Keys are `member:<guild>:<user>` and `user:<user>`.
 */
export function generateTrace(options: TraceOptions): AccessTrace {
	const guilds = options.guilds ?? 200;
	const perGuild = options.membersPerGuild ?? 100;
	const hotCount = options.hotGuilds ?? 4;
	const step = options.step ?? 10;
	const dayLength = options.dayLength ?? 24_000;
	const hotShare = options.hotShare ?? 0.8;
	const coAccess = options.coAccess ?? 0.7;
	for (const [name, value] of [
		['length', options.length],
		['guilds', guilds],
		['membersPerGuild', perGuild],
		['hotGuilds', hotCount],
		['step', step],
		['dayLength', dayLength],
	] as const) {
		if (!Number.isInteger(value) || value < 1)
			throw CacheError.of('CACHE_INVALID_OPTION', [`trace.${name}`, 'a positive integer', String(value)]);
	}
	const random = seededRandom(options.seed ?? 42);
	const hourly = Array.from({ length: 24 }, () =>
		Array.from({ length: hotCount }, () => Math.floor(random() * guilds)),
	);
	const reads: TraceRead[] = [];
	let at = 0;
	while (reads.length < options.length) {
		at += step;
		const hour = Math.floor(((at % dayLength) / dayLength) * 24);
		const hot = hourly[hour] ?? [];
		const guild =
			random() < hotShare ? (hot[Math.floor(random() * hot.length)] ?? 0) : Math.floor(random() * guilds);
		const user = guild * perGuild + Math.floor(perGuild * random() ** 3);
		reads.push({ key: `member:${guild}:${user}`, at });
		if (random() < coAccess && reads.length < options.length) {
			at += step;
			reads.push({ key: `user:${user}`, at });
		}
	}
	const keys: string[] = [];
	for (let guild = 0; guild < guilds; guild++) {
		for (let member = 0; member < perGuild; member++)
			keys.push(`member:${guild}:${guild * perGuild + member}`, `user:${guild * perGuild + member}`);
	}
	return { keys, reads };
}

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
	/** Entries the first (memory) tier holds. @defaultValue `1_000` */
	readonly capacity?: number;
	/** Warming options, or `false` for plain LRU. @defaultValue `false` */
	readonly warming?: false | WarmingOptions;
	/** Run a warming round every this many reads. @defaultValue `1_000` */
	readonly warmEvery?: number;
}

/** What a replay measured on the first tier. */
export interface ReplayResult {
	readonly reads: number;
	readonly hits: number;
	readonly misses: number;
	/** First-tier hits / reads. */
	readonly hitRatio: number;
}

/**
 * Replays `trace` through a {@link MultiTierCache} of an LRU memory tier of `capacity` entries in front of a
 * backing tier that holds every key, on the trace's simulated clock, and reports the first tier's hit ratio.
 * Background prefetches settle before the next read (they take far less than the gap between reads).
 */
export async function replayTrace(trace: AccessTrace, options: ReplayOptions = {}): Promise<ReplayResult> {
	let clock = 0;
	const first = new MemoryTier({ name: 'l1', max: options.capacity ?? 1_000 });
	const backing = new MemoryTier({ name: 'backing', max: trace.keys.length + 1 });
	for (const key of trace.keys) backing.setSync(key, key);
	const warming =
		options.warming === undefined || options.warming === false
			? undefined
			: { interval: 0, ...options.warming, enabled: true };
	const cache = new MultiTierCache({
		tiers: [first, backing],
		now: () => clock,
		...(warming === undefined ? {} : { warming }),
		demoteOnEvict: false,
	});
	const warmEvery = options.warmEvery ?? 1_000;
	try {
		for (const [index, read] of trace.reads.entries()) {
			clock = read.at;
			await cache.get(read.key);
			if (warming !== undefined) {
				if ((index + 1) % warmEvery === 0) await cache.warm();
				await cache.flush();
			}
		}
		const tier = cache.stats().tiers[0];
		const hits = tier?.hits ?? 0;
		const misses = tier?.misses ?? 0;
		return { reads: trace.reads.length, hits, misses, hitRatio: hits + misses === 0 ? 0 : hits / (hits + misses) };
	} finally {
		await cache.close();
	}
}

/** Replays `trace` with plain LRU and with warming; `gain` is the difference in hit ratio (percentage points / 100). */
export async function compareWarming(
	trace: AccessTrace,
	options: Omit<ReplayOptions, 'warming'> & { readonly warming?: WarmingOptions } = {},
): Promise<{ lru: ReplayResult; warmed: ReplayResult; gain: number }> {
	const lru = await replayTrace(trace, { ...options, warming: false });
	const warmed = await replayTrace(trace, { ...options, warming: options.warming ?? {} });
	return { lru, warmed, gain: warmed.hitRatio - lru.hitRatio };
}
