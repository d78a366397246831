import { inspect } from 'node:util';
import type { Tracer } from '@opentelemetry/api';
import { collectDefaultMetrics, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Client, ClientEvents, ListenerCall } from '@ovenjs/core';
import type { RateLimitedEvent, RequestEvent, ResponseEvent, RestRequest } from '@ovenjs/rest';
import { computeRoute } from '@ovenjs/rest/internal';
import type { ShardSnapshot, ShardStatus } from '@ovenjs/ws';
import { ObservabilityError } from './errors/ObservabilityError.js';
import { DefaultMetricBuckets, MetricSet, type MetricBuckets } from './metrics/MetricSet.js';
import { Tracing, defaultTracer } from './tracing/Tracing.js';
import { VERSION } from './version.js';

/** The plugins the dashboard lists (`client.plugins`, the `PluginManager` of `@ovenjs/plugins`, satisfies it). */
export interface PluginHostLike {
	/** Names of the loaded plugins. */
	readonly loaded: readonly string[];
}

/** A failed plugin load (`@ovenjs/plugins`' `PluginError` satisfies it). */
export interface PluginFailureLike {
	readonly plugin: string;
	readonly code: string;
}

/** Options of {@link instrument}. */
export interface InstrumentOptions {
	/**
	 * The prom-client registry the metrics are registered in. Give one per client: metric names are fixed.
	 * @defaultValue a new `Registry`
	 */
	readonly registry?: Registry;
	/**
	 * Also collect Node's default process metrics (CPU, memory, event loop lag, GC, handles) into the registry.
	 * @defaultValue {@link DefaultInstrumentOptions.defaultMetrics} (`true`)
	 */
	readonly defaultMetrics?: boolean;
	/**
	 * Labels added to every series, e.g. `{ process: 'worker-1' }`, so registries of several processes or
	 * worker threads can be merged with {@link mergeMetrics} and still told apart.
	 * @defaultValue none
	 */
	readonly labels?: Readonly<Record<string, string>>;
	/**
	 * Create OpenTelemetry spans: one per traced event listener call, a child per REST call and per cache tier
	 * read made from it. Spans are no-ops until the application registers an SDK.
	 * @defaultValue {@link DefaultInstrumentOptions.tracing} (`true`)
	 */
	readonly tracing?: boolean;
	/**
	 * The tracer spans are created with.
	 * @defaultValue `trace.getTracer('@ovenjs/observability')` from the global provider
	 */
	readonly tracer?: Tracer;
	/**
	 * The client events whose listener calls get a span (every event's listeners are timed in
	 * `ovenjs_event_handler_duration_seconds`).
	 * @defaultValue {@link DefaultInstrumentOptions.tracedEvents} (`['messageCreate', 'interactionCreate']`)
	 */
	readonly tracedEvents?: readonly (keyof ClientEvents)[];
	/** Histogram buckets (each list given replaces its default). @defaultValue {@link DefaultInstrumentOptions.buckets} ({@link DefaultMetricBuckets}) */
	readonly buckets?: MetricBuckets;
	/** The plugins whose loaded ones the dashboard lists, such as `client.plugins`. @defaultValue none */
	readonly plugins?: PluginHostLike;
}

/** The defaults of {@link InstrumentOptions}, in one place. */
export const DefaultInstrumentOptions = {
	defaultMetrics: true,
	tracing: true,
	tracedEvents: ['messageCreate', 'interactionCreate'],
	buckets: DefaultMetricBuckets,
} as const satisfies Required<Pick<InstrumentOptions, 'defaultMetrics' | 'tracing' | 'tracedEvents' | 'buckets'>>;

/** A plugin as the snapshot shows it. */
export interface PluginStatus {
	readonly name: string;
	/** `loaded`; `degraded` when loaded and its handlers failed; `failed` when it did not load. */
	readonly status: 'loaded' | 'degraded' | 'failed';
	readonly errors: number;
}

