/**
 * The scale-out proof, shared by scale.test.ts (every process on this machine, over loopback) and
 * two-machines.test.ts (gateway processes and worker processes in two network namespaces): on the real Redis and
 * NATS JetStream servers against the mock Discord, 3 gateway processes (4 shards each, 12 shards, max_concurrency 2
 * enforced by the mock) and 2 worker processes running a Client. A flood of MESSAGE_CREATEs with a gateway process
 * and a worker process killed mid-flood, then a rolling restart of every gateway process while events keep coming:
 * nothing lost, duplicated or reordered per guild, no identify after start-up, no 429.
 *
 * Every check is on counts, order and the mock's own clock, never on how fast this machine is: waits end when the
 * work is done and fail only when it stops moving.
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { expect } from 'vitest';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { shardIdForGuild } from '@ovenjs/types';
import { NATS_URL, REDIS_URL, uniquePrefix } from '@ovenjs/test-services';
import { ClusterManager, type BroadcastResult, type ClusterManagerOptions } from '@ovenjs/cluster';
import { RedisIdentifyThrottler } from '@ovenjs/cluster/redis';
import { ensureDispatchStream } from '@ovenjs/cluster/jetstream';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));

export const SHARDS = 12;
export const MAX_CONCURRENCY = 2;
const GUILDS = 36;
const INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;
/** The mock's rule: one IDENTIFY per bucket per this many ms (faster gets op 9). */
export const MOCK_IDENTIFY_INTERVAL_MS = 250;
/** The throttler's window: from each reported send, with room for the mock's event loop to lag behind. */
const IDENTIFY_WINDOW_MS = 1_200;
/** A wait fails when what it waits for has not moved for this long (however long it takes while it moves). */
const STALL_MS = 30_000;

/** How one role's processes are started: a program and the arguments before Node's own (`ip netns exec <ns> node`). */
export interface Launch {
	readonly execPath: string;
	readonly execArgv: readonly string[];
}

/** Where the proof's processes run and how they reach the services. */
export interface Placement {
	/**
	 * The host every process reaches Redis, NATS and the mock Discord at, on the services' own ports (the mock
	 * advertises it in its URLs). Without it the processes use the services' URLs as they are (loopback).
	 */
	readonly servicesHost?: string;
	readonly gateways?: Launch;
	readonly workers?: Launch;
}

