/** This package's version, used in the User-Agent. */
export const VERSION = '0.1.0';

/** Discord's required User-Agent format: `DiscordBot ($url, $versionNumber)`. */
export const DefaultUserAgent = `DiscordBot (https://github.com/ovenjs/ovenjs, ${VERSION})`;

/** Discord's limit on `X-Audit-Log-Reason`, in characters (before URL encoding). */
export const AUDIT_LOG_REASON_MAX = 512;

/**
 * Discord's invalid-request window: 10,000 invalid requests (401, 403, 429 except `scope: shared`) in 10 minutes
 * get the IP banned for a while; `invalidRequestLimit` counts within this window.
 *
 * @see {@link https://discord.com/developers/docs/topics/rate-limits#invalid-request-limit-aka-cloudflare-bans}
 */
export const INVALID_REQUEST_WINDOW_MS = 600_000;

/** HTTP statuses retried with backoff (requests that are not idempotent only on {@link NOT_APPLIED_STATUSES}). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504, 520, 521, 522, 523, 524]);

/**
 * 5xx statuses that say the request was not processed, so retrying a request that is not idempotent cannot apply
 * it twice: `502` (Discord: "there was not a gateway available to process your request"), `503` (the service
 * refused the request before processing it), and Cloudflare's `521`/`522`/`523` (the edge could not reach or
 * connect to Discord's origin). `500`, `504`, `520` and `524` may come after Discord applied the request.
 *
 * @see {@link https://discord.com/developers/docs/topics/opcodes-and-status-codes#http-http-response-codes}
 */
export const NOT_APPLIED_STATUSES: ReadonlySet<number> = new Set([502, 503, 521, 522, 523]);

/**
 * Error codes of connection failures that happen before a request is written to a socket (it never left the
 * process), so even a request that is not idempotent may be retried.
 */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * How long after a message create that may have been applied its nonce is trusted to make a retry safe.
 * Discord checks an `enforce_nonce` nonce for uniqueness "in the past few minutes"; two minutes stays inside it.
 *
 * @see {@link https://discord.com/developers/docs/resources/message#create-message-jsonform-params}
 */
export const NONCE_RETRY_WINDOW_MS = 120_000;

/** Method names accepted by {@link REST.request}. */
export type RequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Priority presets (higher goes first within a bucket queue; never bypasses a limit). */
export const RequestPriority = {
	Low: -10,
	Normal: 0,
	High: 10,
	Critical: 100,
} as const;
