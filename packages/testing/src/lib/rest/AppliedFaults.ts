import type { HttpMethod } from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import { SeededRandom } from '../utils/random.js';

/**
 * Faults injected after the mock applied a request: the world changed (a message exists, a channel was
 * edited), but the bot sees a 5xx or a reset connection, as when Discord committed a request and the answer was
 * lost. These are the failures after which a blind retry duplicates side effects. The faults of
 * `MockDiscord.faults` hit before a request is applied.
 */
export interface AppliedFaultOptions {
	/**
	 * Share of applied requests (0–1) answered with a status that does not say whether the request was applied:
	 * `500` or `504` (Discord documents `502` as "no gateway available to process your request", so it is not
	 * sent for an applied request).
	 * @defaultValue 0
	 */
	readonly serverErrorRate?: number;
	/** Share of applied requests (0–1) whose connection is reset instead of answered. @defaultValue 0 */
	readonly connectionResetRate?: number;
	/**
	 * Delay in milliseconds between applying a request and answering it (`[min, max]` draws uniformly): the answer
	 * of a read is then older than writes applied meanwhile, as when Discord's answer is slow to arrive.
	 * @defaultValue 0
	 */
	readonly latencyMs?: number | readonly [number, number];
	/** Only requests with these methods are faulted or delayed. @defaultValue every method */
	readonly methods?: readonly HttpMethod[];
	/** Seed of the fault sequence. @defaultValue 1 */
	readonly seed?: number;
}

/** What to do with the answer of one applied request. */
export type AppliedFault =
	{ readonly kind: 'none' } | { readonly kind: 'status'; readonly status: 500 | 504 } | { readonly kind: 'reset' };

/** Counters of the faults injected so far. */
export interface AppliedFaultCounts {
	statuses: number;
	resets: number;
}

/** Decides, reproducibly, which applied requests lose their answer. Options can be changed at run time. */
export class AppliedFaults {
	/** Faults injected since the last {@link AppliedFaults.configure}. */
	public readonly injected: AppliedFaultCounts = { statuses: 0, resets: 0 };
	#random: SeededRandom;
	#options: AppliedFaultOptions;

	public constructor(options: AppliedFaultOptions = {}) {
		AppliedFaults.#check(options);
		this.#random = new SeededRandom(options.seed ?? 1);
		this.#options = options;
	}

	/** Replaces the settings (re-seeding when `seed` is given) and resets the counters. */
	public configure(options: AppliedFaultOptions): void {
		AppliedFaults.#check(options);
		this.#options = options;
		if (options.seed !== undefined) this.#random = new SeededRandom(options.seed);
		this.injected.statuses = 0;
		this.injected.resets = 0;
	}

	/** The current settings. */
	public get settings(): AppliedFaultOptions {
		return this.#options;
	}

	/** Milliseconds to wait before answering the request just applied. */
	public latency(method: string): number {
		const latency = this.#options.latencyMs ?? 0;
		if (latency === 0 || !this.#applies(method)) return 0;
		if (typeof latency === 'number') return latency;
		return this.#random.int(latency[0], latency[1]);
	}

	/** The fault for the answer of the request just applied. */
	public next(method: string): AppliedFault {
		const reset = this.#options.connectionResetRate ?? 0;
		const error = this.#options.serverErrorRate ?? 0;
		if ((reset === 0 && error === 0) || !this.#applies(method)) return { kind: 'none' };
		const roll = this.#random.next();
		if (roll < reset) {
			this.injected.resets++;
			return { kind: 'reset' };
		}
		if (roll < reset + error) {
			this.injected.statuses++;
			return { kind: 'status', status: this.#random.pick([500, 504] as const) };
		}
		return { kind: 'none' };
	}

	#applies(method: string): boolean {
		const methods = this.#options.methods;
		return methods === undefined || methods.some((m) => m === method);
	}

	static #check(options: AppliedFaultOptions): void {
		for (const key of ['serverErrorRate', 'connectionResetRate'] as const) {
			const value = options[key];
			if (value !== undefined && !(value >= 0 && value <= 1))
				throw MockError.of('MOCK_INVALID_OPTION', [`appliedFaults.${key}`, 'between 0 and 1', String(value)]);
		}
	}
}
