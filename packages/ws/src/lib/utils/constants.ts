/**
 * Gateway constants: opcodes, privileged intents and protocol limits, as Discord documents them. Close codes live
 * in `closeCodes.ts`, option defaults next to the options (`WebSocketManagerOptions.ts`).
 *
 * @see {@link https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway}
 */

/** Gateway opcodes. */
export const GatewayOp = {
	Dispatch: 0,
	Heartbeat: 1,
	Identify: 2,
	PresenceUpdate: 3,
	VoiceStateUpdate: 4,
	Resume: 6,
	Reconnect: 7,
	RequestGuildMembers: 8,
	InvalidSession: 9,
	Hello: 10,
	HeartbeatAck: 11,
	RequestSoundboardSounds: 31,
} as const;

/** The gateway API version this package speaks. */
export const GATEWAY_VERSION = '10';

/** Privileged intents and their bits; 4014 names the ones requested. */
export const PrivilegedIntents = {
	GuildMembers: 1 << 1,
	GuildPresences: 1 << 8,
	MessageContent: 1 << 15,
} as const;

/** Discord's send limit: 120 payloads per 60 s per connection. */
export const SEND_LIMIT = 120;
/** The window of {@link SEND_LIMIT}. */
export const SEND_WINDOW_MS = 60_000;
/** Identify windows for `max_concurrency` buckets. */
export const IDENTIFY_WINDOW_MS = 5_000;

/**
 * HELLO's `heartbeat_interval` is accepted in this range (ms); Discord sends about 41,250 (test servers send
 * less). Outside it, or not a number, the connection is reset with a `GATEWAY_INVALID_PAYLOAD` error (and the
 * usual reconnect backoff) instead of heart-beating in a busy loop or never noticing a zombie connection.
 */
export const HEARTBEAT_INTERVAL_RANGE = { min: 100, max: 600_000 } as const;
