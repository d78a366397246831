import { AuditLogEvent, ChannelType, GatewayDispatchEvents, type APIEmoji } from 'discord-api-types/v10';
import { uncheckedSnowflake, type EmojiId, type GuildId } from '@ovenjs/types';
import { z } from 'zod';
import type { GuildRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { snowflakeSchema } from './schemas.js';
import { assertAccess, channelOf, guildOf, parseBody, requirePermission, snowflakeParam } from './shared.js';

function emojisOf(ctx: RouteContext, guild: GuildRecord): Map<EmojiId, APIEmoji> {
	return ctx.world.data.emojisOf(guild.id);
}

function emojiOf(ctx: RouteContext, guild: GuildRecord): APIEmoji {
	const emoji = emojisOf(ctx, guild).get(uncheckedSnowflake('Emoji', snowflakeParam(ctx, 'emoji_id')));
	if (emoji === undefined) throw DiscordHttpError.unknown('Emoji');
	return emoji;
}

function emojisUpdated(ctx: RouteContext, guildId: GuildId, guild: GuildRecord): void {
	ctx.world.emit(
		GatewayDispatchEvents.GuildEmojisUpdate,
		{ guild_id: guildId, emojis: [...emojisOf(ctx, guild).values()] },
		guildId,
	);
}

const EmojiCreateBody = z.object({
	name: z.string().regex(/^\w{2,32}$/, 'Must be between 2 and 32 in length and alphanumeric.'),
	image: z.string().startsWith('data:image/'),
	roles: z.array(snowflakeSchema).exactOptional(),
});
const EmojiPatchBody = z.object({
	name: z
		.string()
		.regex(/^\w{2,32}$/)
		.exactOptional(),
	roles: z.array(snowflakeSchema).nullable().exactOptional(),
});

function privateArchived(ctx: RouteContext): RouteResult {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	const threads = [...ctx.world.channels.values()]
		.filter(
			(record) =>
				'thread_metadata' in record.channel &&
				record.channel.parent_id === channel.id &&
				record.channel.type === ChannelType.PrivateThread &&
				record.channel.thread_metadata.archived,
		)
		.map((record) => record.channel);
	return { status: 200, body: { threads, members: [], has_more: false } };
}

/** Guild emojis, guild preview, role member counts, self edits, archived private threads. */
export const extraRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/guilds/{guild_id}/emojis',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: [...emojisOf(ctx, guildOf(ctx)).values()] }),
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/emojis/{emoji_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: emojiOf(ctx, guildOf(ctx)) }),
	},
	{
		method: 'POST',
		path: '/guilds/{guild_id}/emojis',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'CreateGuildExpressions');
			const body = parseBody(EmojiCreateBody, ctx.body);
			if (emojisOf(ctx, guild).size >= 50)
				throw new DiscordHttpError(400, 30008, 'Maximum number of emojis reached (50)');
			const id = ctx.world.ids.next('Emoji');
			const emoji: APIEmoji = {
				id,
				name: body.name,
				roles: body.roles ?? [],
				user: ctx.world.botUser,
				require_colons: true,
				managed: false,
				animated: body.image.startsWith('data:image/gif'),
				available: true,
			};
			emojisOf(ctx, guild).set(id, emoji);
			emojisUpdated(ctx, guild.id, guild);
			ctx.world.audit(guild.id, AuditLogEvent.EmojiCreate, id, ctx.auditLogReason);
			return { status: 201, body: emoji };
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/emojis/{emoji_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageGuildExpressions');
			const emoji = emojiOf(ctx, guild);
			const body = parseBody(EmojiPatchBody, ctx.body);
			const updated: APIEmoji = {
				...emoji,
				...(body.name === undefined ? {} : { name: body.name }),
				...(body.roles === undefined ? {} : { roles: body.roles ?? [] }),
			};
			emojisOf(ctx, guild).set(uncheckedSnowflake('Emoji', emoji.id ?? ''), updated);
			emojisUpdated(ctx, guild.id, guild);
			ctx.world.audit(guild.id, AuditLogEvent.EmojiUpdate, emoji.id, ctx.auditLogReason);
			return { status: 200, body: updated };
		},
	},
	{
		method: 'DELETE',
		path: '/guilds/{guild_id}/emojis/{emoji_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageGuildExpressions');
			const emoji = emojiOf(ctx, guild);
			emojisOf(ctx, guild).delete(uncheckedSnowflake('Emoji', emoji.id ?? ''));
			emojisUpdated(ctx, guild.id, guild);
			ctx.world.audit(guild.id, AuditLogEvent.EmojiDelete, emoji.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/preview',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			return {
				status: 200,
				body: {
					id: guild.id,
					name: guild.name,
					icon: null,
					splash: null,
					discovery_splash: null,
					emojis: [...emojisOf(ctx, guild).values()],
					features: [],
					approximate_member_count: guild.members.size,
					approximate_presence_count: 0,
					description: null,
					stickers: [],
				},
			};
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/roles/member-counts',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const counts: Record<string, number> = {};
			const everyone = uncheckedSnowflake('Role', guild.id);
			for (const roleId of guild.roles.keys()) if (roleId !== everyone) counts[roleId] = 0;
			for (const member of guild.members.values())
				for (const roleId of member.roles) counts[roleId] = (counts[roleId] ?? 0) + 1;
			return { status: 200, body: counts };
		},
	},
	{
		method: 'PATCH',
		path: '/users/@me',
		handler: (ctx: RouteContext): RouteResult => {
			const body = parseBody(
				z.object({
					username: z.string().min(2).max(32).exactOptional(),
					avatar: z.string().nullable().exactOptional(),
					banner: z.string().nullable().exactOptional(),
				}),
				ctx.body,
			);
			if (body.username !== undefined) ctx.world.botUser.username = body.username;
			ctx.world.emit(GatewayDispatchEvents.UserUpdate, ctx.world.botUser, null);
			return { status: 200, body: ctx.world.botUser };
		},
	},
	{ method: 'GET', path: '/users/@me/connections', handler: (): RouteResult => ({ status: 200, body: [] }) },
	{ method: 'GET', path: '/channels/{channel_id}/threads/archived/private', handler: privateArchived },
	{ method: 'GET', path: '/channels/{channel_id}/users/@me/threads/archived/private', handler: privateArchived },
];
