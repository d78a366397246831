#!/usr/bin/env node
// Micro-benchmark of the extension bus on the built package (`pnpm --filter @ovenjs/core build` first):
// the cost of a point with no handler and with one handler. Goals (issue #7): < 50 ns with none, < 1 µs with one.
// Run: node packages/core/bench/bus.mjs
import { ExtensionBus } from '@ovenjs/core';

const ITERATIONS = 5_000_000;
const info = { shardId: 0, shardCount: 1 };

function measure(label, fn, goalNs) {
	for (let i = 0; i < 200_000; i++) fn(); // warm up
	let best = Number.POSITIVE_INFINITY;
	for (let round = 0; round < 5; round++) {
		const start = process.hrtime.bigint();
		for (let i = 0; i < ITERATIONS; i++) fn();
		best = Math.min(best, Number(process.hrtime.bigint() - start) / ITERATIONS);
	}
	console.log(
		`${label.padEnd(44)} ${best.toFixed(1).padStart(7)} ns/op   goal < ${goalNs} ns   ${best < goalNs ? 'ok' : 'MISSED'}`,
	);
	return best < goalNs;
}

const empty = new ExtensionBus();
const one = new ExtensionBus();
let sink = 0;
one.on('lifecycle:shardReady', (value) => {
	sink += value.shardId;
});
one.on('gateway:beforeDispatch', (event) => event);

const results = [
	measure('emit, no handler', () => empty.emit('lifecycle:shardReady', info), 50),
	measure(
		"has() guard, no handler (the packages' pattern)",
		() => empty.has('lifecycle:shardReady') && empty.emit('lifecycle:shardReady', info),
		50,
	),
	measure('emit, one handler', () => one.emit('lifecycle:shardReady', info), 1_000),
	measure(
		'transformSync (waterfall), one handler',
		() => one.transformSync('gateway:beforeDispatch', { t: 'X', d: null, s: 0, shardId: 0 }),
		1_000,
	),
];
if (sink < 0) console.log(sink);
process.exit(results.every(Boolean) ? 0 : 1);
