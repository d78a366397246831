import { ChannelSchema, parsePayload } from '@ovenjs/types';
import type { z } from 'zod';
import type { DispatchEnvelope } from '../bus/points.js';
import { CoreError } from '../errors/CoreError.js';
import { createInteraction } from '../interactions/interactions.js';
import type { Client } from './Client.js';
import type { ClientEvents } from './ClientOptions.js';
import { ClientMessage } from './ClientMessage.js';
import { isAPIInteraction } from './guards.js';
import {
	GuildIdentitySchema,
	GuildMemberEventSchema,
	GuildMemberRemoveSchema,
	MessageDeleteSchema,
	MessageUpdateSchema,
	ReadySchema,
} from './schemas.js';

/** Reports a payload the client could not use (`error:validation` and a `warn` event); the client goes on. */
export function reportInvalid(client: Client, event: DispatchEnvelope, error: unknown): void {
	const bus = client.extensions;
	if (bus.has('error:validation')) bus.emit('error:validation', error, { source: `gateway:${event.t}` });
	client.emit('warn', `Ignored an invalid ${event.t} payload from shard ${event.shardId}.`);
}

function parse<S extends z.ZodType>(client: Client, schema: S, event: DispatchEnvelope): z.output<S> | undefined {
	const result = schema.safeParse(event.d);
	if (result.success) return result.data;
	reportInvalid(client, event, result.error);
	return undefined;
}

function wanted(client: Client, name: keyof ClientEvents): boolean {
	return client.listenerCount(name) > 0;
}

/**
 * Turns a handled dispatch into the client's typed events and bus points. Payloads are validated (zod, via
 * `@ovenjs/types`) only when someone listens, so unused events cost a switch.
 */
export function routeDispatch(client: Client, event: DispatchEnvelope): void {
	const bus = client.extensions;
	switch (event.t) {
		case 'READY': {
			const ready = parse(client, ReadySchema, event);
			if (ready === undefined) return;
			client.userId = ready.user.id;
			client.applicationId = ready.application.id;
			return;
		}
		case 'MESSAGE_CREATE': {
			if (!wanted(client, 'messageCreate') && !bus.has('message:create')) return;
			const data = parsePayload('Message', event.d);
			if (bus.has('message:create')) bus.emit('message:create', data);
			client.emit('messageCreate', new ClientMessage(client, data, event.shardId));
			return;
		}
		case 'MESSAGE_UPDATE': {
			if (!wanted(client, 'messageUpdate') && !bus.has('message:update')) return;
			const data = parse(client, MessageUpdateSchema, event);
			if (data === undefined) return;
			if (bus.has('message:update')) bus.emit('message:update', data);
			client.emit('messageUpdate', data);
			return;
		}
		case 'MESSAGE_DELETE': {
			if (!wanted(client, 'messageDelete') && !bus.has('message:delete')) return;
			const data = parse(client, MessageDeleteSchema, event);
			if (data === undefined) return;
			if (bus.has('message:delete')) bus.emit('message:delete', data);
			client.emit('messageDelete', data);
			return;
		}
		case 'GUILD_CREATE':
		case 'GUILD_UPDATE': {
			const guild = parse(client, GuildIdentitySchema, event);
			if (guild === undefined) return;
			if (event.t === 'GUILD_UPDATE') {
				client.emit('guildUpdate', guild.id, client.cache.guild(guild.id));
				return;
			}
			if (bus.has('guild:available')) bus.emit('guild:available', guild.id);
			client.emit('guildCreate', guild.id, client.cache.guild(guild.id));
			return;
		}
		case 'GUILD_DELETE': {
			const guild = parse(client, GuildIdentitySchema, event);
			if (guild === undefined) return;
			const left = guild.unavailable !== true;
			if (bus.has('guild:unavailable')) bus.emit('guild:unavailable', guild.id, left);
			client.emit('guildDelete', guild.id, left);
			return;
		}
		case 'CHANNEL_CREATE':
		case 'CHANNEL_UPDATE':
		case 'CHANNEL_DELETE': {
			const name = event.t === 'CHANNEL_CREATE' ? 'channelCreate' : event.t === 'CHANNEL_UPDATE' ? 'channelUpdate' : 'channelDelete';
			if (!wanted(client, name)) return;
			const channel = parse(client, ChannelSchema, event);
			if (channel !== undefined) client.emit(name, channel);
			return;
		}
		case 'GUILD_MEMBER_ADD':
		case 'GUILD_MEMBER_UPDATE': {
			const name = event.t === 'GUILD_MEMBER_ADD' ? 'guildMemberAdd' : 'guildMemberUpdate';
			if (!wanted(client, name)) return;
			const member = parse(client, GuildMemberEventSchema, event);
			if (member !== undefined) client.emit(name, member);
			return;
		}
		case 'GUILD_MEMBER_REMOVE': {
			if (!wanted(client, 'guildMemberRemove')) return;
			const removal = parse(client, GuildMemberRemoveSchema, event);
			if (removal !== undefined) client.emit('guildMemberRemove', removal);
			return;
		}
		case 'INTERACTION_CREATE': {
			if (!isAPIInteraction(event.d)) {
				reportInvalid(client, event, new CoreError('CORE_INTERACTION_UNSUPPORTED', 'INTERACTION_CREATE payload is not an interaction core understands.'));
				return;
			}
			if (bus.has('interaction:received')) bus.emit('interaction:received', event.d);
			const interaction = createInteraction(event.d, { api: client.api, bus });
			if (interaction !== undefined) client.emit('interactionCreate', interaction);
			return;
		}
		default:
			return;
	}
}
