import { uncheckedSnowflake } from '@ovenjs/types';
import { SnowflakeTable, growArray } from './SnowflakeTable.js';
import { StringArena } from './StringArena.js';
import type { CachedUser } from './views.js';
import { bool, has, num, str, strOrNull } from './payload.js';

/** User fields the compact store can keep beyond `id` and `username`. */
export type UserProperty = 'globalName' | 'discriminator' | 'avatar' | 'publicFlags';

const BOT = 1;
const SYSTEM = 2;
const AVATAR = 4;
const ANIMATED = 8;
const LEGACY_DISCRIMINATOR = 16;

/**
 * Every cached user in struct-of-arrays form: ID halves, arena handles for username and global name, the avatar
 * hash as 16 raw bytes, discriminator as a number, flags and a reference count (how many cached members point
 * at the user). About 60 bytes per user plus the strings.
 */
export class UserTable extends SnowflakeTable {
	#arena = new StringArena(4096);
	#username = new Uint32Array(0);
	#globalName = new Uint32Array(0);
	#avatar = Buffer.alloc(0);
	#discriminator = new Uint16Array(0);
	#publicFlags = new Uint32Array(0);
	#bits = new Uint8Array(0);
	#refs = new Uint16Array(0);
	/** Avatar hashes that are not 32 hex digits (kept verbatim, rare). */
	readonly #oddAvatars = new Map<number, string>();
	// The kept fields as flags, read once per user write.
	readonly #keepGlobalName: boolean;
	readonly #keepAvatar: boolean;
	readonly #keepDiscriminator: boolean;
	readonly #keepPublicFlags: boolean;

	public constructor(keep: ReadonlySet<UserProperty>, initialCapacity = 64) {
		super(initialCapacity);
		this.#keepGlobalName = keep.has('globalName');
		this.#keepAvatar = keep.has('avatar');
		this.#keepDiscriminator = keep.has('discriminator');
		this.#keepPublicFlags = keep.has('publicFlags');
		this.resize(this.capacity);
	}

