import {
	Counter,
	Gauge,
	Histogram,
	type HistogramConfiguration,
	type MetricValueWithName,
	type Registry,
} from 'prom-client';
import { ShardStatuses, type ShardStatus } from '@ovenjs/ws';

/** Every shard status, so `ovenjs_shard_status` has a 0/1 series per status (PromQL needs no `absent()`): ws's own list. */
export const SHARD_STATUSES: readonly ShardStatus[] = ShardStatuses;

/** Histogram buckets, in seconds. */
export interface MetricBuckets {
	/**
	 * Buckets of `ovenjs_rest_request_duration_seconds` (queue wait, retries and 429 waits included).
	 * @defaultValue {@link DefaultMetricBuckets.rest} (`[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]`)
	 */
	readonly rest?: readonly number[];
	/**
	 * Buckets of `ovenjs_event_handler_duration_seconds`.
	 * @defaultValue {@link DefaultMetricBuckets.handler} (`[0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]`)
	 */
	readonly handler?: readonly number[];
}

/** The default {@link MetricBuckets}. */
export const DefaultMetricBuckets = {
	rest: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
	handler: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
} as const satisfies Required<MetricBuckets>;

const SEP = '\u0000';

/** A two-label counter kept as plain numbers on the hot path and turned into a prom-client series on scrape. */
export class LabelledCount {
	readonly #values = new Map<string, number>();

	/** Adds `by` to the series `a`/`b`. */
	public add(a: string, b: string, by = 1): void {
		const key = `${a}${SEP}${b}`;
		this.#values.set(key, (this.#values.get(key) ?? 0) + by);
	}

	/** The value of one series (0 when never counted). */
	public get(a: string, b: string): number {
		return this.#values.get(`${a}${SEP}${b}`) ?? 0;
	}

	/** Sum over every series. */
	public total(): number {
		let sum = 0;
		for (const value of this.#values.values()) sum += value;
		return sum;
	}

	/** Every series as `[a, b, value]`. */
	public *entries(): Generator<[string, string, number]> {
		for (const [key, value] of this.#values) {
			const at = key.indexOf(SEP);
			yield [key.slice(0, at), key.slice(at + 1), value];
		}
	}
}

/** One event's handler durations: plain bucket counts (`counts[i]`: durations <= bound `i`, the last: above all). */
interface TimingSeries {
	readonly counts: Float64Array;
	sum: number;
	count: number;
}

/**
 * Handler durations kept as plain bucket counts on the hot path: prom-client's `observe` validates and hashes its
 * labels on every call, which cost more than the listener it timed. The histogram reads these when scraped.
 */
export class HandlerTimings {
	readonly #bounds: readonly number[];
	readonly #byEvent = new Map<string, TimingSeries>();

	public constructor(bounds: readonly number[]) {
		this.#bounds = [...bounds].sort((a, b) => a - b);
	}

	/** The recorder of `event`'s calls, resolved once per listener (no lookup per call). */
	public recorder(event: string): (seconds: number) => void {
		let series = this.#byEvent.get(event);
		if (series === undefined) {
			series = { counts: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
			this.#byEvent.set(event, series);
		}
		const bounds = this.#bounds;
		const target = series;
		return (seconds) => {
			let bucket = 0;
			while (bucket < bounds.length && seconds > (bounds[bucket] ?? 0)) bucket++;
			target.counts[bucket] = (target.counts[bucket] ?? 0) + 1;
			target.sum += seconds;
			target.count++;
		};
	}

	/** The Prometheus histogram series (cumulative `_bucket`s with `le`, `_sum`, `_count`) named `name`. */
	public values(name: string): MetricValueWithName<'event' | 'le'>[] {
		const out: MetricValueWithName<'event' | 'le'>[] = [];
		for (const [event, series] of this.#byEvent) {
			let cumulative = 0;
			this.#bounds.forEach((bound, index) => {
				cumulative += series.counts[index] ?? 0;
				out.push({ labels: { event, le: bound }, value: cumulative, metricName: `${name}_bucket` });
			});
			out.push({ labels: { event, le: '+Inf' }, value: series.count, metricName: `${name}_bucket` });
			out.push({ labels: { event }, value: series.sum, metricName: `${name}_sum` });
			out.push({ labels: { event }, value: series.count, metricName: `${name}_count` });
		}
		return out;
	}
}

/**
 * The hot-path state of an instrumented client and the prom-client metrics it is exposed through. Gateway
 * events are counted by the shards themselves and read when the registry is scraped; the rest is kept in plain
 * maps (no label hashing per call) and copied into the metrics on scrape.
 */
