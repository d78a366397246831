import type { ChainableCommander, Redis } from 'ioredis';
import { GatewayDispatch } from '@ovenjs/ws';
import { Emitter } from '@ovenjs/types';
import {
	AckPolicy,
	DeliverPolicy,
	nanos,
	type ConsumerMessages,
	type JetStreamManager,
	type JsMsg,
	type NatsConnection,
} from 'nats';
import { ClusterError } from '../errors/ClusterError.js';
import { DefaultJetStreamNames, DispatchHeaders } from './subjects.js';
import type { MetricSink } from './metrics.js';

/** A dispatch as a worker receives it: the gateway's event plus its session. */
export class WorkerDispatch extends GatewayDispatch {
	/** The sequence number within the shard's session (always set on a published dispatch). */
	declare public readonly s: number;
	/** The session the event belongs to. */
	public readonly sessionId: string;
	/** Whether JetStream delivered it before (the previous worker died before acknowledging it). */
	public readonly redelivered: boolean;

	public constructor(shardId: number, t: string, s: number, raw: string, sessionId: string, redelivered: boolean) {
		super(shardId, t, s, raw);
		this.sessionId = sessionId;
		this.redelivered = redelivered;
	}
}

/** What a worker feeds events to: `@ovenjs/core`'s `Client` (its `replay` runs a dispatch through cache, pipeline, plugins and events). */
export interface WorkerClient {
	replay(
		events: readonly {
			readonly t: string;
			readonly d: unknown;
			readonly s: number;
			readonly shardId: number;
			readonly at: number;
		}[],
	): Promise<number>;
}

/**
 * Runs the application's logic for one event. `transaction` is a Redis `MULTI` executed together with the worker's
 * deduplication mark once the handler (and the others of its batch) resolved: effects queued on it happen exactly
 * once, even if the worker dies at any moment. Queue commands on it; do not `exec` it.
 */
export type WorkerHandler = (event: WorkerDispatch, transaction: ChainableCommander) => void | Promise<void>;

/** Options of {@link JetStreamWorker}. */
export interface JetStreamWorkerOptions {
	/** A connected NATS client (the worker does not close it). */
	readonly nats: NatsConnection;
	/** A connected ioredis client: deduplication marks (the last handled sequence per shard). */
	readonly redis: Redis;
	/** The shards this worker consumes; each shard has one durable consumer, so one worker at a time owns it. */
	readonly shardIds: readonly number[];
	/** The `Client` (or anything with `replay`) that runs the bot logic. */
	readonly client?: WorkerClient;
	/** Runs after the client, before the acknowledgement (see {@link WorkerHandler}). */
	readonly handler?: WorkerHandler;
	/** @defaultValue `'OVENJS_DISPATCH'` */
	readonly stream?: string;
	/** @defaultValue `'ovenjs.dispatch'` */
	readonly subjectPrefix?: string;
	/** Durable consumer names are `<durable>-<shard>`. @defaultValue `'ovenjs-worker'` */
	readonly durable?: string;
	/** Prefix of the Redis keys. @defaultValue `'ovenjs:worker:'` */
	readonly keyPrefix?: string;
	/** How long JetStream waits for an acknowledgement before redelivering (a dead worker's events), in ms. @defaultValue `30_000` */
	readonly ackWait?: number;
	/** Unacknowledged events per shard; bounds this worker's memory. @defaultValue `1_000` */
	readonly maxAckPending?: number;
	/**
	 * How long a gap in a shard's sequence (an event missing between two received ones) may stay open before the
	 * worker moves past it and reports it, in ms. A gap normally closes when JetStream redelivers a dead worker's
	 * events (after `ackWait`). @defaultValue `3 × ackWait`
	 */
	readonly gapTimeout?: number;
	/**
	 * The most events of one shard handled in one batch: their handlers run one after the other, then the batch's
	 * transaction (every handler's effects and the deduplication mark) commits in one Redis `MULTI`, then they are
	 * acknowledged. A worker that dies mid-batch commits nothing of it and gets all of it redelivered.
	 * @defaultValue `256`
	 */
	readonly batchSize?: number;
	/** A label of this process in metrics. @defaultValue `String(process.pid)` */
	readonly processLabel?: string;
	/** Receives counters labelled `{ process, shard }`. */
	readonly metrics?: MetricSink;
}

/** Defaults of {@link JetStreamWorkerOptions}. */
export const DefaultJetStreamWorkerOptions = {
	keyPrefix: 'ovenjs:worker:',
	ackWait: 30_000,
	maxAckPending: 1_000,
	batchSize: 256,
} as const satisfies Partial<JetStreamWorkerOptions>;

