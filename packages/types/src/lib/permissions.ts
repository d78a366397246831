import { PermissionFlagsBits } from 'discord-api-types/v10';
import { TypesError } from './errors/TypesError.js';
import type { Brand } from './brand.js';
import { uncheckedSnowflake, type GuildId, type RoleId, type UserId } from './snowflake.js';

/** Every permission flag Discord defines, by name (re-exported from discord-api-types). */
export const PermissionFlags = PermissionFlagsBits;

/** The name of one permission flag, e.g. `'SendMessages'`. */
export type PermissionName = keyof typeof PermissionFlagsBits;

/** A permission bitfield as a bigint. Construct one with {@link resolvePermissions}. */
export type PermissionBits = Brand<bigint, 'Permissions'>;

/** What can be resolved to a bitfield: a flag name, a bigint, Discord's decimal string, or a list of those. */
export type PermissionResolvable = PermissionName | bigint | `${bigint}` | readonly PermissionResolvable[];

const ALL_BITS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

function isBits(value: bigint): value is PermissionBits {
	return value >= 0n && (value & ~ALL_BITS) === 0n;
}

function isPermissionName(value: string): value is PermissionName {
	return Object.hasOwn(PermissionFlagsBits, value);
}

/** A bitfield with every permission Discord defines set. */
export const ALL_PERMISSIONS: PermissionBits = resolvePermissions(ALL_BITS);
/** A bitfield with no permission set. */
export const NO_PERMISSIONS: PermissionBits = resolvePermissions(0n);

/**
 * Resolves flag names, bigints, decimal strings (as Discord sends them) or lists of those into one bitfield.
 * Throws {@link TypesError} `TYPES_UNKNOWN_PERMISSION` for an unknown name, `TYPES_UNKNOWN_PERMISSION_BITS` for a bit
 * Discord does not define.
 */
export function resolvePermissions(input: PermissionResolvable): PermissionBits {
	return resolveUnknown(input);
}

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function resolveUnknown(input: unknown): PermissionBits {
	if (isList(input)) {
		let bits = 0n;
		for (const item of input) bits |= resolveUnknown(item);
		return resolveUnknown(bits);
	}
	let value: bigint;
	if (typeof input === 'bigint') value = input;
	else if (typeof input === 'string' && /^\d+$/.test(input)) value = BigInt(input);
	else if (typeof input === 'string' && isPermissionName(input)) value = PermissionFlagsBits[input];
	else {
		throw TypesError.of('TYPES_UNKNOWN_PERMISSION', [
			typeof input === 'string' ? JSON.stringify(input) : typeof input,
		]);
	}
	if (isBits(value)) return value;
	throw TypesError.of('TYPES_UNKNOWN_PERMISSION_BITS', [value.toString(), (value & ~ALL_BITS).toString()]);
}

/** Whether `bits` has every permission in `wanted`. `Administrator` implies all unless `checkAdmin` is false. */
export function hasPermission(bits: PermissionBits, wanted: PermissionResolvable, checkAdmin = true): boolean {
	if (checkAdmin && (bits & PermissionFlagsBits.Administrator) !== 0n) return true;
	const need = resolvePermissions(wanted);
	return (bits & need) === need;
}

/** Whether `bits` has at least one permission of `wanted`. */
export function hasAnyPermission(bits: PermissionBits, wanted: PermissionResolvable): boolean {
	return (bits & resolvePermissions(wanted)) !== 0n;
}

/** `bits` with `added` set. */
export function addPermissions(bits: PermissionBits, added: PermissionResolvable): PermissionBits {
	return resolvePermissions(bits | resolvePermissions(added));
}

/** `bits` with `removed` cleared. */
export function removePermissions(bits: PermissionBits, removed: PermissionResolvable): PermissionBits {
	return resolvePermissions(bits & ~resolvePermissions(removed));
}

/**
 * The flag names set in `bits`, in Discord's order. Where Discord renamed a flag and discord-api-types keeps the
 * old name as an alias (`ManageEmojisAndStickers` → `ManageGuildExpressions`), only the current name is listed.
 */
export function permissionNames(bits: PermissionBits): PermissionName[] {
	const byBit = new Map<bigint, PermissionName>();
	for (const name of Object.keys(PermissionFlagsBits)) {
		if (isPermissionName(name) && (bits & PermissionFlagsBits[name]) !== 0n)
			byBit.set(PermissionFlagsBits[name], name);
	}
	return [...byBit.values()];
}

/** A role as needed to compute permissions. */
export interface PermissionRole {
	readonly id: RoleId;
	/** Discord's decimal string or a bitfield. */
	readonly permissions: string | bigint;
}

/** A channel permission overwrite (type 0 = role, 1 = member). */
export interface PermissionOverwrite {
	readonly id: string;
	readonly type: 0 | 1;
	readonly allow: string | bigint;
	readonly deny: string | bigint;
}

