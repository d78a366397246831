/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the REST workload: 5,000 message creates on 1 and on 10 buckets, fresh mock per measurement.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

/** Short windows so a run takes seconds: 50 requests per 100 ms per bucket; the global limit out of the way. */
export const REST_LIMITS = { windowMs: 100, perRoute: 50, global: 1_000_000 };
/** Added response latency of the network variant: loopback answers in ~1 ms, Discord in tens of ms. */
export const NETWORK_LATENCY_MS = 25;
const CONFIGS = [
	{ id: 'b1', buckets: 1, latencyMs: 0 },
	{ id: 'b10', buckets: 10, latencyMs: 0 },
	{ id: 'b10lat', buckets: 10, latencyMs: NETWORK_LATENCY_MS },
];

/** @type {import('./types.mjs').Plan} */
export const rest = {
	id: 'rest',
	title: 'REST (5,000 message creates, 1 and 10 buckets)',
	description: `Mock rate limits: ${REST_LIMITS.perRoute} requests per ${REST_LIMITS.windowMs} ms per bucket (so at most ${(REST_LIMITS.perRoute * 1000) / REST_LIMITS.windowMs} req/s on one bucket), global limit off. On loopback the mock answers in about a millisecond, so with 10 buckets every client is bounded by the mock's own request rate; the "+${NETWORK_LATENCY_MS} ms latency" row adds that much response latency at the mock (its \`faults.latencyMs\`) to model a network round trip, where how a client uses each bucket's window matters. On loopback the ceiling itself is less than 3× discord.js (divide the two ratio columns), so no client can meet the 3× target there; it is judged where it can exist, on the latency row.`,
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const count = quick ? 300 : 5_000;
		const metrics = {};
		const unavailable = {};
		for (const { id, buckets, latencyMs } of CONFIGS) {
			const mockOptions = {
				guilds: 1,
				membersPerGuild: 2,
				channelsPerGuild: 10,
				rateLimits: REST_LIMITS,
				...(latencyMs > 0 ? { faults: { latencyMs } } : {}),
			};
			const result = await withMock(mockOptions, async (info, mock) => {
				const run = await runChild('workloads/rest-client.mjs', [subject, String(buckets), String(count)], {
					timeoutMs: 240_000,
					env: { MOCK_INFO: JSON.stringify(info) },
				});
				if (run.status === 'ok') run.stats = await mock.request({ cmd: 'stats' }, 10_000);
				return run;
			});
			if (result.status === 'unavailable') {
				unavailable[`rest.${id}.rate`] = result.reason;
				unavailable[`rest.${id}.429`] = result.reason;
				unavailable[`rest.${id}.cpu`] = result.reason;
				continue;
			}
			if (result.status !== 'ok') return { status: 'error', reason: `${id}: ${result.reason}` };
			if (result.created !== count)
				return { status: 'error', reason: `${id}: ${result.created} of ${count} messages created` };
			metrics[`rest.${id}.rate`] = result.rate;
			metrics[`rest.${id}.429`] = result.stats.invalid.rateLimited;
			metrics[`rest.${id}.cpu`] = result.cpuMs;
		}
		return { status: 'ok', metrics, unavailable };
	},
};
