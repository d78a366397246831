import { OvenError } from './OvenError.js';

/** Codes of {@link TypesError}. New codes may be added in minor versions. */
export type TypesErrorCode =
	| 'TYPES_INVALID_SNOWFLAKE'
	| 'TYPES_INVALID_PERMISSIONS'
	| 'TYPES_INVALID_SHARD_COUNT'
	| 'TYPES_VALIDATION_FAILED'
	| 'TYPES_INVALID_OPTION'
	| 'TYPES_EVENT_TIMEOUT';

/** Thrown by `@ovenjs/types` when a value does not have the shape Discord requires. */
export class TypesError extends OvenError<TypesErrorCode> {}
