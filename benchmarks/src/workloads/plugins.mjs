// Plugins workload, one isolation level per process (`none`, `worker`, `isolate`), through @ovenjs/plugins' public
// API (PluginManager) with default limits, on a host environment whose doors are plain functions (so the figures are
// the plugin system's own cost, not REST's or the gateway's), plus one end-to-end row on a Client and the mock.
// Rows: dependency resolution of 1,000 plugins (measured in the `none` process only); load time per plugin; the
// overhead of delivering one event to a plugin handler and of one waterfall hook call; memory per loaded plugin
// (this process's RSS and, for isolates, their processes' RSS); and `!ping` answered by a plugin at this level on a
// Client against the mock Discord while another plugin (in an isolate) loops forever in messageCreate.
// Usage: plugins.mjs <none|worker|isolate> [quick|full]. Figures in milliseconds (memory in MB).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importOven, reportResult, reportUnavailable } from '../lib/child.mjs';

const level = process.argv[2];
const quick = process.argv[3] === 'quick';
const plugins = await importOven('@ovenjs/plugins');
if (plugins.module === undefined) reportUnavailable(plugins.reason);
const { PluginManager, resolveGraph } = plugins.module;

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** A host environment: events and hooks in maps (handlers' results awaited by the caller), a no-op API and state. */
function environment() {
	const events = new Map();
	const hooks = new Map();
	const state = new Map();
	return {
		events,
		hooks,
		env: {
			on(event, listener) {
				events.set(event, [...(events.get(event) ?? []), listener]);
				return () =>
					events.set(
						event,
						(events.get(event) ?? []).filter((l) => l !== listener),
					);
			},
			hook(point, handler) {
				hooks.set(point, [...(hooks.get(point) ?? []), handler]);
				return () =>
					hooks.set(
						point,
						(hooks.get(point) ?? []).filter((h) => h !== handler),
					);
			},
			api: {
				channels: { createMessage: async (channelId, body) => ({ id: '1', channel_id: channelId, ...body }) },
			},
			request: async () => undefined,
			cache: {},
			state: { read: (key) => state.get(key), write: async (key, value) => void state.set(key, value) },
		},
	};
}

/** Writes `count` plugin packages (an event handler and a waterfall hook each) into a temporary folder. */
function writePlugins(count) {
	const root = mkdtempSync(join(tmpdir(), 'ovenjs-bench-plugins-'));
	for (let i = 0; i < count; i++) {
		const dir = join(root, `ovenjs-plugin-bench-${i}`);
		mkdirSync(dir);
		writeFileSync(
			join(dir, 'package.json'),
			JSON.stringify({
				name: `ovenjs-plugin-bench-${i}`,
				version: '1.0.0',
				type: 'module',
				main: 'index.mjs',
				ovenjs: {
					engine: '*',
					isolation: 'isolate',
					permissions: ['events:messageCreate', 'hook:message:beforeSend'],
				},
			}),
		);
		writeFileSync(
			join(dir, 'index.mjs'),
			`let seen = 0;
export default {
	setup(ctx) {
		ctx.on('messageCreate', (message) => { seen += message.content.length; });
		ctx.hook('message:beforeSend', (body) => ({ ...body, content: body.content + '.' }));
	},
};
`,
		);
	}
	return root;
}

/** RSS of this process's child processes (the isolates), in bytes (Linux /proc; 0 elsewhere). */
function childrenRss() {
	let total = 0;
	try {
		for (const pid of readdirSync('/proc')) {
			if (!/^\d+$/.test(pid)) continue;
			try {
				const status = readFileSync(`/proc/${pid}/status`, 'utf8');
				if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
				total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
			} catch {
				// the process ended meanwhile
			}
		}
	} catch {
		return 0;
	}
	return total;
}

function rss() {
	globalThis.gc?.();
	return process.memoryUsage().rss + childrenRss();
}

const metrics = {};
const notes = {};

// Dependency resolution of 1,000 plugins (a binary tree of dependencies, ranges checked), after warm-up.
if (level === 'none') {
	const nodes = Array.from({ length: 1_000 }, (_, i) => ({
		name: `ovenjs-plugin-p${i}`,
		version: '1.0.0',
		dependencies: i === 0 ? {} : { [`ovenjs-plugin-p${Math.floor((i - 1) / 2)}`]: '^1.0.0' },
		optionalDependencies: i % 10 === 0 ? { 'ovenjs-plugin-absent': '*' } : {},
		peerDependencies: {},
	})).reverse();
	for (let i = 0; i < 20; i++) resolveGraph(nodes);
	const samples = [];
	for (let i = 0; i < (quick ? 50 : 200); i++) {
		const start = performance.now();
		resolveGraph(nodes);
		samples.push(performance.now() - start);
	}
	metrics['plugins.graph'] = median(samples);
}

// The yardstick of the worker row: a bare worker_threads Worker that only answers one message (Node's own start cost).
if (level === 'worker') {
	const { Worker } = await import('node:worker_threads');
	const starts = [];
	for (let i = 0; i < (quick ? 3 : 7); i++) {
		const start = performance.now();
		const worker = new Worker('require("node:worker_threads").parentPort.postMessage(1)', { eval: true, env: {} });
		await new Promise((resolve) => worker.once('message', resolve));
		starts.push(performance.now() - start);
		await worker.terminate();
	}
	metrics['plugins.workerStart'] = median(starts);
}

// Load time per plugin: one load() after another, fresh plugins each.
const count = quick ? 4 : 10;
const root = writePlugins(count);
const host = environment();
const manager = new PluginManager({ environment: host.env, root, isolation: level });
const before = rss();
const loadTimes = [];
for (let i = 0; i < count; i++) {
	const start = performance.now();
	const { failed } = await manager.load(`./ovenjs-plugin-bench-${i}`);
	if (failed.length > 0) throw failed[0];
	loadTimes.push(performance.now() - start);
}
metrics['plugins.load'] = median(loadTimes);
metrics['plugins.memory'] = (rss() - before) / count / 1024 / 1024;

// Event delivery and hook overhead: one plugin's handler, awaited (for 'worker' and 'isolate' the round trip).
const listener = host.events.get('messageCreate')[0];
const hook = host.hooks.get('message:beforeSend')[0];
const message = {
	id: '1',
	channelId: '2',
	guildId: '3',
	content: '!ping',
	authorId: '4',
	author: { id: '4', username: 'someone' },
};
const calls = quick ? 300 : 3_000;
for (let i = 0; i < 50; i++) await listener(message);
let start = performance.now();
for (let i = 0; i < calls; i++) await listener(message);
metrics['plugins.event'] = (performance.now() - start) / calls;
for (let i = 0; i < 50; i++) await hook({ content: 'x' }, '2');
start = performance.now();
for (let i = 0; i < calls; i++) await hook({ content: 'x' }, '2');
metrics['plugins.hook'] = (performance.now() - start) / calls;
await manager.close();
rmSync(root, { recursive: true, force: true });

// !ping on a Client against the mock, answered by a plugin at this level, while a plugin loops forever.
const core = await importOven('@ovenjs/core');
const testing = await importOven('@ovenjs/testing');
if (core.module !== undefined && testing.module !== undefined) {
	const { Client } = core.module;
	const { MockDiscord } = testing.module;
	const pingRoot = mkdtempSync(join(tmpdir(), 'ovenjs-bench-ping-'));
	for (const [name, body] of [
		[
			'ovenjs-plugin-ping',
			`ctx.on('messageCreate', async (m) => { if (m.content === '!ping') await ctx.api.channels.createMessage(m.channelId, { content: 'pong' }); });`,
		],
		['ovenjs-plugin-spin', `ctx.on('messageCreate', () => { for (;;) {} });`],
	]) {
		mkdirSync(join(pingRoot, name));
		writeFileSync(
			join(pingRoot, name, 'package.json'),
			JSON.stringify({
				name,
				version: '1.0.0',
				type: 'module',
				main: 'index.mjs',
				ovenjs: {
					engine: '*',
					isolation: 'isolate',
					permissions: ['events:messageCreate', 'rest:channels.createMessage'],
				},
			}),
		);
		writeFileSync(join(pingRoot, name, 'index.mjs'), `export default { setup(ctx) { ${body} } };\n`);
	}
	const discord = await MockDiscord.start({ guilds: 1, identifyIntervalMs: 10, heartbeatIntervalMs: 1_000 });
	const guild = [...discord.world.guilds.values()][0];
	const channelId = [...guild.channels][0];
	const user = discord.world.addMember(guild.id).user;
	const client = new Client({
		token: discord.token,
		intents: 1 | 512 | 32768,
		rest: { api: discord.apiBase },
		plugins: {
			root: pingRoot,
			load: ['./ovenjs-plugin-ping', './ovenjs-plugin-spin'],
			isolation: { 'ovenjs-plugin-ping': level, 'ovenjs-plugin-spin': 'isolate' },
			limits: { handlerMs: 60_000 },
		},
	});
	await client.login();
	const { snowflakeTimestamp } = (await importOven('@ovenjs/types')).module;
	const latencies = [];
	for (let i = 0; i < (quick ? 5 : 20); i++) {
		const answered = new Promise((resolve) => {
			const onMessage = (m) => {
				if (m.authorId !== client.userId) return;
				client.off('messageCreate', onMessage);
				resolve(m);
			};
			client.on('messageCreate', onMessage);
		});
		const at = Date.now();
		discord.world.sendMessage(channelId, user.id, '!ping');
		const reply = await answered;
		// When the mock received the answer (its ID's timestamp): the user-visible latency.
		latencies.push(snowflakeTimestamp(reply.id) - at);
	}
	metrics['plugins.ping'] = median(latencies);
	notes['plugins.ping'] =
		"The `!ping` row: user message → the mock receiving the plugin's answer (the answer's snowflake timestamp, ms resolution), median of the pings, while another plugin loops forever in its isolate (its handler budget raised to 60 s so it keeps spinning).";
	await client.destroy();
	await discord.stop();
	rmSync(pingRoot, { recursive: true, force: true });
}

reportResult({ metrics, notes });
