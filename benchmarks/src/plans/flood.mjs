/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the flood workload: MESSAGE_CREATE floods after READY, JSON and zlib-stream, one fresh mock and one
// fresh client process per measurement.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

const MOCK = { guilds: 1, membersPerGuild: 10, channelsPerGuild: 1 };

async function floodOnce(subject, mode, count) {
	return withMock(MOCK, async (info, mock) => {
		let flood;
		const result = await runChild('workloads/flood-client.mjs', [subject, mode, String(count)], {
			timeoutMs: 240_000,
			env: { MOCK_INFO: JSON.stringify(info) },
			onMessage(message) {
				if (message?.type === 'armed') flood = mock.request({ cmd: 'flood', count, channelId: info.channelIds[0] }, 240_000);
			},
		});
		if (flood !== undefined) await flood.catch(() => undefined);
		return result;
	});
}

/** @type {import('./types.mjs').Plan} */
export const flood = {
	id: 'flood',
	title: 'flood (200,000 MESSAGE_CREATE, JSON and zlib-stream)',
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const count = quick ? 3_000 : 200_000;
		const metrics = {};
		const unavailable = {};
		for (const mode of ['json', 'zlib']) {
			const result = await floodOnce(subject, mode, count);
			if (result.status === 'unavailable') {
				for (const key of ['rate', 'cpu', 'rss']) unavailable[`flood.${mode}.${key}`] = result.reason;
				continue;
			}
			if (result.status !== 'ok') return { status: 'error', reason: `${mode}: ${result.reason}` };
			if (result.events !== count) return { status: 'error', reason: `${mode}: received ${result.events} of ${count} events` };
			metrics[`flood.${mode}.rate`] = result.rate;
			metrics[`flood.${mode}.cpu`] = result.cpuMs;
			metrics[`flood.${mode}.rss`] = result.peakRss;
		}
		return { status: 'ok', metrics, unavailable };
	},
};
