/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the cluster workload: the scale simulation of @ovenjs/cluster on the mock (100 shards, 250,000 small
// guilds announced), and the event throughput of one shard in-process vs through NATS JetStream (publisher →
// stream → JetStreamWorker with exactly-once marks in Redis). One fresh gateway process per run.
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

const SHARDS = 100;

/** @type {import('./types.mjs').Plan} */
export const cluster = {
	id: 'cluster',
	title: 'cluster (@ovenjs/cluster: 100 shards, 250,000 guilds; one shard in-process vs through JetStream)',
	description:
		'The mock announces 250,000 small guilds (25,000 with --quick; 2 members, 1 channel) to a bot of 100 shards (`max_concurrency` 16, the mock spacing identifies 100 ms apart per bucket). ' +
		'**identify**: `connect()` until every shard is ready (READY and every GUILD_CREATE); **RSS per shard**: the gateway process (WebSocketManager + JetStreamPublisher, no cache) after ready, minus its RSS before connecting, over 100; ' +
		'**throughput**: a prepared flood of 20,000 MESSAGE_CREATE on one shard, until the last is seen by an in-process listener, or by a `JetStreamWorker` handler in the same process (publish, ack, durable consumer, Redis dedupe mark per event). ' +
		'Needs NATS JetStream (`OVENJS_NATS_URL`) and Redis (`OVENJS_REDIS_URL`); without them the JetStream row is not available.',
	subjects: ['ovenjs'],
	runs: () => 1,
	async runOnce(subject, { quick }) {
		// --quick announces a tenth (the mock needs minutes to generate 250,000 guilds on a loaded 2-core machine).
		const guilds = quick ? 25_000 : 250_000;
		return withMock(
			{
				guilds,
				membersPerGuild: 0,
				channelsPerGuild: 1,
				shards: SHARDS,
				maxConcurrency: 16,
				identifyIntervalMs: 100,
				heartbeatIntervalMs: 41_250,
				replayBufferSize: 30_000,
			},
			async (info, mock) => {
				const result = await runChild('workloads/cluster.mjs', [String(SHARDS), quick ? 'quick' : 'full'], {
					timeoutMs: 600_000,
					env: {
						MOCK_INFO: JSON.stringify({
							apiBase: info.apiBase,
							token: info.token,
							channelIds: info.channelIds.slice(0, 1),
						}),
					},
					async onMessage(message, child) {
						if (message?.type !== 'flood') return;
						await mock.request(
							{ cmd: 'prepare', count: message.count, channelId: message.channelId, event: 'message' },
							300_000,
						);
						child.send({ type: 'go' });
						await mock.request({ cmd: 'release' }, 300_000);
					},
				});
				return result;
			},
		);
	},
};
