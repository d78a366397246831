/**
 * The scale-out proof, on the real Redis and NATS JetStream servers against the mock Discord: 3 gateway processes
 * (4 shards each, 12 shards, max_concurrency 2 enforced by the mock) and 2 worker processes running a Client. A
 * 20,000-event flood with a gateway process and a worker process killed mid-flood, then a rolling restart of every
 * gateway process while events keep coming: nothing lost, duplicated or reordered per guild, no identify after
 * start-up, no 429.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { shardIdForGuild } from '@ovenjs/types';
import { natsAvailable, redisAvailable, uniquePrefix, NATS_URL } from '@ovenjs/test-services';
import { ClusterManager, type BroadcastResult } from '@ovenjs/cluster';
import { RedisIdentifyThrottler } from '@ovenjs/cluster/redis';
import { ensureDispatchStream } from '@ovenjs/cluster/jetstream';

const redisGate = await redisAvailable('the cluster scale test');
const natsGate = await natsAvailable('the cluster scale test');
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));

const SHARDS = 12;
const GUILDS = 36;
const TOTAL = 20_000;
const INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(50);
	}
}

function values(results: BroadcastResult[]): Record<string, number>[] {
	return results.flatMap((result) => {
		if (!result.ok || typeof result.value !== 'object' || result.value === null) return [];
		return [
			Object.fromEntries(
				Object.entries(result.value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
			),
		];
	});
}

describe.skipIf(!redisGate.available || !natsGate.available)(
	'cluster: 3 gateway processes × 2 workers on Redis and JetStream',
	() => {
		let discord: MockDiscord;
		let redis: Redis;
		let nats: NatsConnection;
		let gateways: ClusterManager;
		let workers: ClusterManager;
		const prefix = uniquePrefix('cluster');
		const tag = prefix.replace(/[^A-Za-z0-9]/g, '_');
		const stream = `OVENJS_TEST_${tag}`.slice(0, 60);
		const subject = `ovenjs-test.${tag}`;
		const durable = `w-${tag}`.slice(0, 60);
		const exits: unknown[] = [];

		beforeAll(async () => {
			discord = await MockDiscord.start({
				guilds: GUILDS,
				membersPerGuild: 2,
				channelsPerGuild: 1,
				shards: SHARDS,
				maxConcurrency: 2,
				identifyIntervalMs: 250,
				replayBufferSize: 30_000,
				heartbeatIntervalMs: 10_000,
			});
			redis = new Redis(redisGate.url);
			nats = await connect({ servers: NATS_URL });
			await ensureDispatchStream(await nats.jetstreamManager(), {
				stream,
				subjectPrefix: subject,
				storage: 'memory',
				maxAge: 600_000,
			});
			const env = {
				OVENJS_PREFIX: prefix,
				OVENJS_REDIS_URL: redisGate.url,
				OVENJS_NATS_URL: NATS_URL,
				OVENJS_API: discord.apiBase,
				OVENJS_TOKEN: discord.token,
				OVENJS_INTENTS: String(INTENTS),
				OVENJS_SUBJECT: subject,
				OVENJS_STREAM: stream,
				OVENJS_DURABLE: durable,
				OVENJS_IDENTIFY_WINDOW: '1200',
				OVENJS_ACK_WAIT: '4000',
				OVENJS_SHARDS: String(SHARDS),
			};
			const common = {
				execArgv: ['--conditions=@ovenjs/source', '--import', 'tsx'],
				env,
				healthInterval: 500,
				healthTimeout: 30_000,
				respawnDelay: { initial: 100, max: 1_000 },
				stopTimeout: 10_000,
			} as const;
			// Places in the identify queue for every shard before any process starts: identifies go in shard order.
			await new RedisIdentifyThrottler({ redis, keyPrefix: `${prefix}identify:` }).plan(
				Array.from({ length: SHARDS }, (_, i) => i),
				2,
				120_000,
			);
			gateways = new ClusterManager({ ...common, script: fixture('gateway'), shards: SHARDS, perProcess: 4 });
			workers = new ClusterManager({ ...common, script: fixture('worker'), shards: null, processes: 2 });
			gateways.on('exit', (event) => exits.push({ role: 'gateway', ...event }));
			workers.on('exit', (event) => exits.push({ role: 'worker', ...event }));
			await Promise.all([gateways.spawn(), workers.spawn()]);
		}, 180_000);

		afterAll(async () => {
			await Promise.allSettled([gateways.stop(), workers.stop()]);
			const jsm = await nats.jetstreamManager();
			await jsm.streams.delete(stream).catch(() => undefined);
			await nats.drain();
			const keys = await redis.keys(`${prefix}*`);
			if (keys.length > 0) await redis.del(...keys);
			redis.disconnect();
			await discord.stop();
		}, 60_000);

		it('identifies the 12 shards once each, in shard order per max_concurrency bucket, without a rejected identify', () => {
			expect(exits).toEqual([]);
			const order = [...discord.gateway.sessionsById.values()].map((session) => session.shardId);
			expect(order.toSorted((a, b) => a - b)).toEqual(Array.from({ length: SHARDS }, (_, i) => i));
			for (const bucket of [0, 1]) {
				const inBucket = order.filter((id) => id % 2 === bucket);
				expect(inBucket).toEqual(inBucket.toSorted((a, b) => a - b));
			}
			expect(discord.gateway.identify.accepted).toBe(SHARDS);
			expect(discord.gateway.identify.rejected).toBe(0);
		});

		it('delivers a 20,000-event flood exactly once, in order per guild, through a gateway crash, a worker crash and a rolling restart', async () => {
			const world = discord.world;
			const guilds = [...world.guilds.values()];
			const channels = guilds.map((guild) => [...guild.channels][0]);
			const author = world.createUser('flooder');
			const counters = new Array<number>(guilds.length).fill(0);
			let sent = 0;
			const send = async (count: number): Promise<void> => {
				for (let i = 0; i < count; i++) {
					const g = sent % guilds.length;
					const channel = channels[g];
					if (channel === undefined) throw new Error('guild without channel');
					const n = counters[g] ?? 0;
					counters[g] = n + 1;
					sent++;
					world.sendMessage(channel, author.id, `${g}:${n}${sent % 1_000 === 0 ? '#reply' : ''}`);
					if (sent % 250 === 0) await sleep(1);
				}
			};
			const identifiesBefore = discord.gateway.identify.accepted;
			await send(6_000);
			// A gateway process and a worker process die mid-flood (SIGKILL: no clean shutdown, nothing flushed).
			expect(gateways.kill(1)).toBe(true);
			expect(workers.kill(0)).toBe(true);
			await send(8_000);
			await Promise.all([gateways.waitForReady(1), workers.waitForReady(0)]);
			await send(2_000);
			// A deploy: every gateway process restarted one after the other while events keep coming.
			const restart = gateways.rollingRestart();
			while (sent < TOTAL) {
				await send(100);
				await sleep(15);
			}
			await restart;
			expect(sent).toBe(TOTAL);
			try {
				await until(
					'every event handled',
					async () => Number(await redis.get(`${prefix}seen-total`)) >= TOTAL,
					90_000,
				);
			} catch (error) {
				const w = await workers.broadcast('stats', null, { timeout: 5_000 });
				const g = await gateways.broadcast('stats', null, { timeout: 5_000 });
				const jsm = await nats.jetstreamManager();
				const consumers = await Promise.all(
					Array.from({ length: SHARDS }, async (_, shard) => {
						const info = await jsm.consumers.info(stream, `${durable}-${shard}`).catch(() => undefined);
						return info === undefined
							? null
							: {
									shard,
									pending: info.num_pending,
									ackPending: info.num_ack_pending,
									redelivered: info.num_redelivered,
								};
					}),
				);
				const sessions = [...discord.gateway.sessionsById.values()].map(
					(session) =>
						`${session.shardId}:${session.id.slice(0, 6)}:${session.seq}:${session.connection === undefined ? 'detached' : 'live'}`,
				);
				throw new Error(
					`${String(error)}: identifies ${JSON.stringify(discord.gateway.identify)} sessions ${sessions.join(' ')}; exits ${JSON.stringify(exits)}; consumers ${JSON.stringify(consumers)}; seen ${await redis.get(`${prefix}seen-total`)} of ${TOTAL}; workers ${JSON.stringify(w)}; gateways ${JSON.stringify(g)}; marks ${JSON.stringify(await redis.hgetall(`${prefix}worker:marks`))}`,
				);
			}
			// Give late duplicates (redeliveries) a chance to show up.
			await sleep(1_000);
			expect(Number(await redis.get(`${prefix}seen-total`))).toBe(TOTAL);
			let lost = 0;
			let duplicated = 0;
			let outOfOrder = 0;
			for (const [g, guild] of guilds.entries()) {
				const seen = (await redis.lrange(`${prefix}seen:${guild.id}`, 0, -1)).map((content) =>
					Number(content.split(':')[1]?.replace('#reply', '')),
				);
				const unique = new Set(seen);
				duplicated += seen.length - unique.size;
				lost += (counters[g] ?? 0) - unique.size;
				for (let i = 1; i < seen.length; i++) if ((seen[i] ?? 0) <= (seen[i - 1] ?? 0)) outOfOrder++;
			}
			expect({ lost, duplicated, outOfOrder }).toEqual({ lost: 0, duplicated: 0, outOfOrder: 0 });
			// The killed gateway process and every restarted one resumed: no identify after start-up.
			expect(discord.gateway.identify.accepted - identifiesBefore).toBe(0);
			expect(discord.gateway.identify.rejected).toBe(0);
			// The workers replied through REST with a shared RedisStore: 20 replies, no 429.
			const posts = discord.rest.requests.all().filter((entry) => entry.method === 'POST');
			expect(posts.filter((entry) => entry.status === 429)).toEqual([]);
			const workerStats = values(await workers.broadcast('stats', null, { timeout: 5_000 }));
			const gatewayStats = values(await gateways.broadcast('stats', null, { timeout: 5_000 }));
			expect(workerStats).toHaveLength(2);
			expect(gatewayStats).toHaveLength(3);
			expect(workerStats.reduce((sum, s) => sum + (s.gaps ?? 0), 0)).toBe(0);
			expect(gatewayStats.every((s) => (s.identifies ?? -1) === 0 && (s.resumes ?? 0) === 4)).toBe(true);
			// The worker's Client runs the same API as in-process: the worker that was not killed has the guilds of its
			// shards in its cache (the restarted one starts empty: give workers a shared cache tier to keep it).
			expect(exits.length).toBe(2 + 3);
			const survivor = workerStats.find((s) => s.generation === 0);
			expect(survivor?.guilds).toBe(guilds.filter((guild) => shardIdForGuild(guild.id, SHARDS) % 2 === 1).length);
			console.log(
				`[cluster] worker stats: ${JSON.stringify(workerStats)}; gateway stats: ${JSON.stringify(gatewayStats)}; REST posts: ${posts.length}`,
			);
		}, 240_000);
	},
);
