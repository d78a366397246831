/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the REST workload: 5,000 message creates on 1 and on 10 buckets, fresh mock per measurement.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

/** Short windows so a run takes seconds: 50 requests per 100 ms per bucket; the global limit out of the way. */
export const REST_LIMITS = { windowMs: 100, perRoute: 50, global: 1_000_000 };
const MOCK = { guilds: 1, membersPerGuild: 2, channelsPerGuild: 10, rateLimits: REST_LIMITS };

/** @type {import('./types.mjs').Plan} */
export const rest = {
	id: 'rest',
	title: 'REST (5,000 message creates, 1 and 10 buckets)',
	description: `Mock rate limits: ${REST_LIMITS.perRoute} requests per ${REST_LIMITS.windowMs} ms per bucket (so at most ${(REST_LIMITS.perRoute * 1000) / REST_LIMITS.windowMs} req/s on one bucket), global limit off.`,
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const count = quick ? 300 : 5_000;
		const metrics = {};
		const unavailable = {};
		for (const buckets of [1, 10]) {
			const result = await withMock(MOCK, async (info, mock) => {
				const run = await runChild('workloads/rest-client.mjs', [subject, String(buckets), String(count)], { timeoutMs: 240_000, env: { MOCK_INFO: JSON.stringify(info) } });
				if (run.status === 'ok') run.stats = await mock.request({ cmd: 'stats' }, 10_000);
				return run;
			});
			if (result.status === 'unavailable') {
				unavailable[`rest.b${buckets}.rate`] = result.reason;
				unavailable[`rest.b${buckets}.429`] = result.reason;
				continue;
			}
			if (result.status !== 'ok') return { status: 'error', reason: `${buckets} bucket(s): ${result.reason}` };
			if (result.created !== count) return { status: 'error', reason: `${buckets} bucket(s): ${result.created} of ${count} messages created` };
			metrics[`rest.b${buckets}.rate`] = result.rate;
			metrics[`rest.b${buckets}.429`] = result.stats.invalid.rateLimited;
		}
		return { status: 'ok', metrics, unavailable };
	},
};
