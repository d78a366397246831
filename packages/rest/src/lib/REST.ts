import { inspect } from 'node:util';
import { registerSecret, unregisterSecret, type ExtensionPointEmitter, markClass, Emitter } from '@ovenjs/types';
import type { Pool } from 'undici';
import { RestError } from './errors/RestError.js';
import { CoalescedGet } from './handlers/CoalescedGet.js';
import { PendingRequest } from './handlers/PendingRequest.js';
import { RequestManager } from './handlers/RequestManager.js';
import type { RateLimitPolicy, RateLimitStore } from './interfaces/RateLimitStore.js';
import { Paginator } from './Paginator.js';
import {
	DefaultRestOptions,
	type RequestOptions,
	type RestEvents,
	type RestMiddleware,
	type RestOptions,
	type RestRequest,
	type RestResponse,
} from './RESTOptions.js';
import { MemoryStore } from './stores/MemoryStore.js';
import { buildFormData, buildQuery, encodeReason } from './utils/body.js';
import { PoolClass } from './utils/undici.js';
import { CircuitBreaker } from './utils/CircuitBreaker.js';
import { DefaultUserAgent, INVALID_REQUEST_WINDOW_MS, type RequestMethod } from './utils/constants.js';
import { takesNonce, withNonce, type Idempotency } from './utils/nonce.js';
import { checkOptionTypes, positive } from './utils/options.js';
import { computeRoute, type RouteInfo } from './utils/routes.js';
import { checkAuthorization, checkHeaders, checkRoute } from './utils/validate.js';

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const ROUTE_CACHE_MAX = 10_000;

interface ConditionalMiddleware {
	readonly condition: ((request: RestRequest) => boolean) | undefined;
	readonly middleware: RestMiddleware;
}

/** A body that cannot be serialised (a BigInt, a cycle) becomes `REST_INVALID_OPTION`; typed errors pass through. */
function bodyError(method: string, path: string, error: unknown): Error {
	if (error instanceof RestError) return error;
	return RestError.of(
		'REST_INVALID_OPTION',
		[`option "body" of ${method} ${path}`, `cannot be sent as JSON (${String(error)})`],
		{ cause: error },
	);
}

/** A header-safe, stable rendering of per-request headers for the coalescing key. */
function headerKey(headers: Readonly<Record<string, string>> | undefined, reason: string | undefined): string {
	if (headers === undefined && reason === undefined) return '';
	const entries =
		headers === undefined ? [] : Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return JSON.stringify([reason ?? null, entries]);
}

/**
 * The Discord REST client: per-bucket queues that send no avoidable 429, retries, a circuit breaker,
 * middleware, pagination and uploads.
 *
 * ```ts
 * const rest = new REST({ token: process.env.DISCORD_TOKEN });
 * const message = await rest.post<APIMessage>(Routes.channelMessages(channelId), { body: { content: 'hi' } });
 * ```
 */
