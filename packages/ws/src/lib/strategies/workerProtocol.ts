/**
 * The messages between the main thread and shard worker threads, with the guards that check them on arrival
 * (structured clone carries plain data only: errors travel as their fields and are rebuilt).
 */
import { GatewayError, isGatewayErrorCode } from '../errors/GatewayError.js';
import { isArray, isRecord } from '../utils/payload.js';
import {
	ShardStatuses,
	type SessionInfo,
	type ShardConfig,
	type ShardEvent,
	type ShardSnapshot,
	type ShardStatus,
} from '../utils/types.js';

/** A {@link GatewayError} as plain data. */
export interface SerializedError {
	readonly code: string;
	readonly message: string;
	readonly shardId: number | undefined;
	readonly closeCode: number | undefined;
	readonly privilegedIntents: readonly string[];
}

/** Main thread → worker. */
export type ToWorker =
	| { readonly type: 'connect' }
	| {
			readonly type: 'send';
			readonly nonce: number;
			readonly shardId: number;
			readonly payload: { readonly op: number; readonly d: unknown };
	  }
	| { readonly type: 'destroy'; readonly nonce: number; readonly keepSession: boolean }
	| { readonly type: 'status'; readonly nonce: number }
	| { readonly type: 'identify-result'; readonly nonce: number; readonly error: SerializedError | null }
	| { readonly type: 'session-result'; readonly nonce: number; readonly info: SessionInfo | null };

/** Worker → main thread. */
export type FromWorker =
	| {
			readonly type: 'dispatches';
			readonly items: readonly {
				readonly shardId: number;
				readonly t: string;
				readonly s: number | null;
				readonly raw: string;
			}[];
	  }
	| {
			readonly type: 'event';
			readonly event:
				| ShardEvent
				| {
						readonly type: 'error';
						readonly shardId: number;
						readonly error: SerializedError;
						readonly fatal: boolean;
				  };
	  }
	| { readonly type: 'connected'; readonly error: SerializedError | null }
	| { readonly type: 'sent'; readonly nonce: number; readonly error: SerializedError | null }
	| { readonly type: 'destroyed'; readonly nonce: number }
	| { readonly type: 'status'; readonly nonce: number; readonly snapshots: readonly ShardSnapshot[] }
	| { readonly type: 'identify'; readonly nonce: number; readonly shardId: number }
	| { readonly type: 'identify-cancel'; readonly nonce: number }
	| { readonly type: 'identify-report'; readonly nonce: number; readonly sent: boolean }
	| { readonly type: 'retrieve-session'; readonly nonce: number; readonly shardId: number }
	| { readonly type: 'update-session'; readonly shardId: number; readonly info: SessionInfo | null };

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
	readonly shardIds: readonly number[];
	readonly config: ShardConfig;
	readonly wantAll: boolean;
	readonly wanted: readonly string[];
	readonly hasRetrieve: boolean;
	readonly hasUpdate: boolean;
}

/** Turns any error into plain data. */
export function serializeError(error: unknown): SerializedError {
	const gateway =
		error instanceof GatewayError
			? error
			: GatewayError.of('GATEWAY_WORKER_FAILED', [
					[],
					{ kind: 'foreign-error', message: error instanceof Error ? error.message : String(error) },
				]);
	return {
		code: gateway.code,
		message: gateway.message,
		shardId: gateway.shardId,
		closeCode: gateway.closeCode,
		privilegedIntents: gateway.privilegedIntents,
	};
}

/** Rebuilds a {@link GatewayError} from plain data (its message was written by `GatewayError.of` on the other side). */
export function deserializeError(value: SerializedError): GatewayError {
	const code = isGatewayErrorCode(value.code) ? value.code : 'GATEWAY_WORKER_FAILED';
	const options: { shardId?: number; closeCode?: number; privilegedIntents: readonly string[] } = {
		privilegedIntents: value.privilegedIntents,
	};
	if (value.shardId !== undefined) options.shardId = value.shardId;
	if (value.closeCode !== undefined) options.closeCode = value.closeCode;
	return new GatewayError(code, value.message, options);
}

