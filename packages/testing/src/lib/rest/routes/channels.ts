import { randomBytes } from 'node:crypto';
import {
	AuditLogEvent,
	ChannelType,
	GatewayDispatchEvents,
	GuildNSFWLevel,
	GuildVerificationLevel,
	InviteType,
	MessageFlags,
	OverwriteType,
	type APIInvite,
} from 'discord-api-types/v10';
import { messageFlags } from '../../utils/flags.js';
import { z } from 'zod';
import type { ChannelRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { permissionsSchema, snowflakeSchema } from './schemas.js';
import {
	assertAccess,
	channelOf,
	guildOfChannel,
	ids,
	messageIdOf,
	parseBody,
	requirePermission,
	snowflakeParam,
} from './shared.js';

const ChannelPatchBody = z.object({
	name: z.string().min(1).max(100).exactOptional(),
	topic: z.string().max(4096).nullable().exactOptional(),
	nsfw: z.boolean().nullable().exactOptional(),
	rate_limit_per_user: z.number().int().min(0).max(21_600).nullable().exactOptional(),
	position: z.number().int().nullable().exactOptional(),
	parent_id: snowflakeSchema.nullable().exactOptional(),
	archived: z.boolean().exactOptional(),
	locked: z.boolean().exactOptional(),
});

function accessible(ctx: RouteContext): ChannelRecord {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	return channel;
}

function pin(ctx: RouteContext, add: boolean): RouteResult {
	const channel = accessible(ctx);
	const messageId = messageIdOf(ctx);
	if (!channel.messages.has(messageId)) throw DiscordHttpError.unknown('Message');
	if (channel.guildId !== null) requirePermission(ctx, channel.guildId, 'ManageMessages', channel.id);
	const pins = ctx.world.data.pins.get(channel.id) ?? [];
	const next = add ? [...pins.filter((id) => id !== messageId), messageId] : pins.filter((id) => id !== messageId);
	if (add && next.length > 250) throw new DiscordHttpError(400, 30003, 'Maximum number of pins reached (250)');
	ctx.world.data.pins.set(channel.id, next);
	const message = channel.messages.get(messageId);
	if (message !== undefined) channel.messages.set(messageId, { ...message, pinned: add });
	ctx.world.emit(
		GatewayDispatchEvents.ChannelPinsUpdate,
		{
			channel_id: channel.id,
			...(channel.guildId === null ? {} : { guild_id: channel.guildId }),
			last_pin_timestamp: add ? ctx.world.now() : null,
		},
		channel.guildId,
	);
	if (channel.guildId !== null)
		ctx.world.audit(
			channel.guildId,
			add ? AuditLogEvent.MessagePin : AuditLogEvent.MessageUnpin,
			messageId,
			ctx.auditLogReason,
		);
	return { status: 204 };
}

/** Channel routes: channel CRUD, typing, pins, permission overwrites, invites, crosspost. */
export const channelRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/channels/{channel_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: accessible(ctx).channel }),
	},
	{
		method: 'PATCH',
		path: '/channels/{channel_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(
				ctx,
				guild.id,
				channel.channel.type === ChannelType.PublicThread || channel.channel.type === ChannelType.PrivateThread
					? 'ManageThreads'
					: 'ManageChannels',
				channel.id,
			);
			const body = parseBody(ChannelPatchBody, ctx.body);
			const current = channel.channel;
			if (body.name !== undefined && 'name' in current && current.name !== null) current.name = body.name;
			if (body.topic !== undefined && 'topic' in current) current.topic = body.topic;
			if (body.nsfw != null && 'nsfw' in current) current.nsfw = body.nsfw;
			if (body.rate_limit_per_user != null && 'rate_limit_per_user' in current)
				current.rate_limit_per_user = body.rate_limit_per_user;
			if (body.position != null && 'position' in current) current.position = body.position;
			if ('thread_metadata' in current) {
				if (body.archived !== undefined) current.thread_metadata.archived = body.archived;
				if (body.locked !== undefined) current.thread_metadata.locked = body.locked;
			}
			const isThread = 'thread_metadata' in current;
			ctx.world.emit(
				isThread ? GatewayDispatchEvents.ThreadUpdate : GatewayDispatchEvents.ChannelUpdate,
				current,
				guild.id,
			);
			ctx.world.audit(
				guild.id,
				isThread ? AuditLogEvent.ThreadUpdate : AuditLogEvent.ChannelUpdate,
				channel.id,
				ctx.auditLogReason,
			);
			return { status: 200, body: current };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			if (channel.guildId === null) return { status: 200, body: channel.channel };
			const guild = guildOfChannel(ctx, channel);
			const isThread = 'thread_metadata' in channel.channel;
			requirePermission(ctx, guild.id, isThread ? 'ManageThreads' : 'ManageChannels', channel.id);
			ctx.world.channels.delete(channel.id);
			guild.channels.delete(channel.id);
			ctx.world.emit(
				isThread ? GatewayDispatchEvents.ThreadDelete : GatewayDispatchEvents.ChannelDelete,
				isThread
					? {
							id: channel.id,
							guild_id: guild.id,
							parent_id: 'parent_id' in channel.channel ? channel.channel.parent_id : null,
							type: channel.channel.type,
						}
					: channel.channel,
				guild.id,
			);
			ctx.world.audit(
				guild.id,
				isThread ? AuditLogEvent.ThreadDelete : AuditLogEvent.ChannelDelete,
				channel.id,
				ctx.auditLogReason,
			);
			return { status: 200, body: channel.channel };
		},
	},
	{
		method: 'POST',
		path: '/channels/{channel_id}/typing',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			ctx.world.emit(
				GatewayDispatchEvents.TypingStart,
				{
					channel_id: channel.id,
					user_id: ctx.world.botUser.id,
					timestamp: Math.floor(Date.now() / 1000),
					...(channel.guildId === null ? {} : { guild_id: channel.guildId }),
				},
				channel.guildId,
			);
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/pins',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const pins = ctx.world.data.pins.get(channel.id) ?? [];
			return {
				status: 200,
				body: [...pins]
					.reverse()
					.map((id) => channel.messages.get(id))
					.filter((message) => message !== undefined),
			};
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/messages/pins',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const pins = ctx.world.data.pins.get(channel.id) ?? [];
			const items = [...pins]
				.reverse()
				.map((id) => channel.messages.get(id))
				.filter((message) => message !== undefined)
				.map((message) => ({ pinned_at: message.timestamp, message }));
			return { status: 200, body: { items, has_more: false } };
		},
	},
	{
		method: 'PUT',
		path: '/channels/{channel_id}/pins/{message_id}',
		bucket: 'pins',
		handler: (ctx: RouteContext): RouteResult => pin(ctx, true),
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/pins/{message_id}',
		bucket: 'pins',
		handler: (ctx: RouteContext): RouteResult => pin(ctx, false),
	},
	{
		method: 'PUT',
		path: '/channels/{channel_id}/messages/pins/{message_id}',
		bucket: 'pins',
		handler: (ctx: RouteContext): RouteResult => pin(ctx, true),
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/pins/{message_id}',
		bucket: 'pins',
		handler: (ctx: RouteContext): RouteResult => pin(ctx, false),
	},
	{
		method: 'PUT',
		path: '/channels/{channel_id}/permissions/{overwrite_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'ManageRoles', channel.id);
			const id = snowflakeParam(ctx, 'overwrite_id');
			const body = parseBody(
				z.object({
					type: z.enum(OverwriteType),
					allow: permissionsSchema.nullable().exactOptional(),
					deny: permissionsSchema.nullable().exactOptional(),
				}),
				ctx.body,
			);
			if (!('permission_overwrites' in channel.channel))
				throw new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type');
			const overwrites = channel.channel.permission_overwrites.filter((o) => o.id !== id);
			overwrites.push({ id, type: body.type, allow: body.allow ?? '0', deny: body.deny ?? '0' });
			channel.channel.permission_overwrites = overwrites;
			ctx.world.emit(GatewayDispatchEvents.ChannelUpdate, channel.channel, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.ChannelOverwriteUpdate, channel.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/permissions/{overwrite_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'ManageRoles', channel.id);
			const id = snowflakeParam(ctx, 'overwrite_id');
			if ('permission_overwrites' in channel.channel) {
				channel.channel.permission_overwrites = channel.channel.permission_overwrites.filter(
					(o) => o.id !== id,
				);
			}
			ctx.world.emit(GatewayDispatchEvents.ChannelUpdate, channel.channel, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.ChannelOverwriteDelete, channel.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/invites',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			return {
				status: 200,
				body: [...ctx.world.data.invites.values()]
					.filter((invite) => invite.channelId === channel.id)
					.map((invite) => invite.invite),
			};
		},
	},
	{
		method: 'POST',
		path: '/channels/{channel_id}/invites',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'CreateInstantInvite', channel.id);
			const body = parseBody(
				z
					.object({
						max_age: z.number().int().min(0).max(604_800).exactOptional(),
						max_uses: z.number().int().min(0).max(100).exactOptional(),
						temporary: z.boolean().exactOptional(),
						unique: z.boolean().exactOptional(),
					})
					.loose(),
				ctx.body,
			);
			const code = randomBytes(6).toString('base64url').slice(0, 8);
			const maxAge = body.max_age ?? 86_400;
			const invite: APIInvite = {
				type: InviteType.Guild,
				code,
				guild: {
					id: guild.id,
					name: guild.name,
					splash: null,
					banner: null,
					description: null,
					icon: null,
					features: [],
					verification_level: GuildVerificationLevel.None,
					vanity_url_code: null,
					nsfw_level: GuildNSFWLevel.Default,
					premium_subscription_count: 0,
				},
				channel: {
					id: channel.id,
					name: 'name' in channel.channel ? channel.channel.name : null,
					type: channel.channel.type,
				},
				inviter: ctx.world.botUser,
				expires_at: maxAge === 0 ? null : new Date(Date.now() + maxAge * 1000).toISOString(),
			};
			const full = {
				...invite,
				uses: 0,
				max_uses: body.max_uses ?? 0,
				max_age: maxAge,
				temporary: body.temporary ?? false,
				created_at: ctx.world.now(),
			};
			ctx.world.data.invites.set(code, {
				invite: full,
				guildId: guild.id,
				channelId: channel.id,
				uses: 0,
				maxUses: body.max_uses ?? 0,
				createdAt: full.created_at,
			});
			ctx.world.emit(
				GatewayDispatchEvents.InviteCreate,
				{
					channel_id: channel.id,
					guild_id: guild.id,
					code,
					created_at: full.created_at,
					inviter: ctx.world.botUser,
					max_age: maxAge,
					max_uses: full.max_uses,
					temporary: full.temporary,
					uses: 0,
				},
				guild.id,
			);
			ctx.world.audit(guild.id, AuditLogEvent.InviteCreate, null, ctx.auditLogReason);
			return { status: 200, body: full };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/invites',
		handler: (ctx: RouteContext): RouteResult => {
			const guildId = ids.guild(snowflakeParam(ctx, 'guild_id'));
			if (!ctx.world.guilds.has(guildId)) throw DiscordHttpError.unknown('Guild');
			requirePermission(ctx, guildId, 'ManageGuild');
			return {
				status: 200,
				body: [...ctx.world.data.invites.values()]
					.filter((invite) => invite.guildId === guildId)
					.map((invite) => invite.invite),
			};
		},
	},
	{
		method: 'GET',
		path: '/invites/{code}',
		handler: (ctx: RouteContext): RouteResult => {
			const invite = ctx.world.data.invites.get(ctx.params.code ?? '');
			if (invite === undefined) throw DiscordHttpError.unknown('Invite');
			return { status: 200, body: invite.invite };
		},
	},
	{
		method: 'DELETE',
		path: '/invites/{code}',
		handler: (ctx: RouteContext): RouteResult => {
			const code = ctx.params.code ?? '';
			const invite = ctx.world.data.invites.get(code);
			if (invite === undefined) throw DiscordHttpError.unknown('Invite');
			if (invite.guildId !== null) requirePermission(ctx, invite.guildId, 'ManageChannels', invite.channelId);
			ctx.world.data.invites.delete(code);
			ctx.world.emit(
				GatewayDispatchEvents.InviteDelete,
				{
					channel_id: invite.channelId,
					...(invite.guildId === null ? {} : { guild_id: invite.guildId }),
					code,
				},
				invite.guildId,
			);
			if (invite.guildId !== null)
				ctx.world.audit(invite.guildId, AuditLogEvent.InviteDelete, null, ctx.auditLogReason);
			return { status: 200, body: invite.invite };
		},
	},
	{
		method: 'POST',
		path: '/channels/{channel_id}/messages/{message_id}/crosspost',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = accessible(ctx);
			if (channel.channel.type !== ChannelType.GuildAnnouncement)
				throw new DiscordHttpError(400, 50068, 'Invalid message type');
			const message = channel.messages.get(messageIdOf(ctx));
			if (message === undefined) throw DiscordHttpError.unknown('Message');
			const published = { ...message, flags: messageFlags((message.flags ?? 0) | MessageFlags.Crossposted) };
			channel.messages.set(ids.message(message.id), published);
			return { status: 200, body: published };
		},
	},
];
