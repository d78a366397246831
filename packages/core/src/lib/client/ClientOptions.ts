import type { EntityCacheOptions, CachedGuild } from '@ovenjs/cache';
import type { RestOptions } from '@ovenjs/rest';
import type { PluginErrorReport, PluginInfo } from '@ovenjs/plugins';
import { DefaultStateStoreOptions, type StateStorage, type StateSyncOptions } from '@ovenjs/state';
import type { GatewayError, ShardProgress, WebSocketManagerOptions } from '@ovenjs/ws';
import {
	DefaultValidationSampling,
	type Channel,
	type GuildId,
	type ValidationMode,
	type ValidationSampling,
} from '@ovenjs/types';
import type { DispatchEnvelope } from '../bus/points.js';
import type { ExtensionBus } from '../bus/ExtensionBus.js';
import type { AnyInteraction } from '../interactions/interactions.js';
import type { ClientMessage } from './ClientMessage.js';
import type { ClientPluginsOptions } from './ClientPlugins.js';
import type { GuildMemberEvent, GuildMemberRemove, MessageDelete, MessageUpdate } from './schemas.js';

/**
 * The shape of `client.state`. Declare it once by augmentation, and pass its initial value as `state.initial`:
 *
 * ```ts
 * declare module '@ovenjs/core' {
 *   interface ClientAppState {
 *     prefixes: Record<string, string>;
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ClientAppState {}

/** The application state `client.state` holds (an `@ovenjs/state` store on the client's bus). */
export interface ClientStateOptions {
	/** The initial state, of the {@link ClientAppState} shape. */
	readonly initial: ClientAppState;
	/** The store's name (replicas with the same name on one Redis share one state). @defaultValue {@link DefaultClientStateOptions.name} (`'client'`) */
	readonly name?: string;
	/** Where to persist it (`MemoryStorage`, `RedisStorage`, `PostgresStorage`). @defaultValue not persisted */
	readonly persist?: StateStorage;
	/** Replicate it across processes through Redis. @defaultValue a local store */
	readonly sync?: StateSyncOptions;
	/** How many changes `undo()` can step back. @defaultValue {@link DefaultClientStateOptions.historyLimit} (`100`) */
	readonly historyLimit?: number;
}

/** The defaults of {@link ClientStateOptions}, in one place. */
export const DefaultClientStateOptions = {
	name: 'client',
	historyLimit: DefaultStateStoreOptions.historyLimit,
} as const satisfies Required<Pick<ClientStateOptions, 'name' | 'historyLimit'>>;

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
	/**
	 * How dispatch payloads are validated before the cache and listeners see them (once per dispatch):
	 *
	 * - `'sampled'`: per event type, the first {@link ClientOptions.validationSampling | `first`} dispatches and then
	 *   one in `every` are parsed with their zod schema (`GUILD_CREATE`, a whole guild, only the first); the
	 *   others get a hand-written check of the fields the client and cache read (IDs used as cache keys, the
	 *   author's ID, the content's type ...). The fast path, without setting `NODE_ENV`.
	 * - `'full'`: every dispatch is parsed with its schema (tests, debugging, a suspected payload problem).
	 * - `'off'`: the hand-written check only.
	 *
	 * A payload that fails its check is never thrown into the gateway: it is dropped (neither cached nor emitted)
	 * and reported as a `warn` event and on the `error:validation` / `client:warn` points. With `'sampled'` a
	 * payload fails only if its sampled schema check or its field check fails, so a few of many malformed
	 * payloads may be delivered with fields the client does not read in an unexpected shape.
	 * @defaultValue the process-wide mode of `@ovenjs/types` (`getValidationMode()`): `'sampled'` unless
	 * `setValidationMode()` changed it
	 */
	readonly validation?: ValidationMode;
	/**
	 * Which dispatches `'sampled'` validation parses in full, per event type.
	 * @defaultValue {@link DefaultClientOptions.validationSampling}: the first 100, then one in 1,000
	 */
	readonly validationSampling?: Partial<ValidationSampling>;
	/**
	 * How long (ms) `ready` waits for the next guild announced in READY (across all shards) to arrive as
	 * GUILD_CREATE; each arrival restarts the wait, as discord.js's option of the same name. When it runs out,
	 * `ready` fires with the guilds still missing in `missingGuildIds` (and a `warn`); they stay unavailable in the
	 * cache until their GUILD_CREATE. Guilds deleted or unavailable meanwhile count as settled. `0` does not wait.
	 * Without the `Guilds` intent Discord sends no GUILD_CREATE and `ready` does not wait.
	 * @defaultValue {@link DefaultClientOptions.waitGuildTimeout} (`15_000`)
	 */
	readonly waitGuildTimeout?: number;
	/**
	 * Application state: `client.state` is a typed `StateStore` of `initial` whose `state:*` points go to this
	 * client's bus. @defaultValue an empty store
	 */
	readonly state?: ClientStateOptions;
	/**
	 * Plugins (`@ovenjs/plugins`): what to load before `login()` connects, discovery, isolation, configs, limits.
	 * `client.plugins` loads, unloads and reloads them later. @defaultValue no plugins
	 */
	readonly plugins?: ClientPluginsOptions;
}

