import { GatewayOpcodes } from 'discord-api-types/v10';
import { uncheckedSnowflake } from '@ovenjs/types';
import type { RawData } from 'ws';
import { makeMessage, type MockUser } from '../world/factories.js';
import type { ChannelRecord, GuildRecord, World } from '../world/World.js';

/** A WebSocket message as text. */
export function rawToString(raw: RawData): string {
	if (Buffer.isBuffer(raw)) return raw.toString('utf8');
	if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
	return Buffer.from(raw).toString('utf8');
}

const OPCODES: ReadonlySet<number> = new Set(
	Object.values(GatewayOpcodes).filter((value) => typeof value === 'number'),
);

/** Whether a client sent a defined gateway opcode (others close with 4001). */
export function isOpcode(op: number): op is GatewayOpcodes {
	return OPCODES.has(op);
}

/**
 * A message payload as a session without the MessageContent intent sees it: content, embeds, attachments,
 * components and poll are emptied unless the bot wrote the message or is mentioned in it.
 * @see {@link https://discord.com/developers/docs/events/gateway#message-content-intent}
 */
export function stripMessageContent(data: unknown, botId: string): unknown {
	if (typeof data !== 'object' || data === null) return data;
	const author: unknown = Reflect.get(data, 'author');
	const mentions: unknown = Reflect.get(data, 'mentions');
	const fromBot = typeof author === 'object' && author !== null && Reflect.get(author, 'id') === botId;
	const mentionList: readonly unknown[] = Array.isArray(mentions) ? mentions : [];
	const mentioned = mentionList.some(
		(user) => typeof user === 'object' && user !== null && Reflect.get(user, 'id') === botId,
	);
	if (fromBot || mentioned) return data;
	return { ...data, content: '', embeds: [], attachments: [], components: [], poll: undefined };
}

const ID_NAME = 'OVENJS_FLOOD_ID';
const TIME_NAME = 'OVENJS_FLOOD_TIME';
const CONTENT_NAME = 'OVENJS_FLOOD_CONTENT';
/** Splits a serialized template at the placeholders, keeping their names as separate parts. */
const MARKS = /@@(OVENJS_FLOOD_(?:ID|TIME|CONTENT))@@/;

/**
 * Serializes a flood message once with placeholders, and returns a function that splices each event's ID, time
 * and (JSON-escaped) content in: the flood then costs a few string joins per event instead of a full serialization.
 */
export function floodRenderer(
	world: World,
	channel: ChannelRecord,
	guild: GuildRecord | undefined,
	author: MockUser,
): (strip: boolean, id: string, time: string, escapedContent: string) => string {
	const template = makeMessage({
		id: uncheckedSnowflake('Message', '1'),
		channelId: channel.id,
		guildId: channel.guildId,
		author,
		member: undefined,
		content: `@@${CONTENT_NAME}@@`,
		timestamp: `@@${TIME_NAME}@@`,
		mentions: [],
		mentionRoles: [],
		mentionEveryone: false,
	});
	const payload = { ...world.gatewayMessage(template, guild), id: `@@${ID_NAME}@@` };
	const full = JSON.stringify(payload).split(MARKS);
	const stripped = JSON.stringify(stripMessageContent(payload, world.botUser.id)).split(MARKS);
	return (strip, id, time, content) =>
		(strip ? stripped : full)
			.map((part) => (part === ID_NAME ? id : part === TIME_NAME ? time : part === CONTENT_NAME ? content : part))
			.join('');
}
