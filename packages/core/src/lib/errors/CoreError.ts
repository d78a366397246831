import { OvenError } from '@ovenjs/types';

/** Codes of {@link CoreError}. New codes may be added in minor versions: keep a default branch. */
export type CoreErrorCode =
	| 'CORE_INVALID_OPTION'
	| 'CORE_INVALID_HANDLER'
	| 'CORE_BUILDER_VALIDATION'
	| 'CORE_INTERACTION_ALREADY_REPLIED'
	| 'CORE_INTERACTION_NOT_REPLIED'
	| 'CORE_INTERACTION_UNSUPPORTED'
	| 'CORE_NOT_LOGGED_IN'
	| 'CORE_ALREADY_LOGGED_IN'
	| 'CORE_DESTROYED'
	| 'CORE_RECORDING_INVALID'
	| 'CORE_INVALID_ROUTE_PARAM';

/** Base class of every error `@ovenjs/core` throws. Match on {@link CoreError.code}. */
export class CoreError extends OvenError<CoreErrorCode> {}
