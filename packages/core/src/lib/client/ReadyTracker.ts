import { isSnowflake, uncheckedSnowflake, type GuildId } from '@ovenjs/types';
import type { DispatchEnvelope } from '../bus/points.js';

/** How the wait for the announced guilds ended. */
export interface ReadyOutcome {
	/** Announced guilds that never arrived (empty unless the wait timed out or was cancelled). */
	readonly missingGuildIds: readonly GuildId[];
	/** Guilds announced in READY, across all shards. */
	readonly announced: number;
}

function idOf(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const id: unknown = Reflect.get(value, 'id');
	return isSnowflake(id) ? id : undefined;
}

/**
 * Tracks the guilds READY announced (per shard, all shards together) until each has arrived as GUILD_CREATE or
 * settled as GUILD_DELETE, for the client's `ready`. Fed every dispatch until `ready`; then dropped, so a ready
 * client pays nothing for it.
 */
export class ReadyTracker {
	readonly #pending = new Set<string>();
	readonly #announced = new Set<string>();
	#waiter:
		| {
				readonly resolve: (outcome: ReadyOutcome) => void;
				readonly timeoutMs: number;
				timer: ReturnType<typeof setTimeout> | undefined;
		  }
		| undefined;

	/** Reads the guild IDs of READY, GUILD_CREATE and GUILD_DELETE (by hand: the payload is not validated yet). */
	public observe(event: DispatchEnvelope): void {
		switch (event.t) {
			case 'READY': {
				const guilds: unknown =
					typeof event.d === 'object' && event.d !== null ? Reflect.get(event.d, 'guilds') : undefined;
				if (!Array.isArray(guilds)) return;
				const list: readonly unknown[] = guilds;
				for (const entry of list) {
					const id = idOf(entry);
					if (id === undefined) continue;
					this.#announced.add(id);
					this.#pending.add(id);
				}
				return;
			}
			case 'GUILD_CREATE':
			case 'GUILD_DELETE': {
				const id = idOf(event.d);
				if (id !== undefined && this.#pending.delete(id)) this.#progress();
				return;
			}
			default:
				return;
		}
	}

	/** Guilds announced and not arrived yet. */
	public get pending(): number {
		return this.#pending.size;
	}

	/** Guilds announced in READY so far. */
	public get announced(): number {
		return this.#announced.size;
	}

	/**
	 * Resolves when every announced guild arrived, or when `timeoutMs` pass without one arriving (each arrival
	 * restarts the wait), with the missing ones. `0` resolves at once.
	 */
	public wait(timeoutMs: number): Promise<ReadyOutcome> {
		return new Promise((resolve) => {
			this.#waiter = { resolve, timeoutMs, timer: undefined };
			if (this.#pending.size === 0 || timeoutMs <= 0) this.#finish();
			else this.#arm();
		});
	}

	/** Ends a running wait now (the client was destroyed), reporting what is missing. */
	public cancel(): void {
		this.#finish();
	}

	#arm(): void {
		const waiter = this.#waiter;
		if (waiter === undefined) return;
		if (waiter.timer !== undefined) clearTimeout(waiter.timer);
		waiter.timer = setTimeout(() => {
			this.#finish();
		}, waiter.timeoutMs);
	}

	#progress(): void {
		if (this.#waiter === undefined) return;
		if (this.#pending.size === 0) this.#finish();
		else this.#arm();
	}

	#finish(): void {
		const waiter = this.#waiter;
		if (waiter === undefined) return;
		this.#waiter = undefined;
		if (waiter.timer !== undefined) clearTimeout(waiter.timer);
		waiter.resolve({
			missingGuildIds: [...this.#pending].map((id) => uncheckedSnowflake('Guild', id)),
			announced: this.#announced.size,
		});
	}
}
