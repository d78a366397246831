import type { GatewayConnection } from './GatewayConnection.js';

/** One connection's share of a prepared flood: its frames, sequenced for its session and encoded for its socket. */
export interface PreparedFrames {
	readonly connection: GatewayConnection;
	readonly frames: readonly Buffer[];
}

/**
 * Dispatches rendered, sequenced and encoded (compressed with each connection's own persistent context) before
 * anything is sent, so that sending costs the mock nothing but socket writes: a benchmark's yardstick is then the
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

	public constructor(
		count: number,
		private readonly targets: readonly PreparedFrames[],
	) {
		this.count = count;
		this.bytes = targets.reduce((sum, target) => sum + target.frames.reduce((bytes, frame) => bytes + frame.length, 0), 0);
	}

	/** Connections the flood goes to. */
	public get connections(): number {
		return this.targets.length;
	}

	/**
	 * Writes every frame as fast as each socket drains; resolves when every frame was handed to its socket (or
	 * the socket closed). A second call resolves at once: each flood is sent once.
	 */
	public async send(): Promise<void> {
		if (this.#sent) return;
		this.#sent = true;
		await Promise.all(this.targets.map((target) => target.connection.writeEncoded(target.frames)));
		await Promise.all(this.targets.map((target) => target.connection.drained()));
	}
}