/** What a process says about where it runs (the fixtures' `where` handler). */
export interface Where {
	readonly role: string;
	readonly pid: number;
	/** Its non-loopback IPv4 addresses. */
	readonly addresses: readonly string[];
	readonly redisUrl: string;
	readonly natsUrl: string;
	readonly api: string;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until `read()` reaches `target`. Fails only when the value stops moving for {@link STALL_MS}: a slow
 * machine makes it wait longer, never fail.
 */
async function untilReached(what: string, read: () => Promise<number>, target: number): Promise<void> {
	let last = await read();
	let movedAt = Date.now();
	while (last < target) {
		await sleep(100);
		const now = await read();
		if (now !== last) {
			last = now;
			movedAt = Date.now();
		} else if (Date.now() - movedAt > STALL_MS) {
			throw new Error(`${what}: stuck at ${last} of ${target} for ${STALL_MS} ms`);
		}
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

function isWhere(value: unknown): value is Where {
	return (
		typeof value === 'object' &&
		value !== null &&
		'addresses' in value &&
		Array.isArray(value.addresses) &&
		'redisUrl' in value &&
		typeof value.redisUrl === 'string' &&
		'natsUrl' in value &&
		typeof value.natsUrl === 'string' &&
		'api' in value &&
		typeof value.api === 'string'
	);
}

/** `url` with its host replaced by `host` (same scheme, port, credentials and path). */
function onHost(url: string, host: string | undefined): string {
	if (host === undefined) return url;
	const parsed = new URL(url);
	parsed.hostname = host;
	return parsed.toString().replace(/\/$/, '');
}

/** One run of the proof: {@link startMock}, then {@link startProcesses}, the checks, and {@link stop}. */
export class ScaleOutProof {
	public discord: MockDiscord | undefined;
	public gateways: ClusterManager | undefined;
	public workers: ClusterManager | undefined;
	/** The URLs the processes were given. */
	public urls: { readonly redis: string; readonly nats: string; readonly api: string } | undefined;
	/** Every process exit (kills, restarts), in order. */
	public readonly exits: unknown[] = [];
	readonly #events: number;
	readonly #prefix: string;
	readonly #stream: string;
	readonly #subject: string;
	readonly #durable: string;
	#redis: Redis | undefined;
	#nats: NatsConnection | undefined;

	public constructor(label: string, events = 20_000) {
		this.#events = events;
		this.#prefix = uniquePrefix(label);
		const tag = this.#prefix.replace(/[^A-Za-z0-9]/g, '_');
		this.#stream = `OVENJS_TEST_${tag}`.slice(0, 60);
		this.#subject = `ovenjs-test.${tag}`;
		this.#durable = `w-${tag}`.slice(0, 60);
	}

	/** Starts the mock Discord, advertising `publicHost`; resolves with the port it listens on (on 127.0.0.1). */
	public async startMock(publicHost?: string): Promise<number> {
		this.discord = await MockDiscord.start({
			guilds: GUILDS,
			membersPerGuild: 2,
			channelsPerGuild: 1,
			shards: SHARDS,
			maxConcurrency: MAX_CONCURRENCY,
			identifyIntervalMs: MOCK_IDENTIFY_INTERVAL_MS,
			replayBufferSize: 30_000,
			heartbeatIntervalMs: 10_000,
			...(publicHost === undefined ? {} : { publicHost }),
		});
		return this.discord.port;
	}

	/** Creates the stream, plans the identify order and starts the gateway and worker processes where `placement` says. */
	public async startProcesses(placement: Placement = {}): Promise<void> {
		const discord = this.#mock();
		const redis = new Redis(REDIS_URL);
		this.#redis = redis;
		const nats = await connect({ servers: NATS_URL });
		this.#nats = nats;
		await ensureDispatchStream(await nats.jetstreamManager(), {
			stream: this.#stream,
			subjectPrefix: this.#subject,
			storage: 'memory',
			maxAge: 600_000,
		});
		const urls = {
			redis: onHost(REDIS_URL, placement.servicesHost),
			nats: onHost(NATS_URL, placement.servicesHost),
			api: discord.apiBase,
		};
		this.urls = urls;
		const env = {
			OVENJS_PREFIX: this.#prefix,
			OVENJS_REDIS_URL: urls.redis,
			OVENJS_NATS_URL: urls.nats,
			OVENJS_API: urls.api,
			OVENJS_TOKEN: discord.token,
			OVENJS_INTENTS: String(INTENTS),
			OVENJS_SUBJECT: this.#subject,
			OVENJS_STREAM: this.#stream,
			OVENJS_DURABLE: this.#durable,
			OVENJS_IDENTIFY_WINDOW: String(IDENTIFY_WINDOW_MS),
			OVENJS_ACK_WAIT: '4000',
			OVENJS_SHARDS: String(SHARDS),
		};
		const node = ['--conditions=@ovenjs/source', '--import', 'tsx'];
		const launch = (how: Launch | undefined): Pick<ClusterManagerOptions, 'execPath' | 'execArgv'> =>
			how === undefined ? { execArgv: node } : { execPath: how.execPath, execArgv: [...how.execArgv, ...node] };
		const common = {
			env,
			healthInterval: 500,
			healthTimeout: 30_000,
			respawnDelay: { initial: 100, max: 1_000 },
			stopTimeout: 10_000,
		} as const;
		// Places in the identify queue for every shard before any process starts: identifies go in shard order.
		await new RedisIdentifyThrottler({ redis, keyPrefix: `${this.#prefix}identify:` }).plan(
			Array.from({ length: SHARDS }, (_, i) => i),
			MAX_CONCURRENCY,
			120_000,
		);
		const gateways = new ClusterManager({
			...common,
			...launch(placement.gateways),
			script: fixture('gateway'),
			shards: SHARDS,
			perProcess: 4,
		});
		const workers = new ClusterManager({
			...common,
			...launch(placement.workers),
			script: fixture('worker'),
			shards: null,
			processes: 2,
		});
		this.gateways = gateways;
		this.workers = workers;
		gateways.on('exit', (event) => this.exits.push({ role: 'gateway', ...event }));
		workers.on('exit', (event) => this.exits.push({ role: 'worker', ...event }));
		await Promise.all([gateways.spawn(), workers.spawn()]);
	}

	/** Where every process runs and which URLs it was given, as the processes themselves report it. */
	public async where(): Promise<{ gateways: Where[]; workers: Where[] }> {
		const of = async (manager: ClusterManager): Promise<Where[]> =>
			(await manager.broadcast('where', null, { timeout: 10_000 })).flatMap((result) =>
				result.ok && isWhere(result.value) ? [result.value] : [],
			);
		return { gateways: await of(this.#manager('gateways')), workers: await of(this.#manager('workers')) };
	}

	/**
	 * The 12 shards identified once each, in shard order within each max_concurrency bucket, never faster than the
	 * mock's rule as the mock's own clock measured it, and none was refused.
	 */
	public checkIdentifies(): void {
		const discord = this.#mock();
		expect(this.exits).toEqual([]);
		const log = discord.gateway.identifyLog;
		expect(log.filter((entry) => !entry.accepted)).toEqual([]);
		expect(log.map((entry) => entry.shardId).toSorted((a, b) => a - b)).toEqual(
			Array.from({ length: SHARDS }, (_, i) => i),
		);
		for (let bucket = 0; bucket < MAX_CONCURRENCY; bucket++) {
			const inBucket = log.filter((entry) => entry.bucket === bucket);
			expect(inBucket.map((entry) => entry.shardId)).toEqual(
				Array.from({ length: SHARDS / MAX_CONCURRENCY }, (_, i) => i * MAX_CONCURRENCY + bucket),
			);
			for (let i = 1; i < inBucket.length; i++)
				expect((inBucket[i]?.at ?? 0) - (inBucket[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(
					MOCK_IDENTIFY_INTERVAL_MS,
				);
		}
		expect(discord.gateway.identify).toMatchObject({ accepted: SHARDS, rejected: 0 });
	}

	/**
	 * The flood: a gateway process and a worker process killed mid-flood (SIGKILL), then a rolling restart of every
	 * gateway process while events keep coming. Every event handled exactly once, in order per guild; no identify
	 * (not even a refused one) after start-up; no 429.
	 */
	public async checkFlood(): Promise<void> {
		const discord = this.#mock();
		const gateways = this.#manager('gateways');
		const workers = this.#manager('workers');
		const redis = this.#redisClient();
		const prefix = this.#prefix;
		const total = this.#events;
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
		const identifiesBefore = discord.gateway.identifyLog.length;
		await send(Math.round(total * 0.3));
		// A gateway process and a worker process die mid-flood (SIGKILL: no clean shutdown, nothing flushed).
		expect(gateways.kill(1)).toBe(true);
		expect(workers.kill(0)).toBe(true);
		await send(Math.round(total * 0.4));
		await Promise.all([gateways.waitForReady(1), workers.waitForReady(0)]);
		await send(Math.round(total * 0.1));
		// A deploy: every gateway process restarted one after the other while events keep coming.
		const restart = gateways.rollingRestart();
		while (sent < total) {
			await send(Math.min(100, total - sent));
			await sleep(15);
		}
		await restart;
		expect(sent).toBe(total);
		try {
			await untilReached(
				'every event handled',
				async () => Number(await redis.get(`${prefix}seen-total`)),
				total,
			);
		} catch (error) {
			throw new Error(`${String(error)}; ${await this.#diagnostics()}`);
		}
		// Give late duplicates (redeliveries) a chance to show up.
		await sleep(1_000);
		expect(Number(await redis.get(`${prefix}seen-total`))).toBe(total);
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
		// The killed gateway process and every restarted one resumed: no IDENTIFY reached the mock after start-up.
		expect(discord.gateway.identifyLog.slice(identifiesBefore)).toEqual([]);
		expect(discord.gateway.identify).toMatchObject({ accepted: SHARDS, rejected: 0 });
		// The workers replied through REST with a shared RedisStore: one reply per 1,000 events, no 429.
		const posts = discord.rest.requests.all().filter((entry) => entry.method === 'POST');
		expect(posts.filter((entry) => entry.status === 429)).toEqual([]);
		const workerStats = values(await workers.broadcast('stats', null, { timeout: 10_000 }));
		const gatewayStats = values(await gateways.broadcast('stats', null, { timeout: 10_000 }));
		expect(workerStats).toHaveLength(2);
		expect(gatewayStats).toHaveLength(3);
		expect(workerStats.reduce((sum, s) => sum + (s.gaps ?? 0), 0)).toBe(0);
		expect(gatewayStats.map((s) => [s.identifies, s.resumes])).toEqual([
			[0, 4],
			[0, 4],
			[0, 4],
		]);
		// The worker's Client runs the same API as in-process: the worker that was not killed has the guilds of its
		// shards in its cache (the restarted one starts empty: give workers a shared cache tier to keep it).
		expect(this.exits.length).toBe(2 + 3);
		const survivor = workerStats.find((s) => s.generation === 0);
		expect(survivor?.guilds).toBe(guilds.filter((guild) => shardIdForGuild(guild.id, SHARDS) % 2 === 1).length);
		console.log(
			`[cluster] worker stats: ${JSON.stringify(workerStats)}; gateway stats: ${JSON.stringify(gatewayStats)}; REST posts: ${posts.length}`,
		);
	}

	/** Stops the processes and the mock, and removes the stream and the keys; safe after a failed start. */
	public async stop(): Promise<void> {
		await Promise.allSettled([this.gateways?.stop(), this.workers?.stop()]);
		const nats = this.#nats;
		if (nats !== undefined) {
			const jsm = await nats.jetstreamManager();
			await jsm.streams.delete(this.#stream).catch(() => undefined);
			await nats.drain();
		}
		const redis = this.#redis;
		if (redis !== undefined) {
			const keys = await redis.keys(`${this.#prefix}*`);
			if (keys.length > 0) await redis.del(...keys);
			redis.disconnect();
		}
		await this.discord?.stop();
	}

	/** What to print when the flood does not complete: identify accounting, sessions, consumers, stats. */
	async #diagnostics(): Promise<string> {
		const discord = this.#mock();
		const redis = this.#redisClient();
		const nats = this.#nats;
		const w = await this.#manager('workers').broadcast('stats', null, { timeout: 5_000 });
		const g = await this.#manager('gateways').broadcast('stats', null, { timeout: 5_000 });
		const jsm = nats === undefined ? undefined : await nats.jetstreamManager();
		const consumers = await Promise.all(
			Array.from({ length: SHARDS }, async (_, shard) => {
				const info = await jsm?.consumers
					.info(this.#stream, `${this.#durable}-${shard}`)
					.catch(() => undefined);
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
		return `identifies ${JSON.stringify(discord.gateway.identify)} sessions ${sessions.join(' ')}; exits ${JSON.stringify(this.exits)}; consumers ${JSON.stringify(consumers)}; seen ${await redis.get(`${this.#prefix}seen-total`)} of ${this.#events}; workers ${JSON.stringify(w)}; gateways ${JSON.stringify(g)}; marks ${JSON.stringify(await redis.hgetall(`${this.#prefix}worker:marks`))}`;
	}

	#mock(): MockDiscord {
		if (this.discord === undefined) throw new Error('the proof has no mock Discord: call startMock() first');
		return this.discord;
	}

	#manager(role: 'gateways' | 'workers'): ClusterManager {
		const manager = this[role];
		if (manager === undefined) throw new Error(`the proof has no ${role}: call startProcesses() first`);
		return manager;
	}

	#redisClient(): Redis {
		if (this.#redis === undefined) throw new Error('the proof is not started: call startProcesses() first');
		return this.#redis;
	}
}
