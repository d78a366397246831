import type { Readable } from 'node:stream';
import type { ExtensionPointEmitter } from '@ovenjs/types';
import type { RateLimitStore } from './interfaces/RateLimitStore.js';
import type { RequestMethod } from './utils/constants.js';

/**
 * The defaults of {@link RestOptions}: the one place they are written (each option's `@defaultValue` refers here,
 * and `tools/check-defaults.mjs` checks the README table against it).
 */
export const DefaultRestOptions = {
	api: 'https://discord.com/api',
	version: '10',
	authPrefix: 'Bot',
	timeout: 15_000,
	retries: 3,
	backoffBase: 250,
	backoffMax: 5_000,
	rateLimitRetries: 5,
	globalRequestsPerSecond: 50,
	globalWindowMs: 1_000,
	invalidRequestLimit: 9_500,
	invalidRequestWarningInterval: 500,
	offset: 50,
	rejectOnRateLimit: false,
	maxRateLimitWait: 60_000,
	maxResponseSize: 10_485_760,
	connections: 64,
	pipelining: 1,
	keepAliveTimeout: 30_000,
	circuitBreakerThreshold: 10,
	circuitBreakerCooldown: 5_000,
	coalesceGets: true,
	userAgentAppendix: '',
} as const satisfies Required<Omit<RestOptions, 'token' | 'store' | 'headers' | 'emitter'>>;