/** Events of {@link JetStreamWorker}. */
export interface JetStreamWorkerEvents {
	/** The handler (or the client) threw; the event is acknowledged anyway (it would fail again) and counted. */
	error: [error: ClusterError];
	/** A gap stayed open past `gapTimeout`: the events in it are reported lost (`from`..`to` exclusive). */
	gap: [
		event: { readonly shardId: number; readonly sessionId: string; readonly after: number; readonly next: number },
	];
}

/** Worker counters. */
export interface JetStreamWorkerStats {
	readonly handled: number;
	readonly duplicates: number;
	readonly redelivered: number;
	readonly held: number;
	readonly gaps: number;
	readonly stale: number;
	readonly failed: number;
}

interface Mark {
	sessionId: string;
	sequence: number;
}

interface ShardLoop {
	readonly held: Map<number, Incoming>;
	gapSince: number;
}

interface Batch {
	readonly transaction: ChainableCommander;
	readonly acks: JsMsg[];
	delivered: number;
}

interface Incoming {
	readonly msg: JsMsg;
	readonly event: WorkerDispatch;
	readonly previous: number;
}

/**
 * The worker side of the gateway/worker split: consumes the dispatches of its shards from JetStream (one durable
 * consumer per shard) and runs them through a `Client` and/or a handler, in order per shard (so per guild), each
 * exactly once:
 * - acknowledged only after the handler resolved, so a worker that dies mid-event gets it redelivered;
 * - deduplicated on (shard, session, sequence) against a mark kept in Redis and written atomically with the
 *   handler's transaction;
 * - reordered by the gateway's previous-sequence header, so a redelivery never overtakes or gets overtaken.
 *
 * ```ts
 * const worker = new JetStreamWorker({ nats, redis, shardIds: cluster.shardIdsOf(...), client });
 * await worker.start();
 * ```
 */
export class JetStreamWorker extends Emitter<JetStreamWorkerEvents> {
	readonly #options: JetStreamWorkerOptions;
	readonly #stream: string;
	readonly #prefix: string;
	readonly #durable: string;
	readonly #keys: string;
	readonly #ackWait: number;
	readonly #label: string;
	readonly #batchSize: number;
	readonly #marks = new Map<number, Mark>();
	readonly #loops: Promise<void>[] = [];
	readonly #subscriptions: ConsumerMessages[] = [];
	#stopped = false;
	#handled = 0;
	#duplicates = 0;
	#redelivered = 0;
	#held = 0;
	#gaps = 0;
	#stale = 0;
	#failed = 0;
	#started = Date.now();

	public constructor(options: JetStreamWorkerOptions) {
		super();
		for (const key of ['ackWait', 'maxAckPending', 'gapTimeout', 'batchSize'] as const) {
			const value = options[key];
			if (value !== undefined && (!Number.isInteger(value) || value < 1))
				throw ClusterError.of('CLUSTER_INVALID_OPTION', [
					`JetStreamWorker ${key}`,
					`must be a positive integer, got ${String(value)}.`,
				]);
		}
		if (options.client === undefined && options.handler === undefined)
			throw ClusterError.of('CLUSTER_INVALID_OPTION', [
				'JetStreamWorker',
				'needs a client (a Client that runs the bot logic), a handler, or both.',
			]);
		for (const id of options.shardIds)
			if (!Number.isInteger(id) || id < 0)
				throw ClusterError.of('CLUSTER_INVALID_OPTION', [
					'shardIds',
					`must be non-negative integers, got ${String(id)}.`,
				]);
		this.#options = options;
		this.#stream = options.stream ?? DefaultJetStreamNames.stream;
		this.#prefix = options.subjectPrefix ?? DefaultJetStreamNames.subjectPrefix;
		this.#durable = options.durable ?? DefaultJetStreamNames.durable;
		this.#keys = options.keyPrefix ?? DefaultJetStreamWorkerOptions.keyPrefix;
		this.#ackWait = options.ackWait ?? DefaultJetStreamWorkerOptions.ackWait;
		this.#label = options.processLabel ?? String(process.pid);
		this.#batchSize = options.batchSize ?? DefaultJetStreamWorkerOptions.batchSize;
	}

	/** The Redis hash of the deduplication marks (`shard` → `session:sequence`). */
	public get marksKey(): string {
		return `${this.#keys}marks`;
	}

