import { Client } from '@ovenjs/core';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { instrument } from '../src/index.js';
import { DefaultMetricBuckets, MetricSet } from '../src/lib/metrics/MetricSet.js';
import { intents, parseMetrics, series } from './helpers.js';

function metricSet(): { readonly set: MetricSet; readonly registry: Registry } {
	const registry = new Registry();
	const set = new MetricSet(
		registry,
		DefaultMetricBuckets,
		() => 0,
		() => Promise.resolve(),
	);
	return { set, registry };
}

describe('gateway events counted by the shards', () => {
	it('adds only the growth since the last read, per shard and name', async () => {
		const { set, registry } = metricSet();
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 5 } }]);
		set.absorbDispatches([
			{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 9, TYPING_START: 2 } },
			{ shardId: 1, dispatches: { READY: 1 } },
		]);
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 9, TYPING_START: 2 } }]);
		expect(set.eventTotal).toBe(1 + 9 + 2 + 1);
		const metrics = parseMetrics(await registry.metrics());
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'MESSAGE_CREATE' })).toBe(9);
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '0', event: 'TYPING_START' })).toBe(2);
		expect(series(metrics, 'ovenjs_gateway_events_total', { shard: '1', event: 'READY' })).toBe(1);
	});

	it('takes a renewed shard (its counts went down: a reshard made it anew) whole, never subtracting', () => {
		const { set } = metricSet();
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 50 } }]);
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 3 } }]);
		expect(set.events.get(0)?.get('MESSAGE_CREATE')).toBe(53);
		expect(set.events.get(0)?.get('READY')).toBe(2);
		expect(set.eventTotal).toBe(1 + 50 + 1 + 3);
	});

	it('ignores a shard reported without counts (a worker that did not answer), so its next answer is not counted twice', () => {
		const { set } = metricSet();
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 50 } }]);
		set.absorbDispatches([{ shardId: 0, dispatches: {} }]);
		set.absorbDispatches([{ shardId: 0, dispatches: { READY: 1, MESSAGE_CREATE: 60 } }]);
		expect(set.events.get(0)?.get('MESSAGE_CREATE')).toBe(60);
		expect(set.eventTotal).toBe(61);
	});

	it('hooks no per-dispatch point, so an instrumented client still skips dispatches nobody wants', () => {
		const client = new Client({ token: 'x'.repeat(24), intents });
		const instrumentation = instrument(client, { defaultMetrics: false });
		for (const point of [
			'gateway:beforeDispatch',
			'gateway:afterDispatch',
			'metrics:counter',
			'ws:onMessage',
		] as const)
			expect(client.extensions.has(point)).toBe(false);
		instrumentation.stop();
	});
});
