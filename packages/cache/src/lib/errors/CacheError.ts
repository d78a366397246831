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
 * - `CACHE_INVALID_VALUE`: `set` was given `undefined` (use `delete`).
 * - `CACHE_SERIALIZER_ID_TAKEN`: a serializer was registered under an id another serializer already has.
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
	| 'CACHE_INVALID_VALUE'
	| 'CACHE_SERIALIZER_ID_TAKEN'
	| 'CACHE_UNKNOWN_SERIALIZER'
	| 'CACHE_MIGRATION_FAILED'
	| 'CACHE_CLOSED'
	| 'CACHE_INVALID_EVENT'
	| 'CACHE_VALUE_TOO_LARGE'
	| 'CACHE_DEPENDENCY_MISSING';

/** The details each code's message is built from. */
export interface CacheErrorDetails {
	CACHE_TIER_UNAVAILABLE: [tier: string, operation: string, why: string];
	CACHE_SERIALIZATION_FAILED: [direction: 'encode' | 'decode', why: string];
	CACHE_INVALID_KEY: [problem: string];
	CACHE_INVALID_OPTION: [option: string, expected: string, got: string];
	CACHE_INVALID_VALUE: [key: string];
	CACHE_UNKNOWN_SERIALIZER: [id: number];
	CACHE_SERIALIZER_ID_TAKEN: [id: number, existing: string];
	CACHE_MIGRATION_FAILED: [why: string];
	CACHE_CLOSED: [what: string];
	CACHE_INVALID_EVENT: [];
	CACHE_VALUE_TOO_LARGE: [what: string, bytes: number, maxValueSize: number];
	CACHE_DEPENDENCY_MISSING: [feature: string, pkg: string, why: string];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const CacheErrorMessages: { readonly [C in CacheErrorCode]: (...details: CacheErrorDetails[C]) => string } = {
	CACHE_TIER_UNAVAILABLE: (tier: string, operation: string, why: string) =>
		`The ${tier} tier could not ${operation} (${why}); it is failing over: the other tiers keep serving and its writes are replayed once it is back.`,
	CACHE_SERIALIZATION_FAILED: (direction: 'encode' | 'decode', why: string) =>
		direction === 'encode'
			? `A value could not be encoded for the cache: ${why}.`
			: `A stored value could not be decoded: ${why}.`,
	CACHE_INVALID_KEY: (problem: string) => `Invalid cache key: ${problem}.`,
	CACHE_INVALID_OPTION: (option: string, expected: string, got: string) =>
		`Option "${option}" must be ${expected}, got ${got}.`,
	CACHE_INVALID_VALUE: (key: string) => `Cannot cache undefined for "${key}"; call delete() to remove a key.`,
	CACHE_UNKNOWN_SERIALIZER: (id: number) =>
		`A stored value uses serializer id ${id}, which is not registered; register it on the SerializerRegistry.`,
	CACHE_SERIALIZER_ID_TAKEN: (id: number, existing: string) =>
		`Serializer id ${id} is already taken by "${existing}"; give the new serializer another id (1–127).`,
	CACHE_MIGRATION_FAILED: (why: string) => `A stored value cannot be migrated: ${why}.`,
	CACHE_CLOSED: (what: string) => `${what} was used after close(); create a new one.`,
	CACHE_INVALID_EVENT: () => 'EntityCache.handle() expects a gateway dispatch object { t: string, d: unknown }.',
	CACHE_VALUE_TOO_LARGE: (what: string, bytes: number, maxValueSize: number) =>
		`${what} is ${bytes} bytes, more than the codec's maxValueSize of ${maxValueSize}; store it in parts, or raise maxValueSize if such values are genuine.`,
	CACHE_DEPENDENCY_MISSING: (feature: string, pkg: string, why: string) =>
		`${feature} needs the "${pkg}" package (${why}): install it (npm install ${pkg}).`,
};

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

	/** Builds the error with the standard text of `code`. */
	public static of<C extends CacheErrorCode>(
		code: C,
		details: CacheErrorDetails[C],
		options?: CacheErrorOptions,
	): CacheError {
		const build: (...parts: CacheErrorDetails[C]) => string = CacheErrorMessages[code];
		return new CacheError(code, build(...details), options);
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
	return (
		code === 'CACHE_SERIALIZATION_FAILED' ||
		code === 'CACHE_MIGRATION_FAILED' ||
		code === 'CACHE_UNKNOWN_SERIALIZER' ||
		code === 'CACHE_VALUE_TOO_LARGE'
	);
}
