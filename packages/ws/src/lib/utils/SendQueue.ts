import WebSocket from 'ws';
import { GatewayError } from '../errors/GatewayError.js';
import { GatewayOp } from './constants.js';
import { SendRateLimiter } from './SendRateLimiter.js';

/** Opcodes a shard manages itself; `send` refuses them. */
const MANAGED_OPS = new Set<number>([GatewayOp.Heartbeat, GatewayOp.Identify, GatewayOp.Resume]);

/** Checks an application payload and serializes it, or returns the typed error saying what is wrong. */
export function serializePayload(
	payload: { readonly op: number; readonly d: unknown },
	shardId: number,
): string | GatewayError {
	if (!Number.isInteger(payload.op) || payload.op < 0) {
		return GatewayError.of('GATEWAY_INVALID_PAYLOAD', [undefined, { kind: 'send-op', op: payload.op }], {
			shardId,
		});
	}
	if (MANAGED_OPS.has(payload.op)) {
		return GatewayError.of('GATEWAY_INVALID_PAYLOAD', [undefined, { kind: 'send-managed-op', op: payload.op }], {
			shardId,
		});
	}
	const text = JSON.stringify(payload);
	const bytes = Buffer.byteLength(text);
	if (bytes > 4_096) {
		return GatewayError.of('GATEWAY_INVALID_PAYLOAD', [undefined, { kind: 'send-too-large', bytes }], { shardId });
	}
	return text;
}

interface QueuedSend {
	readonly text: string;
	readonly resolve: () => void;
	readonly reject: (error: unknown) => void;
}

/**
 * A shard's outgoing payloads: application payloads wait here (across reconnects) until the shard is ready and
 * the send limit allows; managed payloads (heartbeat, identify, resume) go at once but are counted.
 */
export class SendQueue {
	/** The per-connection limiter (reset on every HELLO). */
	public readonly limiter = new SendRateLimiter();
	#queue: QueuedSend[] = [];
	#timer: ReturnType<typeof setTimeout> | undefined;
	readonly #shardId: number;
	readonly #debug: (message: string) => void;

	public constructor(shardId: number, debug: (message: string) => void) {
		this.#shardId = shardId;
		this.#debug = debug;
	}

	/** Payloads waiting. */
	public get size(): number {
		return this.#queue.length;
	}

	/** Queues `text`; resolves when written to the socket. */
	public push(text: string): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.#queue.push({ text, resolve, reject });
		});
	}

	/**
	 * Writes a managed payload now; heartbeats may use the reserved slots. `written`, when given, learns whether the
	 * frame reached the socket (`true` once it was handed to the operating system, `false` when the socket was not
	 * open or the write failed).
	 */
	public writeNow(ws: WebSocket | null, text: string, heartbeat: boolean, written?: (ok: boolean) => void): void {
		if (ws?.readyState !== WebSocket.OPEN) {
			written?.(false);
			return;
		}
		if (this.limiter.take(heartbeat) > 0)
			this.#debug('Send limit reached by a managed payload; sending it anyway.');
		if (written === undefined) ws.send(text);
		else
			ws.send(text, (error) => {
				written(!(error instanceof Error));
			});
	}

	/** Sends what the limit allows on `ws`, and schedules the rest for the next window. */
	public drain(ws: WebSocket | null, redrain: () => void): void {
		if (this.#timer !== undefined || ws?.readyState !== WebSocket.OPEN) return;
		while (this.#queue.length > 0) {
			const wait = this.limiter.take(false);
			if (wait > 0) {
				this.#debug(`Send limit reached; ${this.#queue.length} payloads wait ${wait} ms.`);
				this.#timer = setTimeout(() => {
					this.#timer = undefined;
					redrain();
				}, wait);
				return;
			}
			const item = this.#queue.shift();
			if (item === undefined) return;
			ws.send(item.text, (error) => {
				if (!(error instanceof Error)) item.resolve();
				else
					item.reject(
						GatewayError.of('GATEWAY_WRITE_FAILED', [this.#shardId], {
							shardId: this.#shardId,
							cause: error,
						}),
					);
			});
		}
	}

	/** Stops the window timer (the connection closed); queued payloads stay for the next connection. */
	public pause(): void {
		if (this.#timer !== undefined) clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	/** Rejects everything queued. */
	public rejectAll(error: unknown): void {
		this.pause();
		for (const item of this.#queue.splice(0)) item.reject(error);
	}
}
