// Cluster workload (see plans/cluster.mjs). Usage: cluster.mjs <shards> [quick|full]; the mock's addresses in
// MOCK_INFO. Asks the runner for floods with { type: 'flood', count, channelId } and starts the clock on 'go'.
import { performance } from 'node:perf_hooks';
import { fetch } from 'undici';
import { importOven, memoryAfterGc, reportResult, reportUnavailable } from '../lib/child.mjs';

const shards = Number(process.argv[2]);
const FLOOD = 20_000;
const info = JSON.parse(process.env.MOCK_INFO ?? '{}');
const NATS = process.env.OVENJS_NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS = process.env.OVENJS_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ws = await importOven('@ovenjs/ws');
const clusterJs = await importOven('@ovenjs/cluster/jetstream');
const clusterRedis = await importOven('@ovenjs/cluster/redis');
if (ws.module === undefined) reportUnavailable(ws.reason);
if (clusterJs.module === undefined) reportUnavailable(clusterJs.reason);
const { WebSocketManager } = ws.module;
const { JetStreamPublisher, JetStreamWorker, ensureDispatchStream } = clusterJs.module;
const { RedisSessionStore } = clusterRedis.module;

const before = memoryAfterGc().rss;
const channelId = info.channelIds[0];
const headers = { Authorization: `Bot ${info.token}` };
let nats;
let redis;
let unavailable;
try {
	const { connect } = await import('nats');
	const { Redis } = await import('ioredis');
	nats = await connect({ servers: NATS, timeout: 3_000 });
	redis = new Redis(REDIS, { maxRetriesPerRequest: 1 });
	await redis.ping();
} catch (error) {
	unavailable = `NATS JetStream or Redis is not reachable (${error instanceof Error ? error.message : String(error)})`;
}
const tag = `bench${process.pid}`;
const stream = `OVENJS_BENCH_${tag}`;
const subjectPrefix = `ovenjs-bench.${tag}`;
let publisher;
if (nats !== undefined) {
	await ensureDispatchStream(await nats.jetstreamManager(), { stream, subjectPrefix, storage: 'memory' });
	publisher = new JetStreamPublisher({
		nats,
		subjectPrefix,
		sessions: new RedisSessionStore({ redis, keyPrefix: `${tag}:sessions:` }),
		maxPending: 50_000,
	});
}
let seenInProcess = 0;
const manager = new WebSocketManager({
	token: info.token,
	intents: 1 | 512 | 32_768,
	shardCount: shards,
	fetchGatewayInformation: async () => (await fetch(`${info.apiBase}/v10/gateway/bot`, { headers })).json(),
	...(publisher === undefined ? {} : publisher.sessionHooks()),
});
const t0 = performance.now();
await manager.connect();
const identifyMs = performance.now() - t0;
const rssPerShard = (memoryAfterGc().rss - before) / shards;
let waiting;
manager.on('dispatch', (event) => {
	if (event.t !== 'MESSAGE_CREATE') return;
	seenInProcess++;
	if (waiting !== undefined && seenInProcess >= waiting.count) waiting.done();
});

function flood(count) {
	return new Promise((resolve) => {
		const onGo = (message) => {
			if (message?.type !== 'go') return;
			process.off('message', onGo);
			resolve(performance.now());
		};
		process.on('message', onGo);
		process.send({ type: 'flood', count, channelId });
	});
}

// In-process: the listener sees every event.
const inProcess = new Promise((resolve) => {
	waiting = { count: FLOOD, done: resolve };
});
const startIn = await flood(FLOOD);
await inProcess;
const inProcessRate = FLOOD / ((performance.now() - startIn) / 1000);
waiting = undefined;

const metrics = {
	'cluster.identify': identifyMs,
	'cluster.rssPerShard': rssPerShard,
	'cluster.throughput.inprocess': inProcessRate,
};
const missing = {};
if (publisher !== undefined) {
	// Through JetStream: published by the gateway, consumed by a worker (durable consumer, ack after the handler).
	publisher.attach(manager);
	let handled = 0;
	let finish;
	const all = new Promise((resolve) => {
		finish = resolve;
	});
	const shardOfChannel = new Set();
	const worker = new JetStreamWorker({
		nats,
		redis,
		stream,
		subjectPrefix,
		shardIds: Array.from({ length: shards }, (_, i) => i),
		keyPrefix: `${tag}:worker:`,
		durable: tag,
		handler: (event) => {
			if (event.t !== 'MESSAGE_CREATE') return;
			shardOfChannel.add(event.shardId);
			handled++;
			if (handled >= FLOOD) finish();
		},
	});
	await worker.start();
	const startJs = await flood(FLOOD);
	await all;
	metrics['cluster.throughput.jetstream'] = FLOOD / ((performance.now() - startJs) / 1000);
	await worker.stop();
	const jsm = await nats.jetstreamManager();
	await jsm.streams.delete(stream).catch(() => undefined);
} else missing['cluster.throughput.jetstream'] = unavailable ?? 'not measured';
await manager.destroy();
await nats?.drain();
if (redis !== undefined) {
	const keys = await redis.keys(`${tag}:*`);
	if (keys.length > 0) await redis.del(...keys);
	redis.disconnect();
}
reportResult({ metrics, unavailable: missing });
