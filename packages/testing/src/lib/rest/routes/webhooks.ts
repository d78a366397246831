import { randomBytes } from 'node:crypto';
import {
	AuditLogEvent,
	GatewayDispatchEvents,
	MessageFlags,
	WebhookType,
	type APIMessage,
	type APIWebhook,
} from 'discord-api-types/v10';
import { z } from 'zod';
import { makeUser } from '../../world/factories.js';
import type { WebhookRecord } from '../../world/WorldData.js';
import { postMessage } from '../../world/postMessage.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { MessageCreateBody, MessageEditBody, attachmentsOf } from './messages.js';
import {
	assertAccess,
	channelOf,
	guildOfChannel,
	ids,
	parseBody,
	requirePermission,
	snowflakeParam,
} from './shared.js';

const WebhookBody = z.object({
	name: z.string().min(1).max(80).exactOptional(),
	avatar: z.string().nullable().exactOptional(),
	channel_id: z.string().exactOptional(),
});
const ExecuteBody = MessageCreateBody.extend({
	username: z.string().min(1).max(80).exactOptional(),
	avatar_url: z.string().exactOptional(),
	thread_name: z.string().max(100).exactOptional(),
});

function webhookOf(ctx: RouteContext, withToken: boolean): WebhookRecord {
	const record = ctx.world.data.webhooks.get(ids.webhook(snowflakeParam(ctx, 'webhook_id')));
	if (record === undefined || (withToken && record.token !== ctx.params.webhook_token))
		throw DiscordHttpError.unknown('Webhook');
	return record;
}

function publicWebhook(record: WebhookRecord, withToken: boolean): APIWebhook {
	const { token: _token, user: _user, ...rest } = { ...record.webhook, token: undefined };
	return withToken ? { ...rest, token: record.token } : rest;
}

/** Interaction follow-ups use `/webhooks/{application_id}/{interaction_token}`. */
function isInteraction(ctx: RouteContext): boolean {
	return (
		ctx.params.webhook_id === ctx.services.application.id &&
		ctx.services.interactions.tokenKnown(ctx.params.webhook_token ?? '')
	);
}

function targetMessageId(ctx: RouteContext): string {
	const raw = ctx.params.message_id ?? '';
	if (raw === '@original') {
		const original = ctx.services.interactions.originalOf(ctx.params.webhook_token ?? '');
		if (original === undefined) throw DiscordHttpError.unknown('Message');
		return original;
	}
	return snowflakeParam(ctx, 'message_id');
}

function channelOfHook(ctx: RouteContext): ReturnType<typeof channelOf> {
	if (isInteraction(ctx)) {
		const channelId = ctx.services.interactions.channelOfToken(ctx.params.webhook_token ?? '');
		const channel = channelId === undefined ? undefined : ctx.world.channels.get(channelId);
		if (channel === undefined) throw DiscordHttpError.unknown('Channel');
		return channel;
	}
	const record = webhookOf(ctx, true);
	return ctx.world.channel(record.channelId);
}

function hookMessage(ctx: RouteContext): { channel: ReturnType<typeof channelOf>; message: APIMessage } {
	const channel = channelOfHook(ctx);
	const message = channel.messages.get(ids.message(targetMessageId(ctx)));
	if (message === undefined || message.webhook_id !== ctx.params.webhook_id)
		throw DiscordHttpError.unknown('Message');
	return { channel, message };
}