function optionalNumber(value: unknown): value is number | undefined {
	return value === undefined || typeof value === 'number';
}

/** Guard for {@link SerializedError}. */
export function isSerializedError(value: unknown): value is SerializedError {
	return (
		isRecord(value) &&
		typeof value.code === 'string' &&
		typeof value.message === 'string' &&
		optionalNumber(value.shardId) &&
		optionalNumber(value.closeCode) &&
		isArray(value.privilegedIntents) &&
		value.privilegedIntents.every((item) => typeof item === 'string')
	);
}

/** Guard for {@link SessionInfo}. */
export function isSessionInfo(value: unknown): value is SessionInfo {
	return (
		isRecord(value) &&
		typeof value.sessionId === 'string' &&
		typeof value.sequence === 'number' &&
		typeof value.resumeUrl === 'string' &&
		typeof value.shardId === 'number' &&
		typeof value.shardCount === 'number'
	);
}

const STATUSES: ReadonlySet<unknown> = new Set<unknown>(ShardStatuses);

function isStatus(value: unknown): value is ShardStatus {
	return STATUSES.has(value);
}

function isSnapshot(value: unknown): value is ShardSnapshot {
	return (
		isRecord(value) &&
		typeof value.shardId === 'number' &&
		isStatus(value.status) &&
		typeof value.latency === 'number' &&
		(value.sequence === null || typeof value.sequence === 'number') &&
		typeof value.skipped === 'number' &&
		typeof value.duplicates === 'number' &&
		isRecord(value.dispatches) &&
		Object.values(value.dispatches).every((count) => typeof count === 'number')
	);
}

/** Checks a shard event from a worker and rebuilds its error. */
export function toShardEvent(value: unknown): ShardEvent | null {
	if (!isRecord(value) || typeof value.shardId !== 'number') return null;
	const shardId = value.shardId;
	switch (value.type) {
		case 'status':
			return isStatus(value.status) ? { type: 'status', shardId, status: value.status } : null;
		case 'ready':
			return typeof value.sessionId === 'string' &&
				typeof value.guildCount === 'number' &&
				typeof value.resumeUrl === 'string'
				? {
						type: 'ready',
						shardId,
						sessionId: value.sessionId,
						guildCount: value.guildCount,
						resumeUrl: value.resumeUrl,
					}
				: null;
		case 'resumed':
			return typeof value.replayed === 'number' ? { type: 'resumed', shardId, replayed: value.replayed } : null;
		case 'closed':
			return typeof value.code === 'number' &&
				typeof value.reason === 'string' &&
				typeof value.willReconnect === 'boolean'
				? {
						type: 'closed',
						shardId,
						code: value.code,
						reason: value.reason,
						willReconnect: value.willReconnect,
					}
				: null;
		case 'heartbeat':
			return typeof value.latency === 'number' ? { type: 'heartbeat', shardId, latency: value.latency } : null;
		case 'identifying':
			return { type: 'identifying', shardId };
		case 'sessionLost':
			return (value.lastSequence === null || typeof value.lastSequence === 'number') &&
				typeof value.reason === 'string'
				? { type: 'sessionLost', shardId, lastSequence: value.lastSequence, reason: value.reason }
				: null;
		case 'debug':
			return typeof value.message === 'string' ? { type: 'debug', shardId, message: value.message } : null;
		case 'error':
			return isSerializedError(value.error) && typeof value.fatal === 'boolean'
				? { type: 'error', shardId, error: deserializeError(value.error), fatal: value.fatal }
				: null;
		default:
			return null;
	}
}

/** Checks the snapshots of a `status` reply. */
export function toSnapshots(value: unknown): ShardSnapshot[] | null {
	if (!isArray(value)) return null;
	const out: ShardSnapshot[] = [];
	for (const item of value) {
		if (!isSnapshot(item)) return null;
		out.push(item);
	}
	return out;
}
