import { DISCORD_EPOCH, uncheckedSnowflake, type SnowflakeKind, type SnowflakeOf } from '@ovenjs/types';

/**
 * Generates real, strictly increasing Discord snowflakes. With a fixed `epoch` (milliseconds since 1970) the
 * sequence is fully repeatable; otherwise it follows the wall clock.
 */
export class SnowflakeGenerator {
	#lastMs = 0;
	#increment = 0;
	readonly #workerId: number;
	readonly #fixedEpoch: number | undefined;
	#generated = 0;

	public constructor(workerId: number, epoch?: number) {
		this.#workerId = workerId & 0x1f;
		this.#fixedEpoch = epoch;
	}

	/** The next snowflake, branded as an ID of `kind`. */
	public next<K extends SnowflakeKind>(kind: K): SnowflakeOf<K> {
		const now = this.#fixedEpoch === undefined ? Date.now() : this.#fixedEpoch + Math.floor(this.#generated / 4096);
		this.#generated++;
		if (now > this.#lastMs) {
			this.#lastMs = now;
			this.#increment = 0;
		} else if (++this.#increment > 0xfff) {
			this.#lastMs++;
			this.#increment = 0;
		}
		const value =
			((BigInt(this.#lastMs) - DISCORD_EPOCH) << 22n) | (BigInt(this.#workerId) << 17n) | BigInt(this.#increment);
		return uncheckedSnowflake(kind, value.toString());
	}
}
