import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/**
 * Codes of {@link ClusterError}. New codes may be added in minor versions: match on the codes you handle and keep
 * a default branch. A code means one thing; {@link ClusterErrorMessages} says what, and what to fix.
 */
export type ClusterErrorCode =
	| 'CLUSTER_INVALID_OPTION'
	| 'CLUSTER_INVALID_ARGUMENT'
	| 'CLUSTER_TOKEN_MISSING'
	| 'CLUSTER_GATEWAY_INFORMATION_FAILED'
	| 'CLUSTER_ALREADY_SPAWNED'
	| 'CLUSTER_UNKNOWN_PROCESS'
	| 'CLUSTER_UNKNOWN_SHARD'
	| 'CLUSTER_SESSION_START_LIMIT'
	| 'CLUSTER_PROCESS_DOWN'
	| 'CLUSTER_TIMEOUT'
	| 'CLUSTER_REQUEST_FAILED'
	| 'CLUSTER_UNKNOWN_REQUEST'
	| 'CLUSTER_INVALID_RESULT'
	| 'CLUSTER_NOT_IN_CLUSTER'
	| 'CLUSTER_STOPPED'
	| 'CLUSTER_SESSION_HOOKS_MISSING'
	| 'CLUSTER_BACKPRESSURE'
	| 'CLUSTER_PUBLISH_FAILED'
	| 'CLUSTER_HANDLER_FAILED'
	| 'CLUSTER_STORE_FAILED';

