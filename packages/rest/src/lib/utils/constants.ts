/** This package's version, used in the User-Agent. */
export const VERSION = '0.1.0';

/** Discord's required User-Agent format: `DiscordBot ($url, $versionNumber)`. */
export const DefaultUserAgent = `DiscordBot (https://github.com/ovenjs/ovenjs, ${VERSION})`;

/** Discord's limit on `X-Audit-Log-Reason`, in characters (before URL encoding). */
export const AUDIT_LOG_REASON_MAX = 512;

/** HTTP statuses retried with backoff. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504, 520, 521, 522, 523, 524]);

/** Method names accepted by {@link REST.request}. */
export type RequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Priority presets (higher goes first within a bucket queue; never bypasses a limit). */
export const RequestPriority = {
	Low: -10,
	Normal: 0,
	High: 10,
	Critical: 100,
} as const;
