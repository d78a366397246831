import { GatewayDispatchEvents, type APIMessage, type APIReaction } from 'discord-api-types/v10';
import type { UserId } from '@ovenjs/types';
import type { ChannelRecord } from '../../world/World.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { assertAccess, channelOf, ids, messageIdOf, requirePermission, userIdOf } from './shared.js';

interface Target {
	readonly channel: ChannelRecord;
	readonly message: APIMessage;
	readonly emojiKey: string;
	readonly emoji: { id: string | null; name: string };
}

function parseEmoji(raw: string): { key: string; emoji: { id: string | null; name: string } } {
	const custom = /^(?:a:)?([\w-]{1,32}):(\d{17,20})$/.exec(raw);
	if (custom !== null)
		return {
			key: `${custom[1] ?? ''}:${custom[2] ?? ''}`,
			emoji: { id: custom[2] ?? null, name: custom[1] ?? '' },
		};
	if (raw.length === 0 || raw.length > 32 || /[\s:]/.test(raw))
		throw new DiscordHttpError(400, 10014, 'Unknown Emoji');
	return { key: raw, emoji: { id: null, name: raw } };
}

function targetOf(ctx: RouteContext): Target {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	const message = channel.messages.get(messageIdOf(ctx));
	if (message === undefined) throw DiscordHttpError.unknown('Message');
	const { key, emoji } = parseEmoji(ctx.params.emoji_name ?? '');
	return { channel, message, emojiKey: key, emoji };
}

function summary(ctx: RouteContext, target: Target): void {
	const reactions = ctx.world.data.reactions.get(ids.message(target.message.id));
	const botId = ids.user(ctx.world.botUser.id);
	const list: APIReaction[] = [];
	for (const [key, users] of reactions ?? []) {
		if (users.size === 0) continue;
		const { emoji } = parseEmoji(key);
		list.push({
			count: users.size,
			count_details: { burst: 0, normal: users.size },
			me: users.has(botId),
			me_burst: false,
			burst_colors: [],
			emoji,
		});
	}
	const updated: APIMessage = { ...target.message };
	if (list.length > 0) updated.reactions = list;
	else delete updated.reactions;
	target.channel.messages.set(ids.message(target.message.id), updated);
}

function usersOf(ctx: RouteContext, target: Target): Set<UserId> {
	const messageId = ids.message(target.message.id);
	let byEmoji = ctx.world.data.reactions.get(messageId);
	if (byEmoji === undefined) {
		byEmoji = new Map();
		ctx.world.data.reactions.set(messageId, byEmoji);
	}
	let users = byEmoji.get(target.emojiKey);
	if (users === undefined) {
		users = new Set();
		byEmoji.set(target.emojiKey, users);
	}
	return users;
}

function base(target: Target): Record<string, unknown> {
	return {
		channel_id: target.channel.id,
		message_id: target.message.id,
		...(target.channel.guildId === null ? {} : { guild_id: target.channel.guildId }),
	};
}

function remove(ctx: RouteContext, target: Target, userId: UserId): RouteResult {
	if (usersOf(ctx, target).delete(userId)) {
		ctx.world.emit(
			GatewayDispatchEvents.MessageReactionRemove,
			{ ...base(target), user_id: userId, emoji: target.emoji, burst: false, type: 0 },
			target.channel.guildId,
		);
		summary(ctx, target);
	}
	return { status: 204 };
}

/** Reaction routes (all share one bucket, as on Discord). */
export const reactionRoutes: readonly RouteDefinition[] = [
	{
		method: 'PUT',
		path: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => {
			const target = targetOf(ctx);
			if (target.channel.guildId !== null)
				requirePermission(ctx, target.channel.guildId, 'AddReactions', target.channel.id);
			const botId = ids.user(ctx.world.botUser.id);
			const users = usersOf(ctx, target);
			if (!users.has(botId)) {
				users.add(botId);
				summary(ctx, target);
				const guild =
					target.channel.guildId === null ? undefined : ctx.world.guilds.get(target.channel.guildId);
				const member = guild?.members.get(botId);
				ctx.world.emit(
					GatewayDispatchEvents.MessageReactionAdd,
					{
						...base(target),
						user_id: botId,
						emoji: target.emoji,
						burst: false,
						type: 0,
						message_author_id: target.message.author.id,
						...(member === undefined ? {} : { member }),
					},
					target.channel.guildId,
				);
			}
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => remove(ctx, targetOf(ctx), ids.user(ctx.world.botUser.id)),
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/{user_id}',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => {
			const target = targetOf(ctx);
			if (target.channel.guildId !== null)
				requirePermission(ctx, target.channel.guildId, 'ManageMessages', target.channel.id);
			return remove(ctx, target, userIdOf(ctx));
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => {
			const target = targetOf(ctx);
			const limit = Math.min(100, Math.max(1, Number(ctx.query.get('limit') ?? 25) || 25));
			const after = BigInt(ctx.query.get('after') ?? '0');
			const users = [...usersOf(ctx, target)]
				.filter((id) => BigInt(id) > after)
				.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
				.slice(0, limit)
				.map((id) => ctx.world.users.get(id))
				.filter((user) => user !== undefined);
			return { status: 200, body: users };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => {
			const target = targetOf(ctx);
			if (target.channel.guildId !== null)
				requirePermission(ctx, target.channel.guildId, 'ManageMessages', target.channel.id);
			ctx.world.data.reactions.get(ids.message(target.message.id))?.delete(target.emojiKey);
			summary(ctx, target);
			ctx.world.emit(
				GatewayDispatchEvents.MessageReactionRemoveEmoji,
				{ ...base(target), emoji: target.emoji },
				target.channel.guildId,
			);
			return { status: 204 };
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/messages/{message_id}/reactions',
		bucket: 'reactions',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const messageId = messageIdOf(ctx);
			const message = channel.messages.get(messageId);
			if (message === undefined) throw DiscordHttpError.unknown('Message');
			if (channel.guildId !== null) requirePermission(ctx, channel.guildId, 'ManageMessages', channel.id);
			ctx.world.data.reactions.delete(messageId);
			const updated: APIMessage = { ...message };
			delete updated.reactions;
			channel.messages.set(messageId, updated);
			ctx.world.emit(
				GatewayDispatchEvents.MessageReactionRemoveAll,
				{
					channel_id: channel.id,
					message_id: messageId,
					...(channel.guildId === null ? {} : { guild_id: channel.guildId }),
				},
				channel.guildId,
			);
			return { status: 204 };
		},
	},
];
