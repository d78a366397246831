// Flood workload, client side (one subject per process). The runner passes the mock's addresses in MOCK_INFO.
// Protocol: the client connects; once its guild is available it sends { type: 'armed' } and starts the clock; the
// runner asks the mock to flood; the client stops the clock at the last MESSAGE_CREATE delivered to user code.
// Usage: flood-client.mjs <ovenjs|discordjs|ceiling> <json|zlib> <count>
import { fetch } from 'undici';
import { importOven, reportResult, reportUnavailable } from '../lib/child.mjs';
import { connectBare } from '../lib/bare-gateway.mjs';
import { cpuMs, peakRss } from '../lib/proc.mjs';

const [subject, mode, countText] = process.argv.slice(2);
const count = Number(countText);
const info = JSON.parse(process.env.MOCK_INFO ?? '{}');
const compress = mode === 'zlib';
const INTENTS = 1 | 512 | 32_768; // GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT

let received = 0;
let bytes = 0;
let started = 0;
let cpuStart;
let armed = false;
let finish = () => undefined;

function arm() {
	if (armed) return;
	armed = true;
	started = performance.now();
	cpuStart = process.cpuUsage();
	process.send({ type: 'armed' });
}

/** User code: touch the parsed message so every subject delivers a usable object. */
function onMessage(data) {
	bytes += data.content.length;
	if (++received === count) finish();
}

const done = new Promise((resolve) => {
	finish = resolve;
});

let close;
if (subject === 'ceiling') {
	const bare = connectBare({
		gatewayUrl: info.gatewayUrl,
		compress,
		identify: { token: info.token, intents: INTENTS, properties: { os: 'linux', browser: 'bench', device: 'bench' } },
		onPayload(payload) {
			if (payload.op !== 0) return;
			if (payload.t === 'MESSAGE_CREATE') onMessage(payload.d);
			else if (payload.t === 'GUILD_CREATE') arm();
		},
	});
	close = async () => bare.close();
} else if (subject === 'discordjs') {
	const { WebSocketManager, WebSocketShardEvents, CompressionMethod } = await import('@discordjs/ws');
	const { REST } = await import('@discordjs/rest');
	const rest = new REST({ api: info.apiBase, version: '10' }).setToken(info.token);
	const manager = new WebSocketManager({ token: info.token, intents: INTENTS, rest, compression: compress ? CompressionMethod.ZlibNative : null });
	manager.on(WebSocketShardEvents.Dispatch, (payload) => {
		if (payload.t === 'MESSAGE_CREATE') onMessage(payload.d);
		else if (payload.t === 'GUILD_CREATE') arm();
	});
	await manager.connect();
	close = () => manager.destroy();
} else if (subject === 'ovenjs') {
	const ws = await importOven('@ovenjs/ws');
	if (ws.module === undefined) reportUnavailable(ws.reason);
	else {
		const manager = new ws.module.WebSocketManager({
			token: info.token,
			intents: INTENTS,
			compression: compress ? 'zlib-stream' : null,
			fetchGatewayInformation: async () => {
				const response = await fetch(`${info.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${info.token}` } });
				return response.json();
			},
		});
		manager.on('dispatch', (event) => {
			if (event.t === 'MESSAGE_CREATE') onMessage(event.d);
			else if (event.t === 'GUILD_CREATE') arm();
		});
		manager.on('error', (event) => {
			if (event.fatal) process.exitCode = 2;
		});
		await manager.connect();
		close = () => manager.destroy();
	}
} else {
	throw new Error(`unknown subject ${subject}`);
}

if (close !== undefined) {
	await done;
	const seconds = (performance.now() - started) / 1000;
	const cpu = cpuMs(cpuStart);
	const peak = peakRss();
	await close();
	reportResult({ events: received, seconds, rate: received / seconds, cpuMs: cpu, peakRss: peak, contentBytes: bytes });
}
