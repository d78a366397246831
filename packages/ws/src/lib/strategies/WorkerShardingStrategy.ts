import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyGrant } from '../interfaces/IdentifyThrottler.js';
import type { ShardingContext, ShardingStrategy, ShardingStrategyFactory } from '../interfaces/ShardingStrategy.js';
import { isArray, isRecord } from '../utils/payload.js';
import type { ShardSnapshot } from '../utils/types.js';
import {
	deserializeError,
	isSerializedError,
	isSessionInfo,
	serializeError,
	type ToWorker,
	toShardEvent,
	toSnapshots,
	type WorkerInit,
} from './workerProtocol.js';

/** Options of {@link workerShardingStrategy}. */
export interface WorkerShardingStrategyOptions {
	/** Shards per worker thread, or `'all'` for one worker. @defaultValue `'all'` */
	readonly shardsPerWorker?: number | 'all';
	/** Resource limits of each worker. */
	readonly resourceLimits?: ResourceLimits;
	/** The worker entry (a custom build); defaults to this package's `worker` entry. */
	readonly workerPath?: string | URL;
}

interface Pending {
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: Error) => void;
}

interface WorkerHandle {
	readonly worker: Worker;
	readonly shardIds: readonly number[];
	readonly pending: Map<number, Pending>;
	readonly identifies: Map<number, AbortController>;
	/** Identifies granted to the worker's shards and not reported yet, by request nonce. */
	readonly grants: Map<number, IdentifyGrant>;
	connected: Pending | null;
	exited: boolean;
	failed: boolean;
}

function here(): string {
	const url: unknown = import.meta.url;
	return typeof url === 'string' ? url : pathToFileURL(__filename).href;
}

/** The worker entry next to this module: `src/worker.ts` when running from source, `dist/worker.js` when built. */
function defaultEntry(): { readonly url: URL; readonly source: boolean } {
	const self = here();
	if (self.endsWith('.ts')) return { url: new URL('../../worker.ts', self), source: true };
	return { url: new URL('./worker.js', self), source: false };
}

/**
 * Running from source (tests, `tsx`): Node 20 ignores `--import` in a worker's `execArgv`, so the worker starts
 * from a bootstrap that registers tsx's loader, then imports the `.ts` entry.
 */
function sourceBootstrap(entry: URL): string {
	const api = createRequire(here())
		.resolve('tsx/esm/api')
		.replace(/\.cjs$/, '.mjs');
	return `const { register } = await import(${JSON.stringify(pathToFileURL(api).href)}); register(); await import(${JSON.stringify(entry.href)});`;
}

/**
 * Runs the shards in worker threads, N per worker. Each worker decompresses and reads the envelope of its
 * shards' payloads and forwards wanted dispatches as text (parsed once, on the main thread, when read).
 * Identify throttling and session persistence stay on the main thread.
 */
export class WorkerShardingStrategy implements ShardingStrategy {
	readonly #context: ShardingContext;
	readonly #options: WorkerShardingStrategyOptions;
	readonly #workers: WorkerHandle[] = [];
	readonly #byShard = new Map<number, WorkerHandle>();
	#nonce = 0;
	#destroyed = false;

