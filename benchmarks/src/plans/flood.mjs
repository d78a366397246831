/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the flood workload: floods after READY (MESSAGE_CREATE over JSON and zlib-stream, and TYPING_START that
// nobody listens to), one fresh mock and one fresh client process per measurement. The mock prepares every frame
// before the clock starts, so it writes nothing but bytes while the clock runs; the `socket` subject (frames
// counted, not decoded) measures what the mock and the socket can carry, and is the yardstick of every row.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

const MOCK = { guilds: 1, membersPerGuild: 10, channelsPerGuild: 1 };
/** The flood rows: id → [transport, event]. */
export const FLOODS = { json: ['json', 'message'], zlib: ['zlib', 'message'], typing: ['json', 'typing'] };

async function floodOnce(subject, mode, event, count) {
	// NODE_ENV unset is what most bots run with; `ovenjs-prod` is the same Client with NODE_ENV=production.
	const env = { NODE_ENV: subject === 'ovenjs-prod' ? 'production' : undefined };
	const script = subject === 'ovenjs-prod' ? 'ovenjs' : subject;
	return withMock(MOCK, async (info, mock) => {
		let steps = Promise.resolve();
		const result = await runChild('workloads/flood-client.mjs', [script, mode, event, String(count)], {
			timeoutMs: 300_000,
			env: { ...env, MOCK_INFO: JSON.stringify(info) },
			onMessage(message, child) {
				if (message?.type === 'armed') {
					steps = steps.then(async () => {
						const prepared = await mock.request(
							{
								cmd: 'prepare',
								count,
								channelId: info.channelIds[0],
								event: event === 'typing' ? 'TYPING_START' : 'MESSAGE_CREATE',
								finalMessage: event === 'typing' ? 'end' : undefined,
							},
							240_000,
						);
						if (prepared.type !== 'prepared' || prepared.connections !== 1)
							throw new Error(`the mock prepared ${JSON.stringify(prepared)}`);
						child.send({ type: 'start' });
					});
				} else if (message?.type === 'started') {
					steps = steps.then(() => mock.request({ cmd: 'release' }, 240_000));
				}
			},
		});
		await steps.catch((error) => {
			result.status = 'error';
			result.reason = String(error);
		});
		return result;
	});
}

/** @type {import('./types.mjs').Plan} */
export const flood = {
	id: 'flood',
	title: 'flood (200,000 MESSAGE_CREATE over JSON and zlib-stream; 200,000 TYPING_START nobody listens to)',
	description:
		'After READY the mock writes 200,000 dispatches that it rendered, sequenced and encoded (zlib-stream: one persistent deflate context) before the clock started, as fast as the socket drains. ' +
		'Subjects: **OvenJS Client** (`new Client({ token, intents })`, default options, a `messageCreate` listener that reads the content and the author ID; NODE_ENV unset, as most bots run), the same Client with `NODE_ENV=production`, the same Client with `instrument(client)` from `@ovenjs/observability` (its defaults), the same Client on the streaming inflate of `node:zlib` instead of zlib-sync (the fallback without the optional addon; zlib-stream row only), the bare OvenJS `WebSocketManager`, the **discord.js 14 Client** and `@discordjs/ws` with the same listener, the **ceiling** (a bare `ws` client that runs `JSON.parse`, after zlib-sync inflate for zlib-stream) and the **socket** yardstick (a bare `ws` client that counts frames without decoding them: what the mock and the socket carry). ' +
		'zlib-stream uses zlib-sync wherever a library can (OvenJS by default, the discord.js Client whenever it resolves, `@discordjs/ws` with `CompressionMethod.ZlibSync`, the ceiling); the JSON rows hide zlib-sync from the discord.js Client, which would otherwise turn compression on by itself. ' +
		'The TYPING_START row: no subject listens to it; one MESSAGE_CREATE after the flood stops the clock. ' +
		'A row whose socket yardstick is under 1.5× the fastest library says **mock-bound**: then the mock, not the clients, sets the pace, and no ratio in it is quoted as a result.',
	subjects: [
		'ovenjs',
		'ovenjs-prod',
		'ovenjs-obs',
		'ovenjs-nodezlib',
		'ovenjs-ws',
		'discordjs',
		'discordjs-ws',
		'ceiling',
		'socket',
	],
	// Five: a flood row moves by ±4 % between runs on two shared cores, and the instrumented row is judged on a 5 % margin.
	runs: (quick) => (quick ? 1 : 5),
	async runOnce(subject, { quick }) {
		const count = quick ? 3_000 : 200_000;
		const metrics = {};
		const unavailable = {};
		// BENCH_FLOODS=json,typing measures only those rows (for profiling one of them).
		const only = process.env.BENCH_FLOODS?.split(',');
		// The node:zlib fallback differs from the Client only on the zlib-stream row.
		const rows = Object.entries(FLOODS).filter(
			([key]) => (only === undefined || only.includes(key)) && (subject !== 'ovenjs-nodezlib' || key === 'zlib'),
		);
		for (const [id, [mode, event]] of rows) {
			const result = await floodOnce(subject, mode, event, count);
			if (result.status === 'unavailable') {
				for (const key of ['rate', 'cpu', 'rss']) unavailable[`flood.${id}.${key}`] = result.reason;
				continue;
			}
			if (result.status !== 'ok') return { status: 'error', reason: `${id}: ${result.reason}` };
			const expected = event === 'typing' ? 1 : count;
			if (result.events !== count || result.delivered !== expected)
				return { status: 'error', reason: `${id}: delivered ${result.delivered} of ${expected} messages` };
			metrics[`flood.${id}.rate`] = result.rate;
			metrics[`flood.${id}.cpu`] = result.cpuMs;
			metrics[`flood.${id}.rss`] = result.peakRss;
		}
		return { status: 'ok', metrics, unavailable };
	},
};
