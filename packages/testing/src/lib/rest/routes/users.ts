import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import { userIdOf } from './shared.js';

/** User routes. */
export const userRoutes: readonly RouteDefinition[] = [
	{ method: 'GET', path: '/users/@me', handler: ({ world }: RouteContext): RouteResult => ({ status: 200, body: { ...world.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null } }) },
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
				.map((guild) => ({ id: guild.id, name: guild.name, icon: null, banner: null, owner: guild.ownerId === botId, permissions: '0', features: [] }));
			return { status: 200, body: guilds };
		},
	},
];
