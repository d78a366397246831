import { fork, type ChildProcess } from 'node:child_process';
import { Emitter } from '@ovenjs/types';
import { ClusterError } from './errors/ClusterError.js';
import { ClusterEnv, ToManager, type BroadcastResult, type ResultSchema, type ToProcess } from './ipc/protocol.js';
import { checkSessionBudget, planProcesses, resolveShardCount, type SessionBudget } from './utils/planning.js';

/** What the manager needs to know about the bot before it plans shards (`GET /gateway/bot`, camel-cased). */
export interface ClusterGatewayInformation {
	/** Discord's recommended shard count. */
	readonly shards: number;
	readonly sessionStartLimit: SessionBudget;
}

/** Options of {@link ClusterManager}. */
export interface ClusterManagerOptions {
	/** The script every process runs (`./bot.js`); it reads its shards with `ClusterProcess.current()`. */
	readonly script: string;
	/** Arguments passed to the script. @defaultValue `[]` */
	readonly args?: readonly string[];
	/** Node options of the processes (`['--import', 'tsx']`). @defaultValue `process.execArgv` */
	readonly execArgv?: readonly string[];
	/**
	 * The program that starts each process, given Node's options, the script and its arguments: Node itself, or a
	 * wrapper that runs Node somewhere else (`exec ip netns exec <namespace> node "$@"` for another network
	 * namespace, `exec nice -n 5 node "$@"`, a container runner). A wrapper must `exec` Node (so the manager's pid,
	 * signals and exit code are Node's) and keep file descriptor 3 open: it is the IPC channel.
	 * @defaultValue `process.execPath`
	 */
	readonly execPath?: string;
	/** Extra environment variables of the processes (merged over `process.env`). */
	readonly env?: Readonly<Record<string, string>>;
	/**
	 * The shard count, `'auto'` for Discord's recommendation (needs `gatewayInformation`), or `null` for a pool of
	 * `processes` without shards (workers consuming from JetStream).
	 * @defaultValue `'auto'`
	 */
	readonly shards?: number | 'auto' | null;
	/**
	 * The shards this manager runs, when the bot's shards are split across machines (each machine runs a manager
	 * with its own part; they share the identify queue and sessions through Redis). @defaultValue every shard
	 */
	readonly shardIds?: readonly number[];
	/** Shards per process. @defaultValue `4` */
	readonly perProcess?: number;
	/** The process count of a pool without shards (`shards: null`). @defaultValue `1` */
	readonly processes?: number;
	/** A label of the processes (`OVENJS_CLUSTER_ROLE`, metrics). @defaultValue `'gateway'` (`'worker'` without shards) */
	readonly role?: string;
	/** Fetches `GET /gateway/bot`: the recommended shard count, `max_concurrency` and the daily budget. */
	readonly gatewayInformation?: () => Promise<ClusterGatewayInformation>;
	/**
	 * How many of `shardIds` have a stored session (they resume, costing no identify); with it, the budget check
	 * counts only the others. Without it every shard is assumed to identify.
	 */
	readonly storedSessions?: (shardIds: readonly number[]) => Promise<number>;
	/** How often each process is pinged, in ms. @defaultValue `5_000` */
	readonly healthInterval?: number;
	/**
	 * A ready process that has not answered a ping for this long is killed and respawned, in ms (a starting one is
	 * judged by `readyTimeout`). @defaultValue `20_000`
	 */
	readonly healthTimeout?: number;
	/** Respawn a process that exits (its shards resume from stored sessions). @defaultValue `true` */
	readonly respawn?: boolean;
	/** Delay before a respawn, doubled per quick successive crash, in ms. @defaultValue `{ initial: 500, max: 30_000 }` */
	readonly respawnDelay?: { readonly initial: number; readonly max: number };
	/** How long a process may take from spawn to `ready()`, in ms; `null` waits forever. @defaultValue `null` */
	readonly readyTimeout?: number | null;
	/** How long a stopping process may take before it is killed, in ms. @defaultValue `30_000` */
	readonly stopTimeout?: number;
	/** Where the processes' stdout/stderr go. @defaultValue `'inherit'` */
	readonly stdio?: 'inherit' | 'pipe' | 'ignore';
}

