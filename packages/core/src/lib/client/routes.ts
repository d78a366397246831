import { ChannelSchema, GuildSchema, MessageSchema } from '@ovenjs/types';
import type { DispatchEnvelope } from '../bus/points.js';
import { CoreError } from '../errors/CoreError.js';
import { createInteraction } from '../interactions/interactions.js';
import type { Client } from './Client.js';
import { audience, announceText, DispatchEvents, EventPoints, HANDLERS, LISTENERS } from './announcements.js';
import { ClientMessage } from './ClientMessage.js';
import { checked } from './DispatchValidator.js';
import { isAPIInteraction } from './guards.js';
import {
	GuildIdentitySchema,
	GuildMemberEventSchema,
	GuildMemberRemoveSchema,
	MessageDeleteSchema,
	MessageUpdateSchema,
} from './schemas.js';

/**
 * Reports a payload the client could not use (`error:validation` and a `warn` event, plus `client:warn`); the
 * client goes on with the next dispatch.
 */
export function reportInvalid(client: Client, event: DispatchEnvelope, error: unknown): void {
	const bus = client.extensions;
	if (bus.has('error:validation')) bus.emit('error:validation', error, { source: `gateway:${event.t}` });
	announceText(
		client,
		bus,
		'warn',
		`Ignored an invalid ${event.t} payload from shard ${event.shardId}${error instanceof Error ? `: ${error.message}` : '.'}`,
	);
}

/**
 * Turns a handled dispatch (other than READY, which the client reads itself) into the client's typed events and
 * their bus points ({@link DispatchEvents}, {@link EventPoints}). The client's {@link DispatchValidator} accepted
 * the payload before (so it is used as is, typed with {@link checked}); nothing is built for an event nobody
 * listens to ({@link audience}).
 */
export function routeDispatch(client: Client, event: DispatchEnvelope): void {
	const bus = client.extensions;
	const d = event.d;
	switch (event.t) {
		case 'MESSAGE_CREATE': {
			const to = audience(client, bus, 'messageCreate');
			if (to === 0 || !checked(MessageSchema, d)) return;
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.messageCreate, d);
			if ((to & LISTENERS) !== 0) client.emit('messageCreate', new ClientMessage(client, d, event.shardId));
			return;
		}
		case 'MESSAGE_UPDATE': {
			const to = audience(client, bus, 'messageUpdate');
			if (to === 0 || !checked(MessageUpdateSchema, d)) return;
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.messageUpdate, d);
			if ((to & LISTENERS) !== 0) client.emit('messageUpdate', d);
			return;
		}
		case 'MESSAGE_DELETE': {
			const to = audience(client, bus, 'messageDelete');
			if (to === 0 || !checked(MessageDeleteSchema, d)) return;
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.messageDelete, d);
			if ((to & LISTENERS) !== 0) client.emit('messageDelete', d);
			return;
		}
		case 'GUILD_CREATE': {
			const to = audience(client, bus, 'guildCreate');
			if (to === 0 || !checked(GuildSchema, d)) return;
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.guildCreate, d.id);
			if ((to & LISTENERS) !== 0) client.emit('guildCreate', d.id, client.cache.guild(d.id));
			return;
		}
		case 'GUILD_UPDATE': {
			if (audience(client, bus, 'guildUpdate') !== 0 && checked(GuildSchema, d))
				client.emit('guildUpdate', d.id, client.cache.guild(d.id));
			return;
		}
		case 'GUILD_DELETE': {
			const to = audience(client, bus, 'guildDelete');
			if (to === 0 || !checked(GuildIdentitySchema, d)) return;
			const left = d.unavailable !== true;
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.guildDelete, d.id, left);
			if ((to & LISTENERS) !== 0) client.emit('guildDelete', d.id, left);
			return;
		}
		case 'CHANNEL_CREATE':
		case 'CHANNEL_UPDATE':
		case 'CHANNEL_DELETE': {
			const name = DispatchEvents[event.t];
			if (audience(client, bus, name) !== 0 && checked(ChannelSchema, d)) client.emit(name, d);
			return;
		}
		case 'GUILD_MEMBER_ADD':
		case 'GUILD_MEMBER_UPDATE': {
			const name = DispatchEvents[event.t];
			if (audience(client, bus, name) !== 0 && checked(GuildMemberEventSchema, d)) client.emit(name, d);
			return;
		}
		case 'GUILD_MEMBER_REMOVE': {
			if (audience(client, bus, 'guildMemberRemove') !== 0 && checked(GuildMemberRemoveSchema, d))
				client.emit('guildMemberRemove', d);
			return;
		}
		case 'INTERACTION_CREATE': {
			// The validator checked the payload already ('off' here: no second schema pass).
			if (!isAPIInteraction(d, 'off')) {
				reportInvalid(client, event, CoreError.of('CORE_INTERACTION_UNSUPPORTED', []));
				return;
			}
			const to = audience(client, bus, 'interactionCreate');
			if ((to & HANDLERS) !== 0) bus.emit(EventPoints.interactionCreate, d);
			if ((to & LISTENERS) === 0) return;
			const interaction = createInteraction(d, { api: client.api, bus });
			if (interaction !== undefined) client.emit('interactionCreate', interaction);
			return;
		}
		default:
			return;
	}
}