/** What {@link computePermissions} needs to know. */
export interface PermissionContext {
	readonly guildId: GuildId;
	readonly ownerId: UserId;
	readonly userId: UserId;
	/** The member's role IDs (without @everyone, whose ID is the guild ID). */
	readonly memberRoleIds: readonly RoleId[];
	/** Every role of the guild, including @everyone. */
	readonly roles: readonly PermissionRole[];
	/** The channel's overwrites; omit for guild-level permissions. */
	readonly overwrites?: readonly PermissionOverwrite[];
	/** When the member's timeout ends (`communication_disabled_until`), if any. */
	readonly communicationDisabledUntil?: Date | string | null;
	/** "Now" for the timeout check; defaults to `Date.now()`. */
	readonly now?: number;
	/** Whether the channel is text-based (applies the implicit SendMessages rules). Defaults to true. */
	readonly textChannel?: boolean;
}

const F = PermissionFlagsBits;
const TIMEOUT_ALLOWED = F.ViewChannel | F.ReadMessageHistory;
const REQUIRES_SEND = F.MentionEveryone | F.SendTTSMessages | F.AttachFiles | F.EmbedLinks;

/**
 * A member's effective permissions, computed the way Discord documents it: base permissions from @everyone and
 * the member's roles; owner and Administrator get everything; then channel overwrites (@everyone, roles, member);
 * then the implicit rules (no ViewChannel → nothing; no SendMessages in a text channel → no mentions, TTS,
 * files or embeds; a timed-out member keeps only ViewChannel and ReadMessageHistory).
 *
 * @see {@link https://discord.com/developers/docs/topics/permissions#permission-overwrites}
 */
export function computePermissions(ctx: PermissionContext): PermissionBits {
	if (ctx.userId === ctx.ownerId) return ALL_PERMISSIONS;
	const { memberRoleIds } = ctx;
	// @everyone's role ID is the guild's ID (compared as plain strings on purpose).
	const guildId: string = ctx.guildId;
	// One pass over the roles, no allocation.
	let base = 0n;
	for (const role of ctx.roles) {
		if (role.id === guildId || memberRoleIds.includes(role.id)) base |= bitsOf(role.permissions, 'role', role.id);
	}
	if ((base & F.Administrator) !== 0n) return ALL_PERMISSIONS;

	let perms = base;
	const overwrites = ctx.overwrites;
	if (overwrites !== undefined) {
		let everyoneAllow = 0n;
		let everyoneDeny = 0n;
		let roleAllow = 0n;
		let roleDeny = 0n;
		let memberAllow = 0n;
		let memberDeny = 0n;
		for (const ow of overwrites) {
			if (ow.type === 0 && ow.id === guildId) {
				everyoneAllow = bitsOf(ow.allow, 'overwrite', ow.id);
				everyoneDeny = bitsOf(ow.deny, 'overwrite', ow.id);
			} else if (ow.type === 0 && memberRoleIds.includes(asRoleIdUnchecked(ow.id))) {
				roleAllow |= bitsOf(ow.allow, 'overwrite', ow.id);
				roleDeny |= bitsOf(ow.deny, 'overwrite', ow.id);
			} else if (ow.type === 1 && ow.id === ctx.userId) {
				memberAllow = bitsOf(ow.allow, 'overwrite', ow.id);
				memberDeny = bitsOf(ow.deny, 'overwrite', ow.id);
			}
		}
		perms = (perms & ~everyoneDeny) | everyoneAllow;
		perms = (perms & ~roleDeny) | roleAllow;
		perms = (perms & ~memberDeny) | memberAllow;

		if ((perms & F.ViewChannel) === 0n) return NO_PERMISSIONS;
		if (ctx.textChannel !== false && (perms & F.SendMessages) === 0n) perms &= ~REQUIRES_SEND;
	}

	const until = ctx.communicationDisabledUntil;
	if (until !== undefined && until !== null && new Date(until).getTime() > (ctx.now ?? Date.now())) {
		perms &= TIMEOUT_ALLOWED;
	}
	// Bits Discord added after this version of discord-api-types are dropped rather than rejected, so a new flag
	// on a role never breaks the computation.
	const known = perms & ALL_BITS;
	return isBits(known) ? known : NO_PERMISSIONS;
}

/** Overwrite IDs are plain strings (role or user); compared against role IDs without re-validating. */
function asRoleIdUnchecked(id: string): RoleId {
	return uncheckedSnowflake('Role', id);
}

/** A permission value from a role or overwrite (Discord's decimal string or a bigint), with a typed error. */
function bitsOf(value: string | bigint, what: 'role' | 'overwrite', id: string): bigint {
	if (typeof value === 'bigint') return value;
	try {
		return BigInt(value);
	} catch (error) {
		throw TypesError.of('TYPES_INVALID_PERMISSIONS', [what, id, JSON.stringify(value)], { cause: error });
	}
}
