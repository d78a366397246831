import {
	computePermissions,
	hasPermission,
	resolvePermissions,
	uncheckedSnowflake,
	type PermissionName,
	type UserId,
} from '@ovenjs/types';
import type { ChannelRecord, GuildRecord } from './records.js';

/** A member's permissions in a guild (and channel, applying its overwrites); `0n` when not a member. */
export function memberPermissions(guild: GuildRecord, userId: UserId, channel: ChannelRecord | undefined): bigint {
	const member = guild.members.get(userId);
	if (member === undefined) return 0n;
	const payload = channel?.channel;
	const overwrites =
		payload !== undefined && 'permission_overwrites' in payload ? payload.permission_overwrites : undefined;
	return computePermissions({
		guildId: guild.id,
		ownerId: guild.ownerId,
		userId,
		memberRoleIds: member.roles.map((role) => uncheckedSnowflake('Role', role)),
		roles: [...guild.roles.values()].map((role) => ({
			id: uncheckedSnowflake('Role', role.id),
			permissions: role.permissions,
		})),
		...(overwrites === undefined
			? {}
			: { overwrites: overwrites.map((o) => ({ id: o.id, type: o.type, allow: o.allow, deny: o.deny })) }),
	});
}

/** Whether permission bits include `permission` (Administrator grants every permission). */
export function bitsAllow(bits: bigint, permission: PermissionName): boolean {
	return hasPermission(resolvePermissions(bits), permission);
}

/** The position of a member's highest role (0 = only @everyone). */
export function highestRolePosition(guild: GuildRecord, userId: UserId): number {
	const member = guild.members.get(userId);
	let highest = 0;
	for (const roleId of member?.roles ?? [])
		highest = Math.max(highest, guild.roles.get(uncheckedSnowflake('Role', roleId))?.position ?? 0);
	return highest;
}

/**
 * Whether `userId` may act on something ranked at `position` in the role hierarchy: it must own the guild or
 * have a role positioned strictly higher (Discord's rule for editing roles, kicking and banning).
 */
export function outranks(guild: GuildRecord, userId: UserId, position: number): boolean {
	return guild.ownerId === userId || highestRolePosition(guild, userId) > position;
}
