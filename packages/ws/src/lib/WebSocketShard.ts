import WebSocket from 'ws';
import { redactSecrets } from '@ovenjs/types';
import { GatewayError } from './errors/GatewayError.js';
import type { IdentifyGrant } from './interfaces/IdentifyThrottler.js';
import {
	Connection,
	type ConnectingState,
	connectionOf,
	type IdentifyingState,
	releaseState,
	type ResumingState,
	type ShardState,
	type WaitingIdentifyState,
} from './ShardState.js';
import { describeCloseCode, fatalCloseError, NORMAL_CLOSE_CODE, RESUMABLE_CLOSE_CODE } from './utils/closeCodes.js';
import { GATEWAY_VERSION, GatewayOp, HEARTBEAT_INTERVAL_RANGE } from './utils/constants.js';
import { createDecompressor, type GatewayCompression } from './utils/decompression.js';
import { Heartbeater } from './utils/Heartbeater.js';
import { identifyDelay } from './utils/identifyBackoff.js';
import { sleep } from './utils/abort.js';
import {
	type GatewayPayload,
	isArray,
	isRecord,
	numberField,
	parsePayload,
	peekHeader,
	stringField,
} from './utils/payload.js';
import { SendQueue, serializePayload } from './utils/SendQueue.js';
import { closeSocket, toBuffer } from './utils/socket.js';
import type {
	SessionInfo,
	ShardConfig,
	ShardEvent,
	ShardHooks,
	ShardSink,
	ShardSnapshot,
	ShardStatus,
} from './utils/types.js';
import './extensionPoints.js';

/** Dispatch names a shard counts one by one (see `ShardSnapshot.dispatches`); the rest go under {@link OTHER_DISPATCHES}. */
const MAX_DISPATCH_NAMES = 256;
const OTHER_DISPATCHES = '(other)';

interface Waiter {
	readonly resolve: () => void;
	readonly reject: (error: unknown) => void;
}

const IDLE: ShardState = { status: 'idle' };
const DESTROYED: ShardState = { status: 'destroyed' };

/**
 * One gateway connection, exactly as Discord documents the protocol: HELLO and jittered heartbeats, zombie
 * detection, IDENTIFY through the identify throttler, RESUME with `resume_gateway_url`, op 7 and op 9, close
 * codes, and a send queue under the per-connection limit. Dispatches reach the sink in order and never twice
 * (sequence numbers below the last delivered one are dropped after a resume replays them).
 *
 * The lifecycle is one {@link ShardState} object, replaced on every transition (in one place, `#enter`).
 *
 * Used by the sharding strategies; applications use {@link WebSocketManager}.
 */
export class WebSocketShard {
	/** This shard's id. */
	public readonly id: number;
	readonly #config: ShardConfig;
	readonly #hooks: ShardHooks;
	readonly #sink: ShardSink;
	#state: ShardState = IDLE;
	/** The session to resume: outlives connections; cleared when Discord cannot resume it. */
	#session: SessionInfo | null = null;
	#sessionLoaded = false;
	/** The last delivered sequence number. */
	#sequence: number | null = null;
	/** Connection attempts since the shard was last ready (the reconnect backoff grows with it). */
	#attempts = 0;
	#skipped = 0;
	#duplicates = 0;
	/**
	 * Dispatches received (sequence accepted), by name: what a metrics exporter reads instead of a hook per event.
	 * At most {@link MAX_DISPATCH_NAMES} names (Discord has about seventy); a gateway inventing more counts them
	 * under `'(other)'` instead of growing the map.
	 */
	readonly #dispatched = new Map<string, number>();
	readonly #identifies: number[] = [];
	#waiters: Waiter[] = [];
	readonly #sends: SendQueue;
	readonly #peek: boolean;
	readonly #heartbeater: Heartbeater;

