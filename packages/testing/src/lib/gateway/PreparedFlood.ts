import type { GatewayConnection } from './GatewayConnection.js';

/** One connection's share of a prepared flood: its frames, sequenced for its session, encoded and framed. */
export interface PreparedFrames {
	readonly connection: GatewayConnection;
	/** Complete WebSocket frames, concatenated into chunks of about {@link CHUNK_BYTES}. */
	readonly chunks: readonly Buffer[];
	/** How many frames the chunks hold. */
	readonly frames: number;
}

/** Bytes per chunk a prepared flood hands to the TCP socket at once. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Frames payloads as the server side of RFC 6455 does (FIN set, unmasked; text for JSON, binary for compressed
 * frames) and concatenates them into chunks, so a flood costs one socket write per chunk rather than per frame.
 */
export class FrameChunker {
	/** Frames added so far. */
	public frames = 0;
	readonly #opcode: number;
	readonly #chunks: Buffer[] = [];
	#pending: Buffer[] = [];
	#pendingBytes = 0;

	public constructor(binary: boolean) {
		this.#opcode = binary ? 0x2 : 0x1;
	}

	/** Adds one message as one frame. */
	public push(payload: Buffer): void {
		const length = payload.length;
		let header: Buffer;
		if (length < 126) {
			header = Buffer.from([0x80 | this.#opcode, length]);
		} else if (length < 65_536) {
			header = Buffer.from([0x80 | this.#opcode, 126, length >> 8, length & 0xff]);
		} else {
			header = Buffer.alloc(10);
			header[0] = 0x80 | this.#opcode;
			header[1] = 127;
			header.writeBigUInt64BE(BigInt(length), 2);
		}
		this.#pending.push(header, payload);
		this.#pendingBytes += header.length + length;
		this.frames++;
		if (this.#pendingBytes >= CHUNK_BYTES) this.#cut();
	}

	/** The chunks, every frame included. */
	public finish(): Buffer[] {
		this.#cut();
		return this.#chunks;
	}

	#cut(): void {
		if (this.#pendingBytes === 0) return;
		this.#chunks.push(Buffer.concat(this.#pending, this.#pendingBytes));
		this.#pending = [];
		this.#pendingBytes = 0;
	}
}

/**
 * Dispatches rendered, sequenced, encoded (compressed with each connection's own persistent context) and framed
 * before anything is sent, so that sending costs the mock nothing but a socket write per 256 KiB: a benchmark's yardstick is then the
 * socket, not the mock's own serialization. Made by {@link GatewayServer.prepareFlood}.
 *
 * Until {@link PreparedFlood.send}, the connections it covers hold every other frame (heartbeat ACKs, other
 * dispatches); those follow the flood, in order, so sequences and compression contexts stay consistent.
 */
export class PreparedFlood {
	/** Dispatches per connection. */
	public readonly count: number;
	/** Encoded bytes over every connection. */
	public readonly bytes: number;
	#sent = false;
	readonly #targets: readonly PreparedFrames[];

	public constructor(count: number, targets: readonly PreparedFrames[]) {
		this.count = count;
		this.#targets = targets;
		this.bytes = targets.reduce(
			(sum, target) => sum + target.chunks.reduce((bytes, chunk) => bytes + chunk.length, 0),
			0,
		);
	}

	/** Connections the flood goes to. */
	public get connections(): number {
		return this.#targets.length;
	}

	/**
	 * Writes every frame as fast as each socket drains; resolves when every frame was handed to its socket (or
	 * the socket closed). A second call resolves at once: each flood is sent once.
	 */
	public async send(): Promise<void> {
		if (this.#sent) return;
		this.#sent = true;
		await Promise.all(this.#targets.map((target) => target.connection.writeFrames(target.chunks)));
	}
}
