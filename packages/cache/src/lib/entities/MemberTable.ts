import { uncheckedSnowflake, type GuildId } from '@ovenjs/types';
import { SnowflakeTable, growArray } from './SnowflakeTable.js';
import { StringArena } from './StringArena.js';
import type { RoleListPool } from './RoleListPool.js';
import type { CachedMember, CachedUser } from './views.js';
import { arr, bool, has, num, strOrNull, time } from './payload.js';

const PENDING = 1;
const DEAF = 2;
const MUTE = 4;

/** Member fields the compact store can keep beyond user, roles and join date. */
export type MemberProperty = 'nick' | 'avatar' | 'premiumSince' | 'communicationDisabledUntil' | 'flags' | 'voice';

/**
 * The members of one guild in struct-of-arrays form: user-ID halves, join time (`Float64Array`), an interned
 * role-list index, an arena handle for the nickname, flags and bits. Rare fields (guild avatar, boost date,
 * timeout) live in sparse maps. About 40 bytes per member.
 */
export class MemberTable extends SnowflakeTable {
	#joinedAt = new Float64Array(0);
	#roles = new Uint32Array(0);
	#nick = new Uint32Array(0);
	#flags = new Uint32Array(0);
	#bits = new Uint8Array(0);
	#arena = new StringArena(64);
	readonly #avatars = new Map<number, string>();
	readonly #premiumSince = new Map<number, number>();
	readonly #timeouts = new Map<number, number>();

	public readonly guildId: GuildId;
	readonly #pool: RoleListPool;
	// The kept fields as flags, read once per member write (a set lookup each would cost more than the write).
	readonly #keepNick: boolean;
	readonly #keepAvatar: boolean;
	readonly #keepPremiumSince: boolean;
	readonly #keepTimeout: boolean;
	readonly #keepFlags: boolean;
	readonly #keepVoice: boolean;

	public constructor(guildId: GuildId, pool: RoleListPool, keep: ReadonlySet<MemberProperty>, initialCapacity = 8) {
		super(initialCapacity);
		this.guildId = guildId;
		this.#pool = pool;
		this.#keepNick = keep.has('nick');
		this.#keepAvatar = keep.has('avatar');
		this.#keepPremiumSince = keep.has('premiumSince');
		this.#keepTimeout = keep.has('communicationDisabledUntil');
		this.#keepFlags = keep.has('flags');
		this.#keepVoice = keep.has('voice');
		this.resize(this.capacity);
	}

	/**
	 * Inserts or updates the member of user `userId` from a member payload (fields absent from a partial payload
	 * keep their value). Returns `[row, created]`; row `-1` for a malformed ID. `attached`: the partial member a
	 * message or an interaction carries, whose join date is the one already stored (a membership's join date does
	 * not change; a rejoin follows a removal, which drops the row), so it is parsed only for a new row.
	 */
	public upsert(user: string, payload: Record<string, unknown>, attached = false): [row: number, created: boolean] {
		const [row, created] = this.upsertRow(user);
		if (row < 0) return [row, created];
		return this.update(row, payload, attached, created);
	}