/** Defaults of {@link ClusterManagerOptions}. */
export const DefaultClusterManagerOptions = {
	shards: 'auto',
	perProcess: 4,
	processes: 1,
	healthInterval: 5_000,
	healthTimeout: 20_000,
	respawn: true,
	respawnDelay: { initial: 500, max: 30_000 },
	readyTimeout: null,
	stopTimeout: 30_000,
	stdio: 'inherit',
} as const satisfies Partial<ClusterManagerOptions>;

/** The state of one cluster process as the manager sees it. */
export interface ClusterProcessInfo {
	readonly id: number;
	readonly shardIds: readonly number[];
	readonly pid: number | undefined;
	readonly status: 'starting' | 'ready' | 'stopping' | 'down';
	/** How many times this slot was (re)spawned, from 0. */
	readonly generation: number;
	readonly shardsReady: number;
	/** Resident memory of the process in bytes at its last health answer (0 before). */
	readonly rss: number;
	/** Milliseconds since the process last answered a ping. */
	readonly lastSeenMs: number;
}

/** Start-up progress of the whole cluster. */
export interface ClusterProgress {
	readonly processesReady: number;
	readonly processes: number;
	readonly shardsReady: number;
	readonly shards: number;
}

/** Events of {@link ClusterManager}. */
export interface ClusterManagerEvents {
	spawn: [event: { readonly processId: number; readonly pid: number; readonly generation: number }];
	ready: [event: { readonly processId: number; readonly generation: number }];
	exit: [
		event: {
			readonly processId: number;
			readonly code: number | null;
			readonly signal: string | null;
			readonly willRespawn: boolean;
		},
	];
	unhealthy: [event: { readonly processId: number; readonly silentMs: number }];
	progress: [progress: ClusterProgress];
	allReady: [];
	error: [error: ClusterError];
}

interface Pending {
	/** The request's name. */
	readonly name: string;
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: ClusterError) => void;
	readonly timer: ReturnType<typeof setTimeout>;
}

interface Slot {
	readonly id: number;
	readonly shardIds: readonly number[];
	child: ChildProcess | undefined;
	status: ClusterProcessInfo['status'];
	generation: number;
	shardsReady: number;
	rss: number;
	lastSeen: number;
	crashes: number;
	respawnTimer: ReturnType<typeof setTimeout> | undefined;
	readonly pending: Map<number, Pending>;
	readyWaiters: { resolve: () => void; reject: (error: ClusterError) => void }[];
	exitWaiters: (() => void)[];
	readyTimer: ReturnType<typeof setTimeout> | undefined;
	/** The child killed for silence (not judged again while its exit is on the way). */
	killed: ChildProcess | undefined;
}

/**
 * Runs one bot as several processes: N shards per process across M processes (or a pool of worker processes).
 * It forks the script once per process, checks each one's health, respawns a process that dies (its shards resume
 * from the stored sessions), reports start-up progress and carries typed requests between processes with deadlines
 * and partial results — a process that is down answers at once with `CLUSTER_PROCESS_DOWN`, never a hang.
 *
 * ```ts
 * const manager = new ClusterManager({ script: './bot.js', shards: 12, perProcess: 4 });
 * manager.on('progress', (p) => console.log(`${p.shardsReady}/${p.shards} shards ready`));
 * await manager.spawn();
 * const counts = await manager.broadcast('guildCount', null, { timeout: 2_000 });
 * ```
 */
export class ClusterManager extends Emitter<ClusterManagerEvents> {
	readonly #options: ClusterManagerOptions;
	readonly #slots: Slot[] = [];
	#shardCount = 0;
	#nextId = 1;
	#healthTimer: ReturnType<typeof setInterval> | undefined;
	#lastCheck = 0;
	#state: 'idle' | 'running' | 'stopped' = 'idle';
	#allReadyEmitted = false;

