import { splitSnowflake } from '@ovenjs/types';

/** Joins two 32-bit halves back into a decimal snowflake string. */
export function joinSnowflake(lo: number, hi: number): string {
	if (hi < 0x20_0000) return String(hi * 4_294_967_296 + lo);
	return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function hashOf(lo: number, hi: number): number {
	let h = Math.imul(lo ^ Math.imul(hi, 0x9e37_79b1), 0x85eb_ca6b);
	h ^= h >>> 15;
	return Math.imul(h, 0xc2b2_ae35) >>> 0;
}

const EMPTY = -1;

/**
 * A struct-of-arrays table of rows keyed by a snowflake: IDs live in two `Uint32Array`s and are found through an
 * open-addressing hash index (linear probing, backward-shift deletion) stored in an `Int32Array`, so a row
 * costs a few bytes instead of a `Map` entry and an object. Deleted rows are reused. Subclasses add columns and
 * grow them in {@link SnowflakeTable.resize}.
 */
export abstract class SnowflakeTable {
	protected capacity: number;
	/** Number of live rows. */
	public size = 0;
	protected idLo: Uint32Array;
	protected idHi: Uint32Array;
	#slots: Int32Array;
	#mask: number;
	readonly #freeRows: number[] = [];
	#highWater = 0;
	/** The halves of the last split ID (see {@link SnowflakeTable.#split}); read right after splitting, never kept. */
	static readonly #parts = new Uint32Array(2);

	protected constructor(initialCapacity: number) {
		this.capacity = Math.max(4, initialCapacity);
		this.idLo = new Uint32Array(this.capacity);
		this.idHi = new Uint32Array(this.capacity);
		let slotCount = 8;
		while (slotCount < this.capacity * 2) slotCount *= 2;
		this.#slots = new Int32Array(slotCount).fill(EMPTY);
		this.#mask = slotCount - 1;
	}

	/** Grows every column to `capacity` rows (copying the old contents). */
	protected abstract resize(capacity: number): void;

	/** Clears a removed row's columns. */
	protected abstract clearRow(row: number): void;

	/** The snowflake split last (by any table): a member's user ID is looked up in three tables in a row. */
	static #lastId = '';
	static #lastValid = false;

	/** Splits `id` into the shared halves, reusing the last split when it is the same ID. */
	static #split(id: string): boolean {
		if (id === SnowflakeTable.#lastId) return SnowflakeTable.#lastValid;
		const valid = splitSnowflake(id, SnowflakeTable.#parts);
		SnowflakeTable.#lastId = id;
		SnowflakeTable.#lastValid = valid;
		return valid;
	}

	/** The row of the snowflake `id`, or `-1`. */
	public rowOf(id: string): number {
		const parts = SnowflakeTable.#parts;
		if (!SnowflakeTable.#split(id)) return -1;
		return this.#find(parts[0] ?? 0, parts[1] ?? 0);
	}

	/** The snowflake of a live row. */
	public idAt(row: number): string {
		return joinSnowflake(this.idLo[row] ?? 0, this.idHi[row] ?? 0);
	}

	/** Whether `row` holds a live entry. */
	public isLive(row: number): boolean {
		return row >= 0 && row < this.#highWater && ((this.idLo[row] ?? 0) !== 0 || (this.idHi[row] ?? 0) !== 0);
	}

	/** Every live row. */
	public *rows(): IterableIterator<number> {
		for (let row = 0; row < this.#highWater; row++) if (this.isLive(row)) yield row;
	}

	/** The row for `id`, inserting an empty one if absent; `[-1, false]` for a malformed ID. */
	protected upsertRow(id: string): [row: number, created: boolean] {
		const parts = SnowflakeTable.#parts;
		if (!SnowflakeTable.#split(id)) return [-1, false];
		const lo = parts[0] ?? 0;
		const hi = parts[1] ?? 0;
		if (lo === 0 && hi === 0) return [-1, false];
		const existing = this.#find(lo, hi);
		if (existing !== EMPTY) return [existing, false];
		let row = this.#freeRows.pop();
		if (row === undefined) {
			if (this.#highWater === this.capacity) this.#grow();
			row = this.#highWater++;
		}
		this.idLo[row] = lo;
		this.idHi[row] = hi;
		if ((this.size + 1) * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2);
		let slot = hashOf(lo, hi) & this.#mask;
		while ((this.#slots[slot] ?? EMPTY) !== EMPTY) slot = (slot + 1) & this.#mask;
		this.#slots[slot] = row;
		this.size++;
		return [row, true];
	}

	/** Removes the row of `id`; returns it (already cleared), or `-1`. */
	protected removeRow(id: string): number {
		const parts = SnowflakeTable.#parts;
		if (!SnowflakeTable.#split(id)) return -1;
		const lo = parts[0] ?? 0;
		const hi = parts[1] ?? 0;
		let slot = hashOf(lo, hi) & this.#mask;
		for (;;) {
			const row = this.#slots[slot] ?? EMPTY;
			if (row === EMPTY) return -1;
			if (this.idLo[row] === lo && this.idHi[row] === hi) break;
			slot = (slot + 1) & this.#mask;
		}
		const row = this.#slots[slot] ?? EMPTY;
		this.#slots[slot] = EMPTY;
		// Backward-shift deletion keeps probe chains intact without tombstones.
		let hole = slot;
		let next = (slot + 1) & this.#mask;
		for (;;) {
			const moved = this.#slots[next] ?? EMPTY;
			if (moved === EMPTY) break;
			const home = hashOf(this.idLo[moved] ?? 0, this.idHi[moved] ?? 0) & this.#mask;
			const shouldMove = hole <= next ? home <= hole || home > next : home <= hole && home > next;
			if (shouldMove) {
				this.#slots[hole] = moved;
				this.#slots[next] = EMPTY;
				hole = next;
			}
			next = (next + 1) & this.#mask;
		}
		this.idLo[row] = 0;
		this.idHi[row] = 0;
		this.clearRow(row);
		this.#freeRows.push(row);
		this.size--;
		return row;
	}

	/** Approximate bytes held by the ID columns and index. */
	protected baseBytes(): number {
		return this.idLo.byteLength + this.idHi.byteLength + this.#slots.byteLength + this.#freeRows.length * 8;
	}

	#find(lo: number, hi: number): number {
		let slot = hashOf(lo, hi) & this.#mask;
		for (;;) {
			const row = this.#slots[slot] ?? EMPTY;
			if (row === EMPTY) return EMPTY;
			if (this.idLo[row] === lo && this.idHi[row] === hi) return row;
			slot = (slot + 1) & this.#mask;
		}
	}

	/**
	 * Grows the columns by half while the table is small, by a quarter past 4,096 rows: a large table (every user of
	 * a bot) then carries at most a quarter of unused rows (an eighth on average) for one more copy now and then.
	 */
	#grow(): void {
		this.#growTo(Math.ceil(this.capacity * (this.capacity < 4_096 ? 1.5 : 1.25)));
	}

	#growTo(capacity: number): void {
		const lo = new Uint32Array(capacity);
		lo.set(this.idLo);
		const hi = new Uint32Array(capacity);
		hi.set(this.idHi);
		this.idLo = lo;
		this.idHi = hi;
		this.resize(capacity);
		this.capacity = capacity;
	}

	#rehash(slotCount: number): void {
		this.#slots = new Int32Array(slotCount).fill(EMPTY);
		this.#mask = slotCount - 1;
		for (let row = 0; row < this.#highWater; row++) {
			if (!this.isLive(row)) continue;
			let slot = hashOf(this.idLo[row] ?? 0, this.idHi[row] ?? 0) & this.#mask;
			while ((this.#slots[slot] ?? EMPTY) !== EMPTY) slot = (slot + 1) & this.#mask;
			this.#slots[slot] = row;
		}
	}
}

/** Grows a typed array to `capacity` elements, keeping its contents. */
export function growArray<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
	array: T,
	capacity: number,
	create: (length: number) => T,
): T {
	const next = create(capacity);
	next.set(array);
	return next;
}
