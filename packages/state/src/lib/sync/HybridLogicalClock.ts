import { randomBytes } from 'node:crypto';

const WALL_DIGITS = 12;
const COUNTER_DIGITS = 6;

/**
 * A hybrid logical clock (Kulkarni et al.): timestamps that follow wall time, never go backwards, and order
 * every event after the events it has seen, across processes whose clocks drift. Encoded as fixed-width strings
 * (`wall | counter | node`) that compare with `<`; the node suffix breaks ties deterministically.
 */
export class HybridLogicalClock {
	/** This replica's ID (8 hex digits unless given). */
	public readonly node: string;
	#wall = 0;
	#counter = 0;
	readonly #now: () => number;

	public constructor(node: string = randomBytes(4).toString('hex'), now: () => number = Date.now) {
		this.node = node;
		this.#now = now;
	}

	/** A timestamp for a local event. */
	public tick(): string {
		const now = this.#now();
		if (now > this.#wall) {
			this.#wall = now;
			this.#counter = 0;
		} else {
			this.#counter++;
		}
		return this.#encode();
	}

	/** Merges a timestamp received from another replica, so later local events sort after it. */
	public receive(stamp: string): void {
		const wall = Number.parseInt(stamp.slice(0, WALL_DIGITS), 16);
		const counter = Number.parseInt(stamp.slice(WALL_DIGITS, WALL_DIGITS + COUNTER_DIGITS), 16);
		if (!Number.isFinite(wall) || !Number.isFinite(counter)) return;
		const now = this.#now();
		const max = Math.max(now, this.#wall, wall);
		if (max === this.#wall && max === wall) this.#counter = Math.max(this.#counter, counter) + 1;
		else if (max === this.#wall) this.#counter++;
		else if (max === wall) this.#counter = counter + 1;
		else this.#counter = 0;
		this.#wall = max;
	}

	/** The latest timestamp issued or seen. */
	public get current(): string {
		return this.#encode();
	}

	#encode(): string {
		return `${this.#wall.toString(16).padStart(WALL_DIGITS, '0')}${this.#counter.toString(16).padStart(COUNTER_DIGITS, '0')}${this.node}`;
	}
}
