import { OvenError, redactSecrets, type OvenErrorOptions } from '@ovenjs/types';
import { MAX_TIMER_MS } from '../utils/timers.js';
import { ErrorBodyLimits, type DiscordFieldError } from './errorBody.js';
import type { MaybeAppliedErrorData } from './MaybeAppliedError.js';
import type { RateLimitErrorData, RateLimitRejection } from './RateLimitError.js';

/** Codes of {@link RestError} and its subclasses. New codes may be added in minor versions. */
export type RestErrorCode =
	| 'REST_INVALID_OPTION'
	| 'REST_INVALID_ROUTE'
	| 'REST_INVALID_METHOD'
	| 'REST_INVALID_REASON'
	| 'REST_INVALID_FILE'
	| 'REST_TOKEN_MISSING'
	| 'REST_CALLBACK_FAILED'
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

/** The details each code's message is built from. */
export interface RestErrorDetails {
	/** An option (of `new REST()`, a request, a store or a paginator) has a value that cannot work. */
	REST_INVALID_OPTION: [option: string, why: string];
	/** A route that must not be sent (not starting with `/`, control characters, `?`, dot segments, ...). */
	REST_INVALID_ROUTE: [route: unknown, why: string];
	/** An HTTP method other than GET, POST, PUT, PATCH and DELETE. */
	REST_INVALID_METHOD: [method: unknown];
	/** An audit-log reason longer than Discord accepts. */
	REST_INVALID_REASON: [length: number, max: number];
	/** A file of `files` that cannot be uploaded. */
	REST_INVALID_FILE: [file: string, why: string];
	/** A request that needs the token was made before one was set. */
	REST_TOKEN_MISSING: [method: string, route: string];
	/** A function given as an option threw. */
	REST_CALLBACK_FAILED: [option: string, method: string, route: string, error: string];
	/** Discord answered with a JSON error. */
	REST_DISCORD_API_ERROR: [
		method: string,
		route: string,
		status: number,
		discordCode: number,
		text: string,
		fieldErrors: readonly DiscordFieldError[],
	];
	/** A non-2xx status without a Discord JSON error. */
	REST_HTTP_ERROR: [method: string, route: string, status: number, statusText: string];
	/** A rate limit the client did not wait for. */
	REST_RATE_LIMITED: [data: RateLimitErrorData, rejection: RateLimitRejection];
	/** No complete answer within the per-attempt timeout. */
	REST_TIMEOUT: [method: string, route: string, timeout: number];
	/** The request's `signal` aborted it. */
	REST_ABORTED: [method: string, route: string];
	/** The client was destroyed. */
	REST_DESTROYED: [];
	/** The circuit breaker is open. */
	REST_CIRCUIT_OPEN: [method: string, route: string, retryInMs: number];
	/** Network failures until the retries ran out. */
	REST_NETWORK_ERROR: [method: string, route: string, attempts: number, error: string];
	/** The rate-limit store could not be asked (it threw, or Redis answered something unexpected). */
	REST_STORE_ERROR: [why: string];
	/** A request that is not idempotent failed in a way that does not say whether Discord applied it. */
	REST_MAYBE_APPLIED: [data: MaybeAppliedErrorData];
	/** A 2xx with a JSON content type whose body is not JSON. */
	REST_INVALID_RESPONSE: [method: string, route: string, status: number, characters: number];
	/** A response body larger than `maxResponseSize`. */
	REST_RESPONSE_TOO_LARGE: [
		method: string,
		route: string,
		maxResponseSize: number,
		contentLength: number | undefined,
	];
}

/** A value as a message shows it: strings quoted (shortened to 200 characters), anything else by its type. */
function shown(value: unknown): string {
	if (typeof value !== 'string') return typeof value;
	return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}

/** Waits from here on are shown as "more than 24 days" (see {@link MAX_TIMER_MS}). */
const LONGEST_EXACT_MS = Math.min(MAX_TIMER_MS, 24 * 86_400_000);

function seconds(ms: number): string {
	// Waits are clamped to what a timer can honour (2³¹ − 1 ms, 24.8 days): near that, Discord may have asked far
	// more (`X-RateLimit-Reset-After: 1e9`), so the exact figure would be wrong.
	if (ms >= LONGEST_EXACT_MS) return 'more than 24 days';
	return ms >= 10_000 ? `${Math.ceil(ms / 1_000)} s` : `${Math.ceil(ms)} ms`;
}

/** The field-error lines of a Discord error: the first {@link ErrorBodyLimits.listed}, then a count of the rest. */
function listFieldErrors(fieldErrors: readonly DiscordFieldError[]): string {
	const listed = fieldErrors.slice(0, ErrorBodyLimits.listed).map((e) => `\n  ${e.path}[${e.code}]: ${e.message}`);
	const rest = fieldErrors.length - listed.length;
	return rest > 0 ? `${listed.join('')}\n  … and ${rest} more field errors` : listed.join('');
}

