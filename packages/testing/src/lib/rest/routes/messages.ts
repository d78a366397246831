import { GatewayDispatchEvents, type APIAttachment, type APIMessage } from 'discord-api-types/v10';
import { snowflakeTimestamp, uncheckedSnowflake, type MessageId } from '@ovenjs/types';
import { z } from 'zod';
import { messageFlags } from '../../utils/flags.js';
import { DiscordHttpError, JsonErrorCodes } from '../DiscordHttpError.js';
import type { World } from '../../world/World.js';
import { postMessage } from '../../world/postMessage.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { assertAccess, channelOf, messageIdOf, parseBody, snowflakeParam } from './shared.js';

/**
 * How long the mock remembers an `enforce_nonce` nonce. Discord checks it for uniqueness "in the past few
 * minutes"; three minutes is at least as long as a client may rely on (the OvenJS client trusts two).
 *
 * @see {@link https://discord.com/developers/docs/resources/message#create-message-jsonform-params}
 */
export const NONCE_WINDOW_MS = 180_000;

interface NonceEntry {
	readonly message: APIMessage;
	readonly at: number;
}

/** Nonces of recent message creates per world, keyed by channel, author and nonce. */
const nonces = new WeakMap<World, Map<string, NonceEntry>>();

function nonceStore(world: World): Map<string, NonceEntry> {
	let store = nonces.get(world);
	if (store === undefined) {
		store = new Map();
		nonces.set(world, store);
	}
	return store;
}

/** Forgets nonces older than the window (entries are in insertion order, so the old ones are first). */
function sweepNonces(store: Map<string, NonceEntry>, now: number): void {
	for (const [key, entry] of store) {
		if (now - entry.at <= NONCE_WINDOW_MS) break;
		store.delete(key);
	}
}

const snowflake = z.string().regex(/^\d{17,20}$/, 'Value is not snowflake.');
const embed = z.looseObject({
	title: z.string().max(256).exactOptional(),
	description: z.string().max(4096).exactOptional(),
	url: z.string().exactOptional(),
	color: z.number().int().min(0).max(0xffffff).exactOptional(),
	fields: z
		.array(
			z.looseObject({
				name: z.string().min(1).max(256),
				value: z.string().min(1).max(1024),
				inline: z.boolean().exactOptional(),
			}),
		)
		.max(25)
		.exactOptional(),
});
const attachmentRef = z.looseObject({
	id: z.union([snowflake, z.number().int().min(0), z.string()]),
	filename: z.string().exactOptional(),
	description: z.string().max(1024).exactOptional(),
});

/** Body of `POST /channels/{channel.id}/messages`. */
export const MessageCreateBody = z.object({
	content: z.string().max(2000).exactOptional(),
	nonce: z.union([z.string().max(25), z.number().int()]).exactOptional(),
	tts: z.boolean().exactOptional(),
	embeds: z.array(embed).max(10).exactOptional(),
	allowed_mentions: z.looseObject({}).exactOptional(),
	message_reference: z
		.looseObject({
			message_id: snowflake,
			channel_id: snowflake.exactOptional(),
			guild_id: snowflake.exactOptional(),
			fail_if_not_exists: z.boolean().exactOptional(),
			type: z.number().int().exactOptional(),
		})
		.exactOptional(),
	components: z
		.array(z.looseObject({ type: z.number().int() }))
		.max(40)
		.exactOptional(),
	sticker_ids: z.array(snowflake).max(3).exactOptional(),
	attachments: z.array(attachmentRef).max(10).exactOptional(),
	flags: z.number().int().exactOptional(),
	enforce_nonce: z.boolean().exactOptional(),
	poll: z.looseObject({}).exactOptional(),
});

/** Body of `PATCH /channels/{channel.id}/messages/{message.id}`. */
export const MessageEditBody = z.object({
	content: z.string().max(2000).nullable().exactOptional(),
	embeds: z.array(embed).max(10).nullable().exactOptional(),
	flags: z.number().int().nullable().exactOptional(),
	allowed_mentions: z.looseObject({}).nullable().exactOptional(),
	components: z
		.array(z.looseObject({ type: z.number().int() }))
		.max(40)
		.nullable()
		.exactOptional(),
	attachments: z.array(attachmentRef).max(10).nullable().exactOptional(),
});

