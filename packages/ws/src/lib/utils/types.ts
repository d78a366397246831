import type { ExtensionPointEmitter } from '@ovenjs/types';
import type { GatewayError } from '../errors/GatewayError.js';
import type { IdentifyGrant } from '../interfaces/IdentifyThrottler.js';
import type { DecompressorImplementation, GatewayCompression } from './decompression.js';

/** Every {@link ShardStatus}, in lifecycle order (a status gauge lists them all; a worker's answer is checked against them). */
export const ShardStatuses = [
	'idle',
	'connecting',
	'waiting-identify',
	'identifying',
	'resuming',
	'ready',
	'reconnecting',
	'failed',
	'destroyed',
] as const;

/** A shard's lifecycle state. */
export type ShardStatus = (typeof ShardStatuses)[number];

/** What a shard needs to resume its session, persisted through `updateSessionInfo`. */
export interface SessionInfo {
	/** The session to resume. */
	readonly sessionId: string;
	/** The last sequence number the application received. */
	readonly sequence: number;
	/** `resume_gateway_url` from READY. */
	readonly resumeUrl: string;
	/** The shard this session belongs to. */
	readonly shardId: number;
	/** The shard count the session was identified with (a session is not resumed under another count). */
	readonly shardCount: number;
}

/** Loads a persisted session (`null` when there is none). */
export type RetrieveSessionInfo = (
	shardId: number,
) => SessionInfo | null | undefined | Promise<SessionInfo | null | undefined>;
/** Persists a session (`null` clears it). */
export type UpdateSessionInfo = (shardId: number, info: SessionInfo | null) => void | Promise<void>;

/** The presence sent with IDENTIFY. */
export interface GatewayPresence {
	readonly since: number | null;
	readonly activities: readonly Readonly<Record<string, unknown>>[];
	readonly status: 'online' | 'dnd' | 'idle' | 'invisible' | 'offline';
	readonly afk: boolean;
}

/** The `properties` sent with IDENTIFY. */
export interface IdentifyProperties {
	readonly os: string;
	readonly browser: string;
	readonly device: string;
}

/** Everything one shard connection needs (resolved from the manager's options). */
export interface ShardConfig {
	readonly token: string;
	readonly intents: number;
	readonly shardCount: number;
	readonly gatewayUrl: string;
	readonly compression: GatewayCompression;
	readonly largeThreshold: number;
	readonly presence: GatewayPresence | undefined;
	readonly identifyProperties: IdentifyProperties;
	readonly handshakeTimeout: number;
	readonly helloTimeout: number;
	readonly readyTimeout: number;
	readonly maxPayloadSize: number;
	readonly decompressor: DecompressorImplementation;
	readonly reconnectBackoff: { readonly initial: number; readonly max: number };
}

/** Everything a shard reports besides dispatches (plain data, so it crosses worker threads as is). */
export type ShardEvent =
	| { readonly type: 'status'; readonly shardId: number; readonly status: ShardStatus }
	| {
			readonly type: 'ready';
			readonly shardId: number;
			readonly sessionId: string;
			readonly guildCount: number;
			readonly resumeUrl: string;
	  }
	| { readonly type: 'resumed'; readonly shardId: number; readonly replayed: number }
	| {
			readonly type: 'closed';
			readonly shardId: number;
			readonly code: number;
			readonly reason: string;
			readonly willReconnect: boolean;
	  }
	| { readonly type: 'heartbeat'; readonly shardId: number; readonly latency: number }
	| { readonly type: 'identifying'; readonly shardId: number }
	| {
			readonly type: 'sessionLost';
			readonly shardId: number;
			readonly lastSequence: number | null;
			readonly reason: string;
	  }
	| { readonly type: 'debug'; readonly shardId: number; readonly message: string }
	| { readonly type: 'error'; readonly shardId: number; readonly error: GatewayError; readonly fatal: boolean };

/** Where a shard delivers what it receives. */
export interface ShardSink {
	/**
	 * A dispatch the application wants, in order, never twice. `payload` is set when the shard already parsed
	 * it; otherwise `raw` is the untouched JSON text (parse it once, where it is consumed).
	 */
	dispatch(
		shardId: number,
		t: string,
		s: number | null,
		raw: string,
		payload: { readonly d: unknown } | undefined,
	): void;
	/** Everything else. */
	event(event: ShardEvent): void;
}

/** The hooks a shard calls; in worker threads they are forwarded to the main thread. */
export interface ShardHooks {
	/**
	 * Waits for the identify throttler. The shard reports through the grant whether it sent IDENTIFY (after the
	 * frame was written) or not (the connection was lost first), exactly once.
	 */
	waitForIdentify(shardId: number, signal: AbortSignal): Promise<IdentifyGrant>;
	/** Session persistence (optional). */
	retrieveSessionInfo: RetrieveSessionInfo | undefined;
	updateSessionInfo: UpdateSessionInfo | undefined;
	/** Whether the application wants dispatch `t` (others are counted and skipped without parsing). */
	wants(t: string): boolean;
	/**
	 * The same filter as data, for shards in other threads (a superset of `wants` is fine). `dynamic`: `wants` is a
	 * predicate whose answer may change at any time (the application's `dispatchEvents` function): shards in this
	 * thread read every dispatch's header to ask it, shards in other threads forward everything (`all`).
	 */
	readonly dispatchFilter: { readonly all: boolean; readonly events: readonly string[]; readonly dynamic: boolean };
	/** Deliver wanted dispatches as text without parsing them (worker threads forward text to the main thread). */
	readonly forwardRaw: boolean;
	/** Extension points (main thread only). */
	extensions: ExtensionPointEmitter | undefined;
}

/** A snapshot of a shard for status displays. */
export interface ShardSnapshot {
	readonly shardId: number;
	readonly status: ShardStatus;
	/** Round trip of the last heartbeat in ms, -1 before the first ACK. */
	readonly latency: number;
	readonly sequence: number | null;
	/** Dispatches skipped without parsing because nobody wanted them. */
	readonly skipped: number;
	/** Duplicate dispatches (sequence already seen) that were dropped. */
	readonly duplicates: number;
	/**
	 * Dispatches this shard received since it was created, by name (wanted or skipped; duplicates excluded): a
	 * metrics exporter reads these when scraped instead of hooking every dispatch.
	 */
	readonly dispatches: Readonly<Record<string, number>>;
}
