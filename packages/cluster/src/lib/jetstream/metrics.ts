/**
 * Receives the cluster's metrics: a counter increment or a gauge value, labelled with the process and the shard
 * (`shard: 'all'` for per-process values). Wire it to `@ovenjs/observability` or any metrics library.
 */
export type MetricSink = (
	name: string,
	value: number,
	labels: { readonly process: string; readonly shard: string },
) => void;
