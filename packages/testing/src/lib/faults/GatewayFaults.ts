import { GatewayCloseCodes } from 'discord-api-types/v10';
import { SeededRandom } from '../utils/random.js';

/** Gateway faults injected at random (seeded: the same seed faults the same events on every run). */
export interface GatewayFaultOptions {
	/** Share (0–1) of dispatches after which the session's socket is closed with one of `closeCodes`. @defaultValue 0 */
	readonly closeRate?: number;
	/** Close codes drawn for `closeRate` closes. @defaultValue `[4000]` (unknown error, resumable) */
	readonly closeCodes?: readonly number[];
	/** Share of dispatches after which op 9 INVALID_SESSION is sent (`d` drawn: resumable or not). @defaultValue 0 */
	readonly invalidSessionRate?: number;
	/** Share of dispatches after which op 7 RECONNECT is sent. @defaultValue 0 */
	readonly reconnectRate?: number;
	/** Share of heartbeats left without op 11 ACK. @defaultValue 0 */
	readonly ackDropRate?: number;
	/** Seed of the fault sequence. @defaultValue the mock's `seed` */
	readonly seed?: number;
}

/** What to do after one dispatch. */
export type GatewayFault =
	| { readonly kind: 'none' }
	| { readonly kind: 'close'; readonly code: number }
	| { readonly kind: 'invalidSession'; readonly resumable: boolean }
	| { readonly kind: 'reconnect' };

/** Decides, reproducibly, which dispatches and heartbeats get a fault. */
export class GatewayFaults {
	#random: SeededRandom;
	#options: GatewayFaultOptions;

	public constructor(seed: number, options: GatewayFaultOptions = {}) {
		this.#random = new SeededRandom(options.seed ?? seed);
		this.#options = options;
	}

	/** Replaces the settings (re-seeding when `seed` is given). */
	public configure(options: GatewayFaultOptions): void {
		this.#options = options;
		if (options.seed !== undefined) this.#random = new SeededRandom(options.seed);
	}

	/** Whether any dispatch fault is configured (a fast check on the hot path). */
	public get active(): boolean {
		return (
			(this.#options.closeRate ?? 0) +
				(this.#options.invalidSessionRate ?? 0) +
				(this.#options.reconnectRate ?? 0) >
			0
		);
	}

	/** The fault to apply after a dispatch. */
	public afterDispatch(): GatewayFault {
		if (!this.active) return { kind: 'none' };
		const roll = this.#random.next();
		const close = this.#options.closeRate ?? 0;
		const invalid = this.#options.invalidSessionRate ?? 0;
		const reconnect = this.#options.reconnectRate ?? 0;
		if (roll < close) {
			const codes = this.#options.closeCodes ?? [GatewayCloseCodes.UnknownError];
			const [first, ...rest] = codes.length === 0 ? [GatewayCloseCodes.UnknownError] : codes;
			return { kind: 'close', code: this.#random.pick([first ?? GatewayCloseCodes.UnknownError, ...rest]) };
		}
		if (roll < close + invalid) return { kind: 'invalidSession', resumable: this.#random.next() < 0.5 };
		if (roll < close + invalid + reconnect) return { kind: 'reconnect' };
		return { kind: 'none' };
	}

	/** Whether to drop the ACK of this heartbeat. */
	public dropAck(): boolean {
		const rate = this.#options.ackDropRate ?? 0;
		return rate > 0 && this.#random.next() < rate;
	}
}
