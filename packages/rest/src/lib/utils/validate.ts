import { RestError } from '../errors/RestError.js';

/** Longest route accepted, in characters (Discord's longest routes are well under 300). */
export const MAX_ROUTE_LENGTH = 2_048;

/** Header names the client manages itself (undici refuses most of them, which would look like a network error). */
const MANAGED_HEADERS: ReadonlySet<string> = new Set([
	'connection',
	'keep-alive',
	'transfer-encoding',
	'upgrade',
	'expect',
	'content-length',
	'host',
]);

/** RFC 9110 `tchar`: the characters of a header name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isDotSegment(segment: string): boolean {
	const s = segment.toLowerCase();
	return s === '.' || s === '..' || s === '%2e' || s === '.%2e' || s === '%2e.' || s === '%2e%2e';
}

/**
 * Checks a route before it is sent and returns the path to send. A route starts with `/`; it must not contain
 * control characters (CR, LF, NUL…), `?` or `#` (use the `query` option), `\`, or `.`/`..` segments (also
 * percent-encoded), which a server or proxy would resolve to another endpoint. Spaces and non-ASCII characters
 * (an unencoded emoji) are percent-encoded. Anything else rejects with `REST_INVALID_ROUTE` — never sent, never
 * retried, never counted by the circuit breaker.
 */
export function checkRoute(route: unknown): string {
	if (typeof route !== 'string' || !route.startsWith('/')) {
		throw RestError.of('REST_INVALID_ROUTE', [
			route,
			'routes start with "/" (e.g. Routes.channel(id) → "/channels/123")',
		]);
	}
	if (route.length > MAX_ROUTE_LENGTH)
		throw RestError.of('REST_INVALID_ROUTE', [route, `it is longer than ${MAX_ROUTE_LENGTH} characters`]);
	let encode = false;
	let dots = false;
	for (let i = 0; i < route.length; i++) {
		const c = route.charCodeAt(i);
		if (c < 0x20 || c === 0x7f)
			throw RestError.of('REST_INVALID_ROUTE', [
				route,
				'it contains a control character (CR, LF, NUL…); build routes with Routes.* and encode user input with encodeURIComponent',
			]);
		if (c === 0x3f || c === 0x23)
			throw RestError.of('REST_INVALID_ROUTE', [
				route,
				`it contains "${c === 0x3f ? '?' : '#'}"; pass query parameters with the query option`,
			]);
		if (c === 0x5c) throw RestError.of('REST_INVALID_ROUTE', [route, 'it contains "\\"']);
		if (c === 0x2e || c === 0x25) dots = true;
		else if (c === 0x20 || c > 0x7e) encode = true;
	}
	if (dots && route.split('/').some(isDotSegment))
		throw RestError.of('REST_INVALID_ROUTE', [route, 'it contains a "." or ".." segment']);
	if (!encode) return route;
	let out = '';
	for (const char of route) {
		const code = char.codePointAt(0) ?? 0;
		if (code !== 0x20 && code <= 0x7e) {
			out += char;
			continue;
		}
		// A lone surrogate has no UTF-8 encoding.
		if (code >= 0xd800 && code <= 0xdfff)
			throw RestError.of('REST_INVALID_ROUTE', [route, 'it contains a lone UTF-16 surrogate']);
		out += encodeURIComponent(char);
	}
	return out;
}

/** Whether a header value can be sent: no control character but tab, nothing above U+00FF. */
function validValue(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
	}
	return true;
}

/**
 * Checks headers before they are sent: names must be RFC 9110 tokens and not one the client manages
 * (`connection`, `content-length`, `host`, `transfer-encoding`…), values strings without CR, LF or other control
 * characters. Anything else throws `REST_INVALID_OPTION` (`where` names the option in the message).
 */
export function checkHeaders(headers: unknown, where: string): Readonly<Record<string, string>> {
	if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
		throw RestError.of('REST_INVALID_OPTION', [where, 'must be an object of header names to string values']);
	}
	const out: Record<string, string> = {};
	const entries: [string, unknown][] = Object.entries(headers);
	for (const [name, value] of entries) {
		if (!HEADER_NAME.test(name))
			throw RestError.of('REST_INVALID_OPTION', [
				where,
				`${JSON.stringify(name.slice(0, 100))} is not a valid header name`,
			]);
		const lower = name.toLowerCase();
		if (MANAGED_HEADERS.has(lower))
			throw RestError.of('REST_INVALID_OPTION', [
				where,
				`the "${lower}" header is managed by the client; remove it`,
			]);
		if (typeof value !== 'string' || !validValue(value)) {
			throw RestError.of('REST_INVALID_OPTION', [
				where,
				`the value of "${lower}" must be a string without CR, LF or other control characters`,
			]);
		}
		out[lower] = value;
	}
	return out;
}

/** Checks an `Authorization` value (a token, `Bot <token>`, a per-request `auth` string): printable ASCII only. */
export function checkAuthorization(value: unknown, where: string): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw RestError.of('REST_INVALID_OPTION', [
			where,
			'must be a non-empty string (your bot token from the developer portal)',
		]);
	}
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		if (c < 0x20 || c > 0x7e)
			throw RestError.of('REST_INVALID_OPTION', [
				where,
				'contains a character a header cannot carry (CR, LF, a control or non-ASCII character)',
			]);
	}
	return value;
}
