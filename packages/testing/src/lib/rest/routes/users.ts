import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import { GatewayDispatchEvents } from 'discord-api-types/v10';
import { z } from 'zod';
import { guildOf, ids, parseBody, userIdOf } from './shared.js';
import { snowflakeSchema } from './schemas.js';

/** User routes. */
export const userRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/users/@me',
		handler: ({ world }: RouteContext): RouteResult => ({
			status: 200,
			body: { ...world.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null },
		}),
	},
	{
		method: 'GET',
		path: '/users/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const user = ctx.world.users.get(userIdOf(ctx));
			if (user === undefined) throw DiscordHttpError.unknown('User');
			return { status: 200, body: user };
		},
	},
	{
		method: 'GET',
		path: '/users/@me/guilds',
		handler: ({ world, query }: RouteContext): RouteResult => {
			const limit = Math.min(200, Math.max(1, Number(query.get('limit') ?? 200) || 200));
			const botId = world.botUser.id;
			const guilds = [...world.guilds.values()]
				.filter((guild) => [...guild.members.keys()].some((id) => id === botId))
				.slice(0, limit)
				.map((guild) => ({
					id: guild.id,
					name: guild.name,
					icon: null,
					banner: null,
					owner: guild.ownerId === botId,
					permissions: '0',
					features: [],
				}));
			return { status: 200, body: guilds };
		},
	},
];

/** DMs, the application, and leaving guilds. */
export const selfRoutes: readonly RouteDefinition[] = [
	{
		method: 'POST',
		path: '/users/@me/channels',
		handler: (ctx: RouteContext): RouteResult => {
			const body = parseBody(z.object({ recipient_id: snowflakeSchema }), ctx.body);
			const userId = ids.user(body.recipient_id);
			if (!ctx.world.users.has(userId)) throw DiscordHttpError.unknown('User');
			return { status: 200, body: ctx.world.dmChannel(userId).channel };
		},
	},
	{
		method: 'GET',
		path: '/applications/@me',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: applicationOf(ctx) }),
	},
	{
		method: 'GET',
		path: '/oauth2/applications/@me',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: applicationOf(ctx) }),
	},
	{
		method: 'GET',
		path: '/users/@me/guilds/{guild_id}/member',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const member = guild.members.get(ids.user(ctx.world.botUser.id));
			if (member === undefined) throw DiscordHttpError.unknown('Guild');
			return { status: 200, body: member };
		},
	},
	{
		method: 'DELETE',
		path: '/users/@me/guilds/{guild_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const guild = guildOf(ctx);
			const botId = ids.user(ctx.world.botUser.id);
			if (!guild.members.has(botId)) throw DiscordHttpError.unknown('Guild');
			ctx.world.emit(GatewayDispatchEvents.GuildDelete, { id: guild.id }, guild.id);
			guild.members.delete(botId);
			return { status: 204 };
		},
	},
];

function applicationOf(ctx: RouteContext): Record<string, unknown> {
	return {
		...ctx.services.application,
		description: '',
		icon: null,
		bot_require_code_grant: false,
		verify_key: '0'.repeat(64),
		team: null,
		bot: ctx.world.botUser,
		approximate_guild_count: ctx.world.guilds.size,
		flags: 0,
	};
}
