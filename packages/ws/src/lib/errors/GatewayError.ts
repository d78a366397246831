import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/**
 * Codes of {@link GatewayError}. New codes may be added in minor versions: match on the codes you handle and
 * keep a default branch.
 *
 * The `GATEWAY_*` close-code errors are fatal: the shard does not reconnect, and the message says what to fix.
 */
export type GatewayErrorCode =
	| 'GATEWAY_INVALID_OPTION'
	| 'GATEWAY_INVALID_GATEWAY_INFORMATION'
	| 'GATEWAY_UNKNOWN_SHARD'
	| 'GATEWAY_NOT_CONNECTED'
	| 'GATEWAY_DESTROYED'
	| 'GATEWAY_INVALID_PAYLOAD'
	| 'GATEWAY_DECOMPRESSION_FAILED'
	| 'GATEWAY_PAYLOAD_TOO_LARGE'
	| 'GATEWAY_READY_TIMEOUT'
	| 'GATEWAY_AUTHENTICATION_FAILED'
	| 'GATEWAY_INVALID_SHARD'
	| 'GATEWAY_SHARDING_REQUIRED'
	| 'GATEWAY_INVALID_API_VERSION'
	| 'GATEWAY_INVALID_INTENTS'
	| 'GATEWAY_DISALLOWED_INTENTS'
	| 'GATEWAY_SESSION_START_LIMIT'
	| 'GATEWAY_MEMBERS_REQUEST_FAILED'
	| 'GATEWAY_RATE_LIMITED'
	| 'GATEWAY_TIMEOUT'
	| 'GATEWAY_WORKER_FAILED'
	| 'GATEWAY_RESHARD_FAILED';

/** Extra fields of a {@link GatewayError}. */
export interface GatewayErrorOptions extends OvenErrorOptions {
	/** The shard the error concerns. */
	readonly shardId?: number;
	/** The WebSocket close code that caused it. */
	readonly closeCode?: number;
	/** For `GATEWAY_DISALLOWED_INTENTS`: the privileged intents the bot requested. */
	readonly privilegedIntents?: readonly string[];
	/** For `GATEWAY_RATE_LIMITED`: seconds to wait. */
	readonly retryAfter?: number;
}

/** Every error `@ovenjs/ws` throws or emits. */
export class GatewayError extends OvenError<GatewayErrorCode> {
	/** The shard the error concerns, if any. */
	public readonly shardId: number | undefined;
	/** The WebSocket close code that caused the error, if any. */
	public readonly closeCode: number | undefined;
	/** For `GATEWAY_DISALLOWED_INTENTS`: the privileged intents the bot requested. */
	public readonly privilegedIntents: readonly string[];
	/** For `GATEWAY_RATE_LIMITED`: seconds to wait before retrying. */
	public readonly retryAfter: number | undefined;

	public constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
		super(code, message, options);
		this.shardId = options.shardId;
		this.closeCode = options.closeCode;
		this.privilegedIntents = options.privilegedIntents ?? [];
		this.retryAfter = options.retryAfter;
	}
}
