import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/**
 * Codes of {@link ClusterError}. New codes may be added in minor versions: match on the codes you handle and keep
 * a default branch.
 */
export type ClusterErrorCode =
	| 'CLUSTER_INVALID_OPTION'
	| 'CLUSTER_SESSION_START_LIMIT'
	| 'CLUSTER_PROCESS_DOWN'
	| 'CLUSTER_TIMEOUT'
	| 'CLUSTER_REQUEST_FAILED'
	| 'CLUSTER_UNKNOWN_REQUEST'
	| 'CLUSTER_NOT_IN_CLUSTER'
	| 'CLUSTER_STOPPED'
	| 'CLUSTER_BACKPRESSURE'
	| 'CLUSTER_STORE_FAILED';

/** Extra fields of a {@link ClusterError}. */
export interface ClusterErrorOptions extends OvenErrorOptions {
	/** The cluster process the error concerns. */
	readonly processId?: number;
	/** The shard the error concerns. */
	readonly shardId?: number;
}

/** Every error `@ovenjs/cluster` throws or reports. */
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
}
