/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same world, names and fault
 * sequence on every run.
 */
export class SeededRandom {
	#state: number;

	public constructor(seed: number) {
		this.#state = seed >>> 0;
	}

	/** A float in `[0, 1)`. */
	public next(): number {
		this.#state = (this.#state + 0x6d2b79f5) >>> 0;
		let t = this.#state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	}

	/** An integer in `[min, max]`. */
	public int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** One element of a non-empty list. */
	public pick<T>(items: readonly [T, ...T[]]): T {
		return items[Math.floor(this.next() * items.length)] ?? items[0];
	}

	/** A string of `length` characters from the URL-safe base64 alphabet. */
	public token(length: number): string {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		let out = '';
		for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
		return out;
	}
}