	public constructor(options: ClusterManagerOptions) {
		super();
		if (typeof options.script !== 'string' || options.script.length === 0)
			throw ClusterError.of('CLUSTER_INVALID_OPTION', [
				'script',
				'must be the path of the bot script every process runs, such as "./bot.js".',
			]);
		if (options.execPath !== undefined && (typeof options.execPath !== 'string' || options.execPath.length === 0))
			throw ClusterError.of('CLUSTER_INVALID_OPTION', [
				'execPath',
				'must be the path of the program that starts each process (Node, or a wrapper that execs Node).',
			]);
		for (const key of ['perProcess', 'processes', 'healthInterval', 'healthTimeout', 'stopTimeout'] as const) {
			const value = options[key];
			if (value !== undefined && (!Number.isInteger(value) || value < 1))
				throw ClusterError.of('CLUSTER_INVALID_OPTION', [
					key,
					`must be a positive integer, got ${String(value)}.`,
				]);
		}
		if ((options.shards === undefined || options.shards === 'auto') && options.gatewayInformation === undefined) {
			throw ClusterError.of('CLUSTER_INVALID_OPTION', [
				"shards: 'auto'",
				"needs gatewayInformation (a function fetching GET /gateway/bot) to learn Discord's recommendation; pass a number instead, or gatewayInformation.",
			]);
		}
		this.#options = options;
	}

	/** The shard count in use (0 for a pool without shards, or before `spawn`). */
	public get shardCount(): number {
		return this.#shardCount;
	}

