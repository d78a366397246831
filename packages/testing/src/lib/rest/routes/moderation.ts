import { AuditLogEvent, GatewayDispatchEvents, type APIAuditLogEntry } from 'discord-api-types/v10';
import { z } from 'zod';
import type { GuildRecord } from '../../world/World.js';
import type { World } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { snowflakeSchema } from './schemas.js';
import { guildOf, ids, parseBody, requireHierarchy, requirePermission, userIdOf } from './shared.js';

const BanBody = z.object({
	delete_message_days: z.number().int().min(0).max(7).exactOptional(),
	delete_message_seconds: z.number().int().min(0).max(604_800).exactOptional(),
});

function ban(world: World, guild: GuildRecord, userId: ReturnType<typeof ids.user>, reason: string | undefined): void {
	const user = world.user(userId);
	world.data.bansOf(guild.id).set(userId, { user, reason: reason ?? null });
	if (guild.members.delete(userId))
		world.emit(GatewayDispatchEvents.GuildMemberRemove, { guild_id: guild.id, user }, guild.id);
	world.emit(GatewayDispatchEvents.GuildBanAdd, { guild_id: guild.id, user }, guild.id);
	world.audit(guild.id, AuditLogEvent.MemberBanAdd, userId, reason);
}

/** Bans and the audit log. */
export const moderationRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/guilds/{guild_id}/bans',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'BanMembers');
			const limit = Math.min(1000, Math.max(1, Number(ctx.query.get('limit') ?? 1000) || 1000));
			const after = BigInt(ctx.query.get('after') ?? '0');
			const bans = [...ctx.world.data.bansOf(guild.id).values()].filter((entry) => BigInt(entry.user.id) > after);
			return { status: 200, body: bans.slice(0, limit) };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/bans/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'BanMembers');
			const entry = ctx.world.data.bansOf(guild.id).get(userIdOf(ctx));
			if (entry === undefined) throw DiscordHttpError.unknown('Ban');
			return { status: 200, body: entry };
		},
	},
	{
		method: 'PUT',
		path: '/guilds/{guild_id}/bans/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'BanMembers');
			parseBody(BanBody, ctx.body);
			const userId = userIdOf(ctx);
			if (!ctx.world.users.has(userId)) throw DiscordHttpError.unknown('User');
			if (userId === guild.ownerId) throw new DiscordHttpError(403, 50013, 'Missing Permissions');
			requireHierarchy(ctx, guild, ctx.world.highestRolePosition(guild, userId));
			ban(ctx.world, guild, userId, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		path: '/guilds/{guild_id}/bans/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'BanMembers');
			const bans = ctx.world.data.bansOf(guild.id);
			const entry = bans.get(userIdOf(ctx));
			if (entry === undefined) throw DiscordHttpError.unknown('Ban');
			bans.delete(userIdOf(ctx));
			ctx.world.emit(GatewayDispatchEvents.GuildBanRemove, { guild_id: guild.id, user: entry.user }, guild.id);
			ctx.world.audit(guild.id, AuditLogEvent.MemberBanRemove, entry.user.id, ctx.auditLogReason);
			return { status: 204 };
		},
	},
	{
		method: 'POST',
		path: '/guilds/{guild_id}/bulk-ban',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'BanMembers');
			requirePermission(ctx, guild.id, 'ManageGuild');
			const body = parseBody(
				z.object({
					user_ids: z.array(snowflakeSchema).min(1).max(200),
					delete_message_seconds: z.number().int().min(0).max(604_800).exactOptional(),
				}),
				ctx.body,
			);
			const banned: string[] = [];
			const failed: string[] = [];
			for (const raw of body.user_ids) {
				const userId = ids.user(raw);
				if (!ctx.world.users.has(userId) || ctx.world.data.bansOf(guild.id).has(userId)) failed.push(raw);
				else {
					ban(ctx.world, guild, userId, ctx.auditLogReason);
					banned.push(raw);
				}
			}
			if (banned.length === 0) throw new DiscordHttpError(500, 500_000, 'Failed to ban users');
			return { status: 200, body: { banned_users: banned, failed_users: failed } };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/audit-logs',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			requirePermission(ctx, guild.id, 'ViewAuditLog');
			const query = parseBody(
				z.object({
					user_id: snowflakeSchema.exactOptional(),
					action_type: z.coerce.number().int().exactOptional(),
					before: snowflakeSchema.exactOptional(),
					after: snowflakeSchema.exactOptional(),
					limit: z.coerce.number().int().min(1).max(100).default(50),
				}),
				Object.fromEntries(ctx.query),
			);
			let entries: APIAuditLogEntry[] = [...ctx.world.data.auditOf(guild.id)];
			if (query.user_id !== undefined) entries = entries.filter((entry) => entry.user_id === query.user_id);
			if (query.action_type !== undefined)
				entries = entries.filter((entry) => entry.action_type === query.action_type);
			if (query.before !== undefined) {
				const before = BigInt(query.before);
				entries = entries.filter((entry) => BigInt(entry.id) < before);
			}
			if (query.after !== undefined) {
				const after = BigInt(query.after);
				entries = entries.filter((entry) => BigInt(entry.id) > after).slice(0, query.limit);
			} else {
				entries = entries.slice(-query.limit);
			}
			entries.reverse();
			const users = [...new Set(entries.flatMap((entry) => [entry.user_id, entry.target_id]))]
				.map((id) => (id === null ? undefined : ctx.world.users.get(ids.user(id))))
				.filter((user) => user !== undefined);
			return {
				status: 200,
				body: {
					audit_log_entries: entries,
					users,
					webhooks: [],
					integrations: [],
					threads: [],
					application_commands: [],
					guild_scheduled_events: [],
					auto_moderation_rules: [],
				},
			};
		},
	},
];