/** Totals and current values of an instrumented client (what the dashboard plots). */
export interface InstrumentationSnapshot {
	/** Milliseconds since 1970. */
	readonly time: number;
	readonly shards: readonly {
		readonly id: number;
		readonly status: ShardStatus;
		readonly latencyMs: number | undefined;
	}[];
	readonly events: number;
	readonly restRequests: number;
	readonly rest429: number;
	readonly rateLimitWaits: number;
	readonly queueDepth: number;
	readonly reconnects: number;
	readonly cache: readonly { readonly tier: string; readonly hits: number; readonly misses: number }[];
	readonly plugins: readonly PluginStatus[];
}

const instrumented = new WeakMap<Client, Instrumentation>();

/**
 * Metrics, traces and snapshots of one {@link Client}, created by {@link instrument}. Subscribes to the client's
 * extension points and REST events only; points nobody else listens to stay free for the rest of the library.
 */
export class Instrumentation {
	/** The instrumented client. */
	public readonly client: Client;
	/** The registry holding the metrics. */
	public readonly registry: Registry;
	readonly #set: MetricSet;
	readonly #tracing: Tracing;
	readonly #traced: ReadonlySet<string>;
	readonly #plugins: PluginHostLike | undefined;
	readonly #failedPlugins = new Map<string, string>();
	/** Plugin failures already counted from the client's `pluginError` event (so recordPluginLoad skips them). */
	readonly #countedPluginErrors = new WeakSet<PluginFailureLike>();
	readonly #wasReady = new Set<number>();
	readonly #disposers: (() => void)[] = [];
	#stopped = false;