	/** Creates the durable consumers (if needed), loads the marks and starts consuming. */
	public async start(): Promise<void> {
		const { nats, redis, shardIds } = this.#options;
		const jsm: JetStreamManager = await nats.jetstreamManager();
		const stored = shardIds.length === 0 ? [] : await redis.hmget(this.marksKey, ...shardIds.map(String));
		for (const [index, shardId] of shardIds.entries()) {
			const text = stored[index];
			const at = text?.lastIndexOf(':') ?? -1;
			if (text !== null && text !== undefined && at > 0)
				this.#marks.set(shardId, { sessionId: text.slice(0, at), sequence: Number(text.slice(at + 1)) });
		}
		const js = nats.jetstream();
		for (const shardId of shardIds) {
			const name = `${this.#durable}-${shardId}`;
			const config = {
				durable_name: name,
				ack_policy: AckPolicy.Explicit,
				deliver_policy: DeliverPolicy.All,
				filter_subject: `${this.#prefix}.${shardId}.>`,
				ack_wait: nanos(this.#ackWait),
				max_ack_pending: this.#options.maxAckPending ?? DefaultJetStreamWorkerOptions.maxAckPending,
			};
			try {
				await jsm.consumers.info(this.#stream, name);
				await jsm.consumers.update(this.#stream, name, {
					ack_wait: config.ack_wait,
					max_ack_pending: config.max_ack_pending,
				});
			} catch (error) {
				if (!(error instanceof Error) || !/not found/i.test(error.message)) throw error;
				await jsm.consumers.add(this.#stream, config);
			}
			const consumer = await js.consumers.get(this.#stream, name);
			const messages = await consumer.consume({ max_messages: Math.min(256, config.max_ack_pending) });
			this.#subscriptions.push(messages);
			this.#loops.push(this.#run(shardId, messages));
		}
		this.#started = Date.now();
	}

	async #run(shardId: number, messages: ConsumerMessages): Promise<void> {
		// Messages wait here while a batch is handled; each batch commits in one Redis MULTI (effects + mark) and is
		// acknowledged after it: exactly once, with one round trip per batch instead of per event.
		const queue: JsMsg[] = [];
		let wake: (() => void) | undefined;
		const source = { ended: false };
		const pump = (async (): Promise<void> => {
			try {
				for await (const msg of messages) {
					queue.push(msg);
					wake?.();
				}
			} finally {
				source.ended = true;
				wake?.();
			}
		})();
		const state: ShardLoop = { held: new Map(), gapSince: 0 };
		while (!this.#stopped) {
			if (queue.length === 0) {
				if (source.ended) break;
				await new Promise<void>((resolve) => {
					wake = resolve;
				});
				wake = undefined;
				continue;
			}
			await this.#batch(shardId, queue.splice(0, this.#batchSize), state);
		}
		await pump;
	}

	async #batch(shardId: number, msgs: readonly JsMsg[], state: ShardLoop): Promise<void> {
		const batch: Batch = { transaction: this.#options.redis.multi(), acks: [], delivered: 0 };
		const { held } = state;
		const gapTimeout = this.#options.gapTimeout ?? this.#ackWait * 3;
		for (const msg of msgs) {
			const incoming = this.#decode(shardId, msg);
			if (incoming === undefined) {
				msg.term();
				continue;
			}
			if (incoming.event.redelivered) this.#redelivered++;
			const mark = this.#marks.get(shardId);
			const { event } = incoming;
			if (event.sessionId === mark?.sessionId && event.s <= mark.sequence) {
				this.#duplicates++;
				this.#metric('ovenjs.cluster.duplicates', shardId);
				// Acknowledged with the batch: a copy of it may be delivered (uncommitted) in this very batch.
				batch.acks.push(msg);
				continue;
			}
			held.set(event.s, incoming);
			this.#held = Math.max(this.#held, held.size);
			// Deliver every held event that follows the mark; hold the others until the gap closes.
			for (;;) {
				const next = this.#nextOf(held, this.#marks.get(shardId));
				if (next === undefined) break;
				held.delete(next.event.s);
				await this.#deliver(shardId, next, batch);
				state.gapSince = 0;
			}
			if (held.size === 0) continue;
			state.gapSince ||= Date.now();
			if (Date.now() - state.gapSince < gapTimeout) continue;
			// The gap did not close: move past it, in order, and say so.
			const lowest = [...held.values()].sort((a, b) => a.event.s - b.event.s)[0];
			if (lowest === undefined) continue;
			this.#gaps++;
			this.emit('gap', {
				shardId,
				sessionId: lowest.event.sessionId,
				after: this.#marks.get(shardId)?.sequence ?? 0,
				next: lowest.event.s,
			});
			this.#metric('ovenjs.cluster.gaps', shardId);
			held.delete(lowest.event.s);
			await this.#deliver(shardId, lowest, batch);
			state.gapSince = 0;
		}
		await this.#commit(shardId, batch);
	}

	#nextOf(held: Map<number, Incoming>, mark: Mark | undefined): Incoming | undefined {
		for (const incoming of held.values()) {
			const { event, previous } = incoming;
			if (mark === undefined) {
				// Nothing handled yet for this shard: start at a session start, or at the earliest event we have.
				if (previous === 0 || this.#earliest(held) === incoming) return incoming;
				continue;
			}
			if (event.sessionId === mark.sessionId) {
				if (previous <= mark.sequence) return incoming;
				continue;
			}
			// Another session: it starts after READY (previous 0), or resumes a session we never saw.
			if (previous === 0) return incoming;
		}
		return undefined;
	}

	#earliest(held: Map<number, Incoming>): Incoming | undefined {
		let best: Incoming | undefined;
		for (const incoming of held.values())
			if (best === undefined || incoming.msg.seq < best.msg.seq) best = incoming;
		return best;
	}

	#decode(shardId: number, msg: JsMsg): Incoming | undefined {
		const h = msg.headers;
		if (h === undefined) return undefined;
		const session = h.get(DispatchHeaders.session);
		const s = Number(h.get(DispatchHeaders.sequence));
		const previous = Number(h.get(DispatchHeaders.previous));
		const t = h.get(DispatchHeaders.event);
		if (session === '' || t === '' || !Number.isInteger(s) || !Number.isInteger(previous)) return undefined;
		return { msg, previous, event: new WorkerDispatch(shardId, t, s, msg.string(), session, msg.redelivered) };
	}

