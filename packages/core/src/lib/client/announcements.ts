import type { ExtensionPointName } from '@ovenjs/types';
import type { ExtensionBus } from '../bus/ExtensionBus.js';
import type { Client } from './Client.js';
import type { ClientEvents } from './ClientOptions.js';

/**
 * The client events that are also announced on the extension bus, each declared once: the event and the point it
 * pairs with. The client announces both through {@link audience} (one check for both sides); the payloads differ
 * where the bus carries the raw payload and the event a typed wrapper (a `ClientMessage`, an interaction).
 */
export const EventPoints = {
	warn: 'client:warn',
	debug: 'client:debug',
	shardReady: 'lifecycle:shardReady',
	shardResume: 'lifecycle:shardResumed',
	shardDisconnect: 'lifecycle:shardDisconnected',
	messageCreate: 'message:create',
	messageUpdate: 'message:update',
	messageDelete: 'message:delete',
	guildCreate: 'guild:available',
	guildDelete: 'guild:unavailable',
	interactionCreate: 'interaction:received',
} as const satisfies { readonly [E in keyof ClientEvents]?: ExtensionPointName };

/** The same table, readable by any event name (most events have no point). */
const pointOf: { readonly [E in keyof ClientEvents]?: ExtensionPointName } = EventPoints;

/**
 * The gateway dispatches the client turns into its own events (and, through {@link EventPoints}, bus points).
 * `READY` is routed too: it sets `client.userId` and `client.applicationId`.
 */
export const DispatchEvents = {
	MESSAGE_CREATE: 'messageCreate',
	MESSAGE_UPDATE: 'messageUpdate',
	MESSAGE_DELETE: 'messageDelete',
	GUILD_CREATE: 'guildCreate',
	GUILD_UPDATE: 'guildUpdate',
	GUILD_DELETE: 'guildDelete',
	CHANNEL_CREATE: 'channelCreate',
	CHANNEL_UPDATE: 'channelUpdate',
	CHANNEL_DELETE: 'channelDelete',
	GUILD_MEMBER_ADD: 'guildMemberAdd',
	GUILD_MEMBER_UPDATE: 'guildMemberUpdate',
	GUILD_MEMBER_REMOVE: 'guildMemberRemove',
	INTERACTION_CREATE: 'interactionCreate',
} as const satisfies Record<string, keyof ClientEvents>;

/** The dispatches the client routes: those of {@link DispatchEvents} and `READY`. */
export const ROUTED_DISPATCHES: ReadonlySet<string> = new Set(['READY', ...Object.keys(DispatchEvents)]);

/** A bit of {@link audience}: the client has a listener of the event. */
export const LISTENERS = 1;
/** A bit of {@link audience}: the bus has a handler of the event's point. */
export const HANDLERS = 2;

/**
 * Who hears `event` right now, in one check of both sides: `0` when nobody (build nothing), otherwise
 * {@link LISTENERS} and/or {@link HANDLERS}. Two map lookups and a property read: no allocation.
 */
export function audience(client: Client, bus: ExtensionBus, event: keyof ClientEvents): number {
	const point = pointOf[event];
	return (client.hasListeners(event) ? LISTENERS : 0) | (point !== undefined && bus.has(point) ? HANDLERS : 0);
}

/** Announces a line of text (`warn`, `debug`) as the client event and on its bus point. */
export function announceText(client: Client, bus: ExtensionBus, event: 'warn' | 'debug', text: string): void {
	client.emit(event, text);
	const point = EventPoints[event];
	if (bus.has(point)) bus.emit(point, text);
}
