import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

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

/** The details each code's message is built from. */
export interface ObservabilityErrorDetails {
	OBS_INVALID_OPTION: [option: string, requirement: string, received?: string];
	OBS_ALREADY_INSTRUMENTED: [];
	OBS_LISTEN_FAILED: [host: string, port: number, why: string];
	OBS_INVALID_METRICS: [part: number];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const ObservabilityErrorMessages: {
	readonly [C in ObservabilityErrorCode]: (...details: ObservabilityErrorDetails[C]) => string;
} = {
	OBS_INVALID_OPTION: (option, requirement, received) =>
		`${option} must be ${requirement}${received === undefined ? '' : `, got ${received}`}.`,
	OBS_ALREADY_INSTRUMENTED: () =>
		'This client is already instrumented with another registry; call stop() on it first.',
	OBS_LISTEN_FAILED: (host, port, why) => `The dashboard could not listen on ${host}:${port}: ${why}`,
	OBS_INVALID_METRICS: (part) =>
		`mergeMetrics: part ${part} is neither a prom-client Registry nor the JSON of one (registry.getMetricsAsJSON()).`,
};

/** Base class of every error `@ovenjs/observability` throws. Match on {@link ObservabilityError.code}. */
export class ObservabilityError extends OvenError<ObservabilityErrorCode> {
	/** Builds the error with the standard text of `code`. */
	public static of<C extends ObservabilityErrorCode>(
		code: C,
		details: ObservabilityErrorDetails[C],
		options?: OvenErrorOptions,
	): ObservabilityError {
		const build: (...parts: ObservabilityErrorDetails[C]) => string = ObservabilityErrorMessages[code];
		return new ObservabilityError(code, build(...details), options);
	}
}
