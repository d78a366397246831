/**
 * The extension points `@ovenjs/core` declares and emits. Other packages declare their own (`rest:*` in
 * `@ovenjs/rest`, `ws:*` in `@ovenjs/ws`, `cache:*` in `@ovenjs/cache`, `state:*` in `@ovenjs/state`). The table in
 * `packages/core/docs/extension-points.md` is generated from these declarations (and the other packages') by
 * `packages/core/scripts/generate-points-table.mjs`.
 */
import type {
	APIInteraction,
	APIInteractionResponse,
	APIMessage,
	RESTPostAPIChannelMessageJSONBody,
	RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { ApplicationId, ChannelId, GuildId, Message, UserId } from '@ovenjs/types';
import type { MessageDelete, MessageUpdate } from '../client/schemas.js';

/** Where a handler failure happened, as reported on `error:unhandled`. */
export interface UnhandledErrorContext {
	/** The point whose handler threw or rejected, or the subsystem that failed (`'client:event'`). */
	readonly point: string;
	/** The handler's label, when it was registered with one. */
	readonly label: string | undefined;
	/** Whether the failure was synchronous or a rejected promise. */
	readonly phase: 'sync' | 'async';
}

/** Context of a validation failure reported on `error:validation`. */
export interface ValidationErrorContext {
	/** What was being validated: `'gateway:READY'`, `'builder:EmbedBuilder'`, ... */
	readonly source: string;
}

/** A metric sample (`metrics:counter`, `metrics:gauge`, `metrics:histogram`). */
export interface MetricSample {
	/** Metric name, dot separated: `ovenjs.gateway.dispatch`. */
	readonly name: string;
	/** The increment (counter), the current value (gauge) or the observation (histogram). */
	readonly value: number;
	/** Low-cardinality labels. */
	readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One call of a client event listener, as the `client:listener` waterfall sees it: handlers may return a wrapper
 * that calls it (to time it, or run it inside a trace span) and returns its result.
 */
export type ListenerCall = (...args: readonly unknown[]) => unknown;

/** Information passed to `client:beforeConnect`. */
export interface ClientConnectInfo {
	/** The gateway intents the client identifies with. */
	readonly intents: number;
	/** The shard count requested, or `undefined` for Discord's recommendation. */
	readonly shardCount: number | undefined;
}

/** Information passed to `client:afterConnect` and `client:ready`. */
export interface ClientReadyInfo {
	/** The bot user's ID. */
	readonly userId: UserId;
	/** The application ID. */
	readonly applicationId: ApplicationId;
	/** How many guilds READY announced. */
	readonly guildCount: number;
	/** The shards that are ready. */
	readonly shardIds: readonly number[];
	/** Milliseconds from `login()` to ready. */
	readonly durationMs: number;
}

/** Information passed to `client:beforeDisconnect` and `client:afterDisconnect`. */
export interface ClientDisconnectInfo {
	/** Why the client disconnects (`'destroy'`, or a gateway close description). */
	readonly reason: string;
}

/** A shard lifecycle notification. */
export interface ShardLifecycleInfo {
	/** The shard's ID. */
	readonly shardId: number;
	/** The shard count. */
	readonly shardCount: number;
	/** Gateway close code or other detail, when there is one. */
	readonly detail?: string;
}

/** A gateway dispatch travelling through the client's event pipeline. */
export interface DispatchEnvelope {
	/** The dispatch name (`'MESSAGE_CREATE'`). */
	readonly t: string;
	/** The dispatch payload, as received. */
	readonly d: unknown;
	/** The shard that received it. */
	readonly shardId: number;
	/** The sequence number. */
	readonly s: number;
}

/** An authentication step (`security:auth*`). */
export interface AuthAttemptInfo {
	/** What authenticates: a gateway IDENTIFY, a RESUME, or the REST token check. */
	readonly kind: 'identify' | 'resume' | 'rest';
	/** The shard, for gateway attempts. */
	readonly shardId: number | undefined;
}

/** A permission check performed by core (`security:permissionCheck`). */
export interface PermissionCheckInfo {
	/** The guild the check happened in. */
	readonly guildId: GuildId | undefined;
	/** The channel, when the check is channel scoped. */
	readonly channelId: ChannelId | undefined;
	/** The user checked. */
	readonly userId: UserId | undefined;
	/** The permission names required. */
	readonly required: readonly string[];
	/** Whether the check passed. */
	readonly allowed: boolean;
}

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Before the client opens its gateway connections (after the token is checked). */
		'client:beforeConnect': [info: ClientConnectInfo];
		/** After every shard identified and the client is ready. */
		'client:afterConnect': [info: ClientReadyInfo];
		/** Before `destroy()` closes shards and flushes queues. */
		'client:beforeDisconnect': [info: ClientDisconnectInfo];
		/** After `destroy()` finished: shards closed, REST queues drained. */
		'client:afterDisconnect': [info: ClientDisconnectInfo];
		/** The client is ready (fires together with the `ready` event). */
		'client:ready': [info: ClientReadyInfo];
		/** A non-fatal problem worth logging. */
		'client:warn': [message: string];
		/** Verbose diagnostic text (token already redacted). */
		'client:debug': [message: string];
		/** A `Client` was constructed; options validated. */
		'lifecycle:init': [info: ClientConnectInfo];
		/** A shard starts connecting. */
		'lifecycle:shardConnecting': [info: ShardLifecycleInfo];
		/** A shard received READY. */
		'lifecycle:shardReady': [info: ShardLifecycleInfo];
		/** A shard resumed its session. */
		'lifecycle:shardResumed': [info: ShardLifecycleInfo];
		/** A shard's connection closed (it may reconnect). */
		'lifecycle:shardDisconnected': [info: ShardLifecycleInfo];
		/** The client was destroyed and will emit nothing more. */
		'lifecycle:shutdown': [info: ClientDisconnectInfo];
		/** Waterfall: transform a dispatch before the client handles it (the event pipeline's transformer stage). */
		'gateway:beforeDispatch': [event: DispatchEnvelope];
		/** A dispatch was handled: cache updated and events emitted. */
		'gateway:afterDispatch': [event: DispatchEnvelope];
		/** A message was created (after the cache saw it). */
		'message:create': [message: Message];
		/** A message was edited. */
		'message:update': [message: MessageUpdate];
		/** A message was deleted. */
		'message:delete': [message: MessageDelete];
		/** Waterfall: transform a message body before `client.api.channels.createMessage` or an interaction reply sends it. */
		'message:beforeSend': [body: RESTPostAPIChannelMessageJSONBody, channelId: ChannelId | undefined];
		/** A message was sent by the client. */
		'message:afterSend': [message: APIMessage];
		/** An interaction arrived (before `interactionCreate` listeners run). */
		'interaction:received': [interaction: APIInteraction];
		/** Waterfall: transform an interaction callback before it is sent. */
		'interaction:beforeReply': [response: APIInteractionResponse, interaction: APIInteraction];
		/** An interaction callback was sent. */
		'interaction:afterReply': [response: APIInteractionResponse, interaction: APIInteraction];
		/** Answering an interaction failed. */
		'interaction:error': [error: unknown, interaction: APIInteraction];
		/** Waterfall: transform the command list before bulk registration. */
		'command:beforeRegister': [commands: RESTPutAPIApplicationCommandsJSONBody, guildId: GuildId | undefined];
		/** Commands were registered. */
		'command:afterRegister': [count: number, guildId: GuildId | undefined];
		/** A guild became available (GUILD_CREATE). */
		'guild:available': [guildId: GuildId];
		/** A guild was left or became unavailable (GUILD_DELETE). */
		'guild:unavailable': [guildId: GuildId, left: boolean];
		/** A handler or listener failed; the pipeline went on. */
		'error:unhandled': [error: unknown, context: UnhandledErrorContext];
		/** A payload or builder failed validation. */
		'error:validation': [error: unknown, context: ValidationErrorContext];
		/**
		 * Waterfall, per listener call of a client event (`'messageCreate'`, ...): return a wrapper of `call` that
		 * calls it with the same arguments and returns its result (a promise for async listeners). Synchronous.
		 */
		'client:listener': [call: ListenerCall, event: string];
		/** A counter increment. */
		'metrics:counter': [sample: MetricSample];
		/** A gauge value. */
		'metrics:gauge': [sample: MetricSample];
		/** A histogram observation. */
		'metrics:histogram': [sample: MetricSample];
		/** An authentication is attempted. */
		'security:authAttempt': [info: AuthAttemptInfo];
		/** An authentication succeeded. */
		'security:authSuccess': [info: AuthAttemptInfo];
		/** An authentication failed. */
		'security:authFailure': [info: AuthAttemptInfo, error: unknown];
		/** A permission check was evaluated. */
		'security:permissionCheck': [check: PermissionCheckInfo];
	}
	interface WaterfallExtensionPoints {
		'gateway:beforeDispatch': true;
		'message:beforeSend': true;
		'interaction:beforeReply': true;
		'command:beforeRegister': true;
		'client:listener': true;
	}
}