	/**
	 * Inserts or updates the user from a payload (partial payloads update only the fields present). Returns the
	 * row, or `-1` for a payload without a valid ID.
	 */
	public upsert(payload: Record<string, unknown>): number {
		const id = str(payload, 'id');
		if (id === undefined) return -1;
		const [row, created] = this.upsertRow(id);
		if (row < 0) return -1;
		const username = str(payload, 'username');
		if (username !== undefined && !this.#arena.equals(this.#username[row] ?? 0, username)) {
			this.#arena.free(this.#username[row] ?? 0);
			this.#username[row] = this.#arena.add(username);
		}
		if (this.#keepGlobalName && has(payload, 'global_name')) {
			const globalName = strOrNull(payload, 'global_name') ?? null;
			if (!this.#arena.equals(this.#globalName[row] ?? 0, globalName)) {
				this.#arena.free(this.#globalName[row] ?? 0);
				this.#globalName[row] = this.#arena.add(globalName);
			}
		}
		let bits = created ? 0 : (this.#bits[row] ?? 0);
		const bot = bool(payload, 'bot');
		if (bot !== undefined) bits = bot ? bits | BOT : bits & ~BOT;
		const system = bool(payload, 'system');
		if (system !== undefined) bits = system ? bits | SYSTEM : bits & ~SYSTEM;
		if (this.#keepAvatar && has(payload, 'avatar'))
			bits = this.#writeAvatar(row, strOrNull(payload, 'avatar') ?? null, bits);
		const discriminator = str(payload, 'discriminator');
		if (this.#keepDiscriminator && discriminator !== undefined) {
			const value = Number.parseInt(discriminator, 10);
			this.#discriminator[row] = Number.isFinite(value) ? value : 0;
			bits = discriminator.length === 4 ? bits | LEGACY_DISCRIMINATOR : bits & ~LEGACY_DISCRIMINATOR;
		}
		const flags = num(payload, 'public_flags');
		if (this.#keepPublicFlags && flags !== undefined) this.#publicFlags[row] = flags >>> 0;
		this.#bits[row] = bits;
		if (this.#arena.wantsCompaction) this.#compact();
		return row;
	}

	/** The user `id` as a plain object, or `undefined`. */
	public view(id: string): CachedUser | undefined {
		const row = this.rowOf(id);
		return row < 0 ? undefined : this.viewAt(row);
	}

	/** The user in `row` as a plain object. */
	public viewAt(row: number): CachedUser {
		const bits = this.#bits[row] ?? 0;
		const discriminator = this.#discriminator[row] ?? 0;
		return {
			id: uncheckedSnowflake('User', this.idAt(row)),
			username: this.#arena.get(this.#username[row] ?? 0) ?? '',
			globalName: this.#arena.get(this.#globalName[row] ?? 0),
			discriminator:
				(bits & LEGACY_DISCRIMINATOR) !== 0 ? String(discriminator).padStart(4, '0') : String(discriminator),
			avatar: this.#readAvatar(row, bits),
			bot: (bits & BOT) !== 0,
			system: (bits & SYSTEM) !== 0,
			publicFlags: this.#publicFlags[row] ?? 0,
		};
	}

	/** Adds a member reference to the user in `row`. */
	public ref(row: number): void {
		this.#refs[row] = Math.min(0xffff, (this.#refs[row] ?? 0) + 1);
	}

	/** Drops a member reference; returns the remaining count. */
	public unref(row: number): number {
		const count = Math.max(0, (this.#refs[row] ?? 0) - 1);
		this.#refs[row] = count;
		return count;
	}

	/** How many cached members point at the user in `row`. */
	public refCount(row: number): number {
		return this.#refs[row] ?? 0;
	}

	/** Removes the user `id`; returns whether it was cached. */
	public remove(id: string): boolean {
		return this.removeRow(id) >= 0;
	}

	/** Approximate bytes held (typed arrays, arena, odd avatars). */
	public byteSize(): number {
		return (
			this.baseBytes() +
			this.#username.byteLength +
			this.#globalName.byteLength +
			this.#avatar.byteLength +
			this.#discriminator.byteLength +
			this.#publicFlags.byteLength +
			this.#bits.byteLength +
			this.#refs.byteLength +
			this.#arena.byteLength +
			this.#oddAvatars.size * 96
		);
	}

	protected resize(capacity: number): void {
		this.#username = growArray(this.#username, capacity, (n) => new Uint32Array(n));
		this.#globalName = growArray(this.#globalName, capacity, (n) => new Uint32Array(n));
		this.#avatar = growArray(this.#avatar, capacity * 16, (n) => Buffer.alloc(n));
		this.#discriminator = growArray(this.#discriminator, capacity, (n) => new Uint16Array(n));
		this.#publicFlags = growArray(this.#publicFlags, capacity, (n) => new Uint32Array(n));
		this.#bits = growArray(this.#bits, capacity, (n) => new Uint8Array(n));
		this.#refs = growArray(this.#refs, capacity, (n) => new Uint16Array(n));
	}

	protected clearRow(row: number): void {
		this.#arena.free(this.#username[row] ?? 0);
		this.#arena.free(this.#globalName[row] ?? 0);
		this.#username[row] = 0;
		this.#globalName[row] = 0;
		this.#discriminator[row] = 0;
		this.#publicFlags[row] = 0;
		this.#bits[row] = 0;
		this.#refs[row] = 0;
		this.#oddAvatars.delete(row);
	}

	#writeAvatar(row: number, hash: string | null, bits: number): number {
		if (this.#oddAvatars.size > 0) this.#oddAvatars.delete(row);
		const next = bits & ~(AVATAR | ANIMATED);
		if (hash === null) return next;
		const animated = hash.length === 34 && hash.charCodeAt(0) === 97 && hash.charCodeAt(1) === 95; // 'a_'
		// Decodes the hex straight into the column: no Buffer, string or regex per update.
		if (hash.length === (animated ? 34 : 32) && writeHex(this.#avatar, row * 16, hash, animated ? 2 : 0))
			return next | AVATAR | (animated ? ANIMATED : 0);
		this.#oddAvatars.set(row, hash);
		return next;
	}

	#readAvatar(row: number, bits: number): string | null {
		if ((bits & AVATAR) === 0) return this.#oddAvatars.get(row) ?? null;
		const hex = this.#avatar.toString('hex', row * 16, row * 16 + 16);
		return (bits & ANIMATED) !== 0 ? `a_${hex}` : hex;
	}

	#compact(): void {
		const arena = new StringArena(Math.max(4096, this.#arena.byteLength - this.#arena.garbage));
		for (const row of this.rows()) {
			this.#username[row] = arena.add(this.#arena.get(this.#username[row] ?? 0));
			this.#globalName[row] = arena.add(this.#arena.get(this.#globalName[row] ?? 0));
		}
		this.#arena = arena;
	}
}

/** The value of a lowercase hex digit, or -1 (Discord's hashes are lowercase; anything else is kept verbatim). */
function nibble(code: number): number {
	if (code >= 48 && code <= 57) return code - 48;
	if (code >= 97 && code <= 102) return code - 87;
	return -1;
}

/** Writes the 32 hex digits of `text` from `start` as 16 bytes at `offset`; false (bytes unspecified) if one is not hex. */
function writeHex(target: Buffer, offset: number, text: string, start: number): boolean {
	for (let index = 0; index < 16; index++) {
		const high = nibble(text.charCodeAt(start + index * 2));
		const low = nibble(text.charCodeAt(start + index * 2 + 1));
		if (high < 0 || low < 0) return false;
		target[offset + index] = (high << 4) | low;
	}
	return true;
}
