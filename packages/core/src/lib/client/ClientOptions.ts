import type { EntityCacheOptions, CachedGuild } from '@ovenjs/cache';
import type { RestOptions } from '@ovenjs/rest';
import type { GatewayError, ShardProgress, WebSocketManagerOptions } from '@ovenjs/ws';
import type { Channel, GuildId } from '@ovenjs/types';
import type { DispatchEnvelope } from '../bus/points.js';
import type { ExtensionBus } from '../bus/ExtensionBus.js';
import type { AnyInteraction } from '../interactions/interactions.js';
import type { ClientMessage } from './ClientMessage.js';
import type { GuildMemberEvent, GuildMemberRemove, MessageDelete, MessageUpdate } from './schemas.js';

/** Options of {@link Client}. */
export interface ClientOptions {
	/** The bot token (with or without `Bot `). Never printed: redacted from errors, logs and `inspect`. */
	readonly token: string;
	/** The gateway intents bit field (`GatewayIntentBits` from discord-api-types). */
	readonly intents: number;
	/** Options of the REST client (`api` to point it at a mock, timeouts, retries ...). @defaultValue `@ovenjs/rest` defaults */
	readonly rest?: Omit<RestOptions, 'token' | 'emitter'>;
	/** Options of the gateway manager (shards, compression, presence ...). @defaultValue `@ovenjs/ws` defaults */
	readonly gateway?: Omit<WebSocketManagerOptions, 'token' | 'intents' | 'rest' | 'extensions'>;
	/** Options of the entity cache, or `false` for none. @defaultValue `@ovenjs/cache` defaults */
	readonly cache?: EntityCacheOptions | false;
	/** The extension bus to use (share one between clients and plugins). @defaultValue a new {@link ExtensionBus} */
	readonly bus?: ExtensionBus;
}

/** A shard lifecycle event. */
export interface ShardEventInfo {
	/** The shard. */
	readonly shardId: number;
}

/**
 * The client's events, named as discord.js users know them. Payloads are light, typed objects: messages are
 * {@link ClientMessage}s, guilds come from the entity cache, interactions are typed wrappers.
 */
export interface ClientEvents {
	/** Every shard is ready; the cache holds READY and the guilds received so far. */
	ready: [info: { readonly guildCount: number; readonly durationMs: number }];
	/** Shard start-up progress (identified / ready of total). */
	shardProgress: [progress: ShardProgress];
	/** A shard got READY. */
	shardReady: [info: ShardEventInfo & { readonly guildCount: number }];
	/** A shard resumed after a disconnect; `replayed` missed events were delivered. */
	shardResume: [info: ShardEventInfo & { readonly replayed: number }];
	/** A shard's connection closed (`willReconnect` tells whether it comes back by itself). */
	shardDisconnect: [info: ShardEventInfo & { readonly code: number; readonly reason: string; readonly willReconnect: boolean }];
	/** A message was created. */
	messageCreate: [message: ClientMessage];
	/** A message was edited (partial). */
	messageUpdate: [message: MessageUpdate];
	/** A message was deleted. */
	messageDelete: [message: MessageDelete];
	/** A guild became available (joined, or streamed in after READY); the cached guild when cached. */
	guildCreate: [guildId: GuildId, guild: CachedGuild | undefined];
	/** A guild's settings changed; the cached guild after the change. */
	guildUpdate: [guildId: GuildId, guild: CachedGuild | undefined];
	/** A guild was left (`left: true`) or became unavailable. */
	guildDelete: [guildId: GuildId, left: boolean];
	/** A channel was created (validated payload, branded IDs). */
	channelCreate: [channel: Channel];
	/** A channel changed. */
	channelUpdate: [channel: Channel];
	/** A channel was deleted. */
	channelDelete: [channel: Channel];
	/** A member joined a guild (needs the GuildMembers intent). */
	guildMemberAdd: [member: GuildMemberEvent];
	/** A member changed (roles, nickname, timeout ...). */
	guildMemberUpdate: [member: GuildMemberEvent];
	/** A member left or was removed. */
	guildMemberRemove: [removal: GuildMemberRemove];
	/** An interaction (slash command, component, modal, autocomplete) arrived. */
	interactionCreate: [interaction: AnyInteraction];
	/** Every dispatch after the pipeline (for events without a dedicated name). */
	raw: [event: DispatchEnvelope];
	/** A gateway or listener error. */
	error: [error: unknown];
	/** A gateway error that stopped a shard (bad token, disallowed intents ...). */
	fatal: [error: GatewayError];
	/** Something worth logging. */
	warn: [message: string];
	/** Diagnostics (token redacted). */
	debug: [message: string];
}
