/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the state workload: @ovenjs/state against a zundo-style history and a plain immer loop (the ceiling:
// @ovenjs/state is built on immer), one fresh process per measurement.
import { runChild } from '../lib/child.mjs';

/** @type {import('./types.mjs').Plan} */
export const state = {
	id: 'state',
	title: 'state (@ovenjs/state vs a zundo-style history vs a plain immer produceWithPatches loop)',
	description:
		'A bot-like tree (guilds → members; 1,000 nodes, 10,000 for the snapshot and memory rows), history of 100 entries on every subject. ' +
		'**update**: one member field set, 20,000 times; **transaction**: 100 fields in one change, 2,000 times (p50 and p99 of each call); ' +
		'**notification**: the extra time per path subscriber (1,000 subscribers, one sees the change); **snapshot**: `store.snapshot()` (immer: `structuredClone`); ' +
		'**memory**: heap per 1,000 nodes after 5,000 updates, history included; **propagation**: a `set` on one replica until another sees it, over the local Redis. ' +
		"The ceiling is the plain immer loop @ovenjs/state is built on; a transaction's p99 is set by the young-generation collections its allocations cause (see docs/performance.md).",
	subjects: ['ovenjs', 'zundo', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const result = await runChild('workloads/state.mjs', [subject, quick ? 'quick' : 'full'], {
			timeoutMs: 300_000,
		});
		if (result.status !== 'ok') return result;
		return { status: 'ok', metrics: result.metrics, unavailable: result.unavailable };
	},
};