	public constructor(context: ShardingContext, options: WorkerShardingStrategyOptions = {}) {
		const per = options.shardsPerWorker ?? 'all';
		if (per !== 'all' && (!Number.isInteger(per) || per < 1))
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'shardsPerWorker',
				`must be a positive integer or 'all', got ${String(per)}.`,
			]);
		this.#context = context;
		this.#options = options;
	}

	#spawn(): void {
		const ids = [...this.#context.shardIds];
		const per = this.#options.shardsPerWorker ?? 'all';
		const size = per === 'all' ? ids.length : per;
		const entry =
			this.#options.workerPath === undefined
				? defaultEntry()
				: {
						url: new URL(String(this.#options.workerPath), pathToFileURL(`${process.cwd()}/`)),
						source: String(this.#options.workerPath).endsWith('.ts'),
					};
		for (let i = 0; i < ids.length; i += size) {
			const shardIds = ids.slice(i, i + size);
			const init: WorkerInit = {
				shardIds,
				config: this.#context.config,
				wantAll: this.#context.hooks.dispatchFilter.all,
				wanted: this.#context.hooks.dispatchFilter.events,
				hasRetrieve: this.#context.hooks.retrieveSessionInfo !== undefined,
				hasUpdate: this.#context.hooks.updateSessionInfo !== undefined,
			};
			const limits =
				this.#options.resourceLimits === undefined ? {} : { resourceLimits: this.#options.resourceLimits };
			const worker = entry.source
				? new Worker(sourceBootstrap(entry.url), {
						eval: true,
						workerData: init,
						execArgv: ['--conditions=@ovenjs/source'],
						...limits,
					})
				: new Worker(fileURLToPath(entry.url), { workerData: init, ...limits });
			const handle: WorkerHandle = {
				worker,
				shardIds,
				pending: new Map(),
				identifies: new Map(),
				grants: new Map(),
				connected: null,
				exited: false,
				failed: false,
			};
			worker.on('message', (message: unknown) => {
				this.#onMessage(handle, message);
			});
			worker.on('error', (error) => {
				this.#fail(
					handle,
					GatewayError.of('GATEWAY_WORKER_FAILED', [shardIds, { kind: 'crashed', message: error.message }], {
						cause: error,
					}),
				);
			});
			worker.on('exit', (code) => {
				handle.exited = true;
				// A grant the worker never reported may have been sent just before it died: counted as sent.
				for (const grant of handle.grants.values()) void grant.sent();
				handle.grants.clear();
				const error = GatewayError.of('GATEWAY_WORKER_FAILED', [shardIds, { kind: 'exited', exitCode: code }]);
				if (!this.#destroyed) this.#fail(handle, error);
				else for (const pending of handle.pending.values()) pending.reject(error);
				handle.pending.clear();
			});
			this.#workers.push(handle);
			for (const id of shardIds) this.#byShard.set(id, handle);
		}
	}

	#fail(handle: WorkerHandle, error: GatewayError): void {
		const first = !handle.failed;
		handle.failed = true;
		handle.connected?.reject(error);
		handle.connected = null;
		for (const pending of handle.pending.values()) pending.reject(error);
		handle.pending.clear();
		if (first)
			for (const id of handle.shardIds)
				this.#context.sink.event({ type: 'error', shardId: id, error, fatal: true });
	}

	#post(handle: WorkerHandle, message: ToWorker): void {
		if (!handle.exited) handle.worker.postMessage(message);
	}

	#request(handle: WorkerHandle, build: (nonce: number) => ToWorker): Promise<unknown> {
		if (handle.exited)
			return Promise.reject(GatewayError.of('GATEWAY_WORKER_FAILED', [handle.shardIds, { kind: 'gone' }]));
		const nonce = ++this.#nonce;
		return new Promise((resolve, reject) => {
			handle.pending.set(nonce, { resolve, reject });
			this.#post(handle, build(nonce));
		});
	}

	#settle(handle: WorkerHandle, nonce: number, value: unknown, error: unknown): void {
		const pending = handle.pending.get(nonce);
		if (pending === undefined) return;
		handle.pending.delete(nonce);
		if (isSerializedError(error)) pending.reject(deserializeError(error));
		else pending.resolve(value);
	}

	#onMessage(handle: WorkerHandle, message: unknown): void {
		if (!isRecord(message)) return;
		const nonce = typeof message.nonce === 'number' ? message.nonce : 0;
		switch (message.type) {
			case 'dispatches':
				if (!isArray(message.items)) return;
				for (const item of message.items) {
					if (
						isRecord(item) &&
						typeof item.shardId === 'number' &&
						typeof item.t === 'string' &&
						typeof item.raw === 'string'
					) {
						this.#context.sink.dispatch(
							item.shardId,
							item.t,
							typeof item.s === 'number' ? item.s : null,
							item.raw,
							undefined,
						);
					}
				}
				return;
			case 'event': {
				const event = toShardEvent(message.event);
				if (event !== null) this.#context.sink.event(event);
				return;
			}
			case 'connected': {
				const waiter = handle.connected;
				handle.connected = null;
				if (isSerializedError(message.error)) waiter?.reject(deserializeError(message.error));
				else waiter?.resolve(undefined);
				return;
			}
			case 'sent':
				this.#settle(handle, nonce, undefined, message.error);
				return;
			case 'destroyed':
				this.#settle(handle, nonce, undefined, null);
				return;
			case 'status':
				this.#settle(handle, nonce, message.snapshots, null);
				return;
			case 'identify': {
				if (typeof message.shardId !== 'number') return;
				const controller = new AbortController();
				handle.identifies.set(nonce, controller);
				this.#context.hooks.waitForIdentify(message.shardId, controller.signal).then(
					(grant) => {
						handle.identifies.delete(nonce);
						if (handle.exited) {
							// Nobody is left to send it.
							void grant.notSent();
							return;
						}
						handle.grants.set(nonce, grant);
						this.#post(handle, { type: 'identify-result', nonce, error: null });
					},
					(error: unknown) => {
						handle.identifies.delete(nonce);
						this.#post(handle, { type: 'identify-result', nonce, error: serializeError(error) });
					},
				);
				return;
			}
			case 'identify-report': {
				const grant = handle.grants.get(nonce);
				if (grant === undefined) return;
				handle.grants.delete(nonce);
				void (message.sent === true ? grant.sent() : grant.notSent());
				return;
			}
			case 'identify-cancel':
				handle.identifies.get(nonce)?.abort(GatewayError.of('GATEWAY_IDENTIFY_CANCELLED', [undefined]));
				return;
			case 'retrieve-session': {
				const retrieve = this.#context.hooks.retrieveSessionInfo;
				if (typeof message.shardId !== 'number' || retrieve === undefined) return;
				Promise.resolve(retrieve(message.shardId)).then(
					(info) => {
						this.#post(handle, { type: 'session-result', nonce, info: info ?? null });
					},
					() => {
						this.#post(handle, { type: 'session-result', nonce, info: null });
					},
				);
				return;
			}
			case 'update-session': {
				const update = this.#context.hooks.updateSessionInfo;
				const shardId = message.shardId;
				const info = message.info;
				if (update === undefined || typeof shardId !== 'number' || (info !== null && !isSessionInfo(info)))
					return;
				Promise.resolve()
					.then(() => update(shardId, info))
					.catch((error: unknown) => {
						this.#context.sink.event({
							type: 'error',
							shardId,
							error: GatewayError.of('GATEWAY_HOOK_FAILED', [shardId, 'updateSessionInfo'], {
								shardId,
								cause: error,
							}),
							fatal: false,
						});
					});
				return;
			}
			default:
		}
	}

	public async connect(): Promise<void> {
		if (this.#workers.length === 0) this.#spawn();
		await Promise.all(
			this.#workers.map(
				(handle) =>
					new Promise<void>((resolve, reject) => {
						handle.connected = {
							resolve: () => {
								resolve();
							},
							reject,
						};
						this.#post(handle, { type: 'connect' });
					}),
			),
		);
	}

	public async destroy(options: { readonly keepSession?: boolean } = {}): Promise<void> {
		if (this.#destroyed) return;
		this.#destroyed = true;
		await Promise.all(
			this.#workers.map(async (handle) => {
				for (const controller of handle.identifies.values())
					controller.abort(GatewayError.of('GATEWAY_DESTROYED', ['The manager']));
				const timer = setTimeout(() => void handle.worker.terminate(), 5_000);
				try {
					if (!handle.exited)
						await this.#request(handle, (nonce) => ({
							type: 'destroy',
							nonce,
							keepSession: options.keepSession === true,
						}));
				} catch {
					// The worker died: nothing left to close.
				} finally {
					clearTimeout(timer);
					await handle.worker.terminate();
				}
			}),
		);
	}

	public async send(shardId: number, payload: { readonly op: number; readonly d: unknown }): Promise<void> {
		const handle = this.#byShard.get(shardId);
		if (handle === undefined)
			throw GatewayError.of('GATEWAY_UNKNOWN_SHARD', [shardId, 'manager', this.#context.shardIds], { shardId });
		await this.#request(handle, (nonce) => ({ type: 'send', nonce, shardId, payload }));
	}

	/** Snapshots from every worker; the shards of a worker that exited are reported as `failed`. */
	public async fetchStatus(): Promise<ShardSnapshot[]> {
		const all = await Promise.all(
			this.#workers.map(async (handle): Promise<ShardSnapshot[]> => {
				const failed = (): ShardSnapshot[] =>
					handle.shardIds.map((shardId) => ({
						shardId,
						status: 'failed',
						latency: -1,
						sequence: null,
						skipped: 0,
						duplicates: 0,
						dispatches: {},
					}));
				if (handle.exited) return failed();
				try {
					return toSnapshots(await this.#request(handle, (nonce) => ({ type: 'status', nonce }))) ?? failed();
				} catch {
					return failed();
				}
			}),
		);
		return all.flat().sort((a, b) => a.shardId - b.shardId);
	}
}

/**
 * The factory for {@link WorkerShardingStrategy}.
 *
 * ```ts
 * new WebSocketManager({ token, intents, rest, strategy: workerShardingStrategy({ shardsPerWorker: 4 }) });
 * ```
 */
export function workerShardingStrategy(options: WorkerShardingStrategyOptions = {}): ShardingStrategyFactory {
	return (context) => new WorkerShardingStrategy(context, options);
}
