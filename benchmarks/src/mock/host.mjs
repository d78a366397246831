// The mock Discord in its own process (so the measured client process holds only the client). Started by the
// runner with the MockDiscord options as JSON in argv[2]; answers commands over IPC:
//   → { type: 'ready', apiBase, gatewayUrl, token, guildIds, channelIds }   (after start)
//   { cmd: 'flood', count, channelId }  → { type: 'flooded', count }
//   { cmd: 'prepare', count, channelId, event, finalMessage } → { type: 'prepared', connections, bytes, ms }
//   { cmd: 'release' }                  → { type: 'flooded', ms }   (writes the prepared flood)
//   { cmd: 'stats' }                    → { type: 'stats', invalid, requests }
//   { cmd: 'stop' }                     → exits
// When @ovenjs/testing cannot be loaded it answers { type: 'unavailable', reason } and exits.
import { importOven } from '../lib/child.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const testing = await importOven('@ovenjs/testing');
if (testing.module?.MockDiscord === undefined) {
	process.send({ type: 'unavailable', reason: testing.reason ?? '@ovenjs/testing has no MockDiscord export' }, () =>
		process.exit(0),
	);
} else {
	const mock = await testing.module.MockDiscord.start(options);
	const guilds = [...mock.world.guilds.values()];
	const channelIds = guilds.flatMap((guild) => [...guild.channels]);
	process.on('message', (message) => {
		void handle(message);
	});
	process.on('disconnect', () => {
		void mock.stop().finally(() => process.exit(0));
	});
	process.send({
		type: 'ready',
		apiBase: mock.apiBase,
		gatewayUrl: mock.gatewayUrl,
		token: mock.token,
		guildIds: guilds.map((guild) => guild.id),
		channelIds,
	});

	let prepared;
	async function handle(message) {
		if (message.cmd === 'flood') {
			const started = performance.now();
			await mock.gateway.flood(message.count, { channelId: message.channelId });
			process.send({ type: 'flooded', count: message.count, ms: performance.now() - started });
		} else if (message.cmd === 'prepare') {
			// Every frame rendered, sequenced and encoded before the clock starts (see PreparedFlood).
			const started = performance.now();
			prepared = await mock.gateway.prepareFlood(message.count, {
				channelId: message.channelId,
				event: message.event,
				finalMessage: message.finalMessage,
			});
			process.send({
				type: 'prepared',
				connections: prepared.connections,
				bytes: prepared.bytes,
				ms: performance.now() - started,
			});
		} else if (message.cmd === 'release') {
			const started = performance.now();
			await prepared?.send();
			prepared = undefined;
			process.send({ type: 'flooded', ms: performance.now() - started });
		} else if (message.cmd === 'stats') {
			process.send({ type: 'stats', invalid: { ...mock.rest.invalid }, requests: mock.requests.size });
		} else if (message.cmd === 'stop') {
			await mock.stop();
			process.exit(0);
		}
	}
}
