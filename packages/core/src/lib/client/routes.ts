import { ChannelSchema, GuildSchema, MessageSchema } from '@ovenjs/types';
import type { DispatchEnvelope } from '../bus/points.js';
import { CoreError } from '../errors/CoreError.js';
import { createInteraction } from '../interactions/interactions.js';
import type { Client } from './Client.js';
import type { ClientEvents } from './ClientOptions.js';
import { ClientMessage } from './ClientMessage.js';
import { checked } from './DispatchValidator.js';
import { isAPIInteraction } from './guards.js';
import {
	GuildIdentitySchema,
	GuildMemberEventSchema,
	GuildMemberRemoveSchema,
	MessageDeleteSchema,
	MessageUpdateSchema,
	ReadySchema,
} from './schemas.js';

/**
 * Reports a payload the client could not use (`error:validation` and a `warn` event, plus `client:warn`); the
 * client goes on with the next dispatch.
 */
export function reportInvalid(client: Client, event: DispatchEnvelope, error: unknown): void {
	const bus = client.extensions;
	if (bus.has('error:validation')) bus.emit('error:validation', error, { source: `gateway:${event.t}` });
	const text = `Ignored an invalid ${event.t} payload from shard ${event.shardId}${error instanceof Error ? `: ${error.message}` : '.'}`;
	client.emit('warn', text);
	if (bus.has('client:warn')) bus.emit('client:warn', text);
}

/** The dispatches {@link routeDispatch} turns into events or points (READY also sets the client's IDs). */
export const ROUTED_DISPATCHES: ReadonlySet<string> = new Set([
	'READY',
	'MESSAGE_CREATE',
	'MESSAGE_UPDATE',
	'MESSAGE_DELETE',
	'GUILD_CREATE',
	'GUILD_UPDATE',
	'GUILD_DELETE',
	'CHANNEL_CREATE',
	'CHANNEL_UPDATE',
	'CHANNEL_DELETE',
	'GUILD_MEMBER_ADD',
	'GUILD_MEMBER_UPDATE',
	'GUILD_MEMBER_REMOVE',
	'INTERACTION_CREATE',
]);

function wanted(client: Client, name: keyof ClientEvents): boolean {
	return client.listenerCount(name) > 0;
}

/**
 * Turns a handled dispatch into the client's typed events and bus points. The client's {@link DispatchValidator}
 * accepted the payload before (so it is used as is, typed with {@link checked}); nothing is built for an event
 * nobody listens to.
 */
export function routeDispatch(client: Client, event: DispatchEnvelope): void {
	const bus = client.extensions;
	const d = event.d;
	switch (event.t) {
		case 'READY': {
			if (!checked(ReadySchema, d)) return;
			client.userId = d.user.id;
			client.applicationId = d.application.id;
			return;
		}
		case 'MESSAGE_CREATE': {
			const listened = wanted(client, 'messageCreate');
			const hooked = bus.has('message:create');
			if ((!listened && !hooked) || !checked(MessageSchema, d)) return;
			if (hooked) bus.emit('message:create', d);
			if (listened) client.emit('messageCreate', new ClientMessage(client, d, event.shardId));
			return;
		}
		case 'MESSAGE_UPDATE': {
			const listened = wanted(client, 'messageUpdate');
			const hooked = bus.has('message:update');
			if ((!listened && !hooked) || !checked(MessageUpdateSchema, d)) return;
			if (hooked) bus.emit('message:update', d);
			if (listened) client.emit('messageUpdate', d);
			return;
		}
		case 'MESSAGE_DELETE': {
			const listened = wanted(client, 'messageDelete');
			const hooked = bus.has('message:delete');
			if ((!listened && !hooked) || !checked(MessageDeleteSchema, d)) return;
			if (hooked) bus.emit('message:delete', d);
			if (listened) client.emit('messageDelete', d);
			return;
		}
		case 'GUILD_CREATE':
		case 'GUILD_UPDATE': {
			if (!checked(GuildSchema, d)) return;
			if (event.t === 'GUILD_UPDATE') {
				if (wanted(client, 'guildUpdate')) client.emit('guildUpdate', d.id, client.cache.guild(d.id));
				return;
			}
			if (bus.has('guild:available')) bus.emit('guild:available', d.id);
			if (wanted(client, 'guildCreate')) client.emit('guildCreate', d.id, client.cache.guild(d.id));
			return;
		}
		case 'GUILD_DELETE': {
			if (!checked(GuildIdentitySchema, d)) return;
			const left = d.unavailable !== true;
			if (bus.has('guild:unavailable')) bus.emit('guild:unavailable', d.id, left);
			client.emit('guildDelete', d.id, left);
			return;
		}
		case 'CHANNEL_CREATE':
		case 'CHANNEL_UPDATE':
		case 'CHANNEL_DELETE': {
			const name = event.t === 'CHANNEL_CREATE' ? 'channelCreate' : event.t === 'CHANNEL_UPDATE' ? 'channelUpdate' : 'channelDelete';
			if (wanted(client, name) && checked(ChannelSchema, d)) client.emit(name, d);
			return;
		}
		case 'GUILD_MEMBER_ADD':
		case 'GUILD_MEMBER_UPDATE': {
			const name = event.t === 'GUILD_MEMBER_ADD' ? 'guildMemberAdd' : 'guildMemberUpdate';
			if (wanted(client, name) && checked(GuildMemberEventSchema, d)) client.emit(name, d);
			return;
		}
		case 'GUILD_MEMBER_REMOVE': {
			if (wanted(client, 'guildMemberRemove') && checked(GuildMemberRemoveSchema, d)) client.emit('guildMemberRemove', d);
			return;
		}
		case 'INTERACTION_CREATE': {
			// The validator checked the payload already ('off' here: no second schema pass).
			if (!isAPIInteraction(d, 'off')) {
				reportInvalid(client, event, new CoreError('CORE_INTERACTION_UNSUPPORTED', 'INTERACTION_CREATE payload is not an interaction core understands.'));
				return;
			}
			if (bus.has('interaction:received')) bus.emit('interaction:received', d);
			const interaction = createInteraction(d, { api: client.api, bus });
			if (interaction !== undefined) client.emit('interactionCreate', interaction);
			return;
		}
		default:
			return;
	}
}