/** Options of the {@link REST} client. Every property is optional; defaults are in {@link DefaultRestOptions}. */
export interface RestOptions {
	/**
	 * The bot token (with or without the `Bot ` prefix). Without it only `auth: false` requests work; set it
	 * later with `rest.setToken()`.
	 */
	readonly token?: string;
	/**
	 * The API base URL (no version).
	 * @defaultValue {@link DefaultRestOptions.api}
	 */
	readonly api?: string;
	/**
	 * The API version.
	 * @defaultValue {@link DefaultRestOptions.version}
	 * @see {@link https://discord.com/developers/docs/reference#api-versioning}
	 */
	readonly version?: string;
	/**
	 * The prefix put in front of a token that has none.
	 * @defaultValue {@link DefaultRestOptions.authPrefix}
	 */
	readonly authPrefix?: 'Bot' | 'Bearer';
	/**
	 * Per-attempt timeout in milliseconds, covering the whole response: headers and the complete body (a body
	 * dripped byte by byte cannot hold an attempt open).
	 * @defaultValue {@link DefaultRestOptions.timeout}
	 */
	readonly timeout?: number;
	/**
	 * How many times a request is retried after a 5xx, a network error or a timeout (exponential backoff with
	 * jitter). Only retries that cannot apply a request twice are made: GET and PUT, and message creates (which
	 * carry a `nonce` with `enforce_nonce`), are retried after any of these; other POST, PATCH and DELETE requests
	 * only after a failure that proves they were not applied (connection refused, 502, 503, 521–523) — after a
	 * reset or timeout once sent, or a 500/504/520/524, they reject with `MaybeAppliedError` (`REST_MAYBE_APPLIED`).
	 * @defaultValue {@link DefaultRestOptions.retries}
	 */
	readonly retries?: number;
	/**
	 * First backoff delay in milliseconds; attempt `n` waits a random time up to `min(backoffMax, backoffBase * 2^n)`.
	 * @defaultValue {@link DefaultRestOptions.backoffBase}
	 */
	readonly backoffBase?: number;
	/**
	 * Upper bound of one backoff delay in milliseconds.
	 * @defaultValue {@link DefaultRestOptions.backoffMax}
	 */
	readonly backoffMax?: number;
	/**
	 * How many 429s one request may receive before it rejects with `RateLimitError`.
	 * @defaultValue {@link DefaultRestOptions.rateLimitRetries}
	 */
	readonly rateLimitRetries?: number;
	/**
	 * Requests per second allowed across all routes (Discord's global limit). Interaction callbacks and
	 * `auth: false` requests are exempt.
	 * @defaultValue {@link DefaultRestOptions.globalRequestsPerSecond}
	 * @see {@link https://discord.com/developers/docs/topics/rate-limits#global-rate-limit}
	 */
	readonly globalRequestsPerSecond?: number;
	/**
	 * The window of the global limit in milliseconds. A request counts from when it is sent until one window
	 * after its response, so latency cannot push one request too many into Discord's second.
	 * @defaultValue {@link DefaultRestOptions.globalWindowMs}
	 */
	readonly globalWindowMs?: number;
	/**
	 * Invalid requests (401, 403, 429 except `scope: shared`) allowed per 10 minutes before the client blocks
	 * all requests until the window moves; Discord bans at 10,000.
	 * @defaultValue {@link DefaultRestOptions.invalidRequestLimit}
	 * @see {@link https://discord.com/developers/docs/topics/rate-limits#invalid-request-limit-aka-cloudflare-bans}
	 */
	readonly invalidRequestLimit?: number;
	/**
	 * Emit `invalidRequestWarning` every this many invalid requests in the window (`0` disables).
	 * @defaultValue {@link DefaultRestOptions.invalidRequestWarningInterval}
	 */
	readonly invalidRequestWarningInterval?: number;
	/**
	 * Milliseconds added to every reset Discord announces (latency and clock margin).
	 * @defaultValue {@link DefaultRestOptions.offset}
	 */
	readonly offset?: number;
	/**
	 * Routes for which a rate limit rejects with `RateLimitError` instead of waiting: `true` (all), a list of
	 * route prefixes (e.g. `'/channels'`), or a function of the rate-limit data. Any other value throws
	 * `REST_INVALID_OPTION` at construction; a function that throws rejects that request with `REST_CALLBACK_FAILED`.
	 * @defaultValue {@link DefaultRestOptions.rejectOnRateLimit}
	 */
	readonly rejectOnRateLimit?: boolean | readonly string[] | ((info: RateLimitedEvent) => boolean);
	/**
	 * The longest rate-limit wait in milliseconds the client sits out for a request — a 429's `retry_after`,
	 * a global block, or a bucket or invalid-request wait the limiter would impose. A longer wait rejects the
	 * request at once with `RateLimitError` (`rejection: 'maxRateLimitWait'`, `retryAfter` = what Discord asked),
	 * so a `Retry-After: 999999` cannot stall routes silently for days. Raise it for routes with long windows
	 * (renaming a channel: 2 per 10 minutes); `Infinity` waits for any limit (timers are still clamped to 2³¹ − 1 ms).
	 * @defaultValue {@link DefaultRestOptions.maxRateLimitWait}
	 */
	readonly maxRateLimitWait?: number;
	/**
	 * The largest response body in bytes the client reads. A larger one (by `Content-Length`, or while it is
	 * streamed) is not read further and rejects with `REST_RESPONSE_TOO_LARGE`. Discord's largest JSON answers
	 * (1,000 guild members, 100 messages with embeds) are a few MB.
	 * @defaultValue {@link DefaultRestOptions.maxResponseSize}
	 */
	readonly maxResponseSize?: number;
	/**
	 * The limiter store. Use `RedisStore` from `@ovenjs/rest/redis` to share limits across processes.
	 * @defaultValue a new `MemoryStore`
	 */
	readonly store?: RateLimitStore;
	/**
	 * Connections in the undici keep-alive pool. At most this many requests are on the wire at once, so with
	 * round trips of `R` ms the pool carries at most `connections × 1000 / R` requests per second (64 sockets at
	 * 25 ms: 2,560 req/s). Raise it for bursts over many buckets at once; requests beyond it wait in the pool.
	 * @defaultValue {@link DefaultRestOptions.connections}
	 */
	readonly connections?: number;
	/**
	 * HTTP/1.1 pipelining depth per connection (`1` disables pipelining).
	 * @defaultValue {@link DefaultRestOptions.pipelining}
	 */
	readonly pipelining?: number;
	/**
	 * Keep-alive timeout of idle sockets in milliseconds.
	 * @defaultValue {@link DefaultRestOptions.keepAliveTimeout}
	 */
	readonly keepAliveTimeout?: number;
	/**
	 * Consecutive failures (5xx, network errors, timeouts) that open the circuit breaker; `0` disables it.
	 * @defaultValue {@link DefaultRestOptions.circuitBreakerThreshold}
	 */
	readonly circuitBreakerThreshold?: number;
	/**
	 * How long the open circuit fails requests fast before one probe is let through, in milliseconds.
	 * @defaultValue {@link DefaultRestOptions.circuitBreakerCooldown}
	 */
	readonly circuitBreakerCooldown?: number;
	/**
	 * Let identical GETs (same route, query, auth, headers and reason; no `signal`) share one request while it
	 * waits in its queue. A GET only joins one that has not been sent yet, so no caller gets an answer Discord
	 * produced before it called (a `patch` followed by a `get` sees the patch). Every caller receives its own
	 * copy of the data.
	 * @defaultValue {@link DefaultRestOptions.coalesceGets}
	 */
	readonly coalesceGets?: boolean;
	/**
	 * The User-Agent suffix appended to `DiscordBot (https://github.com/ovenjs/ovenjs, <version>)`.
	 * @defaultValue {@link DefaultRestOptions.userAgentAppendix}
	 */
	readonly userAgentAppendix?: string;
	/**
	 * Headers sent with every request. Names must be valid header names other than ones the client manages
	 * (`connection`, `content-length`, `host`, `transfer-encoding`…), values strings without CR, LF or other
	 * control characters; otherwise `REST_INVALID_OPTION` at construction.
	 */
	readonly headers?: Readonly<Record<string, string>>;
	/** An extension-point bus (from `@ovenjs/core`); the client emits the `rest:*` points on it. */
	readonly emitter?: ExtensionPointEmitter;
}

