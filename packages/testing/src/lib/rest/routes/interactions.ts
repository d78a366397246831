import { InteractionResponseType, MessageFlags, MessageType } from 'discord-api-types/v10';
import { uncheckedSnowflake } from '@ovenjs/types';
import { z } from 'zod';
import { postMessage } from '../../world/postMessage.js';
import { DiscordHttpError, JsonErrorCodes } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { MessageCreateBody } from './messages.js';
import { ids, parseBody, snowflakeParam } from './shared.js';

const CallbackBody = z.object({
	type: z.enum(InteractionResponseType),
	data: z.looseObject({}).exactOptional(),
});

/** Interaction callbacks: types 4 and 5 create the original response message (`MESSAGE_CREATE`). */
export const interactionRoutes: readonly RouteDefinition[] = [
	{
		method: 'POST',
		path: '/interactions/{interaction_id}/{interaction_token}/callback',
		auth: 'none',
		handler: (ctx: RouteContext): RouteResult => {
			const id = uncheckedSnowflake('Interaction', snowflakeParam(ctx, 'interaction_id'));
			const token = ctx.params.interaction_token ?? '';
			const body = parseBody(CallbackBody, ctx.body);
			const message =
				body.type === InteractionResponseType.ChannelMessageWithSource
					? parseBody(MessageCreateBody, body.data ?? {})
					: undefined;
			if (
				message !== undefined &&
				(message.content ?? '') === '' &&
				(message.embeds ?? []).length === 0 &&
				(message.components ?? []).length === 0 &&
				ctx.files.length === 0
			) {
				throw new DiscordHttpError(400, JsonErrorCodes.CannotSendEmptyMessage, 'Cannot send an empty message');
			}
			const outcome = ctx.services.interactions.respond(id, token, body);
			if (outcome === 'unknown') throw DiscordHttpError.unknown('Interaction');
			if (outcome === 'acknowledged')
				throw new DiscordHttpError(
					400,
					JsonErrorCodes.InteractionAlreadyAcknowledged,
					'Interaction has already been acknowledged.',
				);
			let created: unknown;
			if (
				body.type === InteractionResponseType.ChannelMessageWithSource ||
				body.type === InteractionResponseType.DeferredChannelMessageWithSource
			) {
				const channelId = ctx.services.interactions.channelOfToken(token);
				if (channelId !== undefined && ctx.world.channels.has(channelId)) {
					const deferredFlags =
						body.type === InteractionResponseType.DeferredChannelMessageWithSource
							? MessageFlags.Loading
							: 0;
					// Ephemeral responses are only shown to the user: Discord sends no MESSAGE_CREATE for them.
					const ephemeral = ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
					const original = postMessage(
						ctx.world,
						channelId,
						ctx.world.botUser,
						{
							content: message?.content ?? '',
							...(message?.embeds === undefined ? {} : { embeds: message.embeds }),
							flags: (message?.flags ?? 0) | deferredFlags,
							type: MessageType.ChatInputCommand,
							webhookId: ids.webhook(ctx.services.application.id),
							applicationId: ids.application(ctx.services.application.id),
						},
						!ephemeral,
					);
					ctx.services.interactions.setOriginal(token, ids.message(original.id));
					created = original;
				}
			}
			if (ctx.query.get('with_response') === 'true') {
				return {
					status: 200,
					body: {
						interaction: {
							id,
							type: 2,
							activity_instance_id: null,
							response_message_id:
								created === undefined ? null : ctx.services.interactions.originalOf(token),
							response_message_loading:
								body.type === InteractionResponseType.DeferredChannelMessageWithSource,
							response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
						},
						resource: { type: body.type, ...(created === undefined ? {} : { message: created }) },
					},
				};
			}
			return { status: 204 };
		},
	},
];