	async #deliver(shardId: number, incoming: Incoming, batch: Batch): Promise<void> {
		const { event, msg } = incoming;
		const mark = this.#marks.get(shardId);
		if (
			mark !== undefined &&
			mark.sessionId !== event.sessionId &&
			incoming.previous !== 0 &&
			event.s <= mark.sequence
		)
			this.#stale++;
		try {
			await this.#options.client?.replay([
				{ t: event.t, d: event.d, s: event.s, shardId, at: Date.now() - this.#started },
			]);
			await this.#options.handler?.(event, batch.transaction);
		} catch (error) {
			this.#failed++;
			this.emit(
				'error',
				ClusterError.of('CLUSTER_HANDLER_FAILED', [event.t, shardId, event.s], { shardId, cause: error }),
			);
		}
		// The mark moves now (the next events of the batch follow it) and is committed with the batch.
		this.#marks.set(shardId, { sessionId: event.sessionId, sequence: event.s });
		batch.acks.push(msg);
		batch.delivered++;
	}

	async #commit(shardId: number, batch: Batch): Promise<void> {
		if (batch.delivered > 0) {
			const mark = this.#marks.get(shardId);
			if (mark !== undefined)
				batch.transaction.hset(this.marksKey, String(shardId), `${mark.sessionId}:${mark.sequence}`);
			for (;;) {
				try {
					await batch.transaction.exec();
					break;
				} catch (error) {
					// Without the mark the events would be handled again after a crash: retry until Redis answers.
					if (this.#stopped)
						throw ClusterError.of('CLUSTER_STORE_FAILED', [{ kind: 'dedupe-mark' }], {
							shardId,
							cause: error,
						});
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
			}
			this.#handled += batch.delivered;
			this.#options.metrics?.('ovenjs.cluster.handled', batch.delivered, {
				process: this.#label,
				shard: String(shardId),
			});
		}
		for (const msg of batch.acks) msg.ack();
	}

	#metric(name: string, shardId: number): void {
		this.#options.metrics?.(name, 1, { process: this.#label, shard: String(shardId) });
	}

	/** Counters of this worker. */
	public stats(): JetStreamWorkerStats {
		return {
			handled: this.#handled,
			duplicates: this.#duplicates,
			redelivered: this.#redelivered,
			held: this.#held,
			gaps: this.#gaps,
			stale: this.#stale,
			failed: this.#failed,
		};
	}

	/** Stops consuming after the events being handled; unacknowledged ones are redelivered to the next worker. */
	public async stop(): Promise<void> {
		if (this.#stopped) return;
		this.#stopped = true;
		await Promise.all(this.#subscriptions.map((messages) => messages.close().catch(() => undefined)));
		await Promise.allSettled(this.#loops);
	}
}