export class REST extends Emitter<RestEvents> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'rest.REST');
	}

	/** Async iterators over Discord's paginated lists. */
	public readonly paginate: Paginator;
	readonly #pool: Pool;
	readonly #manager: RequestManager;
	readonly #store: RateLimitStore;
	readonly #ownsStore: boolean;
	readonly #breaker: CircuitBreaker;
	readonly #basePath: string;
	readonly #defaultHeaders: Readonly<Record<string, string>>;
	readonly #emitter: ExtensionPointEmitter | undefined;
	readonly #middleware: ConditionalMiddleware[] = [];
	readonly #routeCache = new Map<string, RouteInfo>();
	readonly #inflightGets = new Map<string, CoalescedGet>();
	readonly #coalesce: boolean;
	readonly #authPrefix: string;
	#authorization: string | undefined;
	#token: string | undefined;
	#destroyed = false;

	public constructor(options: RestOptions = {}) {
		super();
		const given: unknown = options;
		if (typeof given !== 'object' || given === null)
			throw RestError.of('REST_INVALID_OPTION', ['options of new REST()', 'must be an object']);
		checkOptionTypes(options);
		const o = { ...DefaultRestOptions, ...options };
		let url: URL;
		try {
			url = new URL(o.api);
		} catch {
			throw RestError.of('REST_INVALID_OPTION', [
				'option "api"',
				`must be an absolute URL such as https://discord.com/api; got "${o.api}"`,
			]);
		}
		if (url.protocol !== 'https:' && url.protocol !== 'http:') {
			throw RestError.of('REST_INVALID_OPTION', [
				'option "api"',
				`must be an http(s) URL such as https://discord.com/api; got "${url.protocol}"`,
			]);
		}
		if (!/^\d+$/.test(o.version))
			throw RestError.of('REST_INVALID_OPTION', [
				'option "version"',
				`must be digits such as "10"; got "${o.version}"`,
			]);
		const policy: RateLimitPolicy = {
			globalLimit: Math.floor(positive('globalRequestsPerSecond', o.globalRequestsPerSecond)),
			globalWindowMs: positive('globalWindowMs', o.globalWindowMs),
			invalidLimit: Math.floor(positive('invalidRequestLimit', o.invalidRequestLimit)),
			invalidWindowMs: INVALID_REQUEST_WINDOW_MS,
			offsetMs: positive('offset', o.offset, true),
			// A probe that never answers stops holding its bucket one second after its request timed out.
			discoveryTimeoutMs: positive('timeout', o.timeout) + 1_000,
		};
		this.#basePath = `${url.pathname.replace(/\/+$/, '')}/v${o.version}`;
		this.#authPrefix = o.authPrefix;
		this.#emitter = o.emitter;
		this.#coalesce = o.coalesceGets;
		this.#defaultHeaders = {
			'user-agent': o.userAgentAppendix === '' ? DefaultUserAgent : `${DefaultUserAgent} ${o.userAgentAppendix}`,
			...(options.headers === undefined ? {} : checkHeaders(options.headers, 'option "headers"')),
		};
		this.#pool = new PoolClass(url.origin, {
			connections: Math.floor(positive('connections', o.connections)),
			pipelining: Math.floor(positive('pipelining', o.pipelining)),
			keepAliveTimeout: positive('keepAliveTimeout', o.keepAliveTimeout),
		});
		this.#ownsStore = options.store === undefined;
		this.#store = options.store ?? new MemoryStore();
		this.#breaker = new CircuitBreaker(
			Math.floor(positive('circuitBreakerThreshold', o.circuitBreakerThreshold, true)),
			positive('circuitBreakerCooldown', o.circuitBreakerCooldown, true),
		);
		this.#manager = new RequestManager(
			this.#pool,
			this.#store,
			policy,
			this.#breaker,
			{
				timeout: o.timeout,
				retries: Math.floor(positive('retries', o.retries, true)),
				backoffBase: positive('backoffBase', o.backoffBase, true),
				backoffMax: positive('backoffMax', o.backoffMax, true),
				rateLimitRetries: Math.floor(positive('rateLimitRetries', o.rateLimitRetries, true)),
				invalidRequestWarningInterval: Math.floor(
					positive('invalidRequestWarningInterval', o.invalidRequestWarningInterval, true),
				),
				rejectOnRateLimit: o.rejectOnRateLimit,
				maxRateLimitWait: positive('maxRateLimitWait', o.maxRateLimitWait, true, true),
				maxResponseSize: Math.floor(positive('maxResponseSize', o.maxResponseSize)),
			},
			this,
			this.#emitter,
		);
		this.paginate = new Paginator(this);
		if (options.token !== undefined) this.setToken(options.token);
	}

	/** The rate-limit store in use. */
	public get store(): RateLimitStore {
		return this.#store;
	}

	/** `'closed'`, `'open'` or `'half-open'`: the circuit breaker's state. */
	public get circuitState(): 'closed' | 'open' | 'half-open' {
		return this.#breaker.state;
	}

	/** Requests waiting in queues or for a retry (not in flight). */
	public get pendingRequests(): number {
		return this.#manager.pendingCount;
	}

	/** Sets (or replaces) the token. A token without `Bot `/`Bearer ` gets {@link RestOptions.authPrefix}. */
	public setToken(token: string): this {
		checkAuthorization(token, 'token');
		if (this.#token !== undefined) unregisterSecret(this.#token);
		this.#token = token;
		registerSecret(token);
		this.#authorization = /^(Bot|Bearer)\s/i.test(token) ? token : `${this.#authPrefix} ${token}`;
		return this;
	}

	/** Adds middleware (interceptors run in the order added). */
	public use(middleware: RestMiddleware): this {
		this.#middleware.push({ condition: undefined, middleware });
		return this;
	}

	/** Adds middleware that only sees requests for which `condition` returns `true`. */
	public useIf(condition: (request: RestRequest) => boolean, middleware: RestMiddleware): this {
		this.#middleware.push({ condition, middleware });
		return this;
	}

	/** Sends a GET request. */
	public get<T = unknown>(route: string, options?: RequestOptions): Promise<T> {
		return this.request<T>('GET', route, options);
	}

	/** Sends a POST request. */
	public post<T = unknown>(route: string, options?: RequestOptions): Promise<T> {
		return this.request<T>('POST', route, options);
	}

	/** Sends a PUT request. */
	public put<T = unknown>(route: string, options?: RequestOptions): Promise<T> {
		return this.request<T>('PUT', route, options);
	}

	/** Sends a PATCH request. */
	public patch<T = unknown>(route: string, options?: RequestOptions): Promise<T> {
		return this.request<T>('PATCH', route, options);
	}

	/** Sends a DELETE request. */
	public delete<T = unknown>(route: string, options?: RequestOptions): Promise<T> {
		return this.request<T>('DELETE', route, options);
	}

	/**
	 * Sends a request and resolves to the parsed JSON body. `T` is what you expect Discord to send; it is not
	 * validated (validate with `@ovenjs/types` schemas where the data matters).
	 */
	public request<T = unknown>(method: RequestMethod, route: string, options?: RequestOptions): Promise<T>;
	public async request(method: RequestMethod, route: string, options: RequestOptions = {}): Promise<unknown> {
		const response = await this.raw(method, route, options);
		return response.data;
	}

	/** Like {@link REST.request} but resolves to the whole response (status, headers, data). */
	public async raw(method: RequestMethod, route: string, options: RequestOptions = {}): Promise<RestResponse> {
		if (this.#destroyed) throw RestError.of('REST_DESTROYED', []);
		if (!METHODS.has(method)) throw RestError.of('REST_INVALID_METHOD', [method]);
		checkRoute(route);
		const emitter = this.#emitter;
		const hooked =
			emitter !== undefined &&
			(emitter.has('rest:beforeRequest') || emitter.has('rest:afterRequest') || emitter.has('rest:onError'));
		if (this.#middleware.length === 0 && !hooked) return this.#send(method, route, options);
		return this.#intercepted({ ...options, method, route });
	}

	/** Stops the client: every queued or waiting request rejects with `REST_DESTROYED`, sockets close. */
	public async destroy(): Promise<void> {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#manager.destroy();
		await this.#pool.destroy();
		if (this.#ownsStore) await this.#store.destroy?.();
		if (this.#token !== undefined) unregisterSecret(this.#token);
		this.#token = undefined;
		this.#authorization = undefined;
	}

	/** Keeps the token out of `console.log(rest)`. */
	public [inspect.custom](): string {
		return `REST { api: ${this.#basePath}, token: ${this.#token === undefined ? 'unset' : '[REDACTED]'}, pending: ${this.pendingRequests} }`;
	}

	async #intercepted(initial: RestRequest): Promise<RestResponse> {
		let request = initial;
		const emitter = this.#emitter;
		const active = this.#middleware.filter((entry) => entry.condition?.(initial) ?? true);
		try {
			for (const { middleware } of active) {
				const next = await middleware.onRequest?.(request);
				if (next !== undefined) request = next;
			}
			if (emitter?.has('rest:beforeRequest') === true)
				request = await emitter.transform('rest:beforeRequest', request);
			let response = await this.#send(request.method, request.route, request);
			for (const { middleware } of active) {
				const next = await middleware.onResponse?.(response, request);
				if (next !== undefined) response = next;
			}
			if (emitter?.has('rest:afterRequest') === true) emitter.emit('rest:afterRequest', request, response);
			return response;
		} catch (error) {
			if (emitter?.has('rest:onError') === true) emitter.emit('rest:onError', request, error);
			for (const { middleware } of active) {
				const recovered = await middleware.onError?.(error, request);
				if (recovered !== undefined) return recovered;
			}
			throw error;
		}
	}

	#routeInfo(method: RequestMethod, route: string, authenticated: boolean): RouteInfo {
		const key = `${authenticated ? '' : '!'}${method}${route}`;
		let info = this.#routeCache.get(key);
		if (info === undefined) {
			if (this.#routeCache.size >= ROUTE_CACHE_MAX) this.#routeCache.clear();
			info = computeRoute(method, route, authenticated);
			this.#routeCache.set(key, info);
		}
		return info;
	}

	/**
	 * Validates, builds and queues a request. GETs without body, files or signal join an identical GET (same
	 * route, query, auth, headers and reason) that has not been sent yet; once it is sent, later callers send
	 * their own, so no caller receives an answer produced before it called.
	 */
	#send(method: RequestMethod, route: string, options: RequestOptions): Promise<RestResponse> {
		let path: string;
		let query: string;
		let headers: Readonly<Record<string, string>> | undefined;
		let authorization: string | undefined;
		let perRequestSecret: string | undefined;
		try {
			path = checkRoute(route);
			query = buildQuery(options.query);
			headers =
				options.headers === undefined ? undefined : checkHeaders(options.headers, 'request option "headers"');
			const auth = options.auth ?? true;
			if (auth === true) {
				authorization = this.#authorization;
				if (authorization === undefined) {
					throw RestError.of('REST_TOKEN_MISSING', [method, path]);
				}
			} else if (typeof auth === 'string') {
				authorization = checkAuthorization(auth, 'request option "auth"');
				perRequestSecret = auth;
			}
		} catch (error) {
			return Promise.reject(
				error instanceof RestError
					? error
					: RestError.of('REST_INVALID_OPTION', [`options of a ${method} request`, String(error)], {
							cause: error,
						}),
			);
		}
		if (perRequestSecret !== undefined) registerSecret(perRequestSecret);
		const promise = this.#queue(method, path, query, authorization, headers, options);
		if (perRequestSecret !== undefined) {
			const secret = perRequestSecret;
			const release = (): void => {
				unregisterSecret(secret);
			};
			promise.then(release, release);
		}
		return promise;
	}

	#queue(
		method: RequestMethod,
		path: string,
		query: string,
		authorization: string | undefined,
		headers: Readonly<Record<string, string>> | undefined,
		options: RequestOptions,
	): Promise<RestResponse> {
		if (options.files !== undefined && options.files.length > 0) {
			return this.#buildMultipart(method, path, query, authorization, headers, options).then(
				(pending) => {
					this.#manager.enqueue(pending);
					return pending.promise;
				},
				(error: unknown) => Promise.reject(bodyError(method, path, error)),
			);
		}
		let pending: PendingRequest;
		try {
			pending = this.#build(method, path, query, authorization, headers, options, undefined);
		} catch (error) {
			return Promise.reject(bodyError(method, path, error));
		}
		const coalesce =
			this.#coalesce && method === 'GET' && options.signal === undefined && options.body === undefined;
		if (!coalesce) {
			this.#manager.enqueue(pending);
			return pending.promise;
		}
		const key = `${authorization ?? ''}\n${path}?${query}\n${headerKey(headers, options.reason)}`;
		const existing = this.#inflightGets.get(key);
		if (existing !== undefined) return existing.join();
		const entry = new CoalescedGet(pending);
		this.#inflightGets.set(key, entry);
		// Joining ends when the request is handed to the socket pool (or settles before that).
		pending.onSent = () => {
			if (this.#inflightGets.get(key) === entry) this.#inflightGets.delete(key);
		};
		this.#manager.enqueue(pending);
		return entry.promise;
	}

	async #buildMultipart(
		method: RequestMethod,
		path: string,
		query: string,
		authorization: string | undefined,
		headers: Readonly<Record<string, string>> | undefined,
		options: RequestOptions,
	): Promise<PendingRequest> {
		const files = options.files ?? [];
		const nonced = takesNonce(method, path) ? withNonce(options.body, true) : undefined;
		const form = await buildFormData(files, nonced === undefined ? options.body : nonced.body);
		return this.#build(method, path, query, authorization, headers, options, {
			form,
			idempotency: nonced?.idempotency,
		});
	}

	#build(
		method: RequestMethod,
		path: string,
		query: string,
		authorization: string | undefined,
		extra: Readonly<Record<string, string>> | undefined,
		options: RequestOptions,
		multipart:
			| {
					readonly form: Awaited<ReturnType<typeof buildFormData>>;
					readonly idempotency: Idempotency | undefined;
			  }
			| undefined,
	): PendingRequest {
		const headers: Record<string, string> = { ...this.#defaultHeaders };
		if (authorization !== undefined) headers.authorization = authorization;
		if (options.reason !== undefined) headers['x-audit-log-reason'] = encodeReason(options.reason);
		let idempotency: Idempotency = method === 'GET' || method === 'PUT' ? 'idempotent' : 'none';
		let body: string | Awaited<ReturnType<typeof buildFormData>> | undefined;
		if (multipart !== undefined) {
			body = multipart.form;
			idempotency = multipart.idempotency ?? idempotency;
		} else if (options.body !== undefined) {
			let value: unknown = options.body;
			if (takesNonce(method, path)) ({ body: value, idempotency } = withNonce(value, false));
			body = JSON.stringify(value);
			headers['content-type'] = 'application/json';
		}
		if (extra !== undefined) Object.assign(headers, extra);
		const info = this.#routeInfo(method, path, authorization !== undefined);
		const target = query === '' ? `${this.#basePath}${path}` : `${this.#basePath}${path}?${query}`;
		return new PendingRequest(
			method,
			path,
			target,
			info,
			headers,
			body,
			options.priority ?? 0,
			options.signal,
			idempotency,
			options,
		);
	}
}
