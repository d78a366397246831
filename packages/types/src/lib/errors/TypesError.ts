import { OvenError, type OvenErrorOptions } from './OvenError.js';

/** Codes of {@link TypesError}. New codes may be added in minor versions. */
export type TypesErrorCode =
	| 'TYPES_INVALID_SNOWFLAKE'
	| 'TYPES_DATE_BEFORE_EPOCH'
	| 'TYPES_UNKNOWN_PERMISSION'
	| 'TYPES_UNKNOWN_PERMISSION_BITS'
	| 'TYPES_INVALID_PERMISSIONS'
	| 'TYPES_INVALID_SHARD_COUNT'
	| 'TYPES_VALIDATION_FAILED'
	| 'TYPES_INVALID_OPTION'
	| 'TYPES_EVENT_TIMEOUT';

/** The details each code's message is built from. */
export interface TypesErrorDetails {
	/** A value is not a snowflake (of the kind the caller expects). */
	TYPES_INVALID_SNOWFLAKE: [kind: string, received: string];
	/** A date before Discord's epoch (2015-01-01) has no snowflake. */
	TYPES_DATE_BEFORE_EPOCH: [date: string];
	/** A permission given by name (or of a type) that does not exist. */
	TYPES_UNKNOWN_PERMISSION: [received: string];
	/** A permission bit field with bits Discord does not define. */
	TYPES_UNKNOWN_PERMISSION_BITS: [bits: string, unknownBits: string];
	/** A role's or overwrite's permissions are not a decimal string or a bigint. */
	TYPES_INVALID_PERMISSIONS: [what: string, id: string, received: string];
	/** A shard count is not a positive integer. */
	TYPES_INVALID_SHARD_COUNT: [received: string];
	/** A payload failed its validation (schema issues, or the shape check). */
	TYPES_VALIDATION_FAILED: [payload: string, problem: string];
	/** An option has the wrong type or value. */
	TYPES_INVALID_OPTION: [option: string, requirement: string, received: string];
	/** `waitFor()` timed out. */
	TYPES_EVENT_TIMEOUT: [event: string, timeoutMs: number];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const TypesErrorMessages: { readonly [C in TypesErrorCode]: (...details: TypesErrorDetails[C]) => string } = {
	TYPES_INVALID_SNOWFLAKE: (kind, received) =>
		`Expected a ${kind} ID (a decimal 64-bit snowflake such as "175928847299117063"), got ${received}.`,
	TYPES_DATE_BEFORE_EPOCH: (date) => `Dates before 2015-01-01T00:00:00Z have no snowflake; got ${date}.`,
	TYPES_UNKNOWN_PERMISSION: (received) =>
		`Unknown permission ${received}: use a flag name such as "SendMessages", a bigint or a decimal string.`,
	TYPES_UNKNOWN_PERMISSION_BITS: (bits, unknownBits) =>
		`Permission bitfield ${bits} has bits Discord does not define (unknown bits: ${unknownBits}).`,
	TYPES_INVALID_PERMISSIONS: (what, id, received) =>
		`The permissions of ${what} ${id} must be a decimal string or a bigint, got ${received}.`,
	TYPES_INVALID_SHARD_COUNT: (received) => `shardCount must be a positive integer, got ${received}.`,
	TYPES_VALIDATION_FAILED: (payload, problem) => `Invalid ${payload} payload: ${problem}.`,
	TYPES_INVALID_OPTION: (option, requirement, received) => `${option} must be ${requirement} (got ${received}).`,
	TYPES_EVENT_TIMEOUT: (event, timeoutMs) => `No "${event}" event arrived within ${timeoutMs} ms.`,
};

/** Thrown by `@ovenjs/types` when a value does not have the shape Discord requires. */
export class TypesError extends OvenError<TypesErrorCode> {
	/** Builds the error with the standard text of `code`. */
	public static of<C extends TypesErrorCode>(
		code: C,
		details: TypesErrorDetails[C],
		options?: OvenErrorOptions,
	): TypesError {
		const build: (...parts: TypesErrorDetails[C]) => string = TypesErrorMessages[code];
		return new TypesError(code, build(...details), options);
	}
}