	/** Every process as the manager sees it. */
	public get processes(): ClusterProcessInfo[] {
		const now = Date.now();
		return this.#slots.map((slot) => ({
			id: slot.id,
			shardIds: slot.shardIds,
			pid: slot.child?.pid,
			status: slot.status,
			generation: slot.generation,
			shardsReady: slot.shardsReady,
			rss: slot.rss,
			lastSeenMs: slot.lastSeen === 0 ? -1 : now - slot.lastSeen,
		}));
	}

	/**
	 * Plans the shards, checks the identify budget (refusing with `CLUSTER_SESSION_START_LIMIT` rather than burning
	 * it), forks every process and resolves when all of them called `ready()`.
	 */
	public async spawn(): Promise<void> {
		if (this.#state !== 'idle') throw ClusterError.of('CLUSTER_ALREADY_SPAWNED', [this.#state]);
		this.#state = 'running';
		const o = this.#options;
		const requested = o.shards === undefined ? DefaultClusterManagerOptions.shards : o.shards;
		let plan: number[][];
		if (requested === null) {
			plan = Array.from({ length: o.processes ?? DefaultClusterManagerOptions.processes }, () => []);
		} else {
			const info = o.gatewayInformation === undefined ? undefined : await o.gatewayInformation();
			this.#shardCount = resolveShardCount(
				requested,
				info?.shards ?? 1,
				info?.sessionStartLimit.maxConcurrency ?? 1,
			);
			const perProcess = o.perProcess ?? DefaultClusterManagerOptions.perProcess;
			if (o.shardIds === undefined) plan = planProcesses(this.#shardCount, perProcess);
			else {
				const ids = [...new Set(o.shardIds)].sort((a, b) => a - b);
				const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.#shardCount);
				if (bad !== undefined || ids.length === 0) {
					this.#state = 'idle';
					throw ClusterError.of('CLUSTER_INVALID_OPTION', [
						'shardIds',
						`must be a non-empty list of shard ids in [0, ${this.#shardCount}), got ${bad === undefined ? 'an empty list' : String(bad)}.`,
					]);
				}
				plan = [];
				for (let i = 0; i < ids.length; i += perProcess) plan.push(ids.slice(i, i + perProcess));
			}
			if (info !== undefined) {
				const all = plan.flat();
				const stored = o.storedSessions === undefined ? 0 : await o.storedSessions(all);
				try {
					checkSessionBudget(all.length - stored, info.sessionStartLimit);
				} catch (error) {
					this.#state = 'idle';
					throw error;
				}
			}
		}
		for (const [index, shardIds] of plan.entries()) {
			this.#slots.push({
				id: index,
				shardIds,
				child: undefined,
				status: 'down',
				generation: -1,
				shardsReady: 0,
				rss: 0,
				lastSeen: 0,
				crashes: 0,
				respawnTimer: undefined,
				pending: new Map(),
				readyWaiters: [],
				exitWaiters: [],
				readyTimer: undefined,
				killed: undefined,
			});
		}
		const interval = o.healthInterval ?? DefaultClusterManagerOptions.healthInterval;
		this.#healthTimer = setInterval(() => {
			this.#checkHealth();
		}, interval);
		this.#healthTimer.unref();
		await Promise.all(this.#slots.map((slot) => this.#start(slot)));
	}

	#start(slot: Slot): Promise<void> {
		const o = this.#options;
		slot.generation++;
		slot.status = 'starting';
		slot.shardsReady = 0;
		slot.lastSeen = Date.now();
		const role = o.role ?? (this.#shardCount === 0 ? 'worker' : 'gateway');
		const child = fork(o.script, [...(o.args ?? [])], {
			execPath: o.execPath ?? process.execPath,
			execArgv: [...(o.execArgv ?? process.execArgv)],
			env: {
				...process.env,
				...o.env,
				[ClusterEnv.process]: String(slot.id),
				[ClusterEnv.processCount]: String(this.#slots.length),
				[ClusterEnv.shards]: slot.shardIds.join(','),
				[ClusterEnv.shardCount]: String(this.#shardCount),
				[ClusterEnv.generation]: String(slot.generation),
				[ClusterEnv.role]: role,
			},
			stdio: [
				'ignore',
				o.stdio ?? DefaultClusterManagerOptions.stdio,
				o.stdio ?? DefaultClusterManagerOptions.stdio,
				'ipc',
			],
			serialization: 'advanced',
		});
		slot.child = child;
		const ready = new Promise<void>((resolve, reject) => {
			slot.readyWaiters.push({ resolve, reject });
		});
		child.on('message', (message: unknown) => {
			this.#onMessage(slot, child, message);
		});
		child.once('exit', (code, signal) => {
			this.#onExit(slot, child, code, signal);
		});
		child.on('error', (error) => {
			this.emit(
				'error',
				ClusterError.of('CLUSTER_PROCESS_DOWN', [slot.id, { kind: 'failed', message: error.message }], {
					processId: slot.id,
					cause: error,
				}),
			);
		});
		if (child.pid !== undefined)
			this.emit('spawn', { processId: slot.id, pid: child.pid, generation: slot.generation });
		const timeout = o.readyTimeout ?? DefaultClusterManagerOptions.readyTimeout;
		if (timeout !== null) {
			slot.readyTimer = setTimeout(() => {
				this.emit('unhealthy', { processId: slot.id, silentMs: timeout });
				child.kill('SIGKILL');
			}, timeout);
			slot.readyTimer.unref();
		}
		this.#progress();
		return ready;
	}

	#onMessage(slot: Slot, child: ChildProcess, raw: unknown): void {
		if (slot.child !== child) return;
		const parsed = ToManager.safeParse(raw);
		if (!parsed.success) return;
		const message = parsed.data;
		slot.lastSeen = Date.now();
		switch (message.type) {
			case 'ovenjs:pong':
				slot.rss = message.rss;
				return;
			case 'ovenjs:reply': {
				const pending = slot.pending.get(message.id);
				if (pending === undefined) return;
				slot.pending.delete(message.id);
				clearTimeout(pending.timer);
				if (message.ok) pending.resolve(message.value);
				else
					pending.reject(
						message.error?.code === 'CLUSTER_UNKNOWN_REQUEST'
							? ClusterError.of('CLUSTER_UNKNOWN_REQUEST', [slot.id, pending.name], {
									processId: slot.id,
								})
							: ClusterError.of(
									'CLUSTER_REQUEST_FAILED',
									[slot.id, message.error?.message ?? 'unknown error'],
									{
										processId: slot.id,
									},
								),
					);
				return;
			}
			case 'ovenjs:progress':
				slot.shardsReady = message.ready;
				this.#progress();
				return;
			case 'ovenjs:ready':
				if (slot.status !== 'starting') return;
				slot.status = 'ready';
				slot.shardsReady = slot.shardIds.length;
				slot.crashes = 0;
				if (slot.readyTimer !== undefined) clearTimeout(slot.readyTimer);
				for (const waiter of slot.readyWaiters.splice(0)) waiter.resolve();
				this.emit('ready', { processId: slot.id, generation: slot.generation });
				this.#progress();
				return;
			case 'ovenjs:broadcast':
				void this.broadcast(message.name, message.data, { timeout: message.timeout }).then((results) => {
					this.#send(child, { type: 'ovenjs:broadcastResult', id: message.id, results });
				});
				return;
		}
	}

	#onExit(slot: Slot, child: ChildProcess, code: number | null, signal: string | null): void {
		if (slot.child !== child) return;
		slot.child = undefined;
		const wasStopping = slot.status === 'stopping';
		slot.status = 'down';
		slot.shardsReady = 0;
		if (slot.readyTimer !== undefined) clearTimeout(slot.readyTimer);
		const down = (): ClusterError =>
			ClusterError.of('CLUSTER_PROCESS_DOWN', [slot.id, { kind: 'exited', code, signal }], {
				processId: slot.id,
			});
		for (const [id, pending] of slot.pending) {
			slot.pending.delete(id);
			clearTimeout(pending.timer);
			pending.reject(down());
		}
		const willRespawn =
			!wasStopping &&
			this.#state === 'running' &&
			(this.#options.respawn ?? DefaultClusterManagerOptions.respawn);
		if (!willRespawn) for (const waiter of slot.readyWaiters.splice(0)) waiter.reject(down());
		for (const wake of slot.exitWaiters.splice(0)) wake();
		this.emit('exit', { processId: slot.id, code, signal, willRespawn });
		this.#progress();
		if (!willRespawn) return;
		const backoff = this.#options.respawnDelay ?? DefaultClusterManagerOptions.respawnDelay;
		const delay = Math.min(backoff.max, backoff.initial * 2 ** slot.crashes);
		slot.crashes++;
		slot.respawnTimer = setTimeout(() => {
			slot.respawnTimer = undefined;
			if (this.#state !== 'running' || slot.child !== undefined) return;
			// Whoever waited for the previous generation waits for this one.
			const waiters = slot.readyWaiters.splice(0);
			void this.#start(slot).then(
				() => {
					for (const waiter of waiters) waiter.resolve();
				},
				(error: unknown) => {
					const failure = error instanceof ClusterError ? error : down();
					for (const waiter of waiters) waiter.reject(failure);
				},
			);
		}, delay);
	}

	#checkHealth(): void {
		const timeout = this.#options.healthTimeout ?? DefaultClusterManagerOptions.healthTimeout;
		const interval = this.#options.healthInterval ?? DefaultClusterManagerOptions.healthInterval;
		const now = Date.now();
		// This process was blocked (its answers may wait in the queue behind this timer): judge no one this round.
		const blocked = this.#lastCheck !== 0 && now - this.#lastCheck > interval * 2;
		this.#lastCheck = now;
		for (const slot of this.#slots) {
			if (blocked) slot.lastSeen = Math.max(slot.lastSeen, now - interval);
			const child = slot.child;
			if (child === undefined || slot.status === 'stopping') continue;
			const silent = now - slot.lastSeen;
			// A starting process may not answer while it loads its modules: `readyTimeout` judges it.
			if (slot.killed === child) continue;
			if (silent > timeout && slot.status === 'ready') {
				// Once per process: its exit (and respawn) follows the kill.
				slot.killed = child;
				this.emit('unhealthy', { processId: slot.id, silentMs: silent });
				child.kill('SIGKILL');
				continue;
			}
			this.#send(child, { type: 'ovenjs:ping', id: this.#nextId++ });
		}
	}

	#progress(): void {
		const processes = this.#slots.length;
		const processesReady = this.#slots.filter((slot) => slot.status === 'ready').length;
		const shardsReady = this.#slots.reduce((sum, slot) => sum + slot.shardsReady, 0);
		this.emit('progress', { processesReady, processes, shardsReady, shards: this.#shardCount });
		if (processesReady === processes && processes > 0 && !this.#allReadyEmitted) {
			this.#allReadyEmitted = true;
			this.emit('allReady');
		}
	}

	#send(child: ChildProcess, message: ToProcess): boolean {
		if (!child.connected) return false;
		try {
			child.send(message);
			return true;
		} catch {
			return false;
		}
	}

	#slot(processId: number): Slot {
		const slot = this.#slots[processId];
		if (slot === undefined)
			throw ClusterError.of('CLUSTER_UNKNOWN_PROCESS', [processId, this.#slots.length], { processId });
		return slot;
	}

	/** The process that runs `shardId`. */
	public processOf(shardId: number): number {
		const slot = this.#slots.find((s) => s.shardIds.includes(shardId));
		if (slot === undefined)
			throw ClusterError.of('CLUSTER_UNKNOWN_SHARD', [shardId, this.#shardCount], { shardId });
		return slot.id;
	}

	/**
	 * Asks one process (its handler registered with `ClusterProcess.handle(name, ...)`) and resolves with its answer,
	 * checked by `options.result` when given. Rejects at once with `CLUSTER_PROCESS_DOWN` when the process is down,
	 * with `CLUSTER_TIMEOUT` after `timeout` ms (default 10 s), with `CLUSTER_REQUEST_FAILED` when the handler threw,
	 * `CLUSTER_UNKNOWN_REQUEST` when the process has no handler for `name`, `CLUSTER_INVALID_RESULT` when the answer
	 * fails the schema, `CLUSTER_UNKNOWN_PROCESS` for a process that does not exist and `CLUSTER_STOPPED` after
	 * {@link ClusterManager.stop}.
	 */
	public request<T>(
		processId: number,
		name: string,
		data: unknown,
		options: { readonly timeout?: number; readonly result: ResultSchema<T> },
	): Promise<T>;
	public request(
		processId: number,
		name: string,
		data: unknown,
		options?: { readonly timeout?: number },
	): Promise<unknown>;
	public async request<T>(
		processId: number,
		name: string,
		data: unknown,
		options: { readonly timeout?: number; readonly result?: ResultSchema<T> } = {},
	): Promise<unknown> {
		const value = await this.#ask(processId, name, data, options.timeout ?? 10_000);
		if (options.result === undefined) return value;
		try {
			return options.result.parse(value);
		} catch (error) {
			throw ClusterError.of('CLUSTER_INVALID_RESULT', [processId, name], { processId, cause: error });
		}
	}

	#ask(processId: number, name: string, data: unknown, timeout: number): Promise<unknown> {
		const slot = this.#slot(processId);
		const child = slot.child;
		if (this.#state === 'stopped')
			return Promise.reject(ClusterError.of('CLUSTER_STOPPED', [`request "${name}"`], { processId }));
		if (child === undefined || slot.status === 'down' || !child.connected)
			return Promise.reject(
				ClusterError.of('CLUSTER_PROCESS_DOWN', [processId, { kind: 'restarting' }], { processId }),
			);
		const id = this.#nextId++;
		return new Promise<unknown>((resolve, reject) => {
			const timer = setTimeout(() => {
				slot.pending.delete(id);
				reject(ClusterError.of('CLUSTER_TIMEOUT', [processId, name, timeout], { processId }));
			}, timeout);
			slot.pending.set(id, { name, resolve, reject, timer });
			if (!this.#send(child, { type: 'ovenjs:request', id, name, data })) {
				clearTimeout(timer);
				slot.pending.delete(id);
				reject(ClusterError.of('CLUSTER_PROCESS_DOWN', [processId, { kind: 'disconnected' }], { processId }));
			}
		});
	}

	/**
	 * Asks every process at once and resolves, by `timeout` at the latest, with one result per process: its answer,
	 * or an error (`CLUSTER_PROCESS_DOWN`, `CLUSTER_TIMEOUT`, `CLUSTER_REQUEST_FAILED`, `CLUSTER_UNKNOWN_REQUEST`,
	 * `CLUSTER_INVALID_RESULT`, `CLUSTER_STOPPED`). Never rejects, never
	 * waits for a process that is down: partial results are results.
	 */
	public broadcast<T>(
		name: string,
		data: unknown,
		options: { readonly timeout?: number; readonly result: ResultSchema<T> },
	): Promise<BroadcastResult<T>[]>;
	public broadcast(name: string, data: unknown, options?: { readonly timeout?: number }): Promise<BroadcastResult[]>;
	public async broadcast<T>(
		name: string,
		data: unknown,
		options: { readonly timeout?: number; readonly result?: ResultSchema<T> } = {},
	): Promise<BroadcastResult[]> {
		const schema = options.result;
		return Promise.all(
			this.#slots.map(async (slot): Promise<BroadcastResult> => {
				try {
					const raw = await this.#ask(slot.id, name, data, options.timeout ?? 10_000);
					let value: unknown = raw;
					if (schema !== undefined) {
						try {
							value = schema.parse(raw);
						} catch (error) {
							throw ClusterError.of('CLUSTER_INVALID_RESULT', [slot.id, name], {
								processId: slot.id,
								cause: error,
							});
						}
					}
					return { processId: slot.id, ok: true, value };
				} catch (error) {
					const failure =
						error instanceof ClusterError
							? error
							: ClusterError.of('CLUSTER_REQUEST_FAILED', [slot.id, String(error)], {
									processId: slot.id,
								});
					return { processId: slot.id, ok: false, error: { code: failure.code, message: failure.message } };
				}
			}),
		);
	}

	/** Resolves when process `processId` (its current or next generation) is ready. */
	public waitForReady(processId: number): Promise<void> {
		const slot = this.#slot(processId);
		if (slot.status === 'ready') return Promise.resolve();
		return new Promise((resolve, reject) => {
			slot.readyWaiters.push({ resolve, reject });
		});
	}

	/**
	 * Restarts one process: asks it to stop (it persists its sessions and closes its shards resumable), waits for it
	 * to exit (killing it after `stopTimeout`), then starts the next generation, which resumes the shards. The old
	 * and the new generation never run at the same time, so no event is handled twice.
	 */
	public async restart(processId: number): Promise<void> {
		const slot = this.#slot(processId);
		if (this.#state !== 'running') throw ClusterError.of('CLUSTER_STOPPED', ['restart()']);
		if (slot.respawnTimer !== undefined) {
			clearTimeout(slot.respawnTimer);
			slot.respawnTimer = undefined;
		}
		await this.#stopSlot(slot, 'restart');
		await this.#start(slot);
	}

	/** Restarts every process one after the other (see {@link ClusterManager.restart}): a zero-downtime deploy. */
	public async rollingRestart(): Promise<void> {
		for (const slot of this.#slots) await this.restart(slot.id);
	}

	/** Stops every process (sessions persisted, shards closed resumable) and the health checks. */
	public async stop(): Promise<void> {
		if (this.#state === 'stopped') return;
		this.#state = 'stopped';
		if (this.#healthTimer !== undefined) clearInterval(this.#healthTimer);
		for (const slot of this.#slots) if (slot.respawnTimer !== undefined) clearTimeout(slot.respawnTimer);
		await Promise.all(this.#slots.map((slot) => this.#stopSlot(slot, 'stop')));
	}

	async #stopSlot(slot: Slot, reason: string): Promise<void> {
		const child = slot.child;
		if (child === undefined) return;
		slot.status = 'stopping';
		const exited = new Promise<void>((resolve) => {
			slot.exitWaiters.push(resolve);
		});
		if (!this.#send(child, { type: 'ovenjs:shutdown', reason })) child.kill('SIGTERM');
		const timeout = this.#options.stopTimeout ?? DefaultClusterManagerOptions.stopTimeout;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
		await exited;
		clearTimeout(timer);
	}

	/** Kills a process without letting it stop cleanly (`SIGKILL`), as a crash would; it is respawned. For tests and drills. */
	public kill(processId: number): boolean {
		return this.#slot(processId).child?.kill('SIGKILL') ?? false;
	}
}
