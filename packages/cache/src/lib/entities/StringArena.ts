/**
 * Short strings packed as UTF-8 into one growable byte buffer, addressed by a numeric handle (`0` = null).
 * Each string costs its byte length + 1–2 length bytes instead of a V8 string header (16+ bytes) and a pointer.
 * Freed bytes are counted; the owner compacts when half the arena is garbage.
 */
export class StringArena {
	#bytes: Buffer;
	#used = 1;
	/** Bytes that belong to freed strings. */
	public garbage = 0;

	public constructor(initialBytes = 256) {
		this.#bytes = Buffer.allocUnsafe(Math.max(16, initialBytes));
	}

	/**
	 * Stores `value`; returns its handle. `null`/`undefined` give `0`. A short ASCII string (most names) is copied
	 * code unit by code unit: cheaper than measuring and encoding it through `Buffer` for a dozen characters.
	 */
	public add(value: string | null | undefined): number {
		if (value === null || value === undefined) return 0;
		const units = value.length;
		if (units < 128) {
			this.#ensure(1 + units);
			const bytes = this.#bytes;
			const handle = this.#used;
			let index = 0;
			for (; index < units; index++) {
				const unit = value.charCodeAt(index);
				if (unit >= 0x80) break;
				bytes[handle + 1 + index] = unit;
			}
			if (index === units) {
				bytes[handle] = units;
				this.#used += 1 + units;
				return handle;
			}
		}
		const length = Buffer.byteLength(value, 'utf8');
		const header = length < 128 ? 1 : 2;
		this.#ensure(header + length);
		const handle = this.#used;
		if (header === 1) this.#bytes[handle] = length;
		else {
			this.#bytes[handle] = 0x80 | (length >>> 8);
			this.#bytes[handle + 1] = length & 0xff;
		}
		this.#bytes.write(value, handle + header, length, 'utf8');
		this.#used += header + length;
		return handle;
	}

	/** The string of `handle`, or `null` for `0`. */
	public get(handle: number): string | null {
		if (handle === 0) return null;
		const first = this.#bytes[handle] ?? 0;
		if (first < 0x80) return this.#bytes.toString('utf8', handle + 1, handle + 1 + first);
		const length = ((first & 0x7f) << 8) | (this.#bytes[handle + 1] ?? 0);
		return this.#bytes.toString('utf8', handle + 2, handle + 2 + length);
	}

	/**
	 * Whether the string at `handle` equals `value`. ASCII strings (most names) are compared byte by byte against
	 * the arena, so an unchanged update decodes and allocates nothing.
	 */
	public equals(handle: number, value: string | null | undefined): boolean {
		if (handle === 0 || value === null || value === undefined)
			return handle === 0 && (value === null || value === undefined);
		const first = this.#bytes[handle] ?? 0;
		const long = first >= 0x80;
		const length = long ? ((first & 0x7f) << 8) | (this.#bytes[handle + 1] ?? 0) : first;
		// UTF-8 never takes fewer bytes than UTF-16 code units: a shorter entry cannot match.
		if (length < value.length) return false;
		if (length > value.length) return this.get(handle) === value;
		// Same count of bytes and code units: equal only if `value` is ASCII and every byte matches.
		const start = handle + (long ? 2 : 1);
		for (let index = 0; index < length; index++)
			if (value.charCodeAt(index) !== this.#bytes[start + index]) return false;
		return true;
	}

	/** Marks the string at `handle` as garbage. */
	public free(handle: number): void {
		if (handle === 0) return;
		const first = this.#bytes[handle] ?? 0;
		this.garbage += first < 0x80 ? 1 + first : 2 + (((first & 0x7f) << 8) | (this.#bytes[handle + 1] ?? 0));
	}

	/** Whether more than half the used bytes are garbage. */
	public get wantsCompaction(): boolean {
		return this.garbage > 4096 && this.garbage * 2 > this.#used;
	}

	/** Bytes allocated. */
	public get byteLength(): number {
		return this.#bytes.length;
	}

	#ensure(extra: number): void {
		if (this.#used + extra <= this.#bytes.length) return;
		let size = this.#bytes.length;
		while (this.#used + extra > size) size = Math.ceil(size * 1.5);
		const next = Buffer.allocUnsafe(size);
		this.#bytes.copy(next, 0, 0, this.#used);
		this.#bytes = next;
	}
}
