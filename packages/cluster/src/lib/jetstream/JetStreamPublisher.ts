import type { GatewayDispatch, SessionInfo } from '@ovenjs/ws';
import { Emitter } from '@ovenjs/types';
import { headers as natsHeaders, type JetStreamClient, type NatsConnection, type PubAck } from 'nats';
import { ClusterError } from '../errors/ClusterError.js';
import { DispatchHeaders, DefaultJetStreamNames, dispatchSubject } from './subjects.js';
import type { MetricSink } from './metrics.js';

/** Where the publisher keeps sessions (a `RedisSessionStore` from `@ovenjs/cluster/redis`). */
export interface PublisherSessionStore {
	retrieve(shardId: number): Promise<SessionInfo | null> | SessionInfo | null;
	update(shardId: number, info: SessionInfo | null): Promise<void> | undefined;
	flush(): Promise<void>;
}

/** Options of {@link JetStreamPublisher}. */
export interface JetStreamPublisherOptions {
	/** A connected NATS client (the publisher does not close it). */
	readonly nats: NatsConnection;
	/** The session store: the stored sequence only advances once JetStream acknowledged the event. */
	readonly sessions: PublisherSessionStore;
	/** Subjects are `<subjectPrefix>.<shard>.<EVENT_NAME>`. @defaultValue `'ovenjs.dispatch'` */
	readonly subjectPrefix?: string;
	/**
	 * The most dispatches waiting for JetStream's acknowledgement. Past it a shard stalls: its further dispatches
	 * are not published, its stored sequence stays at the last acknowledged event, and `stalled` is emitted; restart
	 * the shard's process (or its manager with `keepSession`) and Discord replays what was not published. Gateway
	 * memory is thereby bounded whatever the workers or NATS do.
	 * @defaultValue `10_000`
	 */
	readonly maxPending?: number;
	/** How long to wait for a publish acknowledgement, in ms. @defaultValue `10_000` */
	readonly publishTimeout?: number;
	/** A label of this process in metrics. @defaultValue `String(process.pid)` */
	readonly processLabel?: string;
	/** Receives counters and gauges labelled `{ process, shard }`. */
	readonly metrics?: MetricSink;
}

/** Defaults of {@link JetStreamPublisherOptions}. */
export const DefaultJetStreamPublisherOptions = {
	subjectPrefix: DefaultJetStreamNames.subjectPrefix,
	maxPending: 10_000,
	publishTimeout: 10_000,
} as const satisfies Partial<JetStreamPublisherOptions>;

/** Events of {@link JetStreamPublisher}. */
export interface JetStreamPublisherEvents {
	/** A shard stopped publishing (too many unacknowledged events, or a publish failed); restart it to recover. */
	stalled: [event: { readonly shardId: number; readonly pending: number; readonly error: ClusterError }];
	/** Pending acknowledgements crossed half of `maxPending` (and again when back under a quarter). */
	backpressure: [event: { readonly pending: number; readonly maxPending: number; readonly high: boolean }];
}

interface ShardState {
	session: Omit<SessionInfo, 'sequence'> | null;
	/** The last sequence JetStream acknowledged for `session`. */
	acked: number;
	/** The last sequence handed to JetStream for `session` (the `prev` of the next). */
	published: number;
	stalled: boolean;
}

/** Publisher counters. */
export interface JetStreamPublisherStats {
	readonly published: number;
	readonly duplicates: number;
	readonly pending: number;
	readonly dropped: number;
	readonly stalledShards: readonly number[];
}

/**
 * The gateway side of the gateway/worker split: publishes every dispatch of a `WebSocketManager` to JetStream
 * (subject `<prefix>.<shard>.<EVENT>`, headers with shard, session, sequence and the previous sequence, and a
 * `Nats-Msg-Id` of `shard:session:sequence` so a replayed event is stored once) and persists each shard's session
 * with the last sequence JetStream acknowledged — a process killed at any moment resumes where the stream ends.
 *
 * ```ts
 * const publisher = new JetStreamPublisher({ nats, sessions });
 * const manager = new WebSocketManager({ ...options, ...publisher.sessionHooks() });
 * publisher.attach(manager);
 * ```
 */
