import { CoreError } from '../errors/CoreError.js';

/** The HTTP methods Discord's API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A file sent with a request (as multipart/form-data, `files[n]`). */
export interface ApiFile {
	/** The file name Discord shows, e.g. `'image.png'`. */
	readonly name: string;
	/** The file's bytes (or text). */
	readonly data: Uint8Array | string;
	/** The MIME type. @defaultValue guessed by the REST client, else `application/octet-stream` */
	readonly contentType?: string;
}

/** A query-string value: scalars, or arrays sent as repeated keys. `undefined` leaves the key out. */
export type QueryValue = string | number | boolean | bigint | undefined | readonly (string | number | bigint)[];

/** What every `client.api` method passes to the REST client. */
export interface RequestData {
	/** The JSON body. */
	readonly body?: unknown;
	/** Query string parameters; arrays are repeated keys, `undefined` values are left out. */
	readonly query?: Readonly<Record<string, QueryValue>>;
	/** Files to upload; when present the request is sent as multipart/form-data with `payload_json`. */
	readonly files?: readonly ApiFile[];
	/** The audit-log reason (`X-Audit-Log-Reason`). */
	readonly reason?: string;
	/** Aborts the request. */
	readonly signal?: AbortSignal;
	/**
	 * Whether to send the bot token. Routes authenticated by a token in the path (interaction callbacks,
	 * webhook-token routes) pass `false`.
	 * @defaultValue `true`
	 */
	readonly auth?: boolean;
}

/**
 * The minimal request contract `client.api` is built on. `@ovenjs/rest`'s `REST` satisfies it; a test can
 * pass any object with this method. The result type is the caller's claim (typed from discord-api-types).
 */
export interface RequestContract {
	request<T>(method: HttpMethod, route: string, data?: RequestData): Promise<T>;
}

/** Options every `client.api` method accepts. */
export interface ApiRequestOptions {
	/** Files to upload with the request (only routes that accept attachments use them). */
	readonly files?: readonly ApiFile[];
	/** The audit-log reason shown in the guild's audit log. */
	readonly reason?: string;
	/** Aborts the request. */
	readonly signal?: AbortSignal;
}

/**
 * Checks a path parameter and encodes it for the URL.
 * @throws {@link CoreError} `CORE_INVALID_ROUTE_PARAM` when the value is empty or not a string/number.
 */
export function param(value: string | number, name: string): string {
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return String(value);
	} else if (typeof value === 'string' && value.length > 0) {
		return encodeURIComponent(value);
	}
	throw CoreError.of('CORE_INVALID_ROUTE_PARAM', [
		name,
		typeof value === 'string' ? 'an empty string' : typeof value,
	]);
}

/** Base class of the generated `client.api.<resource>` classes. */
export class ApiResource {
	/** The REST client requests go through. */
	protected readonly rest: RequestContract;

	public constructor(rest: RequestContract) {
		this.rest = rest;
	}
}
