import type { Message } from '@ovenjs/types';

/**
 * One channel's cached messages: the newest `limit`, evicting the oldest, in amortized O(1) per insertion — without
 * ever deleting from a JS `Map`.
 *
 * Why not a `Map` with `set` + `delete(oldest)`: measured, a long-lived `Map` churned that way makes V8's
 * young-generation collector keep and promote the messages it held long after they were deleted — on the
 * `Client`'s zlib-stream flood about 2.5 MB promoted per scavenge with the 100-message `Map`s, nearly nothing with
 * this window (a standalone loop of 400,000 inserts: 73 MB promoted against 3 MB for plain slots). The likely
 * mechanism: V8 rehashes a `Map` whose deleted entries fill its table and links the old table to the new one (for
 * live iterators); once one table sits in the old generation, that link is a remembered pointer every scavenge
 * treats as a root, until the next full GC. `lru-cache` (used elsewhere here) is no substitute: it orders by
 * recency rather than arrival, moves a re-stored ID to the newest, and deletes evicted keys from its own `Map`.
 *
 * Messages sit in slots in insertion order; an insert-only `Map` gives each ID its slot (a small integer, so no
 * table keeps a message alive). Evicting or deleting empties a slot; the ID's stale entry is dropped when the
 * slots are compacted, which happens once they reach twice the smaller of the limit and the cached count (at least
 * 16): a fresh array and index hold the cached messages, so at least half the slots compacted were emptied by an
 * insert or a delete since the last time (amortized O(1)), and memory stays within twice what is cached — also
 * with an `Infinity` limit and deletes. Iteration is oldest first, as a `Map`'s insertion order was.
 * @internal
 */
export class MessageWindow {
	readonly #limit: number;
	#index = new Map<string, number>();
	/** `undefined` where a message was evicted or deleted. */
	#slots: (Message | undefined)[] = [];
	/** Every slot before this one is empty (evicted). */
	#start = 0;
	#size = 0;

	/** @param limit The newest this many messages are kept (rounded down; `Infinity` for no limit). */
	public constructor(limit: number) {
		this.#limit = Math.max(0, Math.floor(limit));
	}

	/** Cached messages (the deleted ones not counted). */
	public get size(): number {
		return this.#size;
	}

	/** Slots held, the emptied ones included (the ID index holds at most as many): the memory bound tests check. */
	public get slotCount(): number {
		return this.#slots.length;
	}

	public get(id: string): Message | undefined {
		const slot = this.#index.get(id);
		return slot === undefined ? undefined : this.#slots[slot];
	}

	/**
	 * Stores `message` under its ID: in place when that ID is cached (its position is kept, as `Map#set` keeps it),
	 * else as the newest, evicting the oldest past the limit.
	 */
	public set(message: Message): void {
		const id = message.id;
		const slots = this.#slots;
		const slot = this.#index.get(id);
		if (slot !== undefined && slots[slot] !== undefined) {
			slots[slot] = message;
			return;
		}
		this.#index.set(id, slots.length);
		slots.push(message);
		this.#size++;
		while (this.#size > this.#limit) {
			const oldest = this.#start++;
			if (slots[oldest] !== undefined) {
				slots[oldest] = undefined;
				this.#size--;
			}
		}
		if (slots.length >= 2 * Math.min(this.#limit, Math.max(this.#size, 16))) this.#compact();
	}

	/** Removes a message; false when it is not cached. */
	public delete(id: string): boolean {
		const slot = this.#index.get(id);
		if (slot === undefined || this.#slots[slot] === undefined) return false;
		this.#slots[slot] = undefined;
		this.#size--;
		return true;
	}

	/**
	 * The cached messages, oldest first. Deleting while iterating is safe (a deleted message is not visited). A
	 * message stored while iterating may not be visited: a store can compact the slots, and the loop then finishes
	 * the array it started on, visiting only the messages still cached as they were.
	 */
	public *values(): IterableIterator<Message> {
		const slots = this.#slots;
		for (let slot = this.#start; slot < slots.length; slot++) {
			const message = slots[slot];
			if (message !== undefined && (slots === this.#slots || this.get(message.id) === message)) yield message;
		}
	}

	#compact(): void {
		const index = new Map<string, number>();
		const slots: Message[] = [];
		for (const message of this.values()) {
			index.set(message.id, slots.length);
			slots.push(message);
		}
		this.#index = index;
		this.#slots = slots;
		this.#start = 0;
	}
}