/** Attachment payloads for the files of a multipart request. */
export function attachmentsOf(ctx: RouteContext): APIAttachment[] {
	return ctx.files.map((file) => {
		const id = ctx.world.ids.next('Attachment');
		const url = `https://cdn.discordapp.com/attachments/${ctx.params.channel_id ?? '0'}/${id}/${encodeURIComponent(file.filename)}`;
		return {
			id,
			filename: file.filename,
			size: file.data.length,
			url,
			proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
			content_type: file.contentType,
		};
	});
}

function messageOf(ctx: RouteContext): { message: APIMessage; id: MessageId } {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	const id = messageIdOf(ctx);
	const message = channel.messages.get(id);
	if (message === undefined) throw DiscordHttpError.unknown('Message');
	return { message, id };
}

const createMessage = (ctx: RouteContext): { status: number; body: APIMessage } => {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	const body = parseBody(MessageCreateBody, ctx.body);
	// Discord's nonce rule: with enforce_nonce, a nonce already used by the same author in the channel within the
	// last few minutes returns that message instead of creating another.
	const nonceKey =
		body.enforce_nonce === true && body.nonce !== undefined
			? `${channel.id}:${ctx.world.botUser.id}:${String(body.nonce)}`
			: undefined;
	const store = nonceKey === undefined ? undefined : nonceStore(ctx.world);
	if (store !== undefined && nonceKey !== undefined) {
		const now = Date.now();
		sweepNonces(store, now);
		const seen = store.get(nonceKey);
		if (seen !== undefined) {
			const current = channel.messages.get(uncheckedSnowflake('Message', seen.message.id));
			return { status: 200, body: current ?? seen.message };
		}
	}
	const attachments = attachmentsOf(ctx);
	const empty =
		(body.content ?? '') === '' &&
		(body.embeds ?? []).length === 0 &&
		attachments.length === 0 &&
		(body.sticker_ids ?? []).length === 0 &&
		(body.components ?? []).length === 0 &&
		body.poll === undefined;
	if (empty) throw new DiscordHttpError(400, JsonErrorCodes.CannotSendEmptyMessage, 'Cannot send an empty message');
	const reference = body.message_reference;
	let referenced: APIMessage | undefined;
	if (reference !== undefined) {
		referenced = channel.messages.get(uncheckedSnowflake('Message', reference.message_id));
		if (referenced === undefined && reference.fail_if_not_exists !== false) {
			throw DiscordHttpError.field(['message_reference'], 'REPLIES_UNKNOWN_MESSAGE', 'Unknown message');
		}
	}
	const message = postMessage(ctx.world, channel.id, ctx.world.botUser, {
		content: body.content ?? '',
		...(body.nonce === undefined ? {} : { nonce: body.nonce }),
		...(body.tts === undefined ? {} : { tts: body.tts }),
		...(body.embeds === undefined ? {} : { embeds: body.embeds }),
		...(body.flags === undefined ? {} : { flags: body.flags }),
		attachments,
		...(reference === undefined
			? {}
			: {
					messageReference: {
						message_id: reference.message_id,
						channel_id: channel.id,
						...(channel.guildId === null ? {} : { guild_id: channel.guildId }),
					},
					referencedMessage: referenced ?? null,
				}),
	});
	if (store !== undefined && nonceKey !== undefined) store.set(nonceKey, { message, at: Date.now() });
	return { status: 200, body: message };
};

