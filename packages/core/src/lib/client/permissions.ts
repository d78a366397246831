import type { EntityCache } from '@ovenjs/cache';
import { computePermissions, type ChannelId, type GuildId, type PermissionBits, type UserId } from '@ovenjs/types';

/**
 * Computes a member's permissions (guild level, or in a channel with its overwrites) from the entity cache.
 * Returns `undefined` when the cache lacks the guild, the member or the channel.
 */
export function permissionsFromCache(
	cache: EntityCache,
	guildId: GuildId,
	userId: UserId,
	channelId?: ChannelId,
): PermissionBits | undefined {
	const guild = cache.guild(guildId);
	const member = cache.member(guildId, userId);
	if (guild === undefined || member === undefined) return undefined;
	const channel = channelId === undefined ? undefined : cache.channel(channelId);
	if (channelId !== undefined && channel === undefined) return undefined;
	return computePermissions({
		guildId,
		ownerId: guild.owner_id,
		userId,
		memberRoleIds: member.roles,
		roles: cache.roles(guildId),
		...(channel?.permission_overwrites === undefined ? {} : { overwrites: channel.permission_overwrites }),
		...(member.communicationDisabledUntil === null
			? {}
			: { communicationDisabledUntil: new Date(member.communicationDisabledUntil) }),
	});
}
