import { resolve } from 'node:path';
import { parseGatewayInformation } from '@ovenjs/ws/internal';
import { ClusterManager, type ClusterGatewayInformation } from './ClusterManager.js';
import { ClusterError } from './errors/ClusterError.js';

/** What `ovenjs cluster <command>` was asked to do. */
export interface ClusterCliOptions {
	/** `start`: a gateway cluster of shards; `workers`: a pool of worker processes (no shards). */
	readonly command: 'start' | 'workers';
	readonly script: string;
	readonly shards: number | 'auto' | null;
	readonly perProcess: number;
	/** `--shard-range a-b`: the part of the shards this machine runs (inclusive). */
	readonly shardIds: readonly number[] | undefined;
	readonly processes: number;
	/** REST base used for `GET /gateway/bot`. */
	readonly api: string;
	/** Redis URL: sessions are counted (they resume, costing no identify) and identifies planned in shard order. */
	readonly redis: string | undefined;
	/** Key prefix of the session store and identify queue (match the bot's). */
	readonly keyPrefix: string;
	readonly healthInterval: number | undefined;
	readonly healthTimeout: number | undefined;
	/** Arguments after `--`, passed to the script. */
	readonly args: readonly string[];
}

const USAGE = `Usage:
  ovenjs cluster start <script> [--shards auto|N] [--per-process N] [--shard-range A-B] [--redis URL] [--key-prefix P] [--api URL]
                                [--health-interval MS] [--health-timeout MS] [-- script args]
  ovenjs cluster workers <script> [--processes N] [-- script args]

The token is read from DISCORD_TOKEN (never from the command line). Signals: SIGINT/SIGTERM stop every process
(sessions kept resumable); SIGHUP restarts the processes one by one (a zero-downtime deploy: shards resume).`;

function integer(flag: string, value: string | undefined): number {
	const parsed = Number(value);
	if (value === undefined || !Number.isInteger(parsed) || parsed < 1)
		throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
			`${flag} takes a positive integer, got ${value === undefined ? 'nothing' : `"${value}"`}.`,
			USAGE,
		]);
	return parsed;
}

/** Parses `ovenjs cluster ...` arguments (with or without the leading `cluster`). Throws `CLUSTER_INVALID_ARGUMENT` with the usage. */
export function parseClusterArgs(argv: readonly string[]): ClusterCliOptions {
	const list = argv[0] === 'cluster' ? argv.slice(1) : [...argv];
	const [command, script, ...rest] = list;
	if (command !== 'start' && command !== 'workers')
		throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
			`Unknown command ${command === undefined ? '(none)' : `"${command}"`}.`,
			USAGE,
		]);
	if (script === undefined || script.startsWith('-'))
		throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
			`${command} needs the script every process runs, such as ./bot.js.`,
			USAGE,
		]);
	let shards: number | 'auto' | null = command === 'workers' ? null : 'auto';
	let perProcess = 4;
	let shardIds: number[] | undefined;
	let processes = 1;
	let api = 'https://discord.com/api/v10';
	let redis: string | undefined;
	let keyPrefix = 'ovenjs:';
	let healthInterval: number | undefined;
	let healthTimeout: number | undefined;
	let args: string[] = [];
	for (let i = 0; i < rest.length; i++) {
		const flag = rest[i];
		const value = rest[i + 1];
		switch (flag) {
			case '--':
				args = rest.slice(i + 1);
				i = rest.length;
				break;
			case '--shards':
				if (command === 'workers')
					throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
						'--shards belongs to "start"; a worker pool takes --processes.',
						USAGE,
					]);
				shards = value === 'auto' ? 'auto' : integer('--shards', value);
				i++;
				break;
			case '--per-process':
				perProcess = integer('--per-process', value);
				i++;
				break;
			case '--shard-range': {
				const match = /^(\d+)-(\d+)$/.exec(value ?? '');
				const first = Number(match?.[1]);
				const last = Number(match?.[2]);
				if (match === null || last < first)
					throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
						`--shard-range takes FIRST-LAST (inclusive, such as 0-15), got ${value === undefined ? 'nothing' : `"${value}"`}.`,
						USAGE,
					]);
				shardIds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
				i++;
				break;
			}
			case '--processes':
				processes = integer('--processes', value);
				i++;
				break;
			case '--api':
				if (value === undefined)
					throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', ['--api takes a URL.', USAGE]);
				api = value.replace(/\/+$/, '');
				i++;
				break;
			case '--redis':
				if (value === undefined)
					throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
						'--redis takes a URL such as redis://127.0.0.1:6379.',
						USAGE,
					]);
				redis = value;
				i++;
				break;
			case '--key-prefix':
				if (value === undefined)
					throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [
						'--key-prefix takes a prefix such as mybot:.',
						USAGE,
					]);
				keyPrefix = value;
				i++;
				break;
			case '--health-interval':
				healthInterval = integer('--health-interval', value);
				i++;
				break;
			case '--health-timeout':
				healthTimeout = integer('--health-timeout', value);
				i++;
				break;
			default:
				throw ClusterError.of('CLUSTER_INVALID_ARGUMENT', [`Unknown option "${String(flag)}".`, USAGE]);
		}
	}
	return {
		command,
		script,
		shards,
		perProcess,
		shardIds,
		processes,
		api,
		redis,
		keyPrefix,
		healthInterval,
		healthTimeout,
		args,
	};
}