function execute(ctx: RouteContext): RouteResult {
	const body = parseBody(ExecuteBody, ctx.body);
	const channel = channelOfHook(ctx);
	const interaction = isInteraction(ctx);
	const webhookId = ids.webhook(ctx.params.webhook_id ?? '');
	const author = interaction
		? ctx.world.botUser
		: { ...makeUser(ids.user(webhookId), body.username ?? webhookOf(ctx, true).webhook.name ?? 'webhook', true) };
	const attachments = attachmentsOf(ctx);
	if (
		(body.content ?? '') === '' &&
		(body.embeds ?? []).length === 0 &&
		attachments.length === 0 &&
		(body.components ?? []).length === 0 &&
		body.poll === undefined
	) {
		throw new DiscordHttpError(400, 50006, 'Cannot send an empty message');
	}
	const message = postMessage(
		ctx.world,
		channel.id,
		author,
		{
			content: body.content ?? '',
			...(body.embeds === undefined ? {} : { embeds: body.embeds }),
			...(body.tts === undefined ? {} : { tts: body.tts }),
			...(body.flags === undefined ? {} : { flags: body.flags }),
			attachments,
			webhookId,
			...(interaction ? { applicationId: ids.application(ctx.services.application.id) } : {}),
		},
		!(interaction && ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0),
	);
	const wait = interaction || ctx.query.get('wait') === 'true';
	return wait ? { status: 200, body: message } : { status: 204 };
}

function editHookMessage(ctx: RouteContext): RouteResult {
	const { channel, message } = hookMessage(ctx);
	const body = parseBody(MessageEditBody, ctx.body);
	const attachments = attachmentsOf(ctx);
	const edited: APIMessage = {
		...message,
		...(body.content == null ? {} : { content: body.content }),
		...(body.embeds == null ? {} : { embeds: body.embeds }),
		...(attachments.length > 0 ? { attachments } : {}),
		edited_timestamp: ctx.world.now(),
	};
	channel.messages.set(ids.message(message.id), edited);
	const guild = channel.guildId === null ? undefined : ctx.world.guilds.get(channel.guildId);
	ctx.world.emit(GatewayDispatchEvents.MessageUpdate, ctx.world.gatewayMessage(edited, guild), channel.guildId);
	return { status: 200, body: edited };
}

function deleteHookMessage(ctx: RouteContext): RouteResult {
	const { channel, message } = hookMessage(ctx);
	channel.messages.delete(ids.message(message.id));
	ctx.world.emit(
		GatewayDispatchEvents.MessageDelete,
		{ id: message.id, channel_id: channel.id, ...(channel.guildId === null ? {} : { guild_id: channel.guildId }) },
		channel.guildId,
	);
	return { status: 204 };
}

function updateHook(ctx: RouteContext, record: WebhookRecord): RouteResult {
	const body = parseBody(WebhookBody, ctx.body);
	record.webhook = { ...record.webhook, ...(body.name === undefined ? {} : { name: body.name }) };
	ctx.world.emit(
		GatewayDispatchEvents.WebhooksUpdate,
		{ guild_id: record.guildId, channel_id: record.channelId },
		record.guildId,
	);
	ctx.world.audit(record.guildId, AuditLogEvent.WebhookUpdate, record.webhook.id, ctx.auditLogReason);
	return { status: 200, body: record.webhook };
}

function deleteHook(ctx: RouteContext, record: WebhookRecord): RouteResult {
	ctx.world.data.webhooks.delete(ids.webhook(record.webhook.id));
	ctx.world.emit(
		GatewayDispatchEvents.WebhooksUpdate,
		{ guild_id: record.guildId, channel_id: record.channelId },
		record.guildId,
	);
	ctx.world.audit(record.guildId, AuditLogEvent.WebhookDelete, record.webhook.id, ctx.auditLogReason);
	return { status: 204 };
}

