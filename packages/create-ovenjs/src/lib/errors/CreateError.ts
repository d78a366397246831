import { OvenError } from '@ovenjs/types';

/**
 * Codes of {@link CreateError}. New codes may be added in minor versions.
 *
 * - `CREATE_INVALID_NAME`: the project name is not a valid npm package name.
 * - `CREATE_INVALID_OPTION`: an unknown flag, or a flag with a value it does not take.
 * - `CREATE_TARGET_NOT_EMPTY`: the target folder exists and has files (pass `--force` to write anyway).
 * - `CREATE_CANCELLED`: the prompts were closed before every answer was given.
 */
export type CreateErrorCode =
	'CREATE_INVALID_NAME' | 'CREATE_INVALID_OPTION' | 'CREATE_TARGET_NOT_EMPTY' | 'CREATE_CANCELLED';

/** Thrown by `create-ovenjs` for bad input; the CLI prints its message and exits with code 1. */
export class CreateError extends OvenError<CreateErrorCode> {}