export class JetStreamPublisher extends Emitter<JetStreamPublisherEvents> {
	readonly #js: JetStreamClient;
	readonly #sessions: PublisherSessionStore;
	readonly #prefix: string;
	readonly #maxPending: number;
	readonly #timeout: number;
	readonly #label: string;
	readonly #metrics: MetricSink | undefined;
	readonly #shards = new Map<number, ShardState>();
	#pending = 0;
	#high = false;
	#published = 0;
	#duplicates = 0;
	#dropped = 0;
	#inflight = new Set<Promise<void>>();

	public constructor(options: JetStreamPublisherOptions) {
		super();
		const d = DefaultJetStreamPublisherOptions;
		for (const key of ['maxPending', 'publishTimeout'] as const) {
			const value = options[key];
			if (value !== undefined && (!Number.isInteger(value) || value < 1))
				throw ClusterError.of('CLUSTER_INVALID_OPTION', [
					`JetStreamPublisher ${key}`,
					`must be a positive integer, got ${String(value)}.`,
				]);
		}
		this.#js = options.nats.jetstream();
		this.#sessions = options.sessions;
		this.#prefix = options.subjectPrefix ?? d.subjectPrefix;
		this.#maxPending = options.maxPending ?? d.maxPending;
		this.#timeout = options.publishTimeout ?? d.publishTimeout;
		this.#label = options.processLabel ?? String(process.pid);
		this.#metrics = options.metrics;
	}

