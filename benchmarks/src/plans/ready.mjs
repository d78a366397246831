/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the ready workload: 100 guilds × 1,000 members, fresh mock and client process per measurement.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

/** @type {import('./types.mjs').Plan} */
export const ready = {
	id: 'ready',
	title: 'ready (100 guilds × 1,000 members)',
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const guilds = quick ? 5 : 100;
		const membersPerGuild = quick ? 100 : 1000;
		const result = await withMock({ guilds, membersPerGuild, channelsPerGuild: 3 }, (info) =>
			runChild('workloads/ready-client.mjs', [subject], { timeoutMs: 300_000, env: { MOCK_INFO: JSON.stringify(info) } }),
		);
		if (result.status !== 'ok') return result;
		// Every guild also holds its owner and the bot besides the generated members.
		const expected = guilds * (membersPerGuild + 2);
		if (result.guilds !== guilds || result.members < guilds * membersPerGuild) {
			return { status: 'error', reason: `cached ${result.guilds} guilds and ${result.members} members, expected ${guilds} and about ${expected}` };
		}
		const metrics = { 'ready.time': result.seconds * 1000, 'ready.cpu': result.cpuMs };
		const unavailable = {};
		if (subject === 'ceiling') {
			unavailable['ready.heap'] = 'the ceiling caches nothing, so its memory is no yardstick';
			unavailable['ready.rss'] = 'the ceiling caches nothing, so its memory is no yardstick';
		} else {
			metrics['ready.heap'] = result.heapUsed + result.arrayBuffers;
			metrics['ready.rss'] = result.rss;
		}
		return { status: 'ok', metrics, unavailable };
	},
};
