import { AuditLogEvent, ChannelType, GatewayDispatchEvents, OverwriteType, type APIRole } from 'discord-api-types/v10';
import { z } from 'zod';
import { makeRole, type MockMember } from '../../world/factories.js';
import type { GuildRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { permissionsSchema, snowflakeSchema } from './schemas.js';
import { guildOf, ids, parseBody, requireHierarchy, requirePermission, roleIdOf, userIdOf } from './shared.js';

const ChannelCreateBody = z.object({
	name: z.string().min(1).max(100),
	type: z
		.union([
			z.literal(ChannelType.GuildText),
			z.literal(ChannelType.GuildVoice),
			z.literal(ChannelType.GuildCategory),
			z.literal(ChannelType.GuildAnnouncement),
			z.literal(ChannelType.GuildForum),
		])
		.exactOptional(),
	topic: z.string().max(1024).nullable().exactOptional(),
	parent_id: snowflakeSchema.nullable().exactOptional(),
	nsfw: z.boolean().exactOptional(),
	rate_limit_per_user: z.number().int().min(0).max(21_600).exactOptional(),
	position: z.number().int().exactOptional(),
	permission_overwrites: z
		.array(
			z.object({
				id: snowflakeSchema,
				type: z.enum(OverwriteType),
				allow: permissionsSchema.exactOptional(),
				deny: permissionsSchema.exactOptional(),
			}),
		)
		.exactOptional(),
});

const RoleBody = z.object({
	name: z.string().max(100).exactOptional(),
	permissions: permissionsSchema.exactOptional(),
	color: z.number().int().min(0).max(0xffffff).exactOptional(),
	hoist: z.boolean().exactOptional(),
	mentionable: z.boolean().exactOptional(),
	unicode_emoji: z.string().nullable().exactOptional(),
});

const MemberPatchBody = z.object({
	nick: z.string().max(32).nullable().exactOptional(),
	roles: z.array(snowflakeSchema).exactOptional(),
	mute: z.boolean().exactOptional(),
	deaf: z.boolean().exactOptional(),
	channel_id: snowflakeSchema.nullable().exactOptional(),
	communication_disabled_until: z.string().nullable().exactOptional(),
	flags: z.number().int().exactOptional(),
});

function memberOf(ctx: RouteContext, guild: GuildRecord): MockMember {
	const member = guild.members.get(userIdOf(ctx));
	if (member === undefined) throw DiscordHttpError.unknown('Member');
	return member;
}

function roleOf(ctx: RouteContext, guild: GuildRecord): APIRole {
	const role = guild.roles.get(roleIdOf(ctx));
	if (role === undefined) throw DiscordHttpError.unknown('Role');
	return role;
}

function updateMember(ctx: RouteContext, guild: GuildRecord, member: MockMember, action: AuditLogEvent): RouteResult {
	guild.members.set(ids.user(member.user.id), member);
	ctx.world.emit(GatewayDispatchEvents.GuildMemberUpdate, { ...member, guild_id: guild.id }, guild.id);
	ctx.world.audit(guild.id, action, member.user.id, ctx.auditLogReason);
	return { status: 200, body: member };
}

function limitOf(ctx: RouteContext, fallback: number, max: number): number {
	const raw = ctx.query.get('limit');
	if (raw === null) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > max)
		throw DiscordHttpError.field(['limit'], 'NUMBER_TYPE_MAX', `int value should be between 1 and ${max}.`);
	return value;
}

