import { AggregatorRegistry, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { ObservabilityError } from '../errors/ObservabilityError.js';

/** The JSON of one registry (`registry.getMetricsAsJSON()` / `instrumentation.metricsJSON()`). */
export type MetricsJSON = readonly MetricObjectWithValues<MetricValue<string>>[];

function isUnknownArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isMetricsJSON(value: unknown): value is MetricsJSON {
	if (!isUnknownArray(value)) return false;
	return value.every((metric) => {
		if (typeof metric !== 'object' || metric === null) return false;
		return (
			typeof Reflect.get(metric, 'name') === 'string' &&
			typeof Reflect.get(metric, 'type') === 'string' &&
			isUnknownArray(Reflect.get(metric, 'values'))
		);
	});
}

/**
 * Merges the metrics of several processes or worker threads into one registry to serve from the primary.
 * Each part is a registry or the JSON of one (what crosses a `postMessage` or IPC channel). Series with the same
 * labels are summed (counters, histograms, and gauges unless their `aggregator` says otherwise), so give each
 * process its own label (`instrument(client, { labels: { process: 'worker-1' } })`) to keep its series apart
 * while a PromQL `sum without (process)` still adds them up.
 *
 * @throws {@link ObservabilityError} `OBS_INVALID_METRICS` when a part is not metric JSON.
 */
export async function mergeMetrics(parts: readonly (Registry | MetricsJSON)[]): Promise<Registry> {
	const jsons: MetricsJSON[] = [];
	for (const [index, part] of parts.entries()) {
		const json: unknown = part instanceof Registry ? await part.getMetricsAsJSON() : part;
		if (!isMetricsJSON(json)) {
			throw ObservabilityError.of('OBS_INVALID_METRICS', [index]);
		}
		jsons.push(json);
	}
	return AggregatorRegistry.aggregate(jsons);
}
