import {
	uncheckedSnowflake,
	isSnowflake,
	type PermissionName,
	type ApplicationId,
	type CommandId,
	type WebhookId,
	type ChannelId,
	type GuildId,
	type MessageId,
	type RoleId,
	type UserId,
} from '@ovenjs/types';
import type { z } from 'zod';
import type { ChannelRecord, GuildRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext } from '../types.js';

/** A path parameter that must be a snowflake; otherwise Discord's 50035 with a `NUMBER_TYPE_COERCE` error. */
export function snowflakeParam(ctx: RouteContext, name: string): string {
	const value = ctx.params[name] ?? '';
	if (!isSnowflake(value))
		throw DiscordHttpError.field([name], 'NUMBER_TYPE_COERCE', `Value "${value}" is not snowflake.`);
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

/** `403 Missing Permissions` (50013) unless the bot's highest role is above `position` (or it owns the guild). */
export function requireHierarchy(ctx: RouteContext, guild: GuildRecord, position: number): void {
	if (!ctx.world.botOutranks(guild.id, position)) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
}

/** `403 Missing Permissions` (50013) unless the bot has `permission` in the guild (and channel). */
export function requirePermission(
	ctx: RouteContext,
	guildId: GuildId,
	permission: PermissionName,
	channelId?: ChannelId,
): void {
	if (!ctx.world.botCan(guildId, permission, channelId))
		throw new DiscordHttpError(403, 50013, 'Missing Permissions');
}

/** The guild a channel belongs to, or `400` for DM channels on guild-only routes. */
export function guildOfChannel(ctx: RouteContext, channel: ChannelRecord): GuildRecord {
	if (channel.guildId === null) throw new DiscordHttpError(400, 50003, 'Cannot execute action on a DM channel');
	const guild = ctx.world.guilds.get(channel.guildId);
	if (guild === undefined) throw DiscordHttpError.unknown('Guild');
	return guild;
}

/** Brands an ID the world itself produced or already validated. */
export const ids = {
	user: (raw: string): UserId => uncheckedSnowflake('User', raw),
	channel: (raw: string): ChannelId => uncheckedSnowflake('Channel', raw),
	message: (raw: string): MessageId => uncheckedSnowflake('Message', raw),
	role: (raw: string): RoleId => uncheckedSnowflake('Role', raw),
	guild: (raw: string): GuildId => uncheckedSnowflake('Guild', raw),
	webhook: (raw: string): WebhookId => uncheckedSnowflake('Webhook', raw),
	application: (raw: string): ApplicationId => uncheckedSnowflake('Application', raw),
	command: (raw: string): CommandId => uncheckedSnowflake('Command', raw),
};

/** A zod schema for snowflake strings. */
export { snowflakeSchema } from './schemas.js';
