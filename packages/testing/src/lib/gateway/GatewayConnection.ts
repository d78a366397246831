import { GatewayOpcodes } from 'discord-api-types/v10';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Compressor } from './Compression.js';
import type { GatewaySession } from './GatewaySession.js';

/** Bytes queued on a socket above which senders wait (backpressure), and below which they resume. */
const HIGH_WATER = 1_048_576;
const LOW_WATER = 262_144;

/** Connection-level settings supplied by the gateway server. */
export interface ConnectionSettings {
	readonly heartbeatInterval: number;
	readonly payloadLimit: number;
	readonly payloadWindowMs: number;
}

/** One WebSocket connection: transport (compression, backpressure), heartbeat and payload accounting. */
export class GatewayConnection {
	/** The session this connection identified or resumed into. */
	public session: GatewaySession | undefined;
	/** Whether IDENTIFY or RESUME succeeded on this socket. */
	public authenticated = false;
	/** Last heartbeat received (ms since epoch). */
	public lastHeartbeat = Date.now();
	/** Messages received in the current rate-limit window. */
	#received = 0;
	#windowStart = Date.now();
	#pendingBytes = 0;
	#drainWaiters: (() => void)[] = [];
	#heartbeatTimer: NodeJS.Timeout | undefined;
	#closed = false;
	/** The last compressed frame still being encoded: a close waits for it, as Discord sends every frame before its close. */
	#lastEncode: Promise<void> = Promise.resolve();
	/** Frames sent during a hold (see {@link GatewayConnection.hold}), sent after the prepared ones. */
	#held: string[] | undefined;
	/** The TCP socket under {@link GatewayConnection.socket}: a prepared flood writes its frames straight to it. */
	readonly #transport: Duplex;
	readonly #compressor: Compressor | undefined;
	readonly #settings: ConnectionSettings;
	readonly #onTimeout: (connection: GatewayConnection) => void;

	public constructor(
		public readonly socket: WebSocket,
		transport: Duplex,
		compressor: Compressor | undefined,
		settings: ConnectionSettings,
		onTimeout: (connection: GatewayConnection) => void,
	) {
		this.#transport = transport;
		this.#compressor = compressor;
		this.#settings = settings;
		this.#onTimeout = onTimeout;
	}

	/** Whether the socket is still open. */
	public get open(): boolean {
		return !this.#closed && this.socket.readyState === this.socket.OPEN;
	}