export class MetricSet {
	/** `shard → event → count`. */
	public readonly events = new Map<number, Map<string, number>>();
	/** Dispatches counted so far, all shards. */
	public eventTotal = 0;
	/** The shards' cumulative dispatch counts at the last {@link MetricSet.absorbDispatches}. */
	readonly #seenDispatches = new Map<number, Map<string, number>>();
	/** Last heartbeat round trip per shard, in ms. */
	public readonly latency = new Map<number, number>();
	/** Current status per shard. */
	public readonly shardStatus = new Map<number, ShardStatus>();
	/** `shard`/`kind` reconnects. */
	public readonly reconnects = new LabelledCount();
	/** `"METHOD /route"`/`status` answers and failures. */
	public readonly requests = new LabelledCount();
	/** 429s by scope (`user`, `global`, `shared`). */
	public readonly rateLimited = new Map<string, number>();
	/** Limiter waits (no 429) by reason. */
	public readonly rateLimitWaits = new Map<string, number>();
	/** Cache reads per tier: `tier`/`hit|miss`. */
	public readonly cache = new LabelledCount();
	/** Plugin errors: `plugin`/`code`. */
	public readonly pluginErrors = new LabelledCount();
	public readonly restDuration: Histogram<'method' | 'route'>;
	/** Handler durations by event (see {@link HandlerTimings}). */
	public readonly handlerTimings: HandlerTimings;

	/**
	 * @param queueDepth - REST requests waiting, read when scraped.
	 * @param refreshEvents - Reads the shards' dispatch counts into {@link MetricSet.absorbDispatches} before the
	 * events counter is scraped.
	 */
	public constructor(
		registry: Registry,
		buckets: Required<MetricBuckets>,
		queueDepth: () => number,
		refreshEvents: () => Promise<void>,
	) {
		this.handlerTimings = new HandlerTimings(buckets.handler);
		const registers = [registry];
		const events = this.events;
		new Counter({
			name: 'ovenjs_gateway_events_total',
			help: 'Gateway dispatches received, by shard and dispatch name.',
			labelNames: ['shard', 'event'],
			registers,
			async collect() {
				await refreshEvents();
				this.reset();
				for (const [shard, byEvent] of events)
					for (const [event, count] of byEvent) this.inc({ shard: String(shard), event }, count);
			},
		});
		const latency = this.latency;
		new Gauge({
			name: 'ovenjs_gateway_latency_seconds',
			help: 'Heartbeat round trip of the last ACK, by shard.',
			labelNames: ['shard'],
			registers,
			collect() {
				this.reset();
				for (const [shard, ms] of latency) this.set({ shard: String(shard) }, ms / 1000);
			},
		});
		const statuses = this.shardStatus;
		new Gauge({
			name: 'ovenjs_shard_status',
			help: 'Shard status: 1 for the status a shard is in, 0 for the others.',
			labelNames: ['shard', 'status'],
			registers,
			collect() {
				this.reset();
				for (const [shard, current] of statuses) {
					for (const status of SHARD_STATUSES)
						this.set({ shard: String(shard), status }, status === current ? 1 : 0);
				}
			},
		});
		const reconnects = this.reconnects;
		new Counter({
			name: 'ovenjs_gateway_reconnects_total',
			help: 'Shard reconnects after a lost connection, by shard and kind (resume: session resumed; identify: a new session).',
			labelNames: ['shard', 'kind'],
			registers,
			collect() {
				this.reset();
				for (const [shard, kind, count] of reconnects.entries()) this.inc({ shard, kind }, count);
			},
		});
		const requests = this.requests;
		new Counter({
			name: 'ovenjs_rest_requests_total',
			help: 'REST attempts by method, route template and HTTP status ("error" when the attempt got no answer).',
			labelNames: ['method', 'route', 'status'],
			registers,
			collect() {
				this.reset();
				for (const [key, status, count] of requests.entries()) {
					const space = key.indexOf(' ');
					this.inc({ method: key.slice(0, space), route: key.slice(space + 1), status }, count);
				}
			},
		});
		this.restDuration = new Histogram({
			name: 'ovenjs_rest_request_duration_seconds',
			help: 'Time from a REST call to its result, queue wait, retries and rate-limit waits included.',
			labelNames: ['method', 'route'],
			buckets: [...buckets.rest],
			registers,
		});
		const rateLimited = this.rateLimited;
		new Counter({
			name: 'ovenjs_rest_rate_limited_total',
			help: '429 answers from Discord, by X-RateLimit-Scope (user, global, shared).',
			labelNames: ['scope'],
			registers,
			collect() {
				this.reset();
				for (const [scope, count] of rateLimited) this.inc({ scope }, count);
			},
		});
		const waits = this.rateLimitWaits;
		new Counter({
			name: 'ovenjs_rest_rate_limit_waits_total',
			help: 'Requests the limiter held back before sending (no 429), by reason (bucket, global, invalid).',
			labelNames: ['reason'],
			registers,
			collect() {
				this.reset();
				for (const [reason, count] of waits) this.inc({ reason }, count);
			},
		});
		new Gauge({
			name: 'ovenjs_rest_queue_depth',
			help: 'REST requests waiting in bucket queues or for a retry (not in flight).',
			registers,
			collect() {
				this.set(queueDepth());
			},
		});
		const cache = this.cache;
		new Counter({
			name: 'ovenjs_cache_hits_total',
			help: 'Cache reads a tier answered, by tier.',
			labelNames: ['tier'],
			registers,
			collect() {
				this.reset();
				for (const [tier, outcome, count] of cache.entries()) if (outcome === 'hit') this.inc({ tier }, count);
			},
		});
		new Counter({
			name: 'ovenjs_cache_misses_total',
			help: 'Cache reads a tier could not answer, by tier.',
			labelNames: ['tier'],
			registers,
			collect() {
				this.reset();
				for (const [tier, outcome, count] of cache.entries()) if (outcome === 'miss') this.inc({ tier }, count);
			},
		});
		const timings = this.handlerTimings;
		const handlerName = 'ovenjs_event_handler_duration_seconds';
		const handlerOptions: HistogramConfiguration<'event'> = {
			name: handlerName,
			help: 'Time a client event listener took (until its promise settled), by event.',
			labelNames: ['event'],
			buckets: [...buckets.handler],
		};
		// An unregistered twin that is never observed: prom-client's get() of it gives name, help, type and aggregator.
		const described = new Histogram({ ...handlerOptions, registers: [] });
		const handlerHistogram = new Histogram({ ...handlerOptions, registers });
		const read = async (): ReturnType<Histogram['get']> => ({
			...(await described.get()),
			values: timings.values(handlerName),
		});
		// Read from the plain counts when scraped: get() for JSON (merging), getForPromString() for the text format.
		handlerHistogram.get = read;
		Reflect.set(handlerHistogram, 'getForPromString', read);
		const pluginErrors = this.pluginErrors;
		new Counter({
			name: 'ovenjs_plugin_errors_total',
			help: 'Failures of plugin handlers and plugin loads, by plugin and error code.',
			labelNames: ['plugin', 'code'],
			registers,
			collect() {
				this.reset();
				for (const [plugin, code, count] of pluginErrors.entries()) this.inc({ plugin, code }, count);
			},
		});
	}