function rateLimited(data: RateLimitErrorData, rejection: RateLimitRejection): string {
	const head = `${data.method} ${data.route} is rate limited${data.global ? ' (global limit)' : ''}`;
	if (rejection === 'maxRateLimitWait') {
		return `${head}: Discord asked to wait ${seconds(data.retryAfter)}, longer than maxRateLimitWait allows; retry later or raise maxRateLimitWait`;
	}
	if (rejection === 'retries') {
		return `${head} for ${seconds(data.retryAfter)} and received more 429s than rateLimitRetries allows; retry later or raise rateLimitRetries`;
	}
	return `${head} for ${seconds(data.retryAfter)}; wait and retry, or remove the route from rejectOnRateLimit to let the client queue it`;
}

function maybeApplied(data: MaybeAppliedErrorData): string {
	const what =
		data.reason === 'status'
			? `Discord answered HTTP ${data.status ?? 0} after the request was sent`
			: data.reason === 'timeout'
				? `no complete answer arrived after the request was sent (${data.detail})`
				: `the connection failed after the request was sent (${data.detail})`;
	return (
		`${data.method} ${data.route} may have been applied by Discord: ${what}. It was not retried, because sending it ` +
		'again could apply it twice; check the outcome (fetch the resource) before retrying, or give it an idempotency ' +
		'key (message creates get a nonce with enforce_nonce automatically)'
	);
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const RestErrorMessages: { readonly [C in RestErrorCode]: (...details: RestErrorDetails[C]) => string } = {
	REST_INVALID_OPTION: (option: string, why: string) => `Invalid ${option}: ${why}.`,
	REST_INVALID_ROUTE: (route: unknown, why: string) => `Invalid route ${shown(route)}: ${why}.`,
	REST_INVALID_METHOD: (method: unknown) =>
		`Unknown HTTP method ${shown(method)}; use GET, POST, PUT, PATCH or DELETE.`,
	REST_INVALID_REASON: (length: number, max: number) =>
		`The audit-log reason is ${length} characters long; Discord accepts at most ${max}. Shorten it.`,
	REST_INVALID_FILE: (file: string, why: string) => `Invalid file ${file}: ${why}.`,
	REST_TOKEN_MISSING: (method: string, route: string) =>
		`${method} ${route} needs a token: pass { token } to new REST() or call rest.setToken(), or send it with auth: false.`,
	REST_CALLBACK_FAILED: (option: string, method: string, route: string, error: string) =>
		`The ${option} function threw for ${method} ${route}: ${error}`,
	REST_DISCORD_API_ERROR: (
		method: string,
		route: string,
		status: number,
		discordCode: number,
		text: string,
		fieldErrors: readonly DiscordFieldError[],
	) =>
		`${method} ${route} failed with ${status} (Discord code ${discordCode}): ${text}${listFieldErrors(fieldErrors)}`,
	REST_HTTP_ERROR: (method: string, route: string, status: number, statusText: string) =>
		`${method} ${route} failed with HTTP ${status} ${statusText}`.trimEnd(),
	REST_RATE_LIMITED: rateLimited,
	REST_TIMEOUT: (method: string, route: string, timeout: number) =>
		`${method} ${route} timed out after ${timeout} ms; raise the timeout option or check the network`,
	REST_ABORTED: (method: string, route: string) => `${method} ${route} was aborted`,
	REST_DESTROYED: () => 'The REST client was destroyed; create a new one to send more requests',
	REST_CIRCUIT_OPEN: (method: string, route: string, retryInMs: number) =>
		`${method} ${route} failed fast: Discord kept failing and the circuit breaker is open for ${retryInMs} ms more`,
	REST_NETWORK_ERROR: (method: string, route: string, attempts: number, error: string) =>
		`${method} ${route} failed after ${attempts} attempts: ${error}`,
	REST_STORE_ERROR: (why: string) => `The rate-limit store failed: ${why}`,
	REST_MAYBE_APPLIED: maybeApplied,
	REST_INVALID_RESPONSE: (method: string, route: string, status: number, characters: number) =>
		`${method} ${route} got HTTP ${status} with a JSON content type but a body that is not JSON (${characters} characters); the request was processed, its answer cannot be read`,
	REST_RESPONSE_TOO_LARGE: (
		method: string,
		route: string,
		maxResponseSize: number,
		contentLength: number | undefined,
	) =>
		`${method} ${route}: the response body is larger than maxResponseSize (${maxResponseSize} bytes` +
		`${contentLength === undefined ? '' : `; Content-Length ${contentLength}`}); it was not read. Raise maxResponseSize if such answers are expected`,
};

/**
 * Base class of every error `@ovenjs/rest` throws. Match on {@link RestError.code}. Every message has registered
 * secrets (the token) removed.
 */
export class RestError<Code extends RestErrorCode = RestErrorCode> extends OvenError<Code> {
	public constructor(code: Code, message: string, options: OvenErrorOptions = {}) {
		super(code, redactSecrets(message), options);
	}

	/** Builds the error with the standard text of `code`. */
	public static of<C extends RestErrorCode>(
		code: C,
		details: RestErrorDetails[C],
		options?: OvenErrorOptions,
	): RestError<C> {
		return new RestError(code, RestError.messageOf(code, details), options);
	}

	/** The standard text of `code` (subclasses build their message with it). */
	public static messageOf<C extends RestErrorCode>(code: C, details: RestErrorDetails[C]): string {
		const build: (...parts: RestErrorDetails[C]) => string = RestErrorMessages[code];
		return build(...details);
	}
}
