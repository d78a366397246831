import { uncheckedSnowflake } from '@ovenjs/types';
import { z } from 'zod';
import { DiscordHttpError, JsonErrorCodes } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { parseBody, snowflakeParam } from './shared.js';

const CallbackBody = z.object({ type: z.union([z.literal(1), z.literal(4), z.literal(5), z.literal(6), z.literal(7), z.literal(8), z.literal(9), z.literal(10), z.literal(12)]), data: z.looseObject({}).exactOptional() });

/** Interaction callbacks. */
export const interactionRoutes: readonly RouteDefinition[] = [
	{
		method: 'POST',
		path: '/interactions/{interaction_id}/{interaction_token}/callback',
		auth: 'none',
		handler: (ctx: RouteContext): RouteResult => {
			const id = uncheckedSnowflake('Interaction', snowflakeParam(ctx, 'interaction_id'));
			const body = parseBody(CallbackBody, ctx.body);
			const outcome = ctx.services.interactions.respond(id, ctx.params.interaction_token ?? '', body);
			if (outcome === 'unknown') throw DiscordHttpError.unknown('Interaction');
			if (outcome === 'acknowledged') throw new DiscordHttpError(400, JsonErrorCodes.InteractionAlreadyAcknowledged, 'Interaction has already been acknowledged.');
			return { status: 204 };
		},
	},
];