/** Webhooks (bot-managed and token-executed) and interaction follow-ups. */
export const webhookRoutes: readonly RouteDefinition[] = [
	{
		method: 'POST',
		path: '/channels/{channel_id}/webhooks',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'ManageWebhooks', channel.id);
			const body = parseBody(WebhookBody.extend({ name: z.string().min(1).max(80) }), ctx.body);
			if (/clyde|discord/i.test(body.name))
				throw DiscordHttpError.field(
					['name'],
					'WEBHOOK_INVALID_USERNAME',
					'Username cannot contain "clyde" or "discord".',
				);
			const id = ctx.world.ids.next('Webhook');
			const token = randomBytes(48).toString('base64url');
			const webhook: APIWebhook = {
				id,
				type: WebhookType.Incoming,
				guild_id: guild.id,
				channel_id: channel.id,
				user: ctx.world.botUser,
				name: body.name,
				avatar: null,
				token,
				application_id: null,
			};
			ctx.world.data.webhooks.set(id, { webhook, token, channelId: channel.id, guildId: guild.id });
			ctx.world.emit(
				GatewayDispatchEvents.WebhooksUpdate,
				{ guild_id: guild.id, channel_id: channel.id },
				guild.id,
			);
			ctx.world.audit(guild.id, AuditLogEvent.WebhookCreate, id, ctx.auditLogReason);
			return { status: 200, body: webhook };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/webhooks',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'ManageWebhooks', channel.id);
			return {
				status: 200,
				body: [...ctx.world.data.webhooks.values()]
					.filter((hook) => hook.channelId === channel.id)
					.map((hook) => hook.webhook),
			};
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/webhooks',
		handler: (ctx: RouteContext): RouteResult => {
			const guildId = ids.guild(snowflakeParam(ctx, 'guild_id'));
			if (!ctx.world.guilds.has(guildId)) throw DiscordHttpError.unknown('Guild');
			requirePermission(ctx, guildId, 'ManageWebhooks');
			return {
				status: 200,
				body: [...ctx.world.data.webhooks.values()]
					.filter((hook) => hook.guildId === guildId)
					.map((hook) => hook.webhook),
			};
		},
	},
	{
		method: 'GET',
		path: '/webhooks/{webhook_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: webhookOf(ctx, false).webhook }),
	},
	{
		method: 'PATCH',
		path: '/webhooks/{webhook_id}',
		handler: (ctx: RouteContext): RouteResult => updateHook(ctx, webhookOf(ctx, false)),
	},
	{
		method: 'DELETE',
		path: '/webhooks/{webhook_id}',
		handler: (ctx: RouteContext): RouteResult => deleteHook(ctx, webhookOf(ctx, false)),
	},
	{
		method: 'GET',
		path: '/webhooks/{webhook_id}/{webhook_token}',
		auth: 'none',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: publicWebhook(webhookOf(ctx, true), true) }),
	},
	{
		method: 'PATCH',
		path: '/webhooks/{webhook_id}/{webhook_token}',
		auth: 'none',
		handler: (ctx: RouteContext): RouteResult => updateHook(ctx, webhookOf(ctx, true)),
	},
	{
		method: 'DELETE',
		path: '/webhooks/{webhook_id}/{webhook_token}',
		auth: 'none',
		handler: (ctx: RouteContext): RouteResult => deleteHook(ctx, webhookOf(ctx, true)),
	},
	{ method: 'POST', path: '/webhooks/{webhook_id}/{webhook_token}', auth: 'none', handler: execute },
	...(
		[
			'/webhooks/{webhook_id}/{webhook_token}/messages/@original',
			'/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
		] as const
	).flatMap((path): RouteDefinition[] => {
		const withParam = (ctx: RouteContext): RouteContext =>
			path.endsWith('@original') ? { ...ctx, params: { ...ctx.params, message_id: '@original' } } : ctx;
		return [
			{
				method: 'GET',
				path,
				auth: 'none',
				handler: (ctx: RouteContext): RouteResult => ({
					status: 200,
					body: hookMessage(withParam(ctx)).message,
				}),
			},
			{
				method: 'PATCH',
				path,
				auth: 'none',
				handler: (ctx: RouteContext): RouteResult => editHookMessage(withParam(ctx)),
			},
			{
				method: 'DELETE',
				path,
				auth: 'none',
				handler: (ctx: RouteContext): RouteResult => deleteHookMessage(withParam(ctx)),
			},
		];
	}),
];