/** The defaults of {@link ClientOptions}, in one place. */
export const DefaultClientOptions = {
	waitGuildTimeout: 15_000,
	validationSampling: DefaultValidationSampling,
} as const satisfies Required<Pick<ClientOptions, 'waitGuildTimeout'>> & {
	readonly validationSampling: ValidationSampling;
};

/** The payload of the `ready` event. */
export interface ClientReadyEventInfo {
	/** Guilds known to the cache (available or not). */
	readonly guildCount: number;
	/** Milliseconds from `login()` to `ready`. */
	readonly durationMs: number;
	/**
	 * Guilds announced in READY that had not arrived when `waitGuildTimeout` ran out (empty when every guild
	 * arrived); they are in the cache as unavailable until their GUILD_CREATE.
	 */
	readonly missingGuildIds: readonly GuildId[];
}

/** The payload of the `shardsReady` event. */
export interface ShardsReadyInfo {
	/** The shards this client runs, all of them past READY. */
	readonly shardIds: readonly number[];
	/** Guilds announced in READY across those shards. */
	readonly guildCount: number;
	/** Milliseconds from `login()` to the last shard's READY. */
	readonly durationMs: number;
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
	/**
	 * The client is ready, as discord.js users know it: every shard got READY and every guild READY announced has
	 * arrived (GUILD_CREATE) or settled (deleted, unavailable), so `client.cache` is complete; or
	 * `waitGuildTimeout` ran out, with the missing guilds in `missingGuildIds`. `login()` resolves right after.
	 */
	ready: [info: ClientReadyEventInfo];
	/** Every shard got READY (guilds may still be streaming in: `ready` follows when they are all there). */
	shardsReady: [info: ShardsReadyInfo];
	/** Shard start-up progress (identified / ready of total). */
	shardProgress: [progress: ShardProgress];
	/** A shard got READY (see `shardsReady` for all of them, `ready` for their guilds too). */
	shardReady: [info: ShardEventInfo & { readonly guildCount: number }];
	/** A shard resumed after a disconnect; `replayed` missed events were delivered. */
	shardResume: [info: ShardEventInfo & { readonly replayed: number }];
	/** A shard's connection closed (`willReconnect` tells whether it comes back by itself). */
	shardDisconnect: [
		info: ShardEventInfo & { readonly code: number; readonly reason: string; readonly willReconnect: boolean },
	];
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
	/** A plugin loaded (or was reloaded). */
	pluginLoad: [info: PluginInfo];
	/** A plugin was unloaded. */
	pluginUnload: [info: PluginInfo];
	/** A plugin failed: did not load, a handler threw, a capability was refused, or a limit stopped it. */
	pluginError: [report: PluginErrorReport];
}