	/** Counts one dispatch (the hot path: two map lookups, no allocation after the first of a kind). */
	/**
	 * Folds the shards' dispatch counts (cumulative per shard, see `ShardSnapshot.dispatches`) into the events
	 * counter: only the growth since the last read is added, and a shard whose counts went down was created anew
	 * (a reshard), so its counts are taken whole. Nothing runs per dispatch: the gateway counts as it reads headers.
	 */
	public absorbDispatches(
		shards: readonly { readonly shardId: number; readonly dispatches: Readonly<Record<string, number>> }[],
	): void {
		for (const { shardId, dispatches } of shards) {
			// No counts says nothing (a worker that did not answer in time is reported with none): keep the last read,
			// or its next answer would be counted twice. A shard made anew shows up by its counts going down.
			if (Object.keys(dispatches).length === 0) continue;
			let byEvent = this.events.get(shardId);
			if (byEvent === undefined) {
				byEvent = new Map();
				this.events.set(shardId, byEvent);
			}
			const seen = this.#seenDispatches.get(shardId);
			const renewed = seen !== undefined && [...seen].some(([event, count]) => (dispatches[event] ?? 0) < count);
			const base = seen === undefined || renewed ? new Map<string, number>() : seen;
			for (const [event, count] of Object.entries(dispatches)) {
				const growth = count - (base.get(event) ?? 0);
				if (growth <= 0) continue;
				byEvent.set(event, (byEvent.get(event) ?? 0) + growth);
				this.eventTotal += growth;
			}
			this.#seenDispatches.set(shardId, new Map(Object.entries(dispatches)));
		}
	}

	/** Adds one to a plain counter map. */
	public static bump(map: Map<string, number>, key: string): void {
		map.set(key, (map.get(key) ?? 0) + 1);
	}
}
