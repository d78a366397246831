import type { ChannelId, GuildId, MessageId, RoleId, UserId } from '@ovenjs/types';
import type { InvalidationRule, InvalidationTarget, MultiTierCache } from './MultiTierCache.js';
import { arr, isRecord, rec, str } from './entities/payload.js';

/**
 * Key conventions for Discord data in a {@link MultiTierCache}. Store children with `dependsOn` their parent
 * (`dependsOn: [DiscordKeys.guild(guildId)]`) so that removing the guild cascades to them.
 */
export const DiscordKeys = {
	guild: (id: GuildId): string => `guild:${id}`,
	channel: (id: ChannelId): string => `channel:${id}`,
	role: (guild: GuildId, role: RoleId): string => `role:${guild}:${role}`,
	member: (guild: GuildId, user: UserId): string => `member:${guild}:${user}`,
	user: (id: UserId): string => `user:${id}`,
	message: (channel: ChannelId, message: MessageId): string => `message:${channel}:${message}`,
	/** The tag every member of a guild is filed under. */
	guildMembersTag: (id: GuildId): string => `members:${id}`,
} as const;

function field(data: unknown, key: string): string | undefined {
	return isRecord(data) ? str(data, key) : undefined;
}

function keys(...list: (string | undefined)[]): InvalidationTarget | undefined {
	const present = list.filter((key): key is string => key !== undefined);
	return present.length === 0 ? undefined : { keys: present };
}

/**
 * Event-driven invalidation: for each gateway dispatch that changes or removes data, the keys (in
 * {@link DiscordKeys} form) it makes stale. Updates invalidate rather than rewrite, so the next read fetches
 * fresh data; deletes cascade through `dependsOn`.
 */
export const discordInvalidationRules: Readonly<Record<string, InvalidationRule>> = {
	GUILD_UPDATE: (d) => keys(ifDefined(field(d, 'id'), (id) => `guild:${id}`)),
	GUILD_DELETE: (d) =>
		isRecord(d) && d.unavailable === true ? undefined : keys(ifDefined(field(d, 'id'), (id) => `guild:${id}`)),
	CHANNEL_UPDATE: (d) => keys(ifDefined(field(d, 'id'), (id) => `channel:${id}`)),
	CHANNEL_DELETE: (d) => keys(ifDefined(field(d, 'id'), (id) => `channel:${id}`)),
	THREAD_UPDATE: (d) => keys(ifDefined(field(d, 'id'), (id) => `channel:${id}`)),
	THREAD_DELETE: (d) => keys(ifDefined(field(d, 'id'), (id) => `channel:${id}`)),
	GUILD_ROLE_UPDATE: (d) => keys(pair(field(d, 'guild_id'), isRecord(d) ? field(d.role, 'id') : undefined, 'role')),
	GUILD_ROLE_DELETE: (d) => keys(pair(field(d, 'guild_id'), field(d, 'role_id'), 'role')),
	GUILD_MEMBER_UPDATE: (d) => keys(pair(field(d, 'guild_id'), userIdOf(d), 'member')),
	GUILD_MEMBER_REMOVE: (d) => keys(pair(field(d, 'guild_id'), userIdOf(d), 'member')),
	USER_UPDATE: (d) => keys(ifDefined(field(d, 'id'), (id) => `user:${id}`)),
	MESSAGE_UPDATE: (d) => keys(pair(field(d, 'channel_id'), field(d, 'id'), 'message')),
	MESSAGE_DELETE: (d) => keys(pair(field(d, 'channel_id'), field(d, 'id'), 'message')),
	MESSAGE_DELETE_BULK: (d) => {
		const channel = field(d, 'channel_id');
		const ids = isRecord(d) ? arr(d, 'ids').filter((id): id is string => typeof id === 'string') : [];
		return channel === undefined ? undefined : keys(...ids.map((id) => `message:${channel}:${id}`));
	},
};

/** Registers {@link discordInvalidationRules} on `cache`, so `cache.handleDispatch(t, d)` invalidates what changed. */
export function registerDiscordInvalidationRules(cache: MultiTierCache): MultiTierCache {
	for (const [event, rule] of Object.entries(discordInvalidationRules)) cache.addRule(event, rule);
	return cache;
}

function ifDefined(value: string | undefined, make: (value: string) => string): string | undefined {
	return value === undefined ? undefined : make(value);
}

function pair(parent: string | undefined, child: string | undefined, kind: string): string | undefined {
	return parent === undefined || child === undefined ? undefined : `${kind}:${parent}:${child}`;
}

function userIdOf(d: unknown): string | undefined {
	if (!isRecord(d)) return undefined;
	const user = rec(d, 'user');
	return user === undefined ? undefined : str(user, 'id');
}
