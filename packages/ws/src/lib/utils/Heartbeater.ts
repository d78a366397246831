/**
 * The heartbeat of one connection, as Discord documents it: the first beat after `interval × jitter`
 * (jitter in [0, 1)), then one every `interval`. A beat that finds the previous one unacknowledged means a
 * zombie connection: `onZombie` runs instead and the heartbeater stops.
 *
 * @see {@link https://discord.com/developers/docs/events/gateway#sending-heartbeats}
 */
export class Heartbeater {
	#interval = 0;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#awaitingAck = false;
	#sentAt = 0;
	#latency = -1;
	readonly #onBeat: () => void;
	readonly #onZombie: () => void;
	readonly #random: () => number;

	/**
	 * @param onBeat - sends a heartbeat (op 1 with the last sequence)
	 * @param onZombie - called when an interval passed without an ACK
	 * @param random - the jitter source (tests pass a fixed one)
	 */
	public constructor(onBeat: () => void, onZombie: () => void, random: () => number = Math.random) {
		this.#onBeat = onBeat;
		this.#onZombie = onZombie;
		this.#random = random;
	}

	/** The heartbeat interval from HELLO, or 0 before it. */
	public get interval(): number {
		return this.#interval;
	}

	/** The round trip of the last acknowledged heartbeat in milliseconds, or -1 before the first ACK. */
	public get latency(): number {
		return this.#latency;
	}

	/** Whether a heartbeat was sent and not yet acknowledged. */
	public get awaitingAck(): boolean {
		return this.#awaitingAck;
	}

	/** Starts beating at `interval` milliseconds (from HELLO). */
	public start(interval: number): void {
		this.stop();
		this.#interval = interval;
		this.#awaitingAck = false;
		this.#timer = setTimeout(
			() => {
				this.#tick();
			},
			Math.floor(interval * this.#random()),
		);
	}

	#tick(): void {
		if (this.#awaitingAck) {
			this.stop();
			this.#onZombie();
			return;
		}
		this.#beat();
		this.#timer = setTimeout(() => {
			this.#tick();
		}, this.#interval);
	}

	#beat(): void {
		this.#awaitingAck = true;
		this.#sentAt = Date.now();
		this.#onBeat();
	}

	/** Discord asked for a heartbeat now (op 1): sends one without waiting for the timer. */
	public beatNow(): void {
		if (this.#interval === 0) return;
		this.#beat();
	}

	/** Records a HEARTBEAT_ACK; returns the latency in milliseconds. */
	public ack(): number {
		this.#awaitingAck = false;
		this.#latency = Date.now() - this.#sentAt;
		return this.#latency;
	}

	/** Stops beating (connection closed). */
	public stop(): void {
		if (this.#timer !== undefined) clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#awaitingAck = false;
	}
}
