import type { ChannelFlags, GuildMemberFlags, MessageFlags, RoleFlags, UserFlags } from 'discord-api-types/v10';

/** Discord flag fields are bitfields: any non-negative integer combination of the enum's bits is valid. */
function isBitfield(value: number): boolean {
	return Number.isSafeInteger(value) && value >= 0;
}

function invalid(kind: string, value: number): never {
	throw new RangeError(`${kind} must be a non-negative integer bitfield, got ${value}.`);
}

/** A `RoleFlags` bitfield. */
export function roleFlags(value: number): RoleFlags {
	if (isRoleFlags(value)) return value;
	return invalid('RoleFlags', value);
}
function isRoleFlags(value: number): value is RoleFlags {
	return isBitfield(value);
}

/** A `GuildMemberFlags` bitfield. */
export function memberFlags(value: number): GuildMemberFlags {
	if (isMemberFlags(value)) return value;
	return invalid('GuildMemberFlags', value);
}
function isMemberFlags(value: number): value is GuildMemberFlags {
	return isBitfield(value);
}

/** A `MessageFlags` bitfield. */
export function messageFlags(value: number): MessageFlags {
	if (isMessageFlags(value)) return value;
	return invalid('MessageFlags', value);
}
function isMessageFlags(value: number): value is MessageFlags {
	return isBitfield(value);
}

/** A `ChannelFlags` bitfield. */
export function channelFlags(value: number): ChannelFlags {
	if (isChannelFlags(value)) return value;
	return invalid('ChannelFlags', value);
}
function isChannelFlags(value: number): value is ChannelFlags {
	return isBitfield(value);
}

/** A `UserFlags` bitfield. */
export function userFlags(value: number): UserFlags {
	if (isUserFlags(value)) return value;
	return invalid('UserFlags', value);
}
function isUserFlags(value: number): value is UserFlags {
	return isBitfield(value);
}
