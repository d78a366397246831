import { type GuildId, OvenError, type OvenErrorOptions } from '@ovenjs/types';

/**
 * Codes of {@link GatewayError}. New codes may be added in minor versions: match on the codes you handle and
 * keep a default branch. A code means one thing; {@link GatewayErrorMessages} says what, and what to fix.
 *
 * The close-code errors (`GATEWAY_AUTHENTICATION_FAILED`, `GATEWAY_INVALID_SHARD`, `GATEWAY_SHARDING_REQUIRED`,
 * `GATEWAY_INVALID_API_VERSION`, `GATEWAY_INVALID_INTENTS`, `GATEWAY_DISALLOWED_INTENTS`) are fatal: the shard
 * does not reconnect (see `GatewayCloseCodeInfo`).
 */
export type GatewayErrorCode =
	| 'GATEWAY_INVALID_OPTION'
	| 'GATEWAY_INVALID_GATEWAY_INFORMATION'
	| 'GATEWAY_ALREADY_CONNECTED'
	| 'GATEWAY_UNKNOWN_SHARD'
	| 'GATEWAY_NOT_CONNECTED'
	| 'GATEWAY_CONNECT_FAILED'
	| 'GATEWAY_WRITE_FAILED'
	| 'GATEWAY_DESTROYED'
	| 'GATEWAY_ABORTED'
	| 'GATEWAY_HOOK_FAILED'
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
	| 'GATEWAY_IDENTIFY_THROTTLER_FAILED'
	| 'GATEWAY_IDENTIFY_CANCELLED'
	| 'GATEWAY_REDIS_UNEXPECTED_REPLY'
	| 'GATEWAY_MEMBERS_REQUEST_FAILED'
	| 'GATEWAY_RATE_LIMITED'
	| 'GATEWAY_TIMEOUT'
	| 'GATEWAY_WORKER_FAILED'
	| 'GATEWAY_RESHARD_FAILED';

/** What was wrong with a gateway payload (`GATEWAY_INVALID_PAYLOAD`). */
export type InvalidPayloadProblem =
	| { readonly kind: 'unhandled' }
	| { readonly kind: 'sequence'; readonly sequence: number }
	| { readonly kind: 'ready' }
	| { readonly kind: 'hello'; readonly interval: number | undefined; readonly min: number; readonly max: number }
	| { readonly kind: 'send-op'; readonly op: unknown }
	| { readonly kind: 'send-managed-op'; readonly op: number }
	| { readonly kind: 'send-too-large'; readonly bytes: number };

/** How a worker thread failed (`GATEWAY_WORKER_FAILED`). */
export type WorkerFailure =
	| { readonly kind: 'crashed'; readonly message: string }
	| { readonly kind: 'exited'; readonly exitCode: number }
	| { readonly kind: 'gone' }
	| { readonly kind: 'bad-start' }
	| { readonly kind: 'foreign-error'; readonly message: string };

/** Why a reshard was refused or failed (`GATEWAY_RESHARD_FAILED`). */
export type ReshardFailure = 'not-connected' | 'partial-shard-ids' | 'connect-failed';

