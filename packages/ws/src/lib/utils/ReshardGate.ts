import type { GatewayDispatch } from '../GatewayDispatch.js';
import { isArray, isRecord } from './payload.js';

/**
 * The switch-over of a live reshard. The old shard set keeps delivering while the new set connects; the new
 * set's dispatches are buffered. At the switch the buffer is flushed, skipping every event the old set already
 * delivered (matched by event name and data), and the old set's later dispatches are dropped. For a grace
 * period after the switch the new set's events that the old set had delivered are still skipped.
 *
 * The new set's READY and the GUILD_CREATEs announcing the guilds it lists are state sync for guilds the
 * application already has, not new events: they are not delivered.
 */
export class ReshardGate {
	#switched = false;
	readonly #deliveredByOld = new Map<string, number>();
	#buffer: GatewayDispatch[] = [];
	readonly #initialGuilds = new Set<string>();
	#duplicatesSkipped = 0;
	#oldDroppedAfterSwitch = 0;
	#syncSuppressed = 0;

	/** Events skipped because the old set had delivered them. */
	public get duplicatesSkipped(): number {
		return this.#duplicatesSkipped;
	}

	/** Old-set events dropped after the switch (the new set delivers them). */
	public get oldDroppedAfterSwitch(): number {
		return this.#oldDroppedAfterSwitch;
	}

	/** New-set state-sync events (READY, initial GUILD_CREATE) not delivered. */
	public get syncSuppressed(): number {
		return this.#syncSuppressed;
	}

	/** Whether dispatch has switched to the new set. */
	public get switched(): boolean {
		return this.#switched;
	}

	/** An old-set dispatch: returns whether to deliver it. */
	public fromOld(event: GatewayDispatch): boolean {
		if (this.#switched) {
			this.#oldDroppedAfterSwitch++;
			return false;
		}
		const key = keyOf(event);
		this.#deliveredByOld.set(key, (this.#deliveredByOld.get(key) ?? 0) + 1);
		return true;
	}

	/** A new-set dispatch: returns whether to deliver it now (after the switch), buffering it before. */
	public fromNew(event: GatewayDispatch): boolean {
		if (event.t === 'READY') {
			const guilds = isRecord(event.d) && isArray(event.d.guilds) ? event.d.guilds : [];
			for (const guild of guilds)
				if (isRecord(guild) && typeof guild.id === 'string') this.#initialGuilds.add(guild.id);
			this.#syncSuppressed++;
			return false;
		}
		if (
			event.t === 'GUILD_CREATE' &&
			isRecord(event.d) &&
			typeof event.d.id === 'string' &&
			this.#initialGuilds.delete(event.d.id)
		) {
			this.#syncSuppressed++;
			return false;
		}
		if (!this.#switched) {
			this.#buffer.push(event);
			return false;
		}
		return !this.#consumeDuplicate(event);
	}

	#consumeDuplicate(event: GatewayDispatch): boolean {
		const key = keyOf(event);
		const count = this.#deliveredByOld.get(key);
		if (count === undefined) return false;
		if (count <= 1) this.#deliveredByOld.delete(key);
		else this.#deliveredByOld.set(key, count - 1);
		this.#duplicatesSkipped++;
		return true;
	}

	/** Switches over; returns the buffered new-set events the old set did not deliver, in order. */
	public switchOver(): GatewayDispatch[] {
		this.#switched = true;
		const flush = this.#buffer.filter((event) => !this.#consumeDuplicate(event));
		this.#buffer = [];
		return flush;
	}

	/** Events buffered from the new set. */
	public get buffered(): number {
		return this.#buffer.length;
	}
}

function keyOf(event: GatewayDispatch): string {
	return `${event.t}\u0000${JSON.stringify(event.d)}`;
}
