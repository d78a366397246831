import { GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import type { GatewayConnection } from './GatewayConnection.js';

/** A dispatch kept for replay on RESUME. */
interface BufferedDispatch {
	readonly seq: number;
	readonly text: string;
}

/**
 * A gateway session (what READY's `session_id` names). It outlives its connection: dispatches that arrive while
 * the client is away are buffered and replayed on RESUME from the client's sequence.
 */
export class GatewaySession {
	/** The last sequence number sent (or buffered). */
	public seq = 0;
	/** The connection currently attached, if any. */
	public connection: GatewayConnection | undefined;
	/** The presence the bot last set with op 3 (or in IDENTIFY). */
	public presence: unknown = null;
	/** Whether this session can still be resumed. */
	public resumable = true;
	/** When the session was detached from its last connection (for resume expiry). */
	public detachedAt = 0;
	readonly #buffer: BufferedDispatch[] = [];
	#bufferStart = 0;
	readonly #replayCapacity: number;

	public constructor(
		public readonly id: string,
		public readonly shardId: number,
		public readonly shardCount: number,
		public readonly intents: number,
		replayCapacity: number,
	) {
		this.#replayCapacity = replayCapacity;
	}

	/**
	 * Assigns the next sequence, keeps the event for replay and sends it if a connection is attached. Returns a
	 * promise only when the socket is backed up (await it to respect backpressure), otherwise `undefined`.
	 */
	public dispatch(event: GatewayDispatchEvents | 'RESUMED', data: unknown): Promise<void> | undefined {
		return this.dispatchJson(event, JSON.stringify(data));
	}

	/** {@link GatewaySession.dispatch} with `d` already serialized (shared by every session that gets the same bytes). */
	public dispatchJson(event: GatewayDispatchEvents | 'RESUMED', json: string): Promise<void> | undefined {
		// Sequenced (and kept for replay) even while no connection is attached: a resume replays it.
		const text = this.sequence(event, json);
		return this.connection?.sendText(text);
	}

	/**
	 * Assigns the next sequence to a dispatch and keeps it for replay, without sending it: returns the frame's
	 * text. A prepared flood sequences its dispatches up front and sends them later, in the same order.
	 */
	public sequence(event: GatewayDispatchEvents | 'RESUMED', json: string): string {
		const seq = ++this.seq;
		// Discord writes the envelope keys in this order (clients may read the header without parsing `d`).
		const text = `{"t":"${event}","s":${seq},"op":${GatewayOpcodes.Dispatch},"d":${json}}`;
		this.#buffer.push({ seq, text });
		if (this.#buffer.length - this.#bufferStart > this.#replayCapacity) this.#bufferStart++;
		if (this.#bufferStart > 4096 && this.#bufferStart * 2 > this.#buffer.length) {
			this.#buffer.splice(0, this.#bufferStart);
			this.#bufferStart = 0;
		}
		return text;
	}

	/**
	 * The buffered dispatches after `seq`, or `undefined` when some of them were already dropped from the replay
	 * buffer (the client must identify again).
	 */
	public replayAfter(seq: number): string[] | undefined {
		const oldest = this.#buffer[this.#bufferStart]?.seq ?? this.seq + 1;
		if (seq + 1 < oldest) return undefined;
		const out: string[] = [];
		for (let i = this.#bufferStart; i < this.#buffer.length; i++) {
			const entry = this.#buffer[i];
			if (entry !== undefined && entry.seq > seq) out.push(entry.text);
		}
		return out;
	}
}

/** Re-exported so callers can name the event type. */
export { GatewayDispatchEvents };
