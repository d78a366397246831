// REST workload, client side: `count` message creates spread evenly over `buckets` channels (one bucket per
// channel), all issued at once; the clock stops when the last one resolved.
// Usage: rest-client.mjs <ovenjs|discordjs|ceiling> <buckets> <count>   (mock addresses in MOCK_INFO)
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { importOven, reportResult, reportUnavailable } from '../lib/child.mjs';
import { cpuMs, peakRss } from '../lib/proc.mjs';

const [subject, bucketText, countText] = process.argv.slice(2);
const buckets = Number(bucketText);
const count = Number(countText);
const info = JSON.parse(process.env.MOCK_INFO ?? '{}');
const channels = info.channelIds.slice(0, buckets);
if (channels.length < buckets) throw new Error(`the mock has ${channels.length} channels, ${buckets} needed`);
const perChannel = (i) => Math.floor(count / buckets) + (i < count % buckets ? 1 : 0);
const body = { content: 'benchmark message' };
// Both libraries get the same fair tuning for a mock with short windows: no added reset offset, global limit out
// of the way (the mock's global limit is off too); everything else at its defaults.
const GLOBAL_OFF = 1_000_000;
// The bare loop and OvenJS get the same socket pool: 128 keep-alive connections (OvenJS's default is 64; with
// +25 ms latency, 10 buckets of 50 need more sockets than that to keep every window busy). discord.js keeps its
// default undici Agent, which has no per-origin socket limit.
const CONNECTIONS = 128;

let send;
let close = async () => undefined;
let clientRetries = 0;
if (subject === 'ceiling') {
	// The bare loop: per bucket, burst exactly `remaining` requests, wait `reset-after` when the bucket is empty.
	const url = new URL(info.apiBase);
	const pool = new Pool(url.origin, { connections: CONNECTIONS });
	const headers = { authorization: `Bot ${info.token}`, 'content-type': 'application/json' };
	const payload = JSON.stringify(body);
	const post = async (channelId) => {
		const response = await pool.request({
			path: `${url.pathname}/v10/channels/${channelId}/messages`,
			method: 'POST',
			headers,
			body: payload,
		});
		const text = await response.body.text();
		return {
			status: response.statusCode,
			remaining: Number(response.headers['x-ratelimit-remaining'] ?? 1),
			// The mock runs on this machine's clock, so the absolute reset is exact (no latency guess needed).
			resetAt: Number(response.headers['x-ratelimit-reset'] ?? 0) * 1000,
			retryAfter: Number(response.headers['retry-after'] ?? 0) * 1000,
			json: JSON.parse(text),
		};
	};
	const bucketLoop = async (channelId, total) => {
		let left = total;
		let remaining = 1;
		while (left > 0) {
			const batch = Math.min(left, Math.max(1, remaining));
			const results = await Promise.all(Array.from({ length: batch }, () => post(channelId)));
			let resetAt = 0;
			remaining = Number.POSITIVE_INFINITY;
			for (const result of results) {
				if (result.status === 429) {
					clientRetries++;
					resetAt = Math.max(resetAt, Date.now() + result.retryAfter);
				} else if (result.status < 300) left--;
				else throw new Error(`HTTP ${result.status}: ${JSON.stringify(result.json)}`);
				remaining = Math.min(remaining, result.remaining);
				resetAt = Math.max(resetAt, result.resetAt);
			}
			// Timers may fire up to 1 ms early (whole milliseconds): wake just after the reset, never before it.
			if (remaining <= 0) await sleep(Math.max(0, Math.ceil(resetAt - Date.now()) + 1));
		}
	};
	send = () => Promise.all(channels.map((channelId, i) => bucketLoop(channelId, perChannel(i))));
	close = () => pool.close();
} else if (subject === 'discordjs') {
	const { REST } = await import('@discordjs/rest');
	const rest = new REST({
		api: info.apiBase,
		version: '10',
		offset: 0,
		globalRequestsPerSecond: GLOBAL_OFF,
	}).setToken(info.token);
	send = () =>
		Promise.all(
			channels.flatMap((channelId, i) =>
				Array.from({ length: perChannel(i) }, () => rest.post(`/channels/${channelId}/messages`, { body })),
			),
		);
} else if (subject === 'ovenjs') {
	const mod = await importOven('@ovenjs/rest');
	if (mod.module === undefined) reportUnavailable(mod.reason);
	else {
		const rest = new mod.module.REST({
			token: info.token,
			api: info.apiBase,
			version: '10',
			offset: 0,
			globalRequestsPerSecond: GLOBAL_OFF,
			connections: CONNECTIONS,
		});
		send = () =>
			Promise.all(
				channels.flatMap((channelId, i) =>
					Array.from({ length: perChannel(i) }, () => rest.post(`/channels/${channelId}/messages`, { body })),
				),
			);
		close = () => rest.destroy();
	}
} else {
	throw new Error(`unknown subject ${subject}`);
}

if (send !== undefined) {
	const cpuStart = process.cpuUsage();
	const started = performance.now();
	const results = await send();
	const seconds = (performance.now() - started) / 1000;
	const created = results.flat().length;
	const cpu = cpuMs(cpuStart);
	await close();
	reportResult({
		seconds,
		rate: count / seconds,
		requests: count,
		created: subject === 'ceiling' ? count : created,
		cpuMs: cpu,
		peakRss: peakRss(),
		clientSeen429: clientRetries,
	});
}
