/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Timing helpers for in-process micro measurements.

import { median, percentile } from './stats.mjs';

let sink = 0;

/** Keeps results observable so the JIT cannot drop the measured work. */
export function consume(value) {
	sink =
		(sink +
			(typeof value === 'bigint'
				? Number(value & 0xffn)
				: typeof value === 'number'
					? value
					: value === undefined
						? 0
						: 1)) |
		0;
	return sink;
}

/**
 * Nanoseconds per call of `fn(i)`: warms up for `warmupMs`, then times `batches` batches of `batch` calls each
 * and returns the median (and min/max) of the per-call cost across batches.
 */
export function nsPerOp(fn, { batch = 10_000, batches = 30, warmupMs = 200 } = {}) {
	const warmEnd = performance.now() + warmupMs;
	let i = 0;
	while (performance.now() < warmEnd) {
		for (let k = 0; k < 1000; k++) consume(fn(i++));
	}
	const samples = [];
	for (let b = 0; b < batches; b++) {
		const start = process.hrtime.bigint();
		for (let k = 0; k < batch; k++) consume(fn(i++));
		samples.push(Number(process.hrtime.bigint() - start) / batch);
	}
	return { ns: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/** The cost of reading the clock twice (the floor under every individually timed call). */
export function timerOverheadNs(samples = 100_000) {
	const list = [];
	for (let i = 0; i < samples; i++) {
		const start = process.hrtime.bigint();
		list.push(Number(process.hrtime.bigint() - start));
	}
	return percentile(list, 50);
}

/** p50 / p99 of individually timed calls (timer overhead included; see {@link timerOverheadNs}). */
export function latencyPercentiles(fn, count = 200_000) {
	for (let i = 0; i < 20_000; i++) consume(fn(i));
	const list = new Float64Array(count);
	for (let i = 0; i < count; i++) {
		const start = process.hrtime.bigint();
		consume(fn(i));
		list[i] = Number(process.hrtime.bigint() - start);
	}
	const values = Array.from(list);
	return { p50: percentile(values, 50), p99: percentile(values, 99), p999: percentile(values, 99.9) };
}

/** Awaits `fn(i)` `count` times sequentially, timing each; returns p50/p99 in nanoseconds. */
export async function asyncLatencyPercentiles(fn, count) {
	for (let i = 0; i < Math.min(200, count); i++) consume(await fn(i));
	const values = [];
	for (let i = 0; i < count; i++) {
		const start = process.hrtime.bigint();
		consume(await fn(i));
		values.push(Number(process.hrtime.bigint() - start));
	}
	return {
		p50: percentile(values, 50),
		p99: percentile(values, 99),
		mean: values.reduce((a, b) => a + b, 0) / values.length,
	};
}