	/** Sends op 10 HELLO and starts watching for heartbeats. */
	public hello(): void {
		void this.send({
			op: GatewayOpcodes.Hello,
			d: { heartbeat_interval: this.#settings.heartbeatInterval, _trace: ['["ovenjs-mock",{"micros":0}]'] },
		});
		this.armHeartbeatTimer();
	}

	/** Restarts the heartbeat watchdog: no heartbeat within 1.5 intervals → the server gives up on the client. */
	public armHeartbeatTimer(): void {
		clearTimeout(this.#heartbeatTimer);
		this.lastHeartbeat = Date.now();
		this.#heartbeatTimer = setTimeout(
			() => {
				this.#onTimeout(this);
			},
			Math.ceil(this.#settings.heartbeatInterval * 1.5) + 1000,
		);
		this.#heartbeatTimer.unref();
	}

	/** Counts one received payload; returns false when the client exceeded the limit (close 4008). */
	public countPayload(): boolean {
		const now = Date.now();
		if (now - this.#windowStart >= this.#settings.payloadWindowMs) {
			this.#windowStart = now;
			this.#received = 0;
		}
		this.#received++;
		return this.#received <= this.#settings.payloadLimit;
	}

	/** Sends a non-dispatch payload; like Discord, it carries `t: null` and `s: null`. */
	public send(payload: { op: number; d?: unknown }): Promise<void> {
		return (
			this.sendText(JSON.stringify({ t: null, s: null, op: payload.op, d: payload.d ?? null })) ??
			Promise.resolve()
		);
	}

	/**
	 * Sends serialized JSON (compressed when the client asked). Returns `undefined` while the socket keeps up, and
	 * a promise that resolves once it drains when more than 1 MiB is queued: await it to respect backpressure.
	 */
	public sendText(text: string): Promise<void> | undefined {
		if (!this.open) return undefined;
		if (this.#held !== undefined) {
			// A prepared flood owns the socket and the compression context: this frame follows it.
			this.#held.push(text);
			return undefined;
		}
		if (this.#compressor === undefined) {
			this.#write(text, Buffer.byteLength(text));
		} else {
			this.#pendingBytes += text.length;
			this.#lastEncode = this.#compressor.encode(text).then((data) => {
				this.#pendingBytes -= text.length;
				this.#write(data, data.length);
			});
		}
		if (this.#pendingBytes < HIGH_WATER) return undefined;
		return new Promise((resolve) => this.#drainWaiters.push(resolve));
	}

	/**
	 * Holds every later {@link GatewayConnection.sendText} until {@link GatewayConnection.release}: a prepared
	 * flood owns the socket, and the compression context, meanwhile. Resolves once every frame sent before the
	 * hold was encoded and handed to the socket, so the frames encoded next continue the same context.
	 */
	public async hold(): Promise<void> {
		this.#held ??= [];
		await this.#lastEncode;
	}

	/** Encodes one frame for later sending (compressed when the client asked), during a hold. */
	public encode(text: string): Promise<Buffer> {
		return this.#compressor === undefined ? Promise.resolve(Buffer.from(text)) : this.#compressor.encode(text);
	}

	/** Whether this connection's frames are binary (compressed) rather than text (JSON). */
	public get binary(): boolean {
		return this.#compressor !== undefined;
	}

	/**
	 * Writes chunks of complete WebSocket frames (see `FrameChunker`) straight to the TCP socket, as fast as it
	 * drains, then sends what was held meanwhile. During a hold nothing else writes to the socket, so the frames
	 * follow every frame `ws` wrote before (it writes through without buffering: no permessage-deflate here).
	 */
	public async writeFrames(chunks: readonly Buffer[]): Promise<void> {
		try {
			for (const chunk of chunks) {
				if (this.socket.readyState !== this.socket.OPEN || this.#transport.destroyed) break;
				if (!this.#transport.write(chunk))
					await Promise.race([once(this.#transport, 'drain'), once(this.#transport, 'close')]);
			}
		} finally {
			this.release();
		}
	}

	/** Ends a hold: the frames held meanwhile are sent, in order. */
	public release(): void {
		const held = this.#held;
		this.#held = undefined;
		for (const text of held ?? []) void this.sendText(text);
	}

	/** Resolves once queued bytes fell below the low-water mark (or the socket closed). */
	public drained(): Promise<void> {
		if (this.#pendingBytes < LOW_WATER || !this.open) return Promise.resolve();
		return new Promise((resolve) => this.#drainWaiters.push(resolve));
	}

	/** Closes the socket with a gateway close code. */
	public close(code: number, reason: string): void {
		if (this.#closed) return;
		// Frames queued before the close (compressed ones may still be in the encoder) go out first; nothing after it.
		const pending = this.#lastEncode;
		this.#closed = true;
		clearTimeout(this.#heartbeatTimer);
		this.#releaseWaiters();
		const socket = this.socket;
		void pending.then(() => {
			this.#compressor?.close();
			if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
				socket.close(code, reason);
		});
	}

	/** Stops timers and releases waiters; called when the socket closes. */
	public dispose(): void {
		this.#closed = true;
		clearTimeout(this.#heartbeatTimer);
		this.#compressor?.close();
		this.#releaseWaiters();
	}

	#write(data: string | Buffer, size: number): void {
		// An encoded frame queued before close() still goes out (closed is set by then, the socket is still open).
		if (this.socket.readyState !== this.socket.OPEN) {
			this.#releaseWaiters();
			return;
		}
		this.#pendingBytes += size;
		this.socket.send(data, (error) => {
			this.#pendingBytes -= size;
			if (error !== undefined || this.#pendingBytes < LOW_WATER) this.#releaseWaiters();
		});
	}

	#releaseWaiters(): void {
		const waiters = this.#drainWaiters;
		this.#drainWaiters = [];
		for (const resolve of waiters) resolve();
	}
}