/** A file to upload (multipart/form-data). */
export interface RawFile {
	/** The file name Discord shows. */
	readonly name: string;
	/** The content: bytes, a Blob, a Node stream or web stream (streams are read fully before sending so a retry can resend them). */
	readonly data: Uint8Array | Blob | Readable | ReadableStream<Uint8Array> | string;
	/** The MIME type. */
	readonly contentType?: string;
	/** The form field name. @defaultValue `files[<index>]` */
	readonly key?: string;
}

/** Query parameters: a record (undefined values are skipped, arrays repeat the key) or `URLSearchParams`. */
export type QueryInput =
	| URLSearchParams
	| Readonly<Record<string, string | number | boolean | bigint | undefined | readonly (string | number | bigint)[]>>;

/** Options of one request. */
export interface RequestOptions {
	/**
	 * The JSON body (sent as `payload_json` when `files` are given). A message create
	 * (`POST /channels/{id}/messages`, `POST /lobbies/{id}/messages`) gets a `nonce` unique to this call and
	 * `enforce_nonce: true`, reused by every retry, so a retry returns the first message instead of a second one;
	 * a `nonce` of your own is kept, and `enforce_nonce: false` opts out.
	 */
	readonly body?: unknown;
	/** Query parameters. */
	readonly query?: QueryInput;
	/** Files to upload; turns the request into multipart/form-data. */
	readonly files?: readonly RawFile[];
	/** The audit-log reason (`X-Audit-Log-Reason`), at most 512 characters; URL-encoded for you. */
	readonly reason?: string;
	/** Extra headers for this request (checked like {@link RestOptions.headers}; invalid ones reject with `REST_INVALID_OPTION`). */
	readonly headers?: Readonly<Record<string, string>>;
	/** Aborts the request wherever it is (queued, waiting for a retry, or in flight). */
	readonly signal?: AbortSignal;
	/**
	 * `true` sends the client's token, `false` none, a string sends that value as `Authorization`.
	 * @defaultValue `true`
	 */
	readonly auth?: boolean | string;
	/**
	 * Position within the request's bucket queue: higher first (see `RequestPriority`). It never bypasses a limit.
	 * @defaultValue `0`
	 */
	readonly priority?: number;
}

