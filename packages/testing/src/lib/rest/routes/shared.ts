import { uncheckedSnowflake, isSnowflake, type ChannelId, type GuildId, type MessageId, type RoleId, type UserId } from '@ovenjs/types';
import type { z } from 'zod';
import type { ChannelRecord, GuildRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext } from '../types.js';

/** A path parameter that must be a snowflake; otherwise Discord's 50035 with a `NUMBER_TYPE_COERCE` error. */
export function snowflakeParam(ctx: RouteContext, name: string): string {
	const value = ctx.params[name] ?? '';
	if (!isSnowflake(value)) throw DiscordHttpError.field([name], 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`);
	return value;
}

/** The channel of `{channel_id}`, or `404 Unknown Channel` (10003). */
export function channelOf(ctx: RouteContext): ChannelRecord {
	const id: ChannelId = uncheckedSnowflake('Channel', snowflakeParam(ctx, 'channel_id'));
	const channel = ctx.world.channels.get(id);
	if (channel === undefined) throw DiscordHttpError.unknown('Channel');
	return channel;
}

/** The guild of `{guild_id}`, or `404 Unknown Guild` (10004). */
export function guildOf(ctx: RouteContext): GuildRecord {
	const id: GuildId = uncheckedSnowflake('Guild', snowflakeParam(ctx, 'guild_id'));
	const guild = ctx.world.guilds.get(id);
	if (guild === undefined) throw DiscordHttpError.unknown('Guild');
	return guild;
}

/** `{message_id}` as a branded ID. */
export function messageIdOf(ctx: RouteContext): MessageId {
	return uncheckedSnowflake('Message', snowflakeParam(ctx, 'message_id'));
}

/** `{user_id}` as a branded ID. */
export function userIdOf(ctx: RouteContext): UserId {
	return uncheckedSnowflake('User', snowflakeParam(ctx, 'user_id'));
}

/** `{role_id}` as a branded ID. */
export function roleIdOf(ctx: RouteContext): RoleId {
	return uncheckedSnowflake('Role', snowflakeParam(ctx, 'role_id'));
}

/** Validates a body with zod, answering 50035 with nested field errors like Discord's. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
	const result = schema.safeParse(body ?? {});
	if (!result.success) throw DiscordHttpError.fromZod(result.error);
	return result.data;
}

/** Whether the bot is a member of the channel's guild (DM channels: always). */
export function assertAccess(ctx: RouteContext, channel: ChannelRecord): void {
	if (channel.guildId === null) return;
	const guild = ctx.world.guilds.get(channel.guildId);
	if (guild?.members.has(uncheckedSnowflake('User', ctx.world.botUser.id)) !== true) {
		throw new DiscordHttpError(403, 50001, 'Missing Access');
	}
}
