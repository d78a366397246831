/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the micro workload: one fresh process per subject and run.
import { runChild } from '../lib/child.mjs';

const OPS = [
	'snowflake.validate',
	'snowflake.timestamp',
	'snowflake.deconstruct',
	'permissions.channel',
	'bus.none',
	'bus.one',
	'cache.l1get',
];

/** @type {import('./types.mjs').Plan} */
export const micro = {
	id: 'micro',
	title: 'micro',
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 5),
	async runOnce(subject, { quick }) {
		const result = await runChild('workloads/micro.mjs', [subject, ...(quick ? ['--quick'] : [])], {
			timeoutMs: 120_000,
		});
		if (result.status !== 'ok') return result;
		const metrics = {};
		const unavailable = { ...result.unavailable };
		for (const name of OPS) {
			const value = result.ops[name];
			if (value === undefined) {
				unavailable[`micro.${name}`] = result.unavailable[name] ?? 'not measured';
				continue;
			}
			metrics[`micro.${name}`] = value.ns;
			if (name === 'cache.l1get' && value.p99 !== undefined) {
				metrics['micro.cache.l1get.p99'] = value.p99;
				metrics['micro.cache.l1get.p50'] = value.p50;
			}
		}
		metrics['micro.timerOverhead'] = result.timerOverheadNs;
		return { status: 'ok', metrics, unavailable: prefixKeys(unavailable) };
	},
};

function prefixKeys(record) {
	const out = {};
	for (const [key, value] of Object.entries(record)) out[key.startsWith('micro.') ? key : `micro.${key}`] = value;
	return out;
}