/** The details each code's message is built from (a shard id of `undefined`: not about one shard). */
export interface GatewayErrorDetails {
	GATEWAY_INVALID_OPTION: [option: string, fix: string];
	GATEWAY_INVALID_GATEWAY_INFORMATION: [];
	GATEWAY_ALREADY_CONNECTED: [state: string];
	GATEWAY_UNKNOWN_SHARD: [shardId: unknown, runBy: 'manager' | 'worker', known: readonly number[]];
	GATEWAY_NOT_CONNECTED: [operation: string, state: string];
	GATEWAY_CONNECT_FAILED: [shardId: number, url: string];
	GATEWAY_WRITE_FAILED: [shardId: number];
	GATEWAY_DESTROYED: [subject: string];
	GATEWAY_ABORTED: [];
	GATEWAY_HOOK_FAILED: [shardId: number, hook: 'retrieveSessionInfo' | 'updateSessionInfo'];
	GATEWAY_INVALID_PAYLOAD: [shardId: number | undefined, problem: InvalidPayloadProblem];
	GATEWAY_DECOMPRESSION_FAILED: [shardId: number | undefined, compression: string];
	GATEWAY_PAYLOAD_TOO_LARGE: [shardId: number | undefined, source: string, limit: number, size: number | null];
	GATEWAY_READY_TIMEOUT: [shardId: number, resuming: boolean, timeout: number];
	GATEWAY_AUTHENTICATION_FAILED: [shardId: number];
	GATEWAY_INVALID_SHARD: [shardId: number];
	GATEWAY_SHARDING_REQUIRED: [shardId: number];
	GATEWAY_INVALID_API_VERSION: [shardId: number];
	GATEWAY_INVALID_INTENTS: [shardId: number];
	GATEWAY_DISALLOWED_INTENTS: [shardId: number, privilegedIntents: readonly string[]];
	GATEWAY_SESSION_START_LIMIT: [shards: number, remaining: number, total: number, resetAfter: number];
	GATEWAY_IDENTIFY_THROTTLER_FAILED: [shardId: number];
	GATEWAY_IDENTIFY_CANCELLED: [shardId: number | undefined];
	GATEWAY_REDIS_UNEXPECTED_REPLY: [script: string];
	GATEWAY_MEMBERS_REQUEST_FAILED: [guildId: GuildId];
	GATEWAY_RATE_LIMITED: [guildId: GuildId, retryAfter: number];
	GATEWAY_TIMEOUT: [guildId: GuildId, timeout: number];
	GATEWAY_WORKER_FAILED: [shardIds: readonly number[], failure: WorkerFailure];
	GATEWAY_RESHARD_FAILED: [why: ReshardFailure];
}

function shard(shardId: number | undefined): string {
	return shardId === undefined ? '' : `Shard ${shardId}: `;
}

function invalidPayload(problem: InvalidPayloadProblem): string {
	switch (problem.kind) {
		case 'unhandled':
			return 'a gateway message could not be handled; the connection will be reset.';
		case 'sequence':
			return `ignored a dispatch with sequence ${problem.sequence}, which is not a non-negative safe integer.`;
		case 'ready':
			return 'READY without a session_id or with a resume_gateway_url that is not a ws:// or wss:// URL; identifying again.';
		case 'hello':
			return `HELLO's heartbeat_interval ${String(problem.interval)} is not a number of ms in [${problem.min}, ${problem.max}]; reconnecting with backoff.`;
		case 'send-op':
			return `A gateway payload needs an integer \`op\`, got ${String(problem.op)}.`;
		case 'send-managed-op':
			return `Opcode ${problem.op} is managed by the shard (heartbeat, identify, resume); send other opcodes.`;
		case 'send-too-large':
			return `Gateway payloads are limited to 4096 bytes; this one is ${problem.bytes} (Discord would close the connection with 4002).`;
	}
}

function workerFailure(shardIds: readonly number[], failure: WorkerFailure): string {
	const shards = shardIds.join(', ');
	switch (failure.kind) {
		case 'crashed':
			return `A shard worker (shards ${shards}) crashed: ${failure.message}`;
		case 'exited':
			return `A shard worker (shards ${shards}) exited with code ${failure.exitCode}.`;
		case 'gone':
			return `The worker of shards ${shards} has exited.`;
		case 'bad-start':
			return 'The shard worker was started without a parent port or with invalid workerData.';
		case 'foreign-error':
			return failure.message;
	}
}

