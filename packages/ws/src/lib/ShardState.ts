import type WebSocket from 'ws';
import type { GatewayError } from './errors/GatewayError.js';
import type { Decompressor } from './utils/decompression.js';
import type { ShardStatus } from './utils/types.js';

type Timer = ReturnType<typeof setTimeout>;

/**
 * One gateway connection (socket and decompression context). Its identity is what the socket's callbacks and
 * the decoder's output check: once the shard lets go of it (`close()`), nothing it still delivers is handled.
 *
 * `closed` is a plain field, not `#private`: the socket's message callback reads it for every frame.
 */
export class Connection {
	public readonly ws: WebSocket;
	public decompressor: Decompressor | null = null;
	/** Set when the shard let go of this connection; its late events are ignored from then on. */
	public closed = false;

	public constructor(ws: WebSocket) {
		this.ws = ws;
	}

	/** Lets go of the connection: its decoder stops and its callbacks turn into no-ops. The socket is closed by the caller. */
	public close(): void {
		this.closed = true;
		this.decompressor?.close();
		this.decompressor = null;
	}
}

/** Not started, or `connect()` not called yet. */
export interface IdleState {
	readonly status: Extract<ShardStatus, 'idle'>;
}

/** Opening a connection: `connection` is `null` while the stored session loads; then HELLO is awaited. */
export interface ConnectingState {
	readonly status: Extract<ShardStatus, 'connecting'>;
	readonly connection: Connection | null;
	/** Reconnects when HELLO does not come (`helloTimeout`). */
	helloTimer: Timer | undefined;
}

/** Connected; waiting for the identify throttler (`abort` cancels the wait) or, after op 9, for the delay (`timer`). */
export interface WaitingIdentifyState {
	readonly status: Extract<ShardStatus, 'waiting-identify'>;
	readonly connection: Connection;
	abort: AbortController | null;
	readonly timer: Timer | undefined;
}

/** IDENTIFY sent; READY is awaited (`readyTimeout`). */
export interface IdentifyingState {
	readonly status: Extract<ShardStatus, 'identifying'>;
	readonly connection: Connection;
	readyTimer: Timer | undefined;
}

/** RESUME sent; RESUMED is awaited. Every replayed dispatch counts as progress and restarts the wait. */
export interface ResumingState {
	readonly status: Extract<ShardStatus, 'resuming'>;
	readonly connection: Connection;
	/** Dispatches Discord replayed so far. */
	replayed: number;
	readyTimer: Timer | undefined;
}

/** READY or RESUMED received: dispatches flow and queued sends drain. */
export interface ReadyState {
	readonly status: Extract<ShardStatus, 'ready'>;
	readonly connection: Connection;
}

/** The connection closed; a new one opens when `timer` fires (backoff). */
export interface ReconnectingState {
	readonly status: Extract<ShardStatus, 'reconnecting'>;
	readonly timer: Timer;
}

/** Stopped by a fatal close code or error; `connect()` starts over. */
export interface FailedState {
	readonly status: Extract<ShardStatus, 'failed'>;
	readonly error: GatewayError;
}

/** Closed for good by `destroy()`. */
export interface DestroyedState {
	readonly status: Extract<ShardStatus, 'destroyed'>;
}

/**
 * A shard's lifecycle, one state at a time, each with what it owns (after twilight's `ShardState`). The shard
 * replaces the whole object on every transition, so a timer or an awaited promise checks that the state it
 * belongs to is still the current one by identity. The session to resume is not part of it: it outlives
 * connections and states.
 */
export type ShardState =
	| IdleState
	| ConnectingState
	| WaitingIdentifyState
	| IdentifyingState
	| ResumingState
	| ReadyState
	| ReconnectingState
	| FailedState
	| DestroyedState;

/** The connection a state owns, if any. */
export function connectionOf(state: ShardState): Connection | null {
	switch (state.status) {
		case 'connecting':
		case 'waiting-identify':
		case 'identifying':
		case 'resuming':
		case 'ready':
			return state.connection;
		default:
			return null;
	}
}

/**
 * Gives up what `state` owns besides its connection: its timers, and an identify wait (aborted with
 * `cancelled()`). Safe to call twice.
 */
export function releaseState(state: ShardState, cancelled: () => GatewayError): void {
	switch (state.status) {
		case 'connecting':
			if (state.helloTimer !== undefined) clearTimeout(state.helloTimer);
			state.helloTimer = undefined;
			return;
		case 'waiting-identify':
			if (state.timer !== undefined) clearTimeout(state.timer);
			state.abort?.abort(cancelled());
			state.abort = null;
			return;
		case 'identifying':
		case 'resuming':
			if (state.readyTimer !== undefined) clearTimeout(state.readyTimer);
			state.readyTimer = undefined;
			return;
		case 'reconnecting':
			clearTimeout(state.timer);
			return;
		default:
	}
}
