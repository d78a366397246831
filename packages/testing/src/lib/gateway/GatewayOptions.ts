import type { GatewayFaultOptions } from '../faults/GatewayFaults.js';
import { PRIVILEGED_INTENTS } from './intents.js';

/** Gateway settings of the mock. */
export interface GatewayOptions {
	/** HELLO's `heartbeat_interval` in milliseconds. @defaultValue {@link DefaultGatewayOptions.heartbeatIntervalMs} */
	readonly heartbeatIntervalMs?: number;
	/** Recommended shard count returned by `/gateway/bot`. @defaultValue one per 1,000 generated guilds (at least 1) */
	readonly shards?: number;
	/** `session_start_limit.max_concurrency`: identify buckets per 5 s. @defaultValue {@link DefaultGatewayOptions.maxConcurrency} */
	readonly maxConcurrency?: number;
	/** `session_start_limit.total` (and the starting `remaining`). @defaultValue {@link DefaultGatewayOptions.sessionStartLimit} */
	readonly sessionStartLimit?: number;
	/** Minimum time between two IDENTIFYs of the same `shard_id % max_concurrency` bucket. @defaultValue {@link DefaultGatewayOptions.identifyIntervalMs} */
	readonly identifyIntervalMs?: number;
	/** Privileged intents the application may use (others → close 4014). @defaultValue {@link DefaultGatewayOptions.privilegedIntents} (all three) */
	readonly privilegedIntents?: number;
	/** Guilds one shard may hold before IDENTIFY fails with 4011. @defaultValue {@link DefaultGatewayOptions.maxGuildsPerShard} */
	readonly maxGuildsPerShard?: number;
	/** Payloads a client may send per window before close 4008. @defaultValue {@link DefaultGatewayOptions.payloadLimit} */
	readonly payloadLimit?: number;
	/** The payload-limit window in milliseconds. @defaultValue {@link DefaultGatewayOptions.payloadWindowMs} */
	readonly payloadWindowMs?: number;
	/** Dispatches kept per session for RESUME replay. @defaultValue {@link DefaultGatewayOptions.replayBufferSize} */
	readonly replayBufferSize?: number;
	/**
	 * How long a disconnected session stays resumable; a later RESUME gets INVALID_SESSION (Discord does not
	 * document its window). @defaultValue {@link DefaultGatewayOptions.resumeTimeoutMs}
	 */
	readonly resumeTimeoutMs?: number;
	/** Cooldown of REQUEST_GUILD_MEMBERS per guild. @defaultValue {@link DefaultGatewayOptions.memberRequestCooldownMs} */
	readonly memberRequestCooldownMs?: number;
	/** Random, seeded gateway faults (forced closes, INVALID_SESSION, RECONNECT, dropped ACKs). @defaultValue none */
	readonly gatewayFaults?: GatewayFaultOptions;
}

/** The defaults of {@link GatewayOptions} (`shards` depends on the generated guilds; `gatewayFaults` has none). */
export const DefaultGatewayOptions = {
	heartbeatIntervalMs: 41_250,
	maxConcurrency: 1,
	sessionStartLimit: 1000,
	identifyIntervalMs: 5000,
	privilegedIntents: PRIVILEGED_INTENTS,
	maxGuildsPerShard: 2500,
	payloadLimit: 120,
	payloadWindowMs: 60_000,
	replayBufferSize: 10_000,
	resumeTimeoutMs: 180_000,
	memberRequestCooldownMs: 30_000,
} as const satisfies Required<Omit<GatewayOptions, 'shards' | 'gatewayFaults'>>;

/** The gateway's settings once defaults are applied. */
export type GatewaySettings = Required<Omit<GatewayOptions, 'gatewayFaults'>>;

/** Applies {@link DefaultGatewayOptions} (a missing `shards` means 1). */
export function gatewaySettings(options: GatewayOptions): GatewaySettings {
	return {
		heartbeatIntervalMs: options.heartbeatIntervalMs ?? DefaultGatewayOptions.heartbeatIntervalMs,
		shards: options.shards ?? 1,
		maxConcurrency: options.maxConcurrency ?? DefaultGatewayOptions.maxConcurrency,
		sessionStartLimit: options.sessionStartLimit ?? DefaultGatewayOptions.sessionStartLimit,
		identifyIntervalMs: options.identifyIntervalMs ?? DefaultGatewayOptions.identifyIntervalMs,
		privilegedIntents: options.privilegedIntents ?? DefaultGatewayOptions.privilegedIntents,
		maxGuildsPerShard: options.maxGuildsPerShard ?? DefaultGatewayOptions.maxGuildsPerShard,
		payloadLimit: options.payloadLimit ?? DefaultGatewayOptions.payloadLimit,
		payloadWindowMs: options.payloadWindowMs ?? DefaultGatewayOptions.payloadWindowMs,
		replayBufferSize: options.replayBufferSize ?? DefaultGatewayOptions.replayBufferSize,
		resumeTimeoutMs: options.resumeTimeoutMs ?? DefaultGatewayOptions.resumeTimeoutMs,
		memberRequestCooldownMs: options.memberRequestCooldownMs ?? DefaultGatewayOptions.memberRequestCooldownMs,
	};
}
