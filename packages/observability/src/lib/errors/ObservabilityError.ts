import { OvenError } from '@ovenjs/types';

/** Codes of {@link ObservabilityError}. New codes may be added in minor versions: keep a default branch. */
export type ObservabilityErrorCode =
	/** An option has the wrong type or value. */
	| 'OBS_INVALID_OPTION'
	/** `instrument()` was called on a client that is already instrumented with a different registry. */
	| 'OBS_ALREADY_INSTRUMENTED'
	/** The dashboard could not listen on the requested host and port. */
	| 'OBS_LISTEN_FAILED'
	/** Registries to merge were not metric JSON from `getMetricsAsJSON()`. */
	| 'OBS_INVALID_METRICS';

/** Base class of every error `@ovenjs/observability` throws. Match on {@link ObservabilityError.code}. */
export class ObservabilityError extends OvenError<ObservabilityErrorCode> {}
