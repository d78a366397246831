// Ready workload, client side: login → every guild received and every guild's members cached, either fetched
// with op 8 (`op8`) or received in GUILD_CREATE (`guild`, large_threshold 250); then heap after GC and RSS.
// Usage: ready-client.mjs <ovenjs|discordjs|ceiling> <op8|guild>  (mock in MOCK_INFO)
import { hideModule, importOven, memoryAfterGc, reportResult, reportUnavailable } from '../lib/child.mjs';
import { connectBare } from '../lib/bare-gateway.mjs';
import { cpuMs, peakRss } from '../lib/proc.mjs';

const [subject, variant] = process.argv.slice(2);
const viaOp8 = variant !== 'guild';
const LARGE_THRESHOLD = viaOp8 ? 50 : 250;
const info = JSON.parse(process.env.MOCK_INFO ?? '{}');
const INTENTS = 1 | 2; // GUILDS | GUILD_MEMBERS
const baseline = memoryAfterGc();
let cpuStart;
let started = 0;

/** Starts the clock at the login itself (after the library was imported and the client constructed). */
function begin() {
	cpuStart = process.cpuUsage();
	started = performance.now();
}

/** Stops the clock and reports; `members` is what the subject holds in its cache (checked by the plan). */
async function finish(members, guilds, close) {
	const seconds = (performance.now() - started) / 1000;
	const cpu = cpuMs(cpuStart);
	const memory = memoryAfterGc();
	const peak = peakRss();
	await close();
	reportResult({
		seconds,
		cpuMs: cpu,
		heapUsed: memory.heapUsed,
		arrayBuffers: memory.arrayBuffers,
		rss: memory.rss,
		peakRss: peak,
		baselineHeap: baseline.heapUsed,
		members,
		guilds,
	});
}

if (subject === 'ceiling') {
	// The floor: parse every frame, request every guild's members, keep only counters.
	let expected = -1;
	let guildsDone = 0;
	let members = 0;
	// undici is imported here, before the clock, not at the top: a library's subject must not carry modules it does
	// not load itself in its measured heap.
	const { fetch } = await import('undici');
	begin();
	// A login starts by asking where the gateway is, as every client does.
	const gateway = await (
		await fetch(`${info.apiBase}/v10/gateway/bot`, { headers: { authorization: `Bot ${info.token}` } })
	).json();
	const bare = connectBare({
		gatewayUrl: gateway.url,
		compress: false,
		identify: {
			token: info.token,
			intents: INTENTS,
			large_threshold: LARGE_THRESHOLD,
			properties: { os: 'linux', browser: 'bench', device: 'bench' },
		},
		onPayload(payload) {
			if (payload.op !== 0) return;
			if (payload.t === 'READY') expected = payload.d.guilds.length;
			else if (payload.t === 'GUILD_CREATE' && !viaOp8) {
				members += payload.d.members.length;
				if (++guildsDone === expected) void finish(members, guildsDone, async () => bare.close());
			} else if (payload.t === 'GUILD_CREATE')
				bare.send({ op: 8, d: { guild_id: payload.d.id, query: '', limit: 0 } });
			else if (payload.t === 'GUILD_MEMBERS_CHUNK') {
				members += payload.d.members.length;
				if (payload.d.chunk_index === payload.d.chunk_count - 1 && ++guildsDone === expected)
					void finish(members, guildsDone, async () => bare.close());
			}
		},
	});
} else if (subject === 'discordjs') {
	// Every subject reads plain JSON: the discord.js Client would turn zlib-stream on whenever zlib-sync resolves.
	hideModule('zlib-sync');
	const { Client, GatewayIntentBits } = await import('discord.js');
	const client = new Client({
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
		rest: { api: info.apiBase },
		ws: { large_threshold: LARGE_THRESHOLD },
	});
	client.once('clientReady', async () => {
		if (viaOp8) await Promise.all(client.guilds.cache.map((guild) => guild.members.fetch()));
		const members = client.guilds.cache.reduce((sum, guild) => sum + guild.members.cache.size, 0);
		await finish(members, client.guilds.cache.size, () => client.destroy());
	});
	begin();
	await client.login(info.token);
} else if (subject === 'ovenjs') {
	const core = await importOven('@ovenjs/core');
	if (core.module === undefined) reportUnavailable(core.reason);
	else if (typeof core.module.Client !== 'function')
		reportUnavailable('@ovenjs/core does not export a Client yet (only the extension-point bus exists)');
	else {
		const client = new core.module.Client({
			token: info.token,
			intents: INTENTS,
			rest: { api: info.apiBase },
			gateway: { largeThreshold: LARGE_THRESHOLD },
		});
		begin();
		// login() resolves once every guild announced in READY is in the cache (the `ready` event).
		await client.login();
		// requestGuildMembers also resolves with the members it received; like a bot that only wants them cached, drop
		// them (holding 100,000 raw payloads in a stack slot while the heap is measured would count them twice).
		if (viaOp8) {
			await Promise.all(
				client.cache.guildIds().map(async (guildId) => {
					await client.gateway.requestGuildMembers({ guildId, query: '', limit: 0 });
				}),
			);
		}
		const ids = client.cache.guildIds();
		const members = ids.reduce((sum, id) => sum + client.cache.cachedMemberCount(id), 0);
		await finish(members, ids.length, () => client.destroy());
	}
} else {
	throw new Error(`unknown subject ${subject}`);
}
