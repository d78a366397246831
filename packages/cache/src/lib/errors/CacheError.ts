import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/**
 * Every code a {@link CacheError} can carry. New codes may be added in minor versions: match on the codes you
 * handle and keep a default branch.
 *
 * - `CACHE_TIER_UNAVAILABLE`: a tier (Redis, PostgreSQL) could not be reached. {@link MultiTierCache} never
 *   throws it from `get`/`set`: it reports the outage through `cache:tierDown` and keeps serving.
 * - `CACHE_SERIALIZATION_FAILED`: a value could not be encoded or a stored value could not be decoded.
 * - `CACHE_INVALID_KEY`: a key is empty, too long or not a string.
 * - `CACHE_INVALID_OPTION`: an option is out of range or of the wrong type.
 * - `CACHE_UNKNOWN_SERIALIZER`: a stored value names a serializer id that is not registered.
 * - `CACHE_MIGRATION_FAILED`: a stored value has a schema version with no migration path to the current one.
 * - `CACHE_CLOSED`: the cache or tier was used after `close()`.
 * - `CACHE_INVALID_EVENT`: the entity cache was handed a dispatch that is not an object with a string `t`.
 * - `CACHE_VALUE_TOO_LARGE`: a value to encode is larger than the codec's `maxValueSize`, or a stored value
 *   claims to decompress to more than that (refused before anything is allocated).
 * - `CACHE_DEPENDENCY_MISSING`: an optional dependency a feature needs (e.g. `msgpackr` for the msgpack
 *   serializer) is not installed; the message names the package to install.
 */
export type CacheErrorCode =
	| 'CACHE_TIER_UNAVAILABLE'
	| 'CACHE_SERIALIZATION_FAILED'
	| 'CACHE_INVALID_KEY'
	| 'CACHE_INVALID_OPTION'
	| 'CACHE_UNKNOWN_SERIALIZER'
	| 'CACHE_MIGRATION_FAILED'
	| 'CACHE_CLOSED'
	| 'CACHE_INVALID_EVENT'
	| 'CACHE_VALUE_TOO_LARGE'
	| 'CACHE_DEPENDENCY_MISSING';

/** Options of a {@link CacheError}. */
export interface CacheErrorOptions extends OvenErrorOptions {
	/** The name of the tier involved, if any. */
	readonly tier?: string;
}

/** The base class of every error `@ovenjs/cache` throws. */
export class CacheError extends OvenError<CacheErrorCode> {
	/** The name of the tier involved, if any. */
	public readonly tier: string | undefined;

	public constructor(code: CacheErrorCode, message: string, options: CacheErrorOptions = {}) {
		super(code, message, options);
		this.tier = options.tier;
	}
}

/**
 * Whether `error` is about one value (it cannot be encoded or a stored copy cannot be read) rather than about the
 * tier: such an error makes a read a miss and drops a journaled write, and never marks the tier down.
 *
 * @internal
 */
export function isValueError(error: unknown): error is CacheError {
	if (!(error instanceof CacheError)) return false;
	const code = error.code;
	return code === 'CACHE_SERIALIZATION_FAILED' || code === 'CACHE_MIGRATION_FAILED' || code === 'CACHE_UNKNOWN_SERIALIZER' || code === 'CACHE_VALUE_TOO_LARGE';
}