async function fetchGatewayInformation(api: string): Promise<ClusterGatewayInformation> {
	const token = process.env.DISCORD_TOKEN;
	if (token === undefined || token === '') throw ClusterError.of('CLUSTER_TOKEN_MISSING', []);
	const response = await fetch(`${api}/gateway/bot`, { headers: { Authorization: `Bot ${token}` } });
	if (!response.ok) throw ClusterError.of('CLUSTER_GATEWAY_INFORMATION_FAILED', [response.status]);
	const info = parseGatewayInformation(await response.json());
	return { shards: info.shards, sessionStartLimit: info.sessionStartLimit };
}

/** Runs `ovenjs cluster ...`; resolves with the exit code once the cluster stopped. */
export async function runCli(
	argv: readonly string[],
	log: (line: string) => void = (line) => {
		console.log(line);
	},
): Promise<number> {
	let options: ClusterCliOptions;
	try {
		options = parseClusterArgs(argv);
	} catch (error) {
		log(error instanceof Error ? error.message : String(error));
		return 2;
	}
	const needsInfo =
		options.shards === 'auto' || (options.command === 'start' && process.env.DISCORD_TOKEN !== undefined);
	let info: ClusterGatewayInformation | undefined;
	let storedSessions: ((shardIds: readonly number[]) => Promise<number>) | undefined;
	let closeRedis = (): void => undefined;
	if (options.redis !== undefined && options.command === 'start') {
		const { Redis } = await import('ioredis');
		const { RedisSessionStore } = await import('./redis/RedisSessionStore.js');
		const redis = new Redis(options.redis, { lazyConnect: false });
		closeRedis = () => {
			redis.disconnect();
		};
		const store = new RedisSessionStore({ redis, keyPrefix: `${options.keyPrefix}sessions:` });
		storedSessions = (ids) => store.count(ids);
	}
	const manager = new ClusterManager({
		script: resolve(options.script),
		args: options.args,
		shards: options.shards,
		perProcess: options.perProcess,
		...(options.shardIds === undefined ? {} : { shardIds: options.shardIds }),
		processes: options.processes,
		...(needsInfo ? { gatewayInformation: async () => (info ??= await fetchGatewayInformation(options.api)) } : {}),
		...(storedSessions === undefined ? {} : { storedSessions }),
		...(options.healthInterval === undefined ? {} : { healthInterval: options.healthInterval }),
		...(options.healthTimeout === undefined ? {} : { healthTimeout: options.healthTimeout }),
	});
	let lastLine = '';
	manager.on('progress', (p) => {
		const line = `[ovenjs-cluster] ${p.processesReady}/${p.processes} processes ready${p.shards > 0 ? `, ${p.shardsReady}/${p.shards} shards` : ''}`;
		if (line !== lastLine) log((lastLine = line));
	});
	manager.on('spawn', ({ processId, pid, generation }) => {
		log(`[ovenjs-cluster] process ${processId} started (pid ${pid}, generation ${generation})`);
	});
	manager.on('exit', ({ processId, code, signal, willRespawn }) => {
		log(
			`[ovenjs-cluster] process ${processId} exited (code ${String(code)}, signal ${String(signal)})${willRespawn ? '; respawning' : ''}`,
		);
	});
	manager.on('unhealthy', ({ processId, silentMs }) => {
		log(`[ovenjs-cluster] process ${processId} silent for ${silentMs} ms; killing it`);
	});
	manager.on('error', (error) => {
		log(`[ovenjs-cluster] ${error.message}`);
	});
	let stopping: Promise<void> | undefined;
	const stop = (): Promise<void> => (stopping ??= manager.stop());
	const done = new Promise<void>((resolveDone) => {
		process.once('SIGINT', () => void stop().then(resolveDone));
		process.once('SIGTERM', () => void stop().then(resolveDone));
	});
	process.on('SIGHUP', () => {
		log('[ovenjs-cluster] SIGHUP: rolling restart');
		void manager.rollingRestart().then(
			() => {
				log('[ovenjs-cluster] rolling restart done');
			},
			(error: unknown) => {
				log(
					`[ovenjs-cluster] rolling restart failed: ${error instanceof Error ? error.message : String(error)}`,
				);
			},
		);
	});
	try {
		await manager.spawn();
		log(
			`[ovenjs-cluster] all ${manager.processes.length} processes ready${manager.shardCount > 0 ? ` (${manager.shardCount} shards)` : ''}`,
		);
	} catch (error) {
		log(`[ovenjs-cluster] ${error instanceof Error ? error.message : String(error)}`);
		await stop();
		closeRedis();
		return 1;
	}
	await done;
	closeRedis();
	return 0;
}
