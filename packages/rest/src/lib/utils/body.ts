import { Blob } from 'node:buffer';
import { buffer } from 'node:stream/consumers';
import type { FormData } from 'undici';
import { RestError } from '../errors/RestError.js';
import type { QueryInput, RawFile } from '../RESTOptions.js';
import type { RateLimitResponse } from '../interfaces/RateLimitStore.js';
import { AUDIT_LOG_REASON_MAX } from './constants.js';
import { clampDelay } from './timers.js';

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

/** Serialises query parameters (without the leading `?`); `''` when there are none. */
export function buildQuery(query: QueryInput | undefined): string {
	if (query === undefined) return '';
	if (query instanceof URLSearchParams) return query.toString();
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		if (isList(value)) {
			for (const item of value) params.append(key, String(item));
		} else {
			params.append(key, String(value));
		}
	}
	return params.toString();
}

/** Validates and URL-encodes an audit-log reason. */
export function encodeReason(reason: string): string {
	if (reason.length > AUDIT_LOG_REASON_MAX) {
		throw RestError.of('REST_INVALID_REASON', [reason.length, AUDIT_LOG_REASON_MAX]);
	}
	return encodeURIComponent(reason);
}

async function toBlob(file: RawFile): Promise<Blob> {
	const type = file.contentType ?? '';
	const data = file.data;
	if (typeof data === 'string' || data instanceof Uint8Array) return new Blob([data], { type });
	if (data instanceof Blob) return type === '' ? data : new Blob([data], { type });
	try {
		return new Blob([await buffer(data)], { type });
	} catch (error) {
		throw RestError.of(
			'REST_INVALID_FILE',
			[
				JSON.stringify(file.name),
				`reading its stream failed (${String(error)}); pass a readable stream of bytes`,
			],
			{ cause: error },
		);
	}
}

/** Builds the multipart body: `payload_json` plus one part per file (streams are buffered so retries can resend). */
export async function buildFormData(files: readonly RawFile[], body: unknown): Promise<FormData> {
	// Loaded on the first upload: the rest of undici stays out of a client that never sends a file.
	const { FormData: UndiciFormData } = await import('undici');
	const form = new UndiciFormData();
	for (const [index, file] of files.entries()) {
		if (typeof file.name !== 'string' || file.name === '') {
			throw RestError.of('REST_INVALID_FILE', [
				`files[${index}]`,
				'it has no name; give every file a non-empty name',
			]);
		}
		form.append(file.key ?? `files[${index}]`, await toBlob(file), file.name);
	}
	if (body !== undefined) form.append('payload_json', JSON.stringify(body));
	return form;
}

function header(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function num(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
}

/** Discord's bucket hashes are 32 characters; a longer value is not one (and would bloat limiter keys). */
function bucketHash(value: string | undefined): string | undefined {
	return value === undefined || value === '' || value.length > 128 ? undefined : value;
}

/** Seconds from a header as milliseconds a timer can wait (see {@link clampDelay}). */
function ms(seconds: number | undefined): number | undefined {
	return seconds === undefined ? undefined : clampDelay(seconds * 1_000);
}

/**
 * Reads Discord's rate-limit headers (undici lower-cases header names). Values a timer cannot honour are
 * clamped: durations to `[0, 2³¹ − 1]` ms, `remaining` to at least 0, and a `limit` below 1 is ignored.
 */
export function parseRateLimitHeaders(
	status: number,
	headers: Readonly<Record<string, string | string[] | undefined>>,
): RateLimitResponse {
	const limit = num(header(headers, 'x-ratelimit-limit'));
	const remaining = num(header(headers, 'x-ratelimit-remaining'));
	return {
		status,
		hash: bucketHash(header(headers, 'x-ratelimit-bucket')),
		limit: limit === undefined || limit < 1 ? undefined : Math.floor(limit),
		remaining: remaining === undefined ? undefined : Math.max(0, Math.floor(remaining)),
		resetAfterMs: ms(num(header(headers, 'x-ratelimit-reset-after'))),
		retryAfterMs: ms(num(header(headers, 'retry-after'))),
		scope: header(headers, 'x-ratelimit-scope'),
		global: header(headers, 'x-ratelimit-global') === 'true',
	};
}

/** The response a request without an answer (network error, abort, timeout) reports to the store. */
export const NO_RESPONSE: RateLimitResponse = {
	status: 0,
	hash: undefined,
	limit: undefined,
	remaining: undefined,
	resetAfterMs: undefined,
	retryAfterMs: undefined,
	scope: undefined,
	global: false,
};

/** What a granted request that never left this process reports to the store (its slot may be given back). */
export const NOT_SENT: RateLimitResponse = { ...NO_RESPONSE, sent: false };

/** Exponential backoff with full jitter: a random delay in `[base/2, min(max, base * 2^attempt)]`. */
export function backoffDelay(attempt: number, base: number, max: number): number {
	const ceiling = Math.min(max, base * 2 ** attempt);
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
