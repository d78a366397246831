import { SeededRandom } from '../utils/random.js';

/** REST faults, applied to bot requests (seeded: the same seed faults the same requests). */
export interface RestFaultOptions {
	/** Extra latency per REST response in milliseconds (`[min, max]` draws uniformly). @defaultValue 0 */
	readonly latencyMs?: number | readonly [number, number];
	/** Share of requests (0–1) answered with a 500, 502 or 503 instead of being served. @defaultValue 0 */
	readonly serverErrorRate?: number;
	/** Share of requests (0–1) whose connection is reset without an answer. @defaultValue 0 */
	readonly connectionResetRate?: number;
	/** Seed of the fault sequence. @defaultValue the mock's `seed` */
	readonly seed?: number;
}

/** What to do with one REST request. */
export type RestFault =
	| { readonly kind: 'none' }
	| { readonly kind: 'status'; readonly status: 500 | 502 | 503 }
	| { readonly kind: 'reset' };

/** Decides, reproducibly, which requests get which fault. Options can be changed at run time. */
export class FaultInjector {
	#random: SeededRandom;
	#options: RestFaultOptions;

	public constructor(seed: number, options: RestFaultOptions = {}) {
		this.#random = new SeededRandom(options.seed ?? seed);
		this.#options = options;
	}

	/** Replaces the REST fault settings (and re-seeds when `seed` is given). */
	public configure(options: RestFaultOptions): void {
		this.#options = options;
		if (options.seed !== undefined) this.#random = new SeededRandom(options.seed);
	}

	/** The current settings. */
	public get settings(): RestFaultOptions {
		return this.#options;
	}

	/** Latency to add to the next response, in milliseconds. */
	public latency(): number {
		const latency = this.#options.latencyMs ?? 0;
		if (typeof latency === 'number') return latency;
		return this.#random.int(latency[0], latency[1]);
	}

	/** The fault for the next request. */
	public next(): RestFault {
		const reset = this.#options.connectionResetRate ?? 0;
		const error = this.#options.serverErrorRate ?? 0;
		if (reset === 0 && error === 0) return { kind: 'none' };
		const roll = this.#random.next();
		if (roll < reset) return { kind: 'reset' };
		if (roll < reset + error) return { kind: 'status', status: this.#random.pick([500, 502, 503] as const) };
		return { kind: 'none' };
	}
}