	/** Use {@link instrument}. */
	public constructor(client: Client, options: InstrumentOptions = {}) {
		checkOptions(options);
		this.client = client;
		this.registry = options.registry ?? new Registry();
		if (options.labels !== undefined) this.registry.setDefaultLabels({ ...options.labels });
		if (options.defaultMetrics ?? DefaultInstrumentOptions.defaultMetrics)
			collectDefaultMetrics({ register: this.registry });
		this.#set = new MetricSet(
			this.registry,
			{ ...DefaultInstrumentOptions.buckets, ...options.buckets },
			() => client.rest.pendingRequests,
			() => this.refresh(),
		);
		const tracing = options.tracing ?? DefaultInstrumentOptions.tracing;
		this.#tracing = new Tracing(
			tracing ? (options.tracer ?? defaultTracer(VERSION)) : undefined,
			options.tracer === undefined,
		);
		this.#traced = new Set<string>(options.tracedEvents ?? DefaultInstrumentOptions.tracedEvents);
		this.#plugins = options.plugins;
		this.#wire();
		this.#seed();
	}

	/** The Prometheus text exposition of the registry. */
	public metrics(): Promise<string> {
		return this.registry.metrics();
	}

	/** The content type of {@link Instrumentation.metrics}. */
	public get contentType(): string {
		return this.registry.contentType;
	}

	/** The registry as JSON (what {@link mergeMetrics} takes from each process or worker thread). */
	public metricsJSON(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
		return this.registry.getMetricsAsJSON();
	}

	/** Whether {@link Instrumentation.stop} was called. */
	public get stopped(): boolean {
		return this.#stopped;
	}

	/**
	 * Reads what the library counts outside the extension points: the shards' dispatch counts (the gateway counts
	 * each dispatch as it reads its header, so an instrumented bot runs nothing extra per event). Scraping, the
	 * dashboard and `/api/snapshot` call it; call it before {@link Instrumentation.snapshot} for current `events`.
	 */
	public async refresh(): Promise<void> {
		const gateway = this.client.gateway;
		if (gateway === undefined || this.#stopped) return;
		let shards: readonly ShardSnapshot[];
		try {
			shards = await gateway.fetchStatus();
		} catch {
			// A gateway shutting down answers nothing: the counts stay as last read.
			return;
		}
		this.#set.absorbDispatches(shards);
	}

	/**
	 * Current totals and values (cheap: no registry collection; `events` as of the last
	 * {@link Instrumentation.refresh}).
	 */
	public snapshot(): InstrumentationSnapshot {
		const set = this.#set;
		const shardIds = new Set<number>([...set.shardStatus.keys(), ...set.latency.keys()]);
		const shards = [...shardIds]
			.sort((a, b) => a - b)
			.map((id) => ({ id, status: set.shardStatus.get(id) ?? 'idle', latencyMs: set.latency.get(id) }));
		const tiers = new Map<string, { hits: number; misses: number }>();
		for (const [tier, outcome, count] of set.cache.entries()) {
			const entry = tiers.get(tier) ?? { hits: 0, misses: 0 };
			if (outcome === 'hit') entry.hits += count;
			else entry.misses += count;
			tiers.set(tier, entry);
		}
		let rest429 = 0;
		for (const count of set.rateLimited.values()) rest429 += count;
		let waits = 0;
		for (const count of set.rateLimitWaits.values()) waits += count;
		return {
			time: Date.now(),
			shards,
			events: set.eventTotal,
			restRequests: set.requests.total(),
			rest429,
			rateLimitWaits: waits,
			queueDepth: this.client.rest.pendingRequests,
			reconnects: set.reconnects.total(),
			cache: [...tiers].map(([tier, counts]) => ({ tier, ...counts })),
			plugins: this.#pluginStatus(),
		};
	}

	/**
	 * Records the result of `client.plugins.load()`: failed plugins show as `failed` on the dashboard and count in
	 * `ovenjs_plugin_errors_total` with their error code (once: a failure the client already reported on
	 * `pluginError` while instrumented is counted already).
	 */
	public recordPluginLoad(result: { readonly failed: readonly PluginFailureLike[] }): void {
		for (const failure of result.failed) {
			this.#failedPlugins.set(failure.plugin, failure.code);
			if (!this.#countedPluginErrors.has(failure)) this.#set.pluginErrors.add(failure.plugin, failure.code);
		}
	}

	/** Unsubscribes from the client and removes the metrics from the registry. Safe to call twice. */
	public stop(): void {
		if (this.#stopped) return;
		this.#stopped = true;
		for (const dispose of this.#disposers.splice(0)) dispose();
		this.registry.clear();
		if (instrumented.get(this.client) === this) instrumented.delete(this.client);
	}

	/** Never prints the client's token (nor anything else held by the client). */
	public [inspect.custom](): string {
		return `Instrumentation { events: ${this.#set.eventTotal}, restRequests: ${this.#set.requests.total()}, stopped: ${this.#stopped} }`;
	}

	#pluginStatus(): PluginStatus[] {
		const errors = new Map<string, number>();
		for (const [plugin, , count] of this.#set.pluginErrors.entries())
			errors.set(plugin, (errors.get(plugin) ?? 0) + count);
		const out = new Map<string, PluginStatus>();
		for (const name of this.#plugins?.loaded ?? []) {
			const count = errors.get(name) ?? 0;
			out.set(name, { name, status: count > 0 ? 'degraded' : 'loaded', errors: count });
		}
		for (const name of this.#failedPlugins.keys()) {
			if (!out.has(name)) out.set(name, { name, status: 'failed', errors: errors.get(name) ?? 1 });
		}
		for (const [name, count] of errors)
			if (!out.has(name)) out.set(name, { name, status: 'degraded', errors: count });
		return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}

	/** Instrumented after `login()`: take the shards' current state (and their dispatch counts so far). */
	#seed(): void {
		const gateway = this.client.gateway;
		if (gateway === undefined) return;
		gateway.fetchStatus().then(
			(shards) => {
				this.#set.absorbDispatches(shards);
				for (const shard of shards) {
					if (!this.#set.shardStatus.has(shard.shardId))
						this.#set.shardStatus.set(shard.shardId, shard.status);
					if (shard.latency >= 0 && !this.#set.latency.has(shard.shardId))
						this.#set.latency.set(shard.shardId, shard.latency);
					if (shard.status === 'ready') this.#wasReady.add(shard.shardId);
				}
			},
			() => undefined,
		);
	}

	#wire(): void {
		const bus = this.client.extensions;
		const set = this.#set;
		const tracing = this.#tracing;
		const label = { label: '@ovenjs/observability' };
		const on = this.#disposers;

		// Gateway (dispatches are counted by the shards: see refresh()).
		on.push(
			bus.on(
				'ws:shardStatus',
				(shardId, status) => {
					set.shardStatus.set(shardId, status);
				},
				label,
			),
		);
		on.push(
			bus.on(
				'ws:shardReady',
				(shardId, resumed) => {
					if (this.#wasReady.has(shardId))
						set.reconnects.add(String(shardId), resumed ? 'resume' : 'identify');
					this.#wasReady.add(shardId);
				},
				label,
			),
		);
		on.push(
			bus.on(
				'metrics:gauge',
				(sample) => {
					const shard = sample.labels?.shard;
					if (sample.name === 'ovenjs.gateway.latency' && shard !== undefined)
						set.latency.set(Number(shard), sample.value);
				},
				label,
			),
		);

		// Event listeners: timing for all, spans for the traced ones.
		const traced = this.#traced;
		on.push(
			bus.on(
				'client:listener',
				// The Client wraps each listener once (not per call): the per-call work is the timing itself.
				(call: ListenerCall, event: string): ListenerCall =>
					tracing.wrapHandler(event, traced.has(event), call, set.handlerTimings.recorder(event)),
				label,
			),
		);

		// REST: the call (beforeRequest … afterRequest/onError) and its attempts (REST events, tied by `origin`).
		on.push(
			bus.on(
				'rest:beforeRequest',
				(request: RestRequest) => {
					tracing.restStart(request, request.method, routeTemplate(request));
					return undefined;
				},
				// Last, so the object this sees is the one the request is sent with.
				{ ...label, priority: Number.MIN_SAFE_INTEGER },
			),
		);
		on.push(
			bus.on(
				'rest:afterRequest',
				(request, response) => {
					const call = tracing.restEnd(request, response.status, undefined);
					if (call !== undefined) this.#observeRest(request, call.route, call.seconds);
				},
				label,
			),
		);
		on.push(
			bus.on(
				'rest:onError',
				(request, error) => {
					const status = statusOf(error);
					const call = tracing.restEnd(request, status, error);
					if (call === undefined) return;
					// The last attempt was sent and never answered: a network failure or timeout.
					if (call.attempts > 0 && !call.answered)
						set.requests.add(call.route ?? `${request.method} ${routeTemplate(request)}`, 'error');
					this.#observeRest(request, call.route, call.seconds);
				},
				label,
			),
		);
		const rest = this.client.rest;
		const onRequest = (event: RequestEvent): void => {
			if (tracing.restAttempt(event.origin, event.routeKey, event.attempt))
				set.requests.add(event.routeKey, 'error');
		};
		const onResponse = (event: ResponseEvent): void => {
			set.requests.add(event.routeKey, String(event.status));
			tracing.restAnswer(event.origin, event.status, event.bucket);
		};
		const onRateLimited = (event: RateLimitedEvent): void => {
			if (event.reason === '429')
				MetricSet.bump(set.rateLimited, event.scope ?? (event.global ? 'global' : 'user'));
			else MetricSet.bump(set.rateLimitWaits, event.reason);
			tracing.restWait(event.origin, event.retryAfter, event.reason, event.scope);
		};
		rest.on('request', onRequest);
		rest.on('response', onResponse);
		rest.on('rateLimited', onRateLimited);
		on.push(() => {
			rest.off('request', onRequest);
			rest.off('response', onResponse);
			rest.off('rateLimited', onRateLimited);
		});

		// Cache: every tier a read consulted.
		on.push(
			bus.on(
				'cache:tierRead',
				(read) => {
					set.cache.add(read.tier, read.hit ? 'hit' : 'miss');
					tracing.cacheRead(read.key, read.tier, read.hit, read.durationMs);
				},
				label,
			),
		);

		// Plugins: what the plugin manager reports (failed handlers, loads, crashes) arrives on the client's
		// `pluginError`; handlers registered on the bus directly carry their owner's name as label.
		const onPluginError = (...[report]: ClientEvents['pluginError']): void => {
			this.#countedPluginErrors.add(report.error);
			set.pluginErrors.add(report.plugin, report.error.code);
		};
		this.client.on('pluginError', onPluginError);
		on.push(() => {
			this.client.off('pluginError', onPluginError);
		});
		on.push(
			bus.on(
				'error:unhandled',
				(error, context) => {
					if (context.label === undefined || context.label === label.label) return;
					set.pluginErrors.add(context.label, codeOf(error));
				},
				label,
			),
		);
	}

	#observeRest(request: RestRequest, routeKey: string | undefined, seconds: number): void {
		const key = routeKey ?? `${request.method} ${routeTemplate(request)}`;
		const space = key.indexOf(' ');
		this.#set.restDuration.observe({ method: key.slice(0, space), route: key.slice(space + 1) }, seconds);
	}
}

/** The route template of a request (IDs → `:id`, tokens → `:token`), never the raw path. */
function routeTemplate(request: RestRequest): string {
	const info = computeRoute(request.method, request.route.split('?', 1)[0] ?? request.route, request.auth !== false);
	return info.route.slice(info.route.indexOf(' ') + 1);
}

function statusOf(error: unknown): number | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const status: unknown = Reflect.get(error, 'status');
	return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): string {
	if (typeof error === 'object' && error !== null) {
		const code: unknown = Reflect.get(error, 'code');
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code)) return code;
	}
	return 'HANDLER_FAILED';
}

function isUnknownArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function checkOptions(options: InstrumentOptions): void {
	const given: unknown = options;
	if (typeof given !== 'object' || given === null)
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'instrument(client, options): options',
			'an object',
			given === null ? 'null' : typeof given,
		]);
	if (options.labels !== undefined) {
		for (const [name, value] of Object.entries(options.labels)) {
			if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) {
				throw ObservabilityError.of('OBS_INVALID_OPTION', [
					'Each key of InstrumentOptions.labels',
					'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)',
					JSON.stringify(name),
				]);
			}
			const shown: unknown = value;
			if (typeof shown !== 'string')
				throw ObservabilityError.of('OBS_INVALID_OPTION', [
					`InstrumentOptions.labels.${name}`,
					'a string',
					typeof shown,
				]);
		}
	}
	const buckets = options.buckets ?? {};
	for (const name of ['rest', 'handler'] as const) {
		const list: unknown = buckets[name];
		if (list === undefined) continue;
		if (
			!isUnknownArray(list) ||
			list.length === 0 ||
			!list.every(
				(value, i) =>
					typeof value === 'number' &&
					Number.isFinite(value) &&
					value > 0 &&
					(i === 0 || value > Number(list[i - 1])),
			)
		) {
			throw ObservabilityError.of('OBS_INVALID_OPTION', [
				`InstrumentOptions.buckets.${name}`,
				'a non-empty, strictly increasing list of positive seconds',
			]);
		}
	}
}

/**
 * Instruments a client: Prometheus metrics (see the package README for every name and label), OpenTelemetry
 * spans and the totals the dashboard plots. Call it before `login()` so shard start-up is seen. Calling it again
 * for the same client returns the same {@link Instrumentation} (options of later calls are ignored) until it is
 * stopped.
 *
 * @throws {@link ObservabilityError} `OBS_INVALID_OPTION` for malformed options.
 */
export function instrument(client: Client, options: InstrumentOptions = {}): Instrumentation {
	const existing = instrumented.get(client);
	if (existing !== undefined) {
		if (options.registry !== undefined && options.registry !== existing.registry) {
			throw ObservabilityError.of('OBS_ALREADY_INSTRUMENTED', []);
		}
		return existing;
	}
	const created = new Instrumentation(client, options);
	instrumented.set(client, created);
	return created;
}