/** What each code means, in one place (the text of an error lives with its kind). Never contains the token. */
export const GatewayErrorMessages: {
	readonly [C in GatewayErrorCode]: (...details: GatewayErrorDetails[C]) => string;
} = {
	GATEWAY_INVALID_OPTION: (option: string, fix: string) => `\`${option}\` ${fix}`,
	GATEWAY_INVALID_GATEWAY_INFORMATION: () =>
		'GET /gateway/bot did not return { url (a wss:// URL), shards, session_start_limit: { total, remaining, reset_after, max_concurrency } }. Check the `rest` client or `fetchGatewayInformation`.',
	GATEWAY_ALREADY_CONNECTED: (state: string) =>
		`connect() was already called (state: ${state}); create a new manager to connect again.`,
	GATEWAY_UNKNOWN_SHARD: (shardId: unknown, runBy: 'manager' | 'worker', known: readonly number[]) =>
		`Shard ${String(shardId)} is not run by this ${runBy}${known.length > 0 ? ` (shards: ${known.join(', ')})` : ''}.`,
	GATEWAY_NOT_CONNECTED: (operation: string, state: string) =>
		`${operation} needs a connection, but ${state}; call connect() first (a destroyed or failed shard does not reconnect).`,
	GATEWAY_CONNECT_FAILED: (shardId: number, url: string) => `Shard ${shardId}: could not open ${url}; retrying.`,
	GATEWAY_WRITE_FAILED: (shardId: number) => `Shard ${shardId}: the payload could not be written to the socket.`,
	GATEWAY_DESTROYED: (subject: string) =>
		`${subject} was destroyed before the operation completed; create a new manager to connect again.`,
	GATEWAY_ABORTED: () => 'The operation was aborted.',
	GATEWAY_HOOK_FAILED: (shardId: number, hook: 'retrieveSessionInfo' | 'updateSessionInfo') =>
		`Shard ${shardId}: ${hook} threw; ${hook === 'retrieveSessionInfo' ? 'identifying with a new session' : 'the session was not persisted'}. Check the hook (its error is the cause).`,
	GATEWAY_INVALID_PAYLOAD: (shardId: number | undefined, problem: InvalidPayloadProblem) =>
		shard(shardId) + invalidPayload(problem),
	GATEWAY_DECOMPRESSION_FAILED: (shardId: number | undefined, compression: string) =>
		`${shard(shardId)}The ${compression} payload could not be decompressed; the connection will be reset.`,
	GATEWAY_PAYLOAD_TOO_LARGE: (shardId: number | undefined, source: string, limit: number, size: number | null) =>
		`${shard(shardId)}${source === 'frame' ? `A gateway frame is larger than maxPayloadSize (${limit} bytes)` : `A ${source} payload decompressed to more than ${limit} bytes${size === null ? '' : ` (${size} so far)`}`}; the connection will be reset. Raise \`maxPayloadSize\` if your bot really receives payloads this large.`,
	GATEWAY_READY_TIMEOUT: (shardId: number, resuming: boolean, timeout: number) =>
		`Shard ${shardId}: no ${resuming ? 'RESUMED' : 'READY'} within ${timeout} ms of ${resuming ? 'RESUME' : 'IDENTIFY'}; reconnecting. Raise \`readyTimeout\` if Discord is slow for this bot.`,
	GATEWAY_AUTHENTICATION_FAILED: (shardId: number) =>
		`Shard ${shardId}: Discord rejected the token (close 4004). Check the bot token in the Developer Portal (Bot → Reset Token) and pass it without the "Bot " prefix.`,
	GATEWAY_INVALID_SHARD: (shardId: number) =>
		`Shard ${shardId}: Discord rejected the shard (close 4010). Shard ids must be in [0, shardCount); check \`shardIds\` and \`shardCount\`.`,
	GATEWAY_SHARDING_REQUIRED: (shardId: number) =>
		`Shard ${shardId}: Discord requires sharding for this bot (close 4011). Use \`shardCount: 'auto'\` or a larger shard count.`,
	GATEWAY_INVALID_API_VERSION: (shardId: number) =>
		`Shard ${shardId}: Discord rejected the gateway API version (close 4012). Upgrade @ovenjs/ws.`,
	GATEWAY_INVALID_INTENTS: (shardId: number) =>
		`Shard ${shardId}: Discord rejected the intents bit field (close 4013). Pass a valid combination of GatewayIntentBits.`,
	GATEWAY_DISALLOWED_INTENTS: (shardId: number, privilegedIntents: readonly string[]) =>
		`Shard ${shardId}: Discord refused privileged intents (close 4014). Requested privileged intents: ${privilegedIntents.length > 0 ? privilegedIntents.join(', ') : 'none (check the intents option)'}. Enable them in the Developer Portal (Bot → Privileged Gateway Intents), or remove them from \`intents\`.`,
	GATEWAY_SESSION_START_LIMIT: (shards: number, remaining: number, total: number, resetAfter: number) =>
		`Starting ${shards} shards needs ${shards} identifies, but Discord's daily session start limit has ${remaining} of ${total} left (it resets in ${Math.ceil(resetAfter / 60_000)} min). Refusing to start rather than spend the budget; start fewer shards (\`shardIds\`) or wait for the reset.`,
	GATEWAY_IDENTIFY_THROTTLER_FAILED: (shardId: number) =>
		`Shard ${shardId}: the identify throttler failed (its error is the cause); retrying the connection.`,
	GATEWAY_IDENTIFY_CANCELLED: (shardId: number | undefined) =>
		`${shard(shardId)}stopped waiting to identify: the connection closed or the shard was destroyed.`,
	GATEWAY_REDIS_UNEXPECTED_REPLY: (script: string) =>
		`Redis answered the ${script} script with an unexpected value; check the Redis server.`,
	GATEWAY_MEMBERS_REQUEST_FAILED: (guildId: GuildId) =>
		`Requesting members of guild ${guildId} failed (the cause says why).`,
	GATEWAY_RATE_LIMITED: (guildId: GuildId, retryAfter: number) =>
		`Requesting members of guild ${guildId} is rate limited; retry after ${retryAfter} s.`,
	GATEWAY_TIMEOUT: (guildId: GuildId, timeout: number) =>
		`No GUILD_MEMBERS_CHUNK for guild ${guildId} within ${timeout} ms. Check the GUILD_MEMBERS intent (needed to list members).`,
	GATEWAY_WORKER_FAILED: (shardIds: readonly number[], failure: WorkerFailure) => workerFailure(shardIds, failure),
	GATEWAY_RESHARD_FAILED: (why: ReshardFailure) =>
		why === 'not-connected'
			? 'reshard() needs a connected manager; wait for connect() to resolve.'
			: why === 'partial-shard-ids'
				? 'reshard() needs a manager that runs every shard (no `shardIds` option); coordinate resharding across processes yourself.'
				: 'The new shard set failed to connect; the old set keeps running.',
};

