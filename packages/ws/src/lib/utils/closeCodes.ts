import type { GatewayCloseCodes } from 'discord-api-types/v10';
import { GatewayError, type GatewayErrorCode } from '../errors/GatewayError.js';
import { PrivilegedIntents } from './constants.js';

/** What a shard does after its connection closed with a given code. */
export type CloseAction = 'resume' | 'identify' | 'fatal';

/** The errors of the close codes that stop a shard for good. */
export type FatalCloseErrorCode = Extract<
	GatewayErrorCode,
	| 'GATEWAY_AUTHENTICATION_FAILED'
	| 'GATEWAY_INVALID_SHARD'
	| 'GATEWAY_SHARDING_REQUIRED'
	| 'GATEWAY_INVALID_API_VERSION'
	| 'GATEWAY_INVALID_INTENTS'
	| 'GATEWAY_DISALLOWED_INTENTS'
>;

/** A close code the shard reconnects after: `resume` keeps the session, `identify` starts a new one. */
export interface ReconnectCloseCode {
	readonly code: number;
	readonly action: 'resume' | 'identify';
	/** What the code means, as Discord (or RFC 6455) documents it. */
	readonly meaning: string;
}

/** A close code that stops the shard: it fails with `error`, whose message says what to fix. */
export interface FatalCloseCode {
	readonly code: number;
	readonly action: 'fatal';
	readonly meaning: string;
	readonly error: FatalCloseErrorCode;
}

/** What one close code means for the client. */
export type GatewayCloseCodeInfo = ReconnectCloseCode | FatalCloseCode;

/** The WebSocket (RFC 6455) close codes a shard sees besides Discord's, and the one this package sends to reconnect. */
type SocketCloseCodeName = 'NormalClosure' | 'GoingAway' | 'AbnormalClosure' | 'OvenReconnect';

/**
 * Every close code a shard handles, keyed by the names of discord-api-types' `GatewayCloseCodes` (plus the
 * WebSocket ones), and what it means for the client: Discord's 4000–4003, 4005 and 4008, a normal or abnormal
 * WebSocket close, resume; 4007 and 4009 reconnect with a new session; 4004 and 4010–4014 never reconnect and
 * fail with the typed error. Codes not listed here resume ({@link describeCloseCode}).
 *
 * @see {@link https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes}
 */
export const GatewayCloseCodeTable = {
	NormalClosure: {
		code: 1_000,
		action: 'resume',
		meaning: 'The server closed the connection normally (the session may still be resumable).',
	},
	GoingAway: { code: 1_001, action: 'resume', meaning: 'The server is going away (restart or load balancing).' },
	AbnormalClosure: {
		code: 1_006,
		action: 'resume',
		meaning: 'The connection dropped without a close frame (network loss).',
	},
	OvenReconnect: {
		code: 4_200,
		action: 'resume',
		meaning:
			'Sent by this package when it drops a connection to resume elsewhere (never 1000, which ends the session).',
	},
	UnknownError: { code: 4_000, action: 'resume', meaning: 'Discord is not sure what went wrong.' },
	UnknownOpcode: {
		code: 4_001,
		action: 'resume',
		meaning: 'An invalid opcode, or an invalid payload for an opcode, was sent.',
	},
	DecodeError: { code: 4_002, action: 'resume', meaning: 'An invalid payload was sent.' },
	NotAuthenticated: {
		code: 4_003,
		action: 'resume',
		meaning: 'A payload was sent before IDENTIFY, or the session was invalidated.',
	},
	AuthenticationFailed: {
		code: 4_004,
		action: 'fatal',
		error: 'GATEWAY_AUTHENTICATION_FAILED',
		meaning: 'The token sent with IDENTIFY is incorrect.',
	},
	AlreadyAuthenticated: { code: 4_005, action: 'resume', meaning: 'More than one IDENTIFY was sent.' },
	InvalidSeq: {
		code: 4_007,
		action: 'identify',
		meaning: 'The sequence sent with RESUME was invalid: start a new session.',
	},
	RateLimited: { code: 4_008, action: 'resume', meaning: 'Payloads were sent too quickly.' },
	SessionTimedOut: { code: 4_009, action: 'identify', meaning: 'The session timed out: start a new one.' },
	InvalidShard: {
		code: 4_010,
		action: 'fatal',
		error: 'GATEWAY_INVALID_SHARD',
		meaning: 'An invalid shard was sent with IDENTIFY.',
	},
	ShardingRequired: {
		code: 4_011,
		action: 'fatal',
		error: 'GATEWAY_SHARDING_REQUIRED',
		meaning: 'The session would handle too many guilds: the bot must shard.',
	},
	InvalidAPIVersion: {
		code: 4_012,
		action: 'fatal',
		error: 'GATEWAY_INVALID_API_VERSION',
		meaning: 'An invalid gateway version was sent.',
	},
	InvalidIntents: {
		code: 4_013,
		action: 'fatal',
		error: 'GATEWAY_INVALID_INTENTS',
		meaning: 'An invalid intents bit field was sent.',
	},
	DisallowedIntents: {
		code: 4_014,
		action: 'fatal',
		error: 'GATEWAY_DISALLOWED_INTENTS',
		meaning: 'A privileged intent was sent that is not enabled (or approved) for the bot.',
	},
} as const satisfies Readonly<Record<keyof typeof GatewayCloseCodes | SocketCloseCodeName, GatewayCloseCodeInfo>>;

const byCode: ReadonlyMap<number, GatewayCloseCodeInfo> = new Map(
	Object.values(GatewayCloseCodeTable).map((info): [number, GatewayCloseCodeInfo] => [info.code, info]),
);

/** A code nobody documents (1005, 1011, 4006 ...): reconnect and resume, as after network loss. */
const unknownCloseCode = (code: number): ReconnectCloseCode => ({
	code,
	action: 'resume',
	meaning: 'Not a documented gateway close code; treated like network loss.',
});

/** What `code` means for the client (see {@link GatewayCloseCodeTable}). */
export function describeCloseCode(code: number): GatewayCloseCodeInfo {
	return byCode.get(code) ?? unknownCloseCode(code);
}

/** The action for a close code: `resume`, `identify` (a new session) or `fatal` (see {@link GatewayCloseCodeTable}). */
export function closeAction(code: number): CloseAction {
	return describeCloseCode(code).action;
}

/** The close code this package sends when it wants to keep the session resumable. */
export const RESUMABLE_CLOSE_CODE = GatewayCloseCodeTable.OvenReconnect.code;
/** The close code that ends a session for good (Discord invalidates the session on 1000/1001). */
export const NORMAL_CLOSE_CODE = GatewayCloseCodeTable.NormalClosure.code;

/** The names of the privileged intents set in `intents`. */
export function privilegedIntentNames(intents: number): string[] {
	const names: string[] = [];
	for (const [name, bit] of Object.entries(PrivilegedIntents)) if ((intents & bit) !== 0) names.push(name);
	return names;
}

/** The typed error of a fatal close code; 4014's names the privileged intents the bot asked for. */
export function fatalCloseError(info: FatalCloseCode, shardId: number, intents: number): GatewayError {
	const options = { shardId, closeCode: info.code };
	if (info.error === 'GATEWAY_DISALLOWED_INTENTS') {
		const requested = privilegedIntentNames(intents);
		return GatewayError.of(info.error, [shardId, requested], { ...options, privilegedIntents: requested });
	}
	return GatewayError.of(info.error, [shardId], options);
}