	/** {@link MemberTable.upsert} for a row already found with `rowOf` (`created` for a row just made). */
	public update(
		row: number,
		payload: Record<string, unknown>,
		attached = false,
		created = false,
	): [row: number, created: boolean] {
		if (created) this.#joinedAt[row] = Number.NaN;
		if (has(payload, 'roles'))
			this.#roles[row] = this.#pool.intern(arr(payload, 'roles'), created ? undefined : this.#roles[row]);
		if (has(payload, 'joined_at') && (created || !attached || Number.isNaN(this.#joinedAt[row])))
			this.#joinedAt[row] = time(strOrNull(payload, 'joined_at')) ?? Number.NaN;
		if (this.#keepNick && has(payload, 'nick')) {
			const nick = strOrNull(payload, 'nick') ?? null;
			if (!this.#arena.equals(this.#nick[row] ?? 0, nick)) {
				this.#arena.free(this.#nick[row] ?? 0);
				this.#nick[row] = this.#arena.add(nick);
			}
		}
		if (this.#keepAvatar && has(payload, 'avatar'))
			setSparse(this.#avatars, row, strOrNull(payload, 'avatar') ?? null);
		if (this.#keepPremiumSince && has(payload, 'premium_since'))
			setSparse(this.#premiumSince, row, time(strOrNull(payload, 'premium_since')));
		if (this.#keepTimeout && has(payload, 'communication_disabled_until')) {
			setSparse(this.#timeouts, row, time(strOrNull(payload, 'communication_disabled_until')));
		}
		const flags = num(payload, 'flags');
		if (this.#keepFlags && flags !== undefined) this.#flags[row] = flags >>> 0;
		let bits = this.#bits[row] ?? 0;
		bits = applyBit(bits, PENDING, bool(payload, 'pending'));
		if (this.#keepVoice) {
			bits = applyBit(bits, DEAF, bool(payload, 'deaf'));
			bits = applyBit(bits, MUTE, bool(payload, 'mute'));
		}
		this.#bits[row] = bits;
		if (this.#arena.wantsCompaction) this.#compact();
		return [row, created];
	}

	/** The member of user `userId` as a plain object (roles filtered by `roleFilter` if given). */
	public view(
		member: string,
		user: CachedUser | undefined,
		roleFilter?: (role: string) => boolean,
	): CachedMember | undefined {
		const row = this.rowOf(member);
		return row < 0 ? undefined : this.viewAt(row, user, roleFilter);
	}

	/** The member in `row` as a plain object. */
	public viewAt(row: number, user: CachedUser | undefined, roleFilter?: (role: string) => boolean): CachedMember {
		const bits = this.#bits[row] ?? 0;
		const joinedAt = this.#joinedAt[row] ?? Number.NaN;
		const roles = this.#pool.get(this.#roles[row] ?? 0);
		return {
			guildId: this.guildId,
			userId: uncheckedSnowflake('User', this.idAt(row)),
			user,
			nick: this.#arena.get(this.#nick[row] ?? 0),
			avatar: this.#avatars.get(row) ?? null,
			roles: roleFilter === undefined ? roles : roles.filter(roleFilter),
			joinedAt: Number.isNaN(joinedAt) ? null : joinedAt,
			premiumSince: this.#premiumSince.get(row) ?? null,
			communicationDisabledUntil: this.#timeouts.get(row) ?? null,
			flags: this.#flags[row] ?? 0,
			pending: (bits & PENDING) !== 0,
			deaf: (bits & DEAF) !== 0,
			mute: (bits & MUTE) !== 0,
		};
	}

	/** Removes the member of `userId`; returns whether it was cached. */
	public remove(user: string): boolean {
		return this.removeRow(user) >= 0;
	}

	/** Approximate bytes held. */
	public byteSize(): number {
		return (
			this.baseBytes() +
			this.#joinedAt.byteLength +
			this.#roles.byteLength +
			this.#nick.byteLength +
			this.#flags.byteLength +
			this.#bits.byteLength +
			this.#arena.byteLength +
			(this.#avatars.size + this.#premiumSince.size + this.#timeouts.size) * 64
		);
	}

	protected resize(capacity: number): void {
		this.#joinedAt = growArray(this.#joinedAt, capacity, (n) => new Float64Array(n));
		this.#roles = growArray(this.#roles, capacity, (n) => new Uint32Array(n));
		this.#nick = growArray(this.#nick, capacity, (n) => new Uint32Array(n));
		this.#flags = growArray(this.#flags, capacity, (n) => new Uint32Array(n));
		this.#bits = growArray(this.#bits, capacity, (n) => new Uint8Array(n));
	}

	protected clearRow(row: number): void {
		this.#arena.free(this.#nick[row] ?? 0);
		this.#nick[row] = 0;
		this.#roles[row] = 0;
		this.#flags[row] = 0;
		this.#bits[row] = 0;
		this.#joinedAt[row] = Number.NaN;
		this.#avatars.delete(row);
		this.#premiumSince.delete(row);
		this.#timeouts.delete(row);
	}

	#compact(): void {
		const arena = new StringArena(Math.max(64, this.#arena.byteLength - this.#arena.garbage));
		for (const row of this.rows()) this.#nick[row] = arena.add(this.#arena.get(this.#nick[row] ?? 0));
		this.#arena = arena;
	}
}

function setSparse<V>(map: Map<number, V>, row: number, value: V | null): void {
	if (value === null) map.delete(row);
	else map.set(row, value);
}

function applyBit(bits: number, bit: number, value: boolean | undefined): number {
	if (value === undefined) return bits;
	return value ? bits | bit : bits & ~bit;
}
