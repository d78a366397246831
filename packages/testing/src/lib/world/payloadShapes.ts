import type { APIMessage } from 'discord-api-types/v10';
import { uncheckedSnowflake } from '@ovenjs/types';
import { makeGuild } from './factories.js';
import type { ChannelRecord, GuildRecord } from './records.js';

/** The REST guild object (`GET /guilds/{guild.id}`). */
export function guildObject(guild: GuildRecord): ReturnType<typeof makeGuild> {
	return makeGuild(guild.id, guild.name, guild.ownerId, guild.systemChannelId, [...guild.roles.values()]);
}

/** The `MESSAGE_CREATE`/`MESSAGE_UPDATE` payload: the message plus `guild_id` and the author's `member`. */
export function gatewayMessage(message: APIMessage, guild: GuildRecord | undefined): Record<string, unknown> {
	if (guild === undefined) return { ...message };
	const member = guild.members.get(uncheckedSnowflake('User', message.author.id));
	if (member === undefined) return { ...message, guild_id: guild.id };
	const { user: _user, ...partial } = member;
	return { ...message, guild_id: guild.id, member: partial };
}

/**
 * The `GUILD_CREATE` payload of a guild (members capped at `largeThreshold`, as Discord does: a large guild
 * carries only the bot's own member).
 */
export function guildCreatePayload(
	guild: GuildRecord,
	channels: readonly ChannelRecord[],
	botId: string,
	largeThreshold: number,
): Record<string, unknown> {
	const members = [...guild.members.values()];
	const large = members.length > largeThreshold;
	return {
		...guildObject(guild),
		joined_at: guild.createdAt,
		large,
		unavailable: false,
		member_count: members.length,
		voice_states: [],
		members: large ? members.filter((member) => member.user.id === botId) : members,
		channels: channels.map((record) => record.channel),
		threads: [],
		presences: [],
		stage_instances: [],
		guild_scheduled_events: [],
		soundboard_sounds: [],
	};
}