/** Whether `code` is one of {@link GatewayErrorCode} (errors that crossed a thread arrive as strings). */
export function isGatewayErrorCode(code: string): code is GatewayErrorCode {
	return Object.hasOwn(GatewayErrorMessages, code);
}

/** Extra fields of a {@link GatewayError}. */
export interface GatewayErrorOptions extends OvenErrorOptions {
	/** The shard the error concerns. */
	readonly shardId?: number | undefined;
	/** The WebSocket close code that caused it. */
	readonly closeCode?: number | undefined;
	/** For `GATEWAY_DISALLOWED_INTENTS`: the privileged intents the bot requested. */
	readonly privilegedIntents?: readonly string[];
	/** For `GATEWAY_RATE_LIMITED`: seconds to wait. */
	readonly retryAfter?: number;
}

/** Every error `@ovenjs/ws` throws or emits; `code` says what went wrong. */
export class GatewayError extends OvenError<GatewayErrorCode> {
	/** The shard the error concerns, if any. */
	public readonly shardId: number | undefined;
	/** The WebSocket close code that caused the error, if any. */
	public readonly closeCode: number | undefined;
	/** For `GATEWAY_DISALLOWED_INTENTS`: the privileged intents the bot requested. */
	public readonly privilegedIntents: readonly string[];
	/** For `GATEWAY_RATE_LIMITED`: seconds to wait before retrying. */
	public readonly retryAfter: number | undefined;

	/**
	 * Prefer {@link GatewayError.of}, which writes the standard text of `code`; the constructor takes a finished
	 * message (an error rebuilt after crossing a worker thread).
	 */
	public constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
		super(code, message, options);
		this.shardId = options.shardId;
		this.closeCode = options.closeCode;
		this.privilegedIntents = options.privilegedIntents ?? [];
		this.retryAfter = options.retryAfter;
	}

	/** Builds the error with the standard text of `code`. */
	public static of<C extends GatewayErrorCode>(
		code: C,
		details: GatewayErrorDetails[C],
		options?: GatewayErrorOptions,
	): GatewayError {
		const build: (...parts: GatewayErrorDetails[C]) => string = GatewayErrorMessages[code];
		return new GatewayError(code, build(...details), options);
	}
}