	#state(shardId: number): ShardState {
		let state = this.#shards.get(shardId);
		if (state === undefined) {
			state = { session: null, acked: 0, published: 0, stalled: false };
			this.#shards.set(shardId, state);
		}
		return state;
	}

	/**
	 * `retrieveSessionInfo` / `updateSessionInfo` for the `WebSocketManager`: sessions come from the store, and the
	 * stored sequence is the last one JetStream acknowledged (not merely received).
	 */
	public sessionHooks(): {
		retrieveSessionInfo: (shardId: number) => Promise<SessionInfo | null>;
		updateSessionInfo: (shardId: number, info: SessionInfo | null) => Promise<void> | undefined;
	} {
		return {
			retrieveSessionInfo: async (shardId) => {
				const info = await this.#sessions.retrieve(shardId);
				const state = this.#state(shardId);
				if (info !== null) {
					state.session = {
						sessionId: info.sessionId,
						resumeUrl: info.resumeUrl,
						shardId: info.shardId,
						shardCount: info.shardCount,
					};
					state.acked = info.sequence;
					state.published = info.sequence;
				}
				return info;
			},
			updateSessionInfo: (shardId, info) => {
				const state = this.#state(shardId);
				if (info === null) {
					state.session = null;
					state.acked = 0;
					state.published = 0;
					return this.#sessions.update(shardId, null);
				}
				if (state.session?.sessionId === info.sessionId) {
					if (state.session.resumeUrl === info.resumeUrl) return undefined;
					state.session = { ...state.session, resumeUrl: info.resumeUrl };
					return this.#sessions.update(shardId, { ...state.session, sequence: state.acked });
				}
				// A new session (READY): nothing of it was published yet; READY's sequence is where a resume starts.
				state.session = {
					sessionId: info.sessionId,
					resumeUrl: info.resumeUrl,
					shardId: info.shardId,
					shardCount: info.shardCount,
				};
				state.acked = info.sequence;
				state.published = 0;
				state.stalled = false;
				return this.#sessions.update(shardId, info);
			},
		};
	}

	/** Publishes every dispatch `manager` emits (the manager should want `'all'` dispatch events). */
	public attach(manager: { on(event: 'dispatch', listener: (event: GatewayDispatch) => void): unknown }): this {
		manager.on('dispatch', (event) => {
			this.publish(event);
		});
		return this;
	}

	/** Publishes one dispatch (called by {@link attach}). */
	public publish(event: GatewayDispatch): void {
		const state = this.#state(event.shardId);
		const session = state.session;
		if (event.s === null) return;
		if (session === null) {
			// No session known for this shard: the manager was not given sessionHooks(), or READY is still to come.
			this.#dropped++;
			this.#stall(
				event.shardId,
				state,
				ClusterError.of('CLUSTER_SESSION_HOOKS_MISSING', [event.shardId, event.t], { shardId: event.shardId }),
			);
			return;
		}
		if (state.stalled) {
			this.#dropped++;
			return;
		}
		if (this.#pending >= this.#maxPending) {
			this.#stall(
				event.shardId,
				state,
				ClusterError.of('CLUSTER_BACKPRESSURE', [event.shardId, this.#pending, this.#maxPending, state.acked], {
					shardId: event.shardId,
				}),
			);
			this.#dropped++;
			return;
		}
		const prev = state.published;
		state.published = event.s;
		const h = natsHeaders();
		h.set(DispatchHeaders.shard, String(event.shardId));
		h.set(DispatchHeaders.session, session.sessionId);
		h.set(DispatchHeaders.sequence, String(event.s));
		h.set(DispatchHeaders.previous, String(prev));
		h.set(DispatchHeaders.event, event.t);
		this.#pending++;
		this.#pressure();
		const sessionId = session.sessionId;
		const shardId = event.shardId;
		const sequence = event.s;
		const labels = { process: this.#label, shard: String(shardId) };
		const done = this.#js
			.publish(dispatchSubject(this.#prefix, shardId, event.t), event.raw, {
				msgID: `${shardId}:${sessionId}:${sequence}`,
				headers: h,
				timeout: this.#timeout,
			})
			.then(
				(ack: PubAck) => {
					if (ack.duplicate) this.#duplicates++;
					else this.#published++;
					this.#metrics?.('ovenjs.cluster.published', 1, labels);
					if (state.session?.sessionId !== sessionId || sequence <= state.acked) return;
					state.acked = sequence;
					void this.#sessions.update(shardId, { ...state.session, sequence })?.catch(() => undefined);
				},
				(error: unknown) => {
					if (state.session?.sessionId === sessionId)
						this.#stall(
							shardId,
							state,
							ClusterError.of('CLUSTER_PUBLISH_FAILED', [shardId, sequence, state.acked], {
								shardId,
								cause: error,
							}),
						);
				},
			)
			.finally(() => {
				this.#pending--;
				this.#inflight.delete(done);
				this.#pressure();
			});
		this.#inflight.add(done);
	}

	#stall(shardId: number, state: ShardState, error: ClusterError): void {
		if (state.stalled) return;
		state.stalled = true;
		this.#metrics?.('ovenjs.cluster.stalled', 1, { process: this.#label, shard: String(shardId) });
		this.emit('stalled', { shardId, pending: this.#pending, error });
	}

	#pressure(): void {
		const high = this.#pending >= this.#maxPending / 2;
		const low = this.#pending <= this.#maxPending / 4;
		if (high && !this.#high) {
			this.#high = true;
			this.emit('backpressure', { pending: this.#pending, maxPending: this.#maxPending, high: true });
		} else if (low && this.#high) {
			this.#high = false;
			this.emit('backpressure', { pending: this.#pending, maxPending: this.#maxPending, high: false });
		}
		this.#metrics?.('ovenjs.cluster.pending', this.#pending, { process: this.#label, shard: 'all' });
	}

	/** Counters of this publisher. */
	public stats(): JetStreamPublisherStats {
		return {
			published: this.#published,
			duplicates: this.#duplicates,
			pending: this.#pending,
			dropped: this.#dropped,
			stalledShards: [...this.#shards].filter(([, state]) => state.stalled).map(([id]) => id),
		};
	}

	/**
	 * Waits for every pending publish and writes the sessions. Call it after `manager.destroy({ keepSession: true })`
	 * when the process stops: the next process resumes exactly after the last event JetStream stored.
	 */
	public async flush(): Promise<void> {
		while (this.#inflight.size > 0) await Promise.all([...this.#inflight]);
		await this.#sessions.flush();
	}
}