/** Guild, guild channel, member and role routes. */
export const guildRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/guilds/{guild_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const withCounts = ctx.query.get('with_counts') === 'true';
			return {
				status: 200,
				body: {
					...ctx.world.guildObject(guild),
					...(withCounts
						? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
						: {}),
				},
			};
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageGuild');
			const body = parseBody(z.object({ name: z.string().min(2).max(100).exactOptional() }).loose(), ctx.body);
			if (body.name !== undefined) guild.name = body.name;
			const updated = ctx.world.guildObject(guild);
			ctx.world.emit(GatewayDispatchEvents.GuildUpdate, updated, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.GuildUpdate, guild.id, ctx.auditLogReason);
			return { status: 200, body: updated };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/channels',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			return { status: 200, body: [...guild.channels].map((id) => ctx.world.channel(id).channel) };
		},
	},
	{
		method: 'POST',
		path: '/guilds/{guild_id}/channels',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageChannels');
			const body = parseBody(ChannelCreateBody, ctx.body);
			const record = ctx.world.createChannel(guild.id, {
				name: body.name,
				...(body.type === undefined ? {} : { type: body.type }),
				...(body.parent_id === undefined
					? {}
					: { parentId: body.parent_id === null ? null : ids.channel(body.parent_id) }),
				...(body.topic === undefined ? {} : { topic: body.topic }),
			});
			if (body.permission_overwrites !== undefined && 'permission_overwrites' in record.channel) {
				record.channel.permission_overwrites = body.permission_overwrites.map((o) => ({
					id: o.id,
					type: o.type,
					allow: o.allow ?? '0',
					deny: o.deny ?? '0',
				}));
			}
			ctx.world.audit(guild.id, AuditLogEvent.ChannelCreate, record.id, ctx.auditLogReason);
			return { status: 201, body: record.channel };
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/channels',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageChannels');
			const body = parseBody(
				z.array(z.object({ id: snowflakeSchema, position: z.number().int().nullable().exactOptional() })),
				ctx.body,
			);
			for (const entry of body) {
				const record = ctx.world.channels.get(ids.channel(entry.id));
				if (record?.guildId !== guild.id) throw DiscordHttpError.unknown('Channel');
				if (entry.position != null && 'position' in record.channel) record.channel.position = entry.position;
				ctx.world.emit(GatewayDispatchEvents.ChannelUpdate, record.channel, guild.id);
			}
			return { status: 204 };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/members',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const limit = limitOf(ctx, 1, 1000);
			const after = BigInt(ctx.query.get('after') ?? '0');
			const members = [...guild.members.values()]
				.filter((member) => BigInt(member.user.id) > after)
				.sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1));
			return { status: 200, body: members.slice(0, limit) };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/members/search',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const query = ctx.query.get('query');
			if (query === null) throw DiscordHttpError.field(['query'], 'BASE_TYPE_REQUIRED', 'This field is required');
			const limit = limitOf(ctx, 1, 1000);
			const needle = query.toLowerCase();
			const found = [...guild.members.values()].filter(
				(member) =>
					member.user.username.toLowerCase().startsWith(needle) ||
					(member.nick ?? '').toLowerCase().startsWith(needle),
			);
			return { status: 200, body: found.slice(0, limit) };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: memberOf(ctx, guildOf(ctx)) }),
	},
	{
		method: 'PUT',
		path: '/guilds/{guild_id}/members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			parseBody(z.object({ access_token: z.string().min(1) }).loose(), ctx.body);
			const userId = userIdOf(ctx);
			if (guild.members.has(userId)) return { status: 204 };
			if (!ctx.world.users.has(userId)) throw DiscordHttpError.unknown('User');
			if (ctx.world.data.bansOf(guild.id).has(userId))
				throw new DiscordHttpError(403, 40007, 'The user is banned from this guild.');
			return { status: 201, body: ctx.world.addMember(guild.id, userId) };
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const member = memberOf(ctx, guild);
			const body = parseBody(MemberPatchBody, ctx.body);
			if (body.roles !== undefined) {
				requirePermission(ctx, guild.id, 'ManageRoles');
				for (const [index, role] of body.roles.entries()) {
					if (!guild.roles.has(ids.role(role)))
						throw DiscordHttpError.field(['roles', index], 'ROLE_INVALID', 'Unknown role.');
				}
			}
			if (body.nick !== undefined) requirePermission(ctx, guild.id, 'ManageNicknames');
			if (body.communication_disabled_until !== undefined) requirePermission(ctx, guild.id, 'ModerateMembers');
			const updated: MockMember = {
				...member,
				...(body.nick === undefined ? {} : { nick: body.nick }),
				...(body.roles === undefined ? {} : { roles: body.roles }),
				...(body.mute === undefined ? {} : { mute: body.mute }),
				...(body.deaf === undefined ? {} : { deaf: body.deaf }),
				...(body.communication_disabled_until === undefined
					? {}
					: { communication_disabled_until: body.communication_disabled_until }),
			};
			return updateMember(
				ctx,
				guild,
				updated,
				body.roles === undefined ? AuditLogEvent.MemberUpdate : AuditLogEvent.MemberRoleUpdate,
			);
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/members/@me',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const member = guild.members.get(ids.user(ctx.world.botUser.id));
			if (member === undefined) throw DiscordHttpError.unknown('Member');
			const body = parseBody(z.object({ nick: z.string().max(32).nullable().exactOptional() }), ctx.body);
			return updateMember(
				ctx,
				guild,
				{ ...member, ...(body.nick === undefined ? {} : { nick: body.nick }) },
				AuditLogEvent.MemberUpdate,
			);
		},
	},
	{
		method: 'DELETE',
		path: '/guilds/{guild_id}/members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'KickMembers');
			const member = memberOf(ctx, guild);
			if (member.user.id === guild.ownerId) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
			requireHierarchy(ctx, guild, ctx.world.highestRolePosition(guild, ids.user(member.user.id)));
			guild.members.delete(ids.user(member.user.id));
			ctx.world.emit(
				GatewayDispatchEvents.GuildMemberRemove,
				{ guild_id: guild.id, user: member.user },
				guild.id,
			);
			ctx.world.audit(guild.id, AuditLogEvent.MemberKick, member.user.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	...(['PUT', 'DELETE'] as const).map((method): RouteDefinition => ({
		method,
		path: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}',
		bucket: 'member-role',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageRoles');
			const member = memberOf(ctx, guild);
			const role = roleOf(ctx, guild);
			requireHierarchy(ctx, guild, role.position);
			const roles =
				method === 'PUT'
					? [...new Set([...member.roles, role.id])]
					: member.roles.filter((id) => id !== role.id);
			updateMember(ctx, guild, { ...member, roles }, AuditLogEvent.MemberRoleUpdate);
			return { status: 204 };
		},
	})),
	{
		method: 'GET',
		path: '/guilds/{guild_id}/roles',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: [...guildOf(ctx).roles.values()] }),
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/roles/{role_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: roleOf(ctx, guildOf(ctx)) }),
	},
	{
		method: 'POST',
		path: '/guilds/{guild_id}/roles',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageRoles');
			const body = parseBody(RoleBody, ctx.body);
			const role = ctx.world.createRole(guild.id, {
				name: body.name ?? 'new role',
				permissions: body.permissions ?? '0',
			});
			const updated: APIRole = { ...role, hoist: body.hoist ?? false, mentionable: body.mentionable ?? false };
			guild.roles.set(ids.role(role.id), updated);
			ctx.world.audit(guild.id, AuditLogEvent.RoleCreate, role.id, ctx.auditLogReason);
			return { status: 200, body: updated };
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/roles/{role_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageRoles');
			const role = roleOf(ctx, guild);
			requireHierarchy(ctx, guild, role.position);
			const body = parseBody(RoleBody, ctx.body);
			const updated: APIRole = {
				...makeRole(
					ids.role(role.id),
					body.name ?? role.name,
					role.position,
					body.permissions ?? role.permissions,
					role.managed,
				),
				hoist: body.hoist ?? role.hoist,
				mentionable: body.mentionable ?? role.mentionable,
			};
			guild.roles.set(ids.role(role.id), updated);
			ctx.world.emit(GatewayDispatchEvents.GuildRoleUpdate, { guild_id: guild.id, role: updated }, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.RoleUpdate, role.id, ctx.auditLogReason);
			return { status: 200, body: updated };
		},
	},
	{
		method: 'DELETE',
		path: '/guilds/{guild_id}/roles/{role_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageRoles');
			const role = roleOf(ctx, guild);
			if (role.id === guild.id) throw new DiscordHttpError(400, 50028, 'Invalid role');
			requireHierarchy(ctx, guild, role.position);
			guild.roles.delete(ids.role(role.id));
			for (const member of guild.members.values()) {
				if (member.roles.includes(role.id)) member.roles = member.roles.filter((id) => id !== role.id);
			}
			ctx.world.emit(GatewayDispatchEvents.GuildRoleDelete, { guild_id: guild.id, role_id: role.id }, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.RoleDelete, role.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'PATCH',
		path: '/guilds/{guild_id}/roles',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ManageRoles');
			const body = parseBody(
				z.array(z.object({ id: snowflakeSchema, position: z.number().int().nullable().exactOptional() })),
				ctx.body,
			);
			for (const entry of body) {
				const role = guild.roles.get(ids.role(entry.id));
				if (role === undefined) throw DiscordHttpError.unknown('Role');
				if (entry.position != null) guild.roles.set(ids.role(role.id), { ...role, position: entry.position });
			}
			return { status: 200, body: [...guild.roles.values()] };
		},
	},
];
