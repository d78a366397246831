// Flood workload, client side (one subject per process). The runner passes the mock's addresses in MOCK_INFO.
// Protocol: the client connects; once its guild is available it sends { type: 'armed' }; the runner has the mock
// prepare the flood (every frame rendered, sequenced and encoded before the clock starts), then sends
// { type: 'start' }: the client starts the clock and answers { type: 'started' }; the runner has the mock write the
// frames as fast as the socket drains. The clock stops at the last event delivered to user code.
// Usage: flood-client.mjs <subject> <json|zlib> <message|typing> <count>
//   subjects: ovenjs (the Client, default options), ovenjs-obs (the same with @ovenjs/observability's
//   instrument(client)), ovenjs-nodezlib (the same on node:zlib instead of zlib-sync), ovenjs-ws (the bare WebSocketManager), discordjs (the
//   discord.js 14 Client), discordjs-ws (@discordjs/ws), ceiling (ws + JSON.parse), socket (ws, frames counted:
//   the mock's and the socket's own limit). NODE_ENV comes from the runner.
// In `typing` the flood is TYPING_START, which no subject listens to, followed by one MESSAGE_CREATE that ends it.
import { hideModule, importOven, reportResult, reportUnavailable } from '../lib/child.mjs';
import { connectBare } from '../lib/bare-gateway.mjs';
import { cpuMs, peakRss } from '../lib/proc.mjs';

const [subject, mode, event, countText] = process.argv.slice(2);
const floodCount = Number(countText);
// The messages user code sees: every message of a message flood, or the one that ends a typing flood.
const count = event === 'typing' ? 1 : floodCount;
const info = JSON.parse(process.env.MOCK_INFO ?? '{}');
const compress = mode === 'zlib';
const INTENTS = 1 | 512 | 2048 | 32_768; // GUILDS | GUILD_MESSAGES | GUILD_MESSAGE_TYPING | MESSAGE_CONTENT

let received = 0;
let frames = 0;
let bytes = 0;
let started = 0;
let cpuStart;
let armed = false;
let finish = () => undefined;
const done = new Promise((resolve) => {
	finish = resolve;
});

process.on('message', (message) => {
	if (message?.type !== 'start') return;
	started = performance.now();
	cpuStart = process.cpuUsage();
	process.send({ type: 'started' });
});

function arm() {
	if (armed) return;
	armed = true;
	process.send({ type: 'armed' });
}

/** User code: reads the content and the author's ID, as a command handler does. */
function onMessage(content, authorId) {
	bytes += content.length + authorId.length;
	if (++received === count) finish();
}

let close;
if (subject === 'ceiling' || subject === 'socket') {
	const bare = connectBare({
		gatewayUrl: info.gatewayUrl,
		compress,
		identify: {
			token: info.token,
			intents: INTENTS,
			properties: { os: 'linux', browser: 'bench', device: 'bench' },
		},
		onPayload(payload) {
			if (payload.op !== 0) return;
			if (payload.t === 'MESSAGE_CREATE') onMessage(payload.d.content, payload.d.author.id);
			else if (payload.t === 'GUILD_CREATE') {
				if (subject === 'socket') bare.stopParsing();
				arm();
			}
		},
		onFrame() {
			// The flood, and the closing message of a typing flood, one frame each.
			if (++frames === floodCount + (event === 'typing' ? 1 : 0)) {
				received = count;
				finish();
			}
		},
	});
	close = async () => bare.close();
} else if (subject === 'discordjs') {
	// The discord.js Client turns zlib-stream on by itself whenever zlib-sync resolves; the JSON rows hide it.
	if (!compress) hideModule('zlib-sync');
	const { Client, Events } = await import('discord.js');
	const client = new Client({ intents: INTENTS, rest: { api: info.apiBase } });
	client.on(Events.MessageCreate, (message) => onMessage(message.content, message.author.id));
	client.once(Events.ClientReady, arm);
	await client.login(info.token);
	close = () => client.destroy();
} else if (subject === 'discordjs-ws') {
	const { WebSocketManager, WebSocketShardEvents, CompressionMethod } = await import('@discordjs/ws');
	const { REST } = await import('@discordjs/rest');
	const rest = new REST({ api: info.apiBase, version: '10' }).setToken(info.token);
	const manager = new WebSocketManager({
		token: info.token,
		intents: INTENTS,
		rest,
		compression: compress ? CompressionMethod.ZlibSync : null,
	});
	manager.on(WebSocketShardEvents.Dispatch, (payload) => {
		if (payload.t === 'MESSAGE_CREATE') onMessage(payload.d.content, payload.d.author.id);
		else if (payload.t === 'GUILD_CREATE') arm();
	});
	await manager.connect();
	close = () => manager.destroy();
} else if (subject === 'ovenjs-ws') {
	const ws = await importOven('@ovenjs/ws');
	if (ws.module === undefined) reportUnavailable(ws.reason);
	else {
		const manager = new ws.module.WebSocketManager({
			token: info.token,
			intents: INTENTS,
			compression: compress ? 'zlib-stream' : null,
			fetchGatewayInformation: async () => {
				const { fetch } = await import('undici');
				const response = await fetch(`${info.apiBase}/v10/gateway/bot`, {
					headers: { authorization: `Bot ${info.token}` },
				});
				return response.json();
			},
		});
		manager.on('dispatch', (dispatch) => {
			if (dispatch.t === 'MESSAGE_CREATE') onMessage(dispatch.d.content, dispatch.d.author.id);
			else if (dispatch.t === 'GUILD_CREATE') arm();
		});
		manager.on('error', (error) => {
			if (error.fatal) process.exitCode = 2;
		});
		await manager.connect();
		close = () => manager.destroy();
	}
} else if (subject === 'ovenjs' || subject === 'ovenjs-obs' || subject === 'ovenjs-nodezlib') {
	const core = await importOven('@ovenjs/core');
	const obs = subject === 'ovenjs-obs' ? await importOven('@ovenjs/observability') : undefined;
	if (core.module === undefined) reportUnavailable(core.reason);
	else if (obs !== undefined && obs.module === undefined) reportUnavailable(obs.reason);
	else {
		// What a bot author writes: the Client with its defaults; zlib-stream is the one switch the zlib rows set.
		// `ovenjs-nodezlib`: the fallback a bot gets without zlib-sync (node:zlib's streaming inflate).
		const decompressor = subject === 'ovenjs-nodezlib' ? { decompressor: 'node:zlib' } : {};
		const client = new core.module.Client({
			token: info.token,
			intents: INTENTS,
			rest: { api: info.apiBase },
			...(compress ? { gateway: { compression: 'zlib-stream', ...decompressor } } : {}),
		});
		// `ovenjs-obs`: the same bot with `instrument(client)` (its defaults: metrics, no OpenTelemetry SDK).
		obs?.module.instrument(client);
		client.on('messageCreate', (message) => onMessage(message.content, message.author.id));
		client.once('ready', arm);
		await client.login();
		close = () => client.destroy();
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
	reportResult({
		events: floodCount,
		delivered: received,
		seconds,
		rate: floodCount / seconds,
		cpuMs: cpu,
		peakRss: peak,
		checksum: bytes,
	});
}