	public constructor(id: number, config: ShardConfig, hooks: ShardHooks, sink: ShardSink) {
		this.id = id;
		this.#config = config;
		this.#hooks = hooks;
		this.#sink = sink;
		this.#peek = hooks.forwardRaw || !hooks.dispatchFilter.all || hooks.dispatchFilter.dynamic;
		this.#sends = new SendQueue(id, (message) => {
			this.#debug(message);
		});
		this.#heartbeater = new Heartbeater(
			() => {
				this.#write(JSON.stringify({ op: GatewayOp.Heartbeat, d: this.#sequence }), true);
			},
			() => {
				this.#debug(
					'Heartbeat not acknowledged within one interval: zombie connection, closing (non-1000) and resuming.',
				);
				this.#reconnect('resume', 'zombie connection', false);
			},
		);
	}

	/** The current status. */
	public get status(): ShardStatus {
		return this.#state.status;
	}

	/** A status snapshot (status, latency, sequence, counters). */
	public snapshot(): ShardSnapshot {
		return {
			shardId: this.id,
			status: this.#state.status,
			latency: this.#heartbeater.latency,
			sequence: this.#sequence,
			skipped: this.#skipped,
			duplicates: this.#duplicates,
			dispatches: Object.fromEntries(this.#dispatched),
		};
	}

	/** The session this shard would resume, if any. */
	public get session(): SessionInfo | null {
		return this.#session === null || this.#sequence === null
			? this.#session
			: { ...this.#session, sequence: this.#sequence };
	}

	/** Connects; resolves when the shard is ready (identified or resumed), rejects on a fatal close or destroy. */
	public connect(): Promise<void> {
		const status = this.#state.status;
		if (status === 'destroyed')
			return Promise.reject(GatewayError.of('GATEWAY_DESTROYED', [`Shard ${this.id}`], { shardId: this.id }));
		if (status === 'ready') return Promise.resolve();
		const promise = new Promise<void>((resolve, reject) => {
			this.#waiters.push({ resolve, reject });
		});
		if (status === 'idle' || status === 'failed') void this.#open();
		return promise;
	}

	/**
	 * Queues a payload; it is sent once the shard is ready, within the send limit. Resolves when written to the
	 * socket; rejects if the shard is destroyed first. Heartbeat, IDENTIFY and RESUME are managed by the shard.
	 */
	public send(payload: { readonly op: number; readonly d: unknown }): Promise<void> {
		const status = this.#state.status;
		if (status === 'destroyed' || status === 'failed') {
			return Promise.reject(
				GatewayError.of('GATEWAY_NOT_CONNECTED', ['send()', `shard ${this.id} is ${status}`], {
					shardId: this.id,
				}),
			);
		}
		const text = serializePayload(payload, this.id);
		if (text instanceof GatewayError) return Promise.reject(text);
		const sent = this.#sends.push(text);
		this.#drain();
		return sent;
	}

	/**
	 * Closes the shard for good. With `keepSession` the close keeps the session resumable (and persisted) so a
	 * later process can resume it; otherwise it ends the session (close code 1000).
	 */
	public async destroy(options: { readonly keepSession?: boolean } = {}): Promise<void> {
		if (this.#state.status === 'destroyed') return;
		const keep = options.keepSession === true;
		const ws = this.#teardown();
		this.#enter(DESTROYED);
		const error = GatewayError.of('GATEWAY_DESTROYED', [`Shard ${this.id}`], { shardId: this.id });
		this.#sends.rejectAll(error);
		for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
		if (keep) await this.#persist(this.session);
		else {
			this.#session = null;
			await this.#persist(null);
		}
		if (ws !== null) await closeSocket(ws, keep ? RESUMABLE_CLOSE_CODE : NORMAL_CLOSE_CODE);
	}

	/** Every transition: the state left gives up its timers (and an identify wait); a new status is announced. */
	#enter(next: ShardState): void {
		const previous = this.#state;
		releaseState(previous, this.#cancelled);
		this.#state = next;
		if (previous.status === next.status) return;
		this.#emit({ type: 'status', shardId: this.id, status: next.status });
		if (this.#hooks.extensions?.has('ws:shardStatus') === true)
			this.#hooks.extensions.emit('ws:shardStatus', this.id, next.status);
	}

	readonly #cancelled = (): GatewayError =>
		GatewayError.of('GATEWAY_IDENTIFY_CANCELLED', [this.id], { shardId: this.id });

	#emit(event: ShardEvent): void {
		this.#sink.event(event);
	}

	#debug(message: string): void {
		this.#emit({ type: 'debug', shardId: this.id, message: redactSecrets(message, this.#config.token) });
	}

	#error(error: GatewayError): void {
		this.#emit({ type: 'error', shardId: this.id, error, fatal: false });
	}

	async #open(): Promise<void> {
		this.#attempts++;
		const loading: ConnectingState = { status: 'connecting', connection: null, helloTimer: undefined };
		this.#enter(loading);
		if (!this.#sessionLoaded) {
			this.#sessionLoaded = true;
			let stored: SessionInfo | null | undefined;
			try {
				stored = await this.#hooks.retrieveSessionInfo?.(this.id);
			} catch (error) {
				this.#error(
					GatewayError.of('GATEWAY_HOOK_FAILED', [this.id, 'retrieveSessionInfo'], {
						shardId: this.id,
						cause: error,
					}),
				);
			}
			if (this.#state !== loading) return;
			if (stored !== null && stored !== undefined) {
				if (stored.shardCount === this.#config.shardCount && stored.shardId === this.id) {
					this.#session = stored;
					this.#sequence = stored.sequence;
					this.#debug(`Restored session ${stored.sessionId} at sequence ${stored.sequence}; resuming.`);
				} else
					this.#debug(
						`Ignoring a stored session for ${stored.shardId}/${stored.shardCount}: this shard is ${this.id}/${this.#config.shardCount}.`,
					);
			}
		}
		const url =
			gatewayUrl(this.#session?.resumeUrl ?? this.#config.gatewayUrl, this.#config.compression) ??
			gatewayUrl(this.#config.gatewayUrl, this.#config.compression);
		if (url === null) {
			this.#fail(
				GatewayError.of(
					'GATEWAY_INVALID_OPTION',
					[
						'gatewayUrl',
						'is not a ws:// or wss:// URL; check `gatewayUrl` or what GET /gateway/bot returns.',
					],
					{ shardId: this.id },
				),
			);
			return;
		}
		const info = { shardId: this.id, shardCount: this.#config.shardCount, url, resuming: this.#session !== null };
		if (this.#hooks.extensions?.has('ws:beforeConnect') === true)
			this.#hooks.extensions.emit('ws:beforeConnect', info);
		this.#debug(`Connecting to ${info.url} (attempt ${this.#attempts}, ${info.resuming ? 'resume' : 'identify'}).`);
		let ws: WebSocket;
		try {
			// Text frames are decoded with Buffer#toString (invalid UTF-8 becomes U+FFFD), so ws need not validate them first.
			ws = new WebSocket(info.url, {
				handshakeTimeout: this.#config.handshakeTimeout,
				perMessageDeflate: false,
				maxPayload: this.#config.maxPayloadSize,
				skipUTF8Validation: true,
			});
		} catch (error) {
			this.#error(
				GatewayError.of('GATEWAY_CONNECT_FAILED', [this.id, info.url], { shardId: this.id, cause: error }),
			);
			if (this.#session !== null) this.#session = { ...this.#session, resumeUrl: this.#config.gatewayUrl };
			this.#scheduleOpen();
			return;
		}
		const connection = new Connection(ws);
		const opened: ConnectingState = { status: 'connecting', connection, helloTimer: undefined };
		this.#enter(opened);
		const compression = this.#config.compression;
		connection.decompressor =
			compression === null
				? null
				: createDecompressor(
						{
							compression,
							implementation: this.#config.decompressor,
							maxMessageSize: this.#config.maxPayloadSize,
							shardId: this.id,
						},
						(text) => {
							if (!connection.closed) this.#onText(text);
						},
						(error) => {
							if (connection.closed) return;
							this.#error(error);
							this.#reconnect(
								'resume',
								error.code === 'GATEWAY_PAYLOAD_TOO_LARGE'
									? 'payload too large'
									: 'decompression failed',
								true,
							);
						},
					);
		ws.on('open', () => {
			if (connection.closed) return;
			if (this.#hooks.extensions?.has('ws:afterConnect') === true)
				this.#hooks.extensions.emit('ws:afterConnect', info);
		});
		ws.on('message', (data, isBinary) => {
			if (connection.closed) return;
			try {
				const decompressor = connection.decompressor;
				if (isBinary && decompressor !== null) decompressor.push(toBuffer(data));
				else this.#onText(toBuffer(data).toString('utf8'));
			} catch (error) {
				// Nothing a server sends may throw out of the socket's callback (it would crash the process).
				if (connectionOf(this.#state) !== connection) return;
				this.#error(
					GatewayError.of('GATEWAY_INVALID_PAYLOAD', [this.id, { kind: 'unhandled' }], {
						shardId: this.id,
						cause: error,
					}),
				);
				this.#reconnect('resume', 'message handling failed', true);
			}
		});
		ws.on('error', (error) => {
			if (connection.closed) return;
			if (Reflect.get(error, 'code') === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
				this.#error(
					GatewayError.of(
						'GATEWAY_PAYLOAD_TOO_LARGE',
						[this.id, 'frame', this.#config.maxPayloadSize, null],
						{ shardId: this.id, cause: error },
					),
				);
			}
			this.#debug(`Socket error: ${error.message}`);
		});
		ws.on('close', (code, reason) => {
			if (connection.closed) return;
			const text = reason.toString('utf8');
			// Every frame received before the close is decoded and delivered first (zlib in the thread pool may still hold some).
			const decompressor = connection.decompressor;
			if (decompressor === null) this.#onClose(code, text);
			else {
				void decompressor.settled().then(() => {
					if (!connection.closed) this.#onClose(code, text);
				});
			}
		});
		opened.helloTimer = setTimeout(() => {
			if (this.#state !== opened) return;
			this.#debug(`No HELLO within ${this.#config.helloTimeout} ms; reconnecting.`);
			this.#reconnect('resume', 'hello timeout', true);
		}, this.#config.helloTimeout);
	}

	/** Handles one payload's text. The fast path reads the envelope without parsing `d`. */
	#onText(raw: string): void {
		if (this.#hooks.extensions?.has('ws:onMessage') === true)
			this.#hooks.extensions.emit('ws:onMessage', this.id, raw);
		// Peek only where it saves a parse: to skip unwanted events, or to forward text to another thread.
		const header = this.#peek ? peekHeader(raw) : null;
		if (
			header !== null &&
			header.op === GatewayOp.Dispatch &&
			header.t !== null &&
			header.t !== 'READY' &&
			header.t !== 'RESUMED'
		) {
			if (!this.#accept(header.s)) return;
			this.#count(header.t);
			if (!this.#hooks.wants(header.t)) this.#skipped++;
			else if (this.#hooks.forwardRaw) this.#sink.dispatch(this.id, header.t, header.s, raw, undefined);
			else this.#sink.dispatch(this.id, header.t, header.s, raw, parsePayload(raw) ?? undefined);
			return;
		}
		const payload = parsePayload(raw);
		if (payload === null) {
			this.#debug(`Ignoring a payload that is not a gateway payload: ${raw.slice(0, 64)}`);
			return;
		}
		this.#onPayload(payload, raw);
	}

	#count(t: string): void {
		const counts = this.#dispatched;
		const seen = counts.get(t);
		if (seen !== undefined) counts.set(t, seen + 1);
		else if (counts.size < MAX_DISPATCH_NAMES) counts.set(t, 1);
		else counts.set(OTHER_DISPATCHES, (counts.get(OTHER_DISPATCHES) ?? 0) + 1);
	}

	/** Sequence bookkeeping: false for a dispatch already delivered (replayed by a resume) or with a bad sequence. */
	#accept(s: number | null): boolean {
		if (s === null) return true;
		if (!Number.isSafeInteger(s) || s < 0) {
			this.#error(
				GatewayError.of('GATEWAY_INVALID_PAYLOAD', [this.id, { kind: 'sequence', sequence: s }], {
					shardId: this.id,
				}),
			);
			return false;
		}
		if (this.#sequence !== null && s <= this.#sequence) {
			this.#duplicates++;
			return false;
		}
		if (this.#sequence !== null && s > this.#sequence + 1)
			this.#debug(`Sequence jumped from ${this.#sequence} to ${s}.`);
		this.#sequence = s;
		const state = this.#state;
		if (state.status === 'resuming') {
			state.replayed++;
			this.#armReadyTimer(state);
		}
		if (this.#hooks.updateSessionInfo !== undefined && this.#session !== null) void this.#persist(this.session);
		return true;
	}

	#onPayload(payload: GatewayPayload, raw: string): void {
		switch (payload.op) {
			case GatewayOp.Dispatch:
				this.#onDispatch(payload, raw);
				return;
			case GatewayOp.Hello:
				this.#onHello(numberField(payload.d, 'heartbeat_interval'));
				return;
			case GatewayOp.Heartbeat:
				this.#heartbeater.beatNow();
				return;
			case GatewayOp.HeartbeatAck:
				this.#emit({ type: 'heartbeat', shardId: this.id, latency: this.#heartbeater.ack() });
				return;
			case GatewayOp.Reconnect:
				this.#debug('Discord asked to reconnect (op 7); resuming.');
				this.#reconnect('resume', 'op 7 reconnect', false);
				return;
			case GatewayOp.InvalidSession:
				this.#onInvalidSession(payload.d === true);
				return;
			default:
				this.#debug(`Ignoring opcode ${payload.op}.`);
		}
	}

	#onDispatch(payload: GatewayPayload, raw: string): void {
		const t = payload.t;
		if (t === null) return;
		if (!this.#accept(payload.s)) return;
		this.#count(t);
		if (t === 'READY') {
			const sessionId = stringField(payload.d, 'session_id');
			const resumeUrl = stringField(payload.d, 'resume_gateway_url');
			if (sessionId === undefined || resumeUrl === undefined || gatewayUrl(resumeUrl, null) === null) {
				this.#error(
					GatewayError.of('GATEWAY_INVALID_PAYLOAD', [this.id, { kind: 'ready' }], { shardId: this.id }),
				);
				this.#reconnect('identify', 'invalid READY', true);
				return;
			}
			const guilds = isRecord(payload.d) && isArray(payload.d.guilds) ? payload.d.guilds.length : 0;
			this.#session = {
				sessionId,
				resumeUrl,
				sequence: this.#sequence ?? 0,
				shardId: this.id,
				shardCount: this.#config.shardCount,
			};
			void this.#persist(this.#session);
			this.#becameReady();
			this.#emit({ type: 'ready', shardId: this.id, sessionId, guildCount: guilds, resumeUrl });
			if (this.#hooks.extensions?.has('ws:shardReady') === true)
				this.#hooks.extensions.emit('ws:shardReady', this.id, false);
		} else if (t === 'RESUMED') {
			const state = this.#state;
			const replayed = state.status === 'resuming' ? state.replayed : 0;
			this.#becameReady();
			this.#emit({
				type: 'resumed',
				shardId: this.id,
				replayed: payload.s === null ? replayed : Math.max(0, replayed - 1),
			});
			if (this.#hooks.extensions?.has('ws:shardReady') === true)
				this.#hooks.extensions.emit('ws:shardReady', this.id, true);
		}
		if (this.#hooks.wants(t)) this.#sink.dispatch(this.id, t, payload.s, raw, payload);
		else this.#skipped++;
	}

	#becameReady(): void {
		const connection = connectionOf(this.#state);
		if (connection === null) return;
		this.#attempts = 0;
		this.#enter({ status: 'ready', connection });
		for (const waiter of this.#waiters.splice(0)) waiter.resolve();
		this.#drain();
	}

	#onHello(interval: number | undefined): void {
		const state = this.#state;
		const connection = connectionOf(state);
		if (connection === null) return;
		if (state.status === 'connecting') releaseState(state, this.#cancelled);
		const { min, max } = HEARTBEAT_INTERVAL_RANGE;
		if (interval === undefined || !Number.isFinite(interval) || interval < min || interval > max) {
			this.#error(
				GatewayError.of('GATEWAY_INVALID_PAYLOAD', [this.id, { kind: 'hello', interval, min, max }], {
					shardId: this.id,
				}),
			);
			this.#reconnect('resume', 'bad hello', true);
			return;
		}
		this.#sends.limiter.reset();
		this.#sends.limiter.reserveForHeartbeats(interval);
		this.#heartbeater.start(interval);
		if (this.#session !== null) this.#resume(connection, this.#session);
		else void this.#identify(connection);
	}

	#resume(connection: Connection, session: SessionInfo): void {
		const resuming: ResumingState = { status: 'resuming', connection, replayed: 0, readyTimer: undefined };
		this.#enter(resuming);
		this.#debug(`Resuming session ${session.sessionId} at sequence ${this.#sequence ?? 0}.`);
		this.#write(
			JSON.stringify({
				op: GatewayOp.Resume,
				d: { token: this.#config.token, session_id: session.sessionId, seq: this.#sequence ?? 0 },
			}),
			false,
		);
		this.#armReadyTimer(resuming);
	}

	/**
	 * Waits for the identify budget and the throttler (state `waiting-identify`), then sends IDENTIFY and tells the
	 * throttler once the frame is written (its bucket's window starts then, as Discord counts it), or that it was
	 * not sent when the connection went away between the grant and the write.
	 */
	async #identify(connection: Connection): Promise<void> {
		const abort = new AbortController();
		const waiting: WaitingIdentifyState = { status: 'waiting-identify', connection, abort, timer: undefined };
		this.#enter(waiting);
		let grant: IdentifyGrant;
		try {
			const delay = identifyDelay(this.#identifies);
			if (delay > 0) {
				this.#debug(
					`${this.#identifies.length} identifies in the last 10 minutes; waiting ${delay} ms to protect the daily identify budget.`,
				);
				await sleep(delay, abort.signal);
			}
			grant = await this.#hooks.waitForIdentify(this.id, abort.signal);
		} catch (error) {
			if (this.#state === waiting) {
				this.#error(
					GatewayError.of('GATEWAY_IDENTIFY_THROTTLER_FAILED', [this.id], { shardId: this.id, cause: error }),
				);
				this.#reconnect('identify', 'identify throttler failed', true);
			}
			return;
		} finally {
			waiting.abort = null;
		}
		if (this.#state !== waiting) {
			this.#debug('The connection ended between the identify grant and IDENTIFY; the slot is given back.');
			void grant.notSent();
			return;
		}
		this.#identifies.push(Date.now());
		const identifying: IdentifyingState = { status: 'identifying', connection, readyTimer: undefined };
		this.#enter(identifying);
		this.#emit({ type: 'identifying', shardId: this.id });
		const d: Record<string, unknown> = {
			token: this.#config.token,
			properties: this.#config.identifyProperties,
			compress: false,
			large_threshold: this.#config.largeThreshold,
			shard: [this.id, this.#config.shardCount],
			intents: this.#config.intents,
		};
		if (this.#config.presence !== undefined) d.presence = this.#config.presence;
		this.#sends.writeNow(this.#socket(), JSON.stringify({ op: GatewayOp.Identify, d }), false, (written) => {
			if (written) void grant.sent();
			else {
				this.#debug('IDENTIFY could not be written (the socket closed); the identify slot is given back.');
				void grant.notSent();
			}
		});
		this.#armReadyTimer(identifying);
	}

	/** (Re)starts the wait for READY / RESUMED; a resume's replayed dispatches count as progress. */
	#armReadyTimer(state: IdentifyingState | ResumingState): void {
		if (state.readyTimer !== undefined) clearTimeout(state.readyTimer);
		const timeout = this.#config.readyTimeout;
		state.readyTimer = setTimeout(() => {
			state.readyTimer = undefined;
			if (this.#state !== state) return;
			const error = GatewayError.of('GATEWAY_READY_TIMEOUT', [this.id, state.status === 'resuming', timeout], {
				shardId: this.id,
			});
			this.#error(error);
			for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
			this.#reconnect('resume', 'ready timeout', true);
		}, timeout);
	}

	#onInvalidSession(resumable: boolean): void {
		const state = this.#state;
		const connection = connectionOf(state);
		if (connection === null) return;
		if (state.status === 'identifying' || state.status === 'resuming') releaseState(state, this.#cancelled);
		if (resumable && this.#session !== null) {
			this.#debug('Invalid session (resumable); reconnecting to resume.');
			this.#reconnect('resume', 'invalid session (resumable)', false);
			return;
		}
		this.#loseSession('invalid session (not resumable)');
		const wait = 1_000 + Math.floor(Math.random() * 4_000);
		this.#debug(`Invalid session (not resumable); identifying again in ${wait} ms.`);
		const timer = setTimeout(() => {
			if (this.#state === waiting) void this.#identify(connection);
		}, wait);
		const waiting: WaitingIdentifyState = { status: 'waiting-identify', connection, abort: null, timer };
		this.#enter(waiting);
	}

	/** The session cannot be resumed: events Discord will not replay are reported, never hidden. */
	#loseSession(reason: string): void {
		if (this.#session !== null || this.#sequence !== null) {
			this.#emit({ type: 'sessionLost', shardId: this.id, lastSequence: this.#sequence, reason });
		}
		this.#session = null;
		this.#sequence = null;
		void this.#persist(null);
	}

	async #persist(info: SessionInfo | null): Promise<void> {
		const update = this.#hooks.updateSessionInfo;
		if (update === undefined) return;
		try {
			await update(this.id, info);
		} catch (error) {
			this.#error(
				GatewayError.of('GATEWAY_HOOK_FAILED', [this.id, 'updateSessionInfo'], {
					shardId: this.id,
					cause: error,
				}),
			);
		}
	}

	/** The socket of the current connection, or `null` once the shard let go of it. */
	#socket(): WebSocket | null {
		const connection = connectionOf(this.#state);
		return connection === null || connection.closed ? null : connection.ws;
	}

	/** Writes now (identify, resume, heartbeat); heartbeats may use the reserved slots. */
	#write(text: string, heartbeat: boolean): void {
		this.#sends.writeNow(this.#socket(), text, heartbeat);
	}

	#drain(): void {
		if (this.#state.status !== 'ready') return;
		this.#sends.drain(this.#socket(), () => {
			this.#drain();
		});
	}

	/**
	 * Stops everything tied to the current connection (heartbeat, timers, an identify wait, the decoder) and lets
	 * go of it, so its late callbacks are ignored. Returns its socket for the caller to close. The caller enters
	 * the next state right after.
	 */
	#teardown(): WebSocket | null {
		const state = this.#state;
		releaseState(state, this.#cancelled);
		this.#heartbeater.stop();
		this.#sends.pause();
		const connection = connectionOf(state);
		if (connection === null || connection.closed) return null;
		connection.close();
		return connection.ws;
	}

	/** Closes the current connection ourselves and opens a new one. */
	#reconnect(mode: 'resume' | 'identify', reason: string, terminate: boolean): void {
		const ws = this.#teardown();
		if (mode === 'identify') this.#loseSession(reason);
		if (ws !== null) {
			if (terminate || ws.readyState !== WebSocket.OPEN) ws.terminate();
			else void closeSocket(ws, RESUMABLE_CLOSE_CODE);
		}
		this.#emit({ type: 'closed', shardId: this.id, code: RESUMABLE_CLOSE_CODE, reason, willReconnect: true });
		this.#scheduleOpen();
	}

	#scheduleOpen(): void {
		if (this.#state.status === 'destroyed') return;
		const { initial, max } = this.#config.reconnectBackoff;
		const delay =
			this.#attempts <= 1 ? 0 : Math.min(max, initial * 2 ** (this.#attempts - 2)) * (0.5 + Math.random() / 2);
		const timer = setTimeout(() => {
			if (this.#state === reconnecting) void this.#open();
		}, delay);
		const reconnecting: ShardState = { status: 'reconnecting', timer };
		this.#enter(reconnecting);
		if (delay > 0) this.#debug(`Reconnecting in ${Math.round(delay)} ms (attempt ${this.#attempts + 1}).`);
	}

	#onClose(code: number, reason: string): void {
		this.#teardown();
		const closeCode = describeCloseCode(code);
		const destroyed = this.#state.status === 'destroyed';
		const willReconnect = closeCode.action !== 'fatal' && !destroyed;
		this.#emit({
			type: 'closed',
			shardId: this.id,
			code,
			reason: redactSecrets(reason, this.#config.token),
			willReconnect,
		});
		if (this.#hooks.extensions?.has('ws:onClose') === true)
			this.#hooks.extensions.emit('ws:onClose', {
				shardId: this.id,
				code,
				reason: redactSecrets(reason, this.#config.token),
				willReconnect,
			});
		if (destroyed) return;
		if (closeCode.action === 'fatal') {
			this.#fail(fatalCloseError(closeCode, this.id, this.#config.intents));
			return;
		}
		if (closeCode.action === 'identify') this.#loseSession(`closed with ${code}`);
		this.#scheduleOpen();
	}

	/** Stops the shard for good with a fatal error: the session ends, waiters and queued sends reject. */
	#fail(error: GatewayError): void {
		this.#teardown();
		this.#session = null;
		this.#sequence = null;
		void this.#persist(null);
		this.#enter({ status: 'failed', error });
		this.#emit({ type: 'error', shardId: this.id, error, fatal: true });
		for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
		this.#sends.rejectAll(error);
	}

	/** Keeps the token out of `console.log(shard)`. */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `WebSocketShard { id: ${this.id}, status: '${this.#state.status}' }`;
	}
}

/** The connection URL for `base` (query set for this package's protocol), or `null` when `base` is not a ws(s) URL. */
function gatewayUrl(base: string, compression: GatewayCompression): string | null {
	if (!URL.canParse(base)) return null;
	const url = new URL(base);
	if (url.protocol !== 'wss:' && url.protocol !== 'ws:') return null;
	url.searchParams.set('v', GATEWAY_VERSION);
	url.searchParams.set('encoding', 'json');
	if (compression !== null) url.searchParams.set('compress', compression);
	return url.toString();
}