/** Message routes: create, get, list, edit, delete, bulk delete. */
export const messageRoutes: readonly RouteDefinition[] = [
	{ method: 'POST', path: '/channels/{channel_id}/messages', handler: createMessage },
	{
		method: 'GET',
		path: '/channels/{channel_id}/messages',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const query = parseBody(
				z.object({
					limit: z.coerce.number().int().min(1).max(100).default(50),
					before: snowflake.exactOptional(),
					after: snowflake.exactOptional(),
					around: snowflake.exactOptional(),
				}),
				Object.fromEntries(ctx.query),
			);
			const all = [...channel.messages.values()];
			let selected: APIMessage[];
			if (query.around !== undefined) {
				const around = BigInt(query.around);
				const older = all.filter((message) => BigInt(message.id) <= around).slice(-Math.ceil(query.limit / 2));
				const newer = all
					.filter((message) => BigInt(message.id) > around)
					.slice(0, Math.floor(query.limit / 2));
				selected = [...older, ...newer];
			} else if (query.after !== undefined) {
				const after = BigInt(query.after);
				selected = all.filter((message) => BigInt(message.id) > after).slice(0, query.limit);
			} else {
				const before = query.before === undefined ? undefined : BigInt(query.before);
				selected = (before === undefined ? all : all.filter((message) => BigInt(message.id) < before)).slice(
					-query.limit,
				);
			}
			return { status: 200, body: selected.reverse() };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/messages/{message_id}',
		handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: messageOf(ctx).message }),
	},
	{
		method: 'PATCH',
		path: '/channels/{channel_id}/messages/{message_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const { message, id } = messageOf(ctx);
			const body = parseBody(MessageEditBody, ctx.body);
			if (message.author.id !== ctx.world.botUser.id && (body.content != null || body.embeds != null)) {
				throw new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
			}
			const edited: APIMessage = {
				...message,
				...(body.content == null ? {} : { content: body.content }),
				...(body.embeds == null ? {} : { embeds: body.embeds }),
				...(body.flags == null ? {} : { flags: messageFlags(body.flags) }),
				...(body.attachments === null ? { attachments: [] } : {}),
				edited_timestamp: ctx.world.now(),
			};
			const channel = channelOf(ctx);
			channel.messages.set(id, edited);
			const guild = channel.guildId === null ? undefined : ctx.world.guilds.get(channel.guildId);
			ctx.world.emit(
				GatewayDispatchEvents.MessageUpdate,
				ctx.world.gatewayMessage(edited, guild),
				channel.guildId,
			);
			return { status: 200, body: edited };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/{message_id}',
		bucket: 'message-delete',
		handler: (ctx: RouteContext): RouteResult => {
			const { id } = messageOf(ctx);
			const channel = channelOf(ctx);
			channel.messages.delete(id);
			ctx.world.emit(
				GatewayDispatchEvents.MessageDelete,
				{ id, channel_id: channel.id, ...(channel.guildId === null ? {} : { guild_id: channel.guildId }) },
				channel.guildId,
			);
			return { status: 204 };
		},
	},
	{
		method: 'POST',
		path: '/channels/{channel_id}/messages/bulk-delete',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const body = parseBody(z.object({ messages: z.array(snowflake).min(2).max(100) }), ctx.body);
			const cutoff = Date.now() - 14 * 24 * 60 * 60 * 1000;
			body.messages.forEach((raw, index) => {
				if (snowflakeTimestamp(uncheckedSnowflake('Message', raw)) < cutoff) {
					throw DiscordHttpError.field(
						['messages', index],
						'MESSAGE_BULK_DELETE_TOO_OLD',
						'You can only bulk delete messages that are under 14 days old.',
					);
				}
			});
			const ids = body.messages
				.map((raw) => uncheckedSnowflake('Message', raw))
				.filter((id) => channel.messages.delete(id));
			ctx.world.emit(
				GatewayDispatchEvents.MessageDeleteBulk,
				{ ids, channel_id: channel.id, ...(channel.guildId === null ? {} : { guild_id: channel.guildId }) },
				channel.guildId,
			);
			return { status: 204 };
		},
	},
];

/** Validates `{channel_id}` (exported for routes that only need the check). */
export const requireChannelParam = (ctx: RouteContext): string => snowflakeParam(ctx, 'channel_id');
