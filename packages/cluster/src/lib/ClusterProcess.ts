import { ClusterError, ClusterErrorMessages } from './errors/ClusterError.js';
import { BroadcastResultShape, ClusterEnv, ToProcess, type BroadcastResult, type ToManager } from './ipc/protocol.js';

/** A request handler of a cluster process. */
export type ClusterRequestHandler = (data: unknown) => unknown;

function envInteger(name: string, value: string | undefined): number {
	const parsed = Number(value);
	if (value === undefined || value === '' || !Number.isInteger(parsed) || parsed < 0) {
		throw ClusterError.of('CLUSTER_NOT_IN_CLUSTER', [{ kind: 'env', name, value }]);
	}
	return parsed;
}

let current: ClusterProcess | undefined;

/**
 * The side of a cluster process: which shards it runs, how it answers the manager's requests, and how it reports
 * progress, readiness and stops. Get it with {@link ClusterProcess.current} in the script the manager forks.
 *
 * ```ts
 * const cluster = ClusterProcess.current();
 * const client = new Client({ token, intents, gateway: { shardIds: cluster.shardIds, shardCount: cluster.shardCount } });
 * cluster.handle('guildCount', () => client.cache.guildIds().length);
 * cluster.onShutdown(() => client.destroy());
 * await client.login();
 * cluster.ready();
 * ```
 */
export class ClusterProcess {
	/** This process's number, from 0. */
	public readonly id: number;
	/** How many processes the cluster has. */
	public readonly processCount: number;
	/** The shards this process runs (empty in a pool of workers). */
	public readonly shardIds: readonly number[];
	/** The bot's total shard count (0 in a pool of workers). */
	public readonly shardCount: number;
	/** How many times this process slot was (re)started, from 0: above 0, the shards should resume. */
	public readonly generation: number;
	/** The role the manager gave (`'gateway'`, `'worker'`, ...). */
	public readonly role: string;
	readonly #handlers = new Map<string, ClusterRequestHandler>();
	readonly #shutdown: ((reason: string) => unknown)[] = [];
	readonly #broadcasts = new Map<number, (results: BroadcastResult[]) => void>();
	#nextId = 1;
	#stopping = false;

	private constructor(env: NodeJS.ProcessEnv) {
		this.id = envInteger(ClusterEnv.process, env[ClusterEnv.process]);
		this.processCount = envInteger(ClusterEnv.processCount, env[ClusterEnv.processCount]);
		this.shardCount = envInteger(ClusterEnv.shardCount, env[ClusterEnv.shardCount]);
		this.generation = envInteger(ClusterEnv.generation, env[ClusterEnv.generation]);
		this.role = env[ClusterEnv.role] ?? 'gateway';
		const shards = env[ClusterEnv.shards] ?? '';
		this.shardIds = shards === '' ? [] : shards.split(',').map((id) => envInteger(ClusterEnv.shards, id));
		process.on('message', (message: unknown) => {
			this.#onMessage(message);
		});
		// The IPC channel must not keep a finished process alive, nor its loss leave one running.
		process.channel?.unref();
		process.on('disconnect', () => {
			void this.#stop('the manager went away');
		});
	}

	/** Whether this process was started by a {@link ClusterManager}. */
	public static get inCluster(): boolean {
		return process.env[ClusterEnv.process] !== undefined && typeof process.send === 'function';
	}

	/** This process's cluster side. Throws `CLUSTER_NOT_IN_CLUSTER` outside a cluster. */
	public static current(): ClusterProcess {
		if (current !== undefined) return current;
		if (typeof process.send !== 'function') throw ClusterError.of('CLUSTER_NOT_IN_CLUSTER', [{ kind: 'no-ipc' }]);
		current = new ClusterProcess(process.env);
		return current;
	}

	/** Answers the manager's (and other processes' broadcast) requests named `name`. */
	public handle(name: string, handler: ClusterRequestHandler): this {
		this.#handlers.set(name, handler);
		return this;
	}

	/** Reports start-up progress (shards ready of this process's shards). */
	public progress(ready: number, total = this.shardIds.length): void {
		this.#send({ type: 'ovenjs:progress', ready, total });
	}

	/** Tells the manager that this process is ready (every shard connected, or the worker consuming). */
	public ready(): void {
		this.#send({ type: 'ovenjs:ready' });
	}

	/**
	 * Runs `handler` when the manager stops or restarts this process (persist sessions, close shards resumable),
	 * then exits. Handlers run in registration order.
	 */
	public onShutdown(handler: (reason: string) => unknown): this {
		this.#shutdown.push(handler);
		return this;
	}

	/** Asks every process of the cluster (this one included) through the manager; partial results by `timeout`. */
	public broadcast(
		name: string,
		data: unknown,
		options: { readonly timeout?: number } = {},
	): Promise<BroadcastResult[]> {
		const timeout = options.timeout ?? 10_000;
		const id = this.#nextId++;
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#broadcasts.delete(id);
				resolve([]);
			}, timeout + 1_000);
			this.#broadcasts.set(id, (results) => {
				clearTimeout(timer);
				resolve(results);
			});
			if (!this.#send({ type: 'ovenjs:broadcast', id, name, data, timeout })) {
				clearTimeout(timer);
				this.#broadcasts.delete(id);
				resolve([]);
			}
		});
	}

	#send(message: ToManager): boolean {
		if (process.send === undefined || !process.connected) return false;
		try {
			process.send(message);
			return true;
		} catch {
			return false;
		}
	}

	#onMessage(raw: unknown): void {
		const parsed = ToProcess.safeParse(raw);
		if (!parsed.success) return;
		const message = parsed.data;
		switch (message.type) {
			case 'ovenjs:ping':
				this.#send({ type: 'ovenjs:pong', id: message.id, rss: process.memoryUsage.rss() });
				return;
			case 'ovenjs:request':
				void this.#answer(message.id, message.name, message.data);
				return;
			case 'ovenjs:shutdown':
				void this.#stop(message.reason);
				return;
			case 'ovenjs:broadcastResult': {
				const done = this.#broadcasts.get(message.id);
				if (done === undefined) return;
				this.#broadcasts.delete(message.id);
				done(
					message.results.flatMap((result) => {
						const checked = BroadcastResultShape.safeParse(result);
						return checked.success ? [checked.data] : [];
					}),
				);
				return;
			}
		}
	}

	async #answer(id: number, name: string, data: unknown): Promise<void> {
		const handler = this.#handlers.get(name);
		if (handler === undefined) {
			this.#send({
				type: 'ovenjs:reply',
				id,
				ok: false,
				error: {
					code: 'CLUSTER_UNKNOWN_REQUEST',
					message: ClusterErrorMessages.CLUSTER_UNKNOWN_REQUEST(this.id, name),
				},
			});
			return;
		}
		try {
			const value: unknown = await handler(data);
			this.#send({ type: 'ovenjs:reply', id, ok: true, value });
		} catch (error) {
			this.#send({
				type: 'ovenjs:reply',
				id,
				ok: false,
				error: { message: error instanceof Error ? error.message : String(error) },
			});
		}
	}

	async #stop(reason: string): Promise<void> {
		if (this.#stopping) return;
		this.#stopping = true;
		let code = 0;
		for (const handler of this.#shutdown) {
			try {
				await handler(reason);
			} catch (error) {
				code = 1;
				console.error(`[ovenjs-cluster] process ${this.id}: a shutdown handler failed:`, error);
			}
		}
		process.exit(code);
	}
}