/** Why a process cannot answer (`CLUSTER_PROCESS_DOWN`). */
export type ProcessDownReason =
	| { readonly kind: 'failed'; readonly message: string }
	| { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
	| { readonly kind: 'restarting' }
	| { readonly kind: 'disconnected' };

/** Why this process is not a cluster process (`CLUSTER_NOT_IN_CLUSTER`). */
export type NotInClusterProblem =
	{ readonly kind: 'env'; readonly name: string; readonly value: string | undefined } | { readonly kind: 'no-ipc' };

/** Which write Redis refused (`CLUSTER_STORE_FAILED`). */
export type StoreFailure = { readonly kind: 'sessions'; readonly count: number } | { readonly kind: 'dedupe-mark' };

/** The details each code's message is built from. */
export interface ClusterErrorDetails {
	CLUSTER_INVALID_OPTION: [option: string, fix: string];
	CLUSTER_INVALID_ARGUMENT: [problem: string, usage: string];
	CLUSTER_TOKEN_MISSING: [];
	CLUSTER_GATEWAY_INFORMATION_FAILED: [status: number];
	CLUSTER_ALREADY_SPAWNED: [state: string];
	CLUSTER_UNKNOWN_PROCESS: [processId: number, processes: number];
	CLUSTER_UNKNOWN_SHARD: [shardId: number, shardCount: number];
	CLUSTER_SESSION_START_LIMIT: [identifies: number, remaining: number, total: number, resetAfter: number];
	CLUSTER_PROCESS_DOWN: [processId: number, reason: ProcessDownReason];
	CLUSTER_TIMEOUT: [processId: number, request: string, timeout: number];
	CLUSTER_REQUEST_FAILED: [processId: number, why: string];
	CLUSTER_UNKNOWN_REQUEST: [processId: number, request: string];
	CLUSTER_INVALID_RESULT: [processId: number, request: string];
	CLUSTER_NOT_IN_CLUSTER: [problem: NotInClusterProblem];
	CLUSTER_STOPPED: [operation: string];
	CLUSTER_SESSION_HOOKS_MISSING: [shardId: number, event: string];
	CLUSTER_BACKPRESSURE: [shardId: number, pending: number, maxPending: number, acked: number];
	CLUSTER_PUBLISH_FAILED: [shardId: number, sequence: number, acked: number];
	CLUSTER_HANDLER_FAILED: [event: string, shardId: number, sequence: number];
	CLUSTER_STORE_FAILED: [failure: StoreFailure];
}

function processDown(processId: number, reason: ProcessDownReason): string {
	switch (reason.kind) {
		case 'failed':
			return `Process ${processId} failed: ${reason.message}`;
		case 'exited':
			return `Process ${processId} exited (code ${String(reason.code)}, signal ${String(reason.signal)}) before answering.`;
		case 'restarting':
			return `Process ${processId} is down (restarting); try again when it is ready.`;
		case 'disconnected':
			return `Process ${processId} is down (its IPC channel is closed).`;
	}
}

function storeFailed(failure: StoreFailure): string {
	switch (failure.kind) {
		case 'sessions':
			return `Writing ${failure.count} session(s) to Redis failed; the shards keep running but may identify after a restart.`;
		case 'dedupe-mark':
			return 'Redis refused the deduplication mark while the worker stopped.';
	}
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const ClusterErrorMessages: {
	readonly [C in ClusterErrorCode]: (...details: ClusterErrorDetails[C]) => string;
} = {
	CLUSTER_INVALID_OPTION: (option: string, fix: string) => `${option} ${fix}`,
	CLUSTER_INVALID_ARGUMENT: (problem: string, usage: string) => `${problem}\n\n${usage}`,
	CLUSTER_TOKEN_MISSING: () =>
		'--shards auto needs the bot token in DISCORD_TOKEN to ask Discord (GET /gateway/bot); set it, or pass --shards N.',
	CLUSTER_GATEWAY_INFORMATION_FAILED: (status: number) =>
		`GET /gateway/bot answered ${status}; check DISCORD_TOKEN${status === 401 ? ' (Discord rejected it)' : ''}.`,
	CLUSTER_ALREADY_SPAWNED: (state: string) => `spawn() was already called (state: ${state}); create a new manager.`,
	CLUSTER_UNKNOWN_PROCESS: (processId: number, processes: number) =>
		processes === 0
			? `There is no process ${processId}: the cluster has no processes yet (call spawn() first).`
			: `There is no process ${processId}; processes are numbered 0 to ${processes - 1}.`,
	CLUSTER_UNKNOWN_SHARD: (shardId: number, shardCount: number) =>
		`No process runs shard ${shardId} (shard count ${shardCount}).`,
	CLUSTER_SESSION_START_LIMIT: (identifies: number, remaining: number, total: number, resetAfter: number) =>
		`Starting needs ${identifies} identifies (shards without a stored session), but Discord's daily session start limit has ${remaining} of ${total} left; it resets in ${Math.ceil(resetAfter / 60_000)} min. Refusing to start rather than burn the budget: wait for the reset, start fewer shards, or restore the session store so shards resume.`,
	CLUSTER_PROCESS_DOWN: processDown,
	CLUSTER_TIMEOUT: (processId: number, request: string, timeout: number) =>
		`Process ${processId} did not answer "${request}" within ${timeout} ms.`,
	CLUSTER_REQUEST_FAILED: (processId: number, why: string) => `Process ${processId} failed the request: ${why}`,
	CLUSTER_UNKNOWN_REQUEST: (processId: number, request: string) =>
		`Process ${processId} has no handler for "${request}" (register one with cluster.handle("${request}", ...)).`,
	CLUSTER_INVALID_RESULT: (processId: number, request: string) =>
		`Process ${processId} answered "${request}" with a value the result schema rejects.`,
	CLUSTER_NOT_IN_CLUSTER: (problem: NotInClusterProblem) =>
		problem.kind === 'env'
			? `${problem.name} is ${problem.value === undefined ? 'not set' : `"${problem.value}"`}: this process was not started by a ClusterManager (or the ovenjs-cluster CLI).`
			: 'This process has no IPC channel: it was not forked by a ClusterManager (or the ovenjs-cluster CLI).',
	CLUSTER_STOPPED: (operation: string) =>
		`The cluster was stopped: ${operation} needs a running cluster (create a new ClusterManager).`,
	CLUSTER_SESSION_HOOKS_MISSING: (shardId: number, event: string) =>
		`Shard ${shardId}: a ${event} arrived for a shard without a known session, so it cannot be published with its session and sequence; pass publisher.sessionHooks() to the WebSocketManager options.`,
	CLUSTER_BACKPRESSURE: (shardId: number, pending: number, maxPending: number, acked: number) =>
		`Shard ${shardId}: ${pending} dispatches wait for JetStream acknowledgements (maxPending ${maxPending}); the shard stops publishing at sequence ${acked} and resumes from there when restarted.`,
	CLUSTER_PUBLISH_FAILED: (shardId: number, sequence: number, acked: number) =>
		`Shard ${shardId}: publishing sequence ${sequence} to JetStream failed; the shard stops publishing at sequence ${acked} and resumes from there when restarted.`,
	CLUSTER_HANDLER_FAILED: (event: string, shardId: number, sequence: number) =>
		`The handler failed on ${event} (shard ${shardId}, sequence ${sequence}); the event is acknowledged, not retried.`,
	CLUSTER_STORE_FAILED: storeFailed,
};

/** Extra fields of a {@link ClusterError}. */
export interface ClusterErrorOptions extends OvenErrorOptions {
	/** The cluster process the error concerns. */
	readonly processId?: number;
	/** The shard the error concerns. */
	readonly shardId?: number;
}

/** Every error `@ovenjs/cluster` throws or reports; `code` says what went wrong. */
export class ClusterError extends OvenError<ClusterErrorCode> {
	/** The cluster process the error concerns, if any. */
	public readonly processId: number | undefined;
	/** The shard the error concerns, if any. */
	public readonly shardId: number | undefined;

	public constructor(code: ClusterErrorCode, message: string, options: ClusterErrorOptions = {}) {
		super(code, message, options);
		this.processId = options.processId;
		this.shardId = options.shardId;
	}

	/** Builds the error with the standard text of `code`. */
	public static of<C extends ClusterErrorCode>(
		code: C,
		details: ClusterErrorDetails[C],
		options?: ClusterErrorOptions,
	): ClusterError {
		const build: (...parts: ClusterErrorDetails[C]) => string = ClusterErrorMessages[code];
		return new ClusterError(code, build(...details), options);
	}
}