/** A request as middleware and the `rest:beforeRequest` point see it (they may return a modified copy). */
export interface RestRequest extends RequestOptions {
	readonly method: RequestMethod;
	/** The route without query string, e.g. `/channels/123/messages` (`Routes.channelMessages(id)`). */
	readonly route: string;
}

/** A completed response. */
export interface RestResponse<T = unknown> {
	readonly status: number;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
	/** Parsed JSON, an `ArrayBuffer` for other content types, `undefined` for 204. */
	readonly data: T;
}

/** Request, response and error interceptors. Each hook is optional. */
export interface RestMiddleware {
	/** Sees (and may replace, by returning a new object) every request before it is queued. */
	onRequest?(request: RestRequest): RestRequest | undefined | void | Promise<RestRequest | undefined | void>;
	/** Sees every successful response; may return a replacement. */
	onResponse?(
		response: RestResponse,
		request: RestRequest,
	): RestResponse | undefined | void | Promise<RestResponse | undefined | void>;
	/** Sees every failure; may throw a different error, or return a `RestResponse` to recover. */
	onError?(
		error: unknown,
		request: RestRequest,
	): RestResponse | undefined | void | Promise<RestResponse | undefined | void>;
}

/** Payload of the `request` event. */
export interface RequestEvent {
	readonly method: string;
	readonly route: string;
	readonly routeKey: string;
	readonly attempt: number;
	/**
	 * The options object the request was made with (the `RestRequest` the `rest:beforeRequest` point returned, when
	 * hooked): lets instrumentation tie attempts to the call that made them. Do not log it (it may hold `auth`).
	 */
	readonly origin: RequestOptions;
}

/** Payload of the `response` event. */
export interface ResponseEvent extends RequestEvent {
	readonly status: number;
	readonly bucket: string | undefined;
}

/** Payload of the `rateLimited` event: a request waits (or got a 429). */
export interface RateLimitedEvent {
	readonly method: string;
	readonly route: string;
	readonly routeKey: string;
	readonly major: string;
	/** Milliseconds until the limit resets. */
	readonly retryAfter: number;
	/** `'bucket'`, `'global'`, `'discovery'` or `'invalid'` when the limiter holds a request; `'429'` when Discord answered 429. */
	readonly reason: 'bucket' | 'global' | 'discovery' | 'invalid' | '429';
	readonly global: boolean;
	/** Discord's `X-RateLimit-Scope` on a 429. */
	readonly scope: string | undefined;
	readonly bucket: string | undefined;
	/** The options object of the request that waits (see {@link RequestEvent.origin}). */
	readonly origin: RequestOptions;
}

/** Payload of the `bucketDiscovered` event. */
export interface BucketDiscoveredEvent {
	readonly routeKey: string;
	readonly hash: string;
}

/** Payload of the `invalidRequestWarning` event. */
export interface InvalidRequestWarningEvent {
	/** Invalid requests counted in the current 10-minute window. */
	readonly count: number;
	/** The limit at which the client blocks (`invalidRequestLimit`). */
	readonly limit: number;
}

/** The typed events of {@link REST} (`rest.on(name, listener)`). */
export interface RestEvents {
	request: [event: RequestEvent];
	response: [event: ResponseEvent];
	rateLimited: [event: RateLimitedEvent];
	bucketDiscovered: [event: BucketDiscoveredEvent];
	invalidRequestWarning: [event: InvalidRequestWarningEvent];
}

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Waterfall over every request before it is queued. */
		'rest:beforeRequest': [request: RestRequest];
		/** After a successful response. */
		'rest:afterRequest': [request: RestRequest, response: RestResponse];
		/** After a request failed for good. */
		'rest:onError': [request: RestRequest, error: unknown];
		/** A request waits for a limit or got a 429. */
		'rest:onRateLimit': [event: RateLimitedEvent];
		/** A route revealed its bucket hash. */
		'rest:bucketDiscovered': [event: BucketDiscoveredEvent];
		/** Invalid requests crossed a warning step. */
		'rest:invalidRequestWarning': [event: InvalidRequestWarningEvent];
	}
	interface WaterfallExtensionPoints {
		'rest:beforeRequest': true;
	}
}
