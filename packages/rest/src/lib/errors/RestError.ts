import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/** Codes of {@link RestError} and its subclasses. New codes may be added in minor versions. */
export type RestErrorCode =
	| 'REST_INVALID_OPTION'
	| 'REST_INVALID_ROUTE'
	| 'REST_INVALID_REASON'
	| 'REST_INVALID_FILE'
	| 'REST_DISCORD_API_ERROR'
	| 'REST_HTTP_ERROR'
	| 'REST_RATE_LIMITED'
	| 'REST_TIMEOUT'
	| 'REST_ABORTED'
	| 'REST_DESTROYED'
	| 'REST_CIRCUIT_OPEN'
	| 'REST_NETWORK_ERROR'
	| 'REST_STORE_ERROR'
	| 'REST_MAYBE_APPLIED'
	| 'REST_INVALID_RESPONSE'
	| 'REST_RESPONSE_TOO_LARGE';

/** Base class of every error `@ovenjs/rest` throws. Match on {@link RestError.code}. */
export class RestError<Code extends RestErrorCode = RestErrorCode> extends OvenError<Code> {
	public constructor(code: Code, message: string, options: OvenErrorOptions = {}) {
		super(code, message, options);
	}
}
