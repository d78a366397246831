import { GatewayDispatchEvents, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { uncheckedSnowflake, type ChannelId } from '@ovenjs/types';
import { makeMessage, type MessageInit } from './factories.js';
import { gatewayMessage } from './payloadShapes.js';
import type { World } from './World.js';

/** What a poster chooses about a message; the world derives the rest (ID, channel, mentions, timestamp). */
export type PostedMessageFields = Partial<
	Omit<
		MessageInit,
		| 'id'
		| 'channelId'
		| 'guildId'
		| 'author'
		| 'member'
		| 'timestamp'
		| 'mentions'
		| 'mentionRoles'
		| 'mentionEveryone'
	>
>;

/**
 * Stores a message by `author` in `channelId` and, unless `dispatch` is false (an ephemeral interaction response),
 * dispatches `MESSAGE_CREATE`. Shared by `World.sendMessage` and the REST routes that create messages.
 * Package-private: not exported from src/index.ts.
 */
export function postMessage(
	world: World,
	channelId: ChannelId,
	author: APIUser,
	fields: PostedMessageFields,
	dispatch = true,
): APIMessage {
	const channel = world.channel(channelId);
	const guild = channel.guildId === null ? undefined : world.guild(channel.guildId);
	const content = fields.content ?? '';
	const mentions = [...content.matchAll(/<@!?(\d{17,20})>/g)]
		.map((match) => world.users.get(uncheckedSnowflake('User', match[1] ?? '')))
		.filter((user) => user !== undefined);
	const mentionRoles = [...content.matchAll(/<@&(\d{17,20})>/g)]
		.map((match) => uncheckedSnowflake('Role', match[1] ?? ''))
		.filter((role) => guild?.roles.has(role) === true);
	const id = world.ids.next('Message');
	const message = makeMessage({
		...fields,
		id,
		channelId,
		guildId: channel.guildId,
		author,
		member: undefined,
		content,
		timestamp: world.now(),
		mentions,
		mentionRoles,
		mentionEveryone: content.includes('@everyone'),
	});
	channel.messages.set(id, message);
	if ('last_message_id' in channel.channel) channel.channel.last_message_id = id;
	if (dispatch) world.emit(GatewayDispatchEvents.MessageCreate, gatewayMessage(message, guild), channel.guildId);
	return message;
}
