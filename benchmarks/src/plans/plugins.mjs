/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the plugins workload: @ovenjs/plugins at each isolation level, one fresh process per measurement.
import { runChild } from '../lib/child.mjs';

/** @type {import('./types.mjs').Plan} */
export const plugins = {
	id: 'plugins',
	title: 'plugins (@ovenjs/plugins at isolation none, worker, isolate)',
	description:
		'Through the public API (`PluginManager`, default limits). **resolution**: `resolveGraph` over 1,000 plugins (a tree of `^1.0.0` dependencies, some optional ones absent), measured once (in the `none` process). ' +
		'**load**: one `load(folder)` of a plugin with an event handler and a waterfall hook, median over fresh plugins (for `worker` a new thread, for `isolate` a new process with isolated-vm, started from the built `dist/`). ' +
		'**yardstick**: a bare `worker_threads` Worker answering one message, measured in the `worker` process (what Node itself costs; the worker load row cannot go below it). ' +
		"**event** / **hook**: one delivery to the plugin's handler, awaited (for `worker` and `isolate` the round trip through the thread or process). " +
		'**memory**: RSS growth per loaded plugin (this process plus, for isolates, their processes). ' +
		'**!ping**: a plugin at this level answering `!ping` on a Client against the mock Discord while another plugin loops forever in its isolate.',
	subjects: ['none', 'worker', 'isolate'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const result = await runChild('workloads/plugins.mjs', [subject, quick ? 'quick' : 'full'], {
			timeoutMs: 300_000,
		});
		if (result.status !== 'ok') return result;
		return { status: 'ok', metrics: result.metrics, unavailable: result.unavailable, notes: result.notes };
	},
};
