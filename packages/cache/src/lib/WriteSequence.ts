import { LRUCache } from 'lru-cache';

/**
 * Orders writes and reads of a {@link MultiTierCache}: every write (and every tag or pattern sweep) takes the next
 * sequence number, so a read that started at sequence `n` may copy what it read into faster tiers only if the key
 * was not written or swept since `n` (else the copy could bring back a value already replaced).
 */
export class WriteSequence {
	#seq = 0;
	/** The sequence of the last tag or pattern sweep (which may touch any key). */
	#barrier = 0;
	readonly #lastWrite = new LRUCache<string, number>({ max: 50_000 });

	/** The sequence now: a read remembers it when it starts. */
	public get current(): number {
		return this.#seq;
	}

	/** Records a write or delete of `key`. */
	public touch(key: string): void {
		this.#lastWrite.set(key, ++this.#seq);
	}

	/** Records a sweep by tag or pattern (any key may have changed). */
	public sweep(): void {
		this.#barrier = ++this.#seq;
	}

	/** Whether `key` was neither written nor swept since sequence `started` (so a value read then is current). */
	public unchangedSince(key: string, started: number): boolean {
		return this.#barrier <= started && (this.#lastWrite.get(key) ?? 0) <= started;
	}
}
