import { redactSecrets, type ExtensionPointEmitter, type Emitter, isRecord } from '@ovenjs/types';
import type { Dispatcher, Pool } from 'undici';
import { DiscordAPIError } from '../errors/DiscordAPIError.js';
import { HTTPError } from '../errors/HTTPError.js';
import { MaybeAppliedError, type MaybeAppliedReason } from '../errors/MaybeAppliedError.js';
import { RateLimitError, type RateLimitRejection } from '../errors/RateLimitError.js';
import { RequestTimeoutError } from '../errors/RequestTimeoutError.js';
import { RestError } from '../errors/RestError.js';
import type {
	AcquireResult,
	RateLimitPolicy,
	RateLimitResponse,
	RateLimitStore,
} from '../interfaces/RateLimitStore.js';
import type { RateLimitedEvent, RestEvents } from '../RESTOptions.js';
import { backoffDelay, NO_RESPONSE, NOT_SENT, parseRateLimitHeaders } from '../utils/body.js';
import type { CircuitBreaker } from '../utils/CircuitBreaker.js';
import {
	NONCE_RETRY_WINDOW_MS,
	NOT_APPLIED_STATUSES,
	NOT_SENT_ERROR_CODES,
	RETRYABLE_STATUSES,
} from '../utils/constants.js';
import type { RouteInfo } from '../utils/routes.js';
import { requestOn } from '../utils/undici.js';
import { clampDelay } from '../utils/timers.js';
import { BucketQueue, type QueueHost } from './BucketQueue.js';
import { type PendingRequest, RequestState } from './PendingRequest.js';

/** The manager's settings, resolved from the client options. */
export interface ManagerSettings {
	readonly timeout: number;
	readonly retries: number;
	readonly backoffBase: number;
	readonly backoffMax: number;
	readonly rateLimitRetries: number;
	readonly invalidRequestWarningInterval: number;
	readonly rejectOnRateLimit: boolean | readonly string[] | ((info: RateLimitedEvent) => boolean);
	/** Longest rate-limit wait (ms) the client sits out; a longer one rejects with `RateLimitError`. */
	readonly maxRateLimitWait: number;
	/** Largest response body (bytes) read; a larger one rejects with `REST_RESPONSE_TOO_LARGE`. */
	readonly maxResponseSize: number;
}

/** Longest a queue waits on another request's discovery before asking the store again. */
const DISCOVERY_POLL_MS = 100;

type Refusal = Exclude<AcquireResult, { granted: true }>;
type Grant = Extract<AcquireResult, { granted: true }>;

/** A response body as read: nothing, parsed JSON (with its text), JSON that does not parse, or bytes. */
type Body =
	| { readonly kind: 'empty' }
	| { readonly kind: 'json'; readonly data: unknown; readonly text: string }
	| { readonly kind: 'invalid'; readonly text: string }
	| { readonly kind: 'bytes'; readonly data: ArrayBuffer };

const EMPTY: Body = { kind: 'empty' };

function errorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const code: unknown = Reflect.get(error, 'code');
	return typeof code === 'string' ? code : undefined;
}

function reasonOf(signal: AbortSignal): unknown {
	const reason: unknown = Reflect.get(signal, 'reason');
	return reason;
}

function headerOf(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string {
	const value = headers[name];
	return (Array.isArray(value) ? value[0] : value) ?? '';
}

function describeError(error: unknown): string {
	const code = errorCode(error);
	return error instanceof Error
		? `${error.name}${code === undefined ? '' : ` ${code}`}: ${error.message}`
		: String(error);
}

/**
 * Owns the bucket queues and sends requests: limiter round trips, retries with backoff, 429 handling, the
 * circuit breaker and error mapping. Every request it accepts settles exactly once — also on hostile answers
 * and after {@link RequestManager.destroy}.
 */
export class RequestManager implements QueueHost {
	readonly #queues = new Map<string, BucketQueue>();
	readonly #waiting = new Set<PendingRequest>();
	readonly #inFlight = new Set<PendingRequest>();
	#destroyed = false;

	readonly #pool: Pool;
	readonly #store: RateLimitStore;
	readonly #policy: RateLimitPolicy;
	readonly #breaker: CircuitBreaker;
	readonly #settings: ManagerSettings;
	readonly #events: Emitter<RestEvents>;
	readonly #emitter: ExtensionPointEmitter | undefined;

	public constructor(
		pool: Pool,
		store: RateLimitStore,
		policy: RateLimitPolicy,
		breaker: CircuitBreaker,
		settings: ManagerSettings,
		events: Emitter<RestEvents>,
		emitter: ExtensionPointEmitter | undefined,
	) {
		this.#pool = pool;
		this.#store = store;
		this.#policy = policy;
		this.#breaker = breaker;
		this.#settings = settings;
		this.#events = events;
		this.#emitter = emitter;
	}

	/** Number of bucket queues with requests waiting. */
	public get queueCount(): number {
		return this.#queues.size;
	}

	/** Requests waiting in queues or on a retry timer (not in flight). */
	public get pendingCount(): number {
		let total = this.#waiting.size;
		for (const queue of this.#queues.values()) total += queue.size;
		return total;
	}

	/** Accepts a request: interaction callbacks go out at once, everything else through its bucket queue. */
	public enqueue(request: PendingRequest): void {
		if (this.#destroyed) {
			request.fail(this.#destroyedError());
			return;
		}
		const signal = request.signal;
		if (signal !== undefined) {
			if (signal.aborted) {
				request.fail(this.#abortedError(request, reasonOf(signal)));
				return;
			}
			request.onAbort = () => {
				this.#abort(request);
			};
			signal.addEventListener('abort', request.onAbort, { once: true });
		}
		this.#schedule(request, false);
	}

	/** Rejects everything queued, waiting or in flight with `REST_DESTROYED` and aborts the attempts in flight. */
	public destroy(): void {
		this.#destroyed = true;
		const error = this.#destroyedError();
		for (const queue of this.#queues.values()) queue.rejectAll(error);
		this.#queues.clear();
		for (const request of this.#waiting) request.fail(error);
		this.#waiting.clear();
		for (const request of this.#inFlight) {
			request.fail(error);
			request.controller?.abort(error);
		}
		this.#inFlight.clear();
	}

	// --- QueueHost -------------------------------------------------------------------------------------

	public async acquire(info: RouteInfo): Promise<AcquireResult> {
		return this.#store.acquire(info, this.#policy);
	}

	public dispatch(request: PendingRequest, grant: Grant): void {
		request.lease = grant.lease;
		void this.#send(request, true);
	}

	public release(request: PendingRequest, grant: Grant): void {
		request.lease = grant.lease;
		void this.#complete(request, NOT_SENT);
	}

	public onLimited(request: PendingRequest, result: Refusal, repeat: boolean): boolean {
		if (result.reason === 'discovery') return false;
		const tooLong = result.waitMs > this.#settings.maxRateLimitWait;
		if (repeat && !tooLong) return false;
		const needEvent = this.#events.hasListeners('rateLimited') || this.#emitter?.has('rest:onRateLimit') === true;
		const reject = this.#settings.rejectOnRateLimit;
		if (!needEvent && reject === false && !tooLong) return false;
		const event: RateLimitedEvent = {
			method: request.method,
			route: request.route,
			routeKey: request.info.route,
			major: request.info.major,
			retryAfter: result.waitMs,
			reason: result.reason,
			global: result.reason === 'global',
			scope: undefined,
			bucket: result.bucket,
			origin: request.origin,
		};
		if (!repeat) this.#emitRateLimited(event);
		if (tooLong) {
			this.#rejectRateLimited(request, event, 'maxRateLimitWait');
			return true;
		}
		if (result.reason !== 'invalid' && this.#shouldReject(request, event)) {
			this.#rejectRateLimited(request, event, 'rejectOnRateLimit');
			return true;
		}
		return false;
	}

	public onStoreError(request: PendingRequest, error: unknown): void {
		request.fail(RestError.of('REST_STORE_ERROR', [String(error)], { cause: error }));
	}

	public onIdle(queue: BucketQueue): void {
		if (queue.size === 0 && this.#queues.get(queue.info.queueKey) === queue)
			this.#queues.delete(queue.info.queueKey);
	}

	public waitFor(result: Refusal): number {
		return clampDelay(result.reason === 'discovery' ? Math.min(result.waitMs, DISCOVERY_POLL_MS) : result.waitMs);
	}

	// --- internals ---------------------------------------------------------------------------------------

	#schedule(request: PendingRequest, front: boolean): void {
		if (request.info.interactionCallback) {
			void this.#send(request, false);
			return;
		}
		const key = request.info.queueKey;
		let queue = this.#queues.get(key);
		if (queue === undefined) {
			queue = new BucketQueue(request.info, this);
			this.#queues.set(key, queue);
		}
		queue.push(request, front);
	}

	#abort(request: PendingRequest): void {
		const reason = request.signal === undefined ? undefined : reasonOf(request.signal);
		if (request.state === RequestState.Queued) {
			this.#queues.get(request.info.queueKey)?.remove(request);
			request.fail(this.#abortedError(request, reason));
		} else if (request.state === RequestState.Waiting) {
			this.#waiting.delete(request);
			request.fail(this.#abortedError(request, reason));
		} else if (request.state === RequestState.InFlight) {
			// The attempt's own controller: undici rejects (or ends the body) and #failure reports REST_ABORTED.
			request.controller?.abort(reason);
		}
	}

	#retryLater(request: PendingRequest, delay: number): void {
		request.state = RequestState.Waiting;
		this.#waiting.add(request);
		request.timer = setTimeout(() => {
			request.timer = undefined;
			this.#waiting.delete(request);
			if (request.isSettled()) return;
			if (this.#destroyed) request.fail(this.#destroyedError());
			else this.#schedule(request, true);
		}, clampDelay(delay));
	}

	async #complete(request: PendingRequest, response: RateLimitResponse): Promise<void> {
		try {
			const result = await this.#store.complete(request.info, response, this.#policy, request.lease);
			if (result.discovered !== undefined) {
				for (const queue of this.#queues.values()) if (queue.waitingFor === 'discovery') queue.wake();
				if (
					this.#events.hasListeners('bucketDiscovered') ||
					this.#emitter?.has('rest:bucketDiscovered') === true
				) {
					const event = { routeKey: request.info.route, hash: result.discovered };
					this.#events.emit('bucketDiscovered', event);
					this.#emitter?.emit('rest:bucketDiscovered', event);
				}
			} else {
				this.#queues.get(request.info.queueKey)?.wake();
			}
			const interval = this.#settings.invalidRequestWarningInterval;
			if (
				interval > 0 &&
				result.invalidCount > 0 &&
				result.invalidCount % interval === 0 &&
				(response.status === 401 ||
					response.status === 403 ||
					(response.status === 429 && response.scope !== 'shared'))
			) {
				const event = { count: result.invalidCount, limit: this.#policy.invalidLimit };
				this.#events.emit('invalidRequestWarning', event);
				this.#emitter?.emit('rest:invalidRequestWarning', event);
			}
		} catch (error) {
			process.emitWarning(
				redactSecrets(`@ovenjs/rest: the rate-limit store failed to record a response: ${String(error)}`),
			);
		}
	}

	/** Sends one attempt; whatever goes wrong (a throwing extension point, a bug), the request settles. */
	async #send(request: PendingRequest, viaStore: boolean): Promise<void> {
		let recorded = !viaStore;
		const record = (response: RateLimitResponse): Promise<void> => {
			if (recorded) return Promise.resolve();
			recorded = true;
			return this.#complete(request, response);
		};
		try {
			await this.#attempt(request, record);
		} catch (error) {
			this.#inFlight.delete(request);
			await record(NO_RESPONSE);
			this.#breaker.release();
			request.fail(error);
		}
	}

	async #attempt(request: PendingRequest, record: (response: RateLimitResponse) => Promise<void>): Promise<void> {
		if (request.isSettled()) {
			await record(NOT_SENT);
			return;
		}
		if (this.#destroyed) {
			await record(NOT_SENT);
			request.fail(this.#destroyedError());
			return;
		}
		const earlier = request.maybeApplied;
		if (
			earlier !== undefined &&
			request.idempotency === 'nonce' &&
			Date.now() - earlier.at > NONCE_RETRY_WINDOW_MS
		) {
			// Discord may have forgotten the nonce by now: resending could create the message twice.
			await record(NOT_SENT);
			request.fail(
				this.#maybeAppliedError(request, earlier.reason, earlier.status, earlier.detail, earlier.cause),
			);
			return;
		}
		if (!this.#breaker.allow()) {
			await record(NOT_SENT);
			request.fail(RestError.of('REST_CIRCUIT_OPEN', [request.method, request.route, this.#breaker.retryIn()]));
			return;
		}
		request.state = RequestState.InFlight;
		request.attempts++;
		request.markSent();
		if (this.#events.hasListeners('request')) {
			this.#events.emit('request', {
				method: request.method,
				route: request.route,
				routeKey: request.info.route,
				attempt: request.attempts,
				origin: request.origin,
			});
		}
		// One controller per attempt: the timeout covers headers and the whole body (undici's bodyTimeout is an
		// idle timeout a body dripped byte by byte never trips), and user aborts and destroy() end it too.
		const controller = new AbortController();
		const timeout = this.#settings.timeout;
		request.controller = controller;
		request.timedOut = false;
		this.#inFlight.add(request);
		const timer = setTimeout(() => {
			request.timedOut = true;
			controller.abort(new RequestTimeoutError(timeout, request));
		}, clampDelay(timeout));
		let response: Dispatcher.ResponseData;
		let limits: RateLimitResponse;
		let body: Body;
		try {
			try {
				response = await requestOn.call(this.#pool, {
					path: request.path,
					method: request.method,
					headers: request.headers,
					body: request.body ?? null,
					signal: controller.signal,
					headersTimeout: timeout,
					bodyTimeout: timeout,
				});
			} catch (error) {
				await record(this.#neverSent(request, error) ? NOT_SENT : NO_RESPONSE);
				this.#failure(request, error);
				return;
			}
			limits = parseRateLimitHeaders(response.statusCode, response.headers);
			const recorded = record(limits);
			try {
				body = await this.#readBody(request, response);
			} catch (error) {
				await recorded;
				this.#failure(request, error);
				return;
			}
			await recorded;
		} finally {
			clearTimeout(timer);
			request.controller = undefined;
			this.#inFlight.delete(request);
		}
		if (request.isSettled()) return;
		this.#answered(request, response, limits, body);
	}

	/** Maps a complete answer: success, 429, a retryable 5xx, or an error. */
	#answered(request: PendingRequest, response: Dispatcher.ResponseData, limits: RateLimitResponse, body: Body): void {
		const status = response.statusCode;
		if (this.#events.hasListeners('response')) {
			this.#events.emit('response', {
				method: request.method,
				route: request.route,
				routeKey: request.info.route,
				attempt: request.attempts,
				status,
				bucket: limits.hash,
				origin: request.origin,
			});
		}
		if (status < 300) {
			if (body.kind === 'invalid') {
				this.#breaker.release();
				request.fail(
					RestError.of('REST_INVALID_RESPONSE', [request.method, request.route, status, body.text.length]),
				);
				return;
			}
			this.#breaker.success();
			if (body.kind === 'json') request.rawText = body.text;
			request.succeed({
				status,
				headers: response.headers,
				data: body.kind === 'json' || body.kind === 'bytes' ? body.data : undefined,
			});
			return;
		}
		const data = body.kind === 'json' ? body.data : undefined;
		if (status === 429) {
			this.#breaker.success();
			this.#rateLimited(request, limits, data);
			return;
		}
		const context = { method: request.method, route: request.route };
		const mapped = (): RestError => {
			if (isRecord(data) && !Array.isArray(data) && ('code' in data || 'message' in data))
				return new DiscordAPIError(data, status, context);
			return new HTTPError(status, response.statusText, context);
		};
		if (RETRYABLE_STATUSES.has(status)) {
			this.#breaker.failure();
			const applied = !NOT_APPLIED_STATUSES.has(status);
			if (applied) this.#noteMaybeApplied(request, 'status', status, `HTTP ${status}`, undefined);
			const safe = !applied || request.idempotency !== 'none';
			if (safe && request.attempts <= this.#settings.retries) {
				this.#retryLater(
					request,
					backoffDelay(request.attempts - 1, this.#settings.backoffBase, this.#settings.backoffMax),
				);
				return;
			}
			if (!safe) {
				request.fail(this.#maybeAppliedError(request, 'status', status, `HTTP ${status}`, mapped()));
				return;
			}
		} else {
			this.#breaker.success();
		}
		request.fail(mapped());
	}

	/** Reads the body within {@link ManagerSettings.maxResponseSize}; JSON is parsed, other types kept as bytes. */
	async #readBody(request: PendingRequest, response: Dispatcher.ResponseData): Promise<Body> {
		const stream = response.body;
		if (response.statusCode === 204 || response.statusCode === 304) {
			await stream.dump();
			return EMPTY;
		}
		const max = this.#settings.maxResponseSize;
		const lengthHeader = headerOf(response.headers, 'content-length');
		const length = lengthHeader === '' ? Number.NaN : Number(lengthHeader);
		if (length > max) {
			discard(stream);
			throw this.#tooLarge(request, length);
		}
		const json = headerOf(response.headers, 'content-type').toLowerCase().startsWith('application/json');
		let bytes: Buffer | undefined;
		let text: string;
		if (Number.isInteger(length) && length >= 0) {
			// HTTP framing ends the body at Content-Length: no more than `length` bytes can arrive.
			if (!json) return { kind: 'bytes', data: await stream.arrayBuffer() };
			text = await stream.text();
		} else {
			bytes = await this.#collect(request, stream, max);
			if (!json) {
				const copy = new ArrayBuffer(bytes.byteLength);
				new Uint8Array(copy).set(bytes);
				return { kind: 'bytes', data: copy };
			}
			text = bytes.toString('utf8');
		}
		if (text === '') return EMPTY;
		try {
			const parsed: unknown = JSON.parse(text);
			return { kind: 'json', data: parsed, text };
		} catch {
			return { kind: 'invalid', text };
		}
	}

	/** Collects a body of unknown length, failing as soon as it passes `max` bytes. */
	async #collect(request: PendingRequest, stream: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of chunksOf(stream)) {
			if (!(chunk instanceof Uint8Array)) continue;
			size += chunk.byteLength;
			if (size > max) {
				discard(stream);
				throw this.#tooLarge(request, undefined);
			}
			chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
		}
		return Buffer.concat(chunks, size);
	}

	#tooLarge(request: PendingRequest, length: number | undefined): RestError {
		return RestError.of('REST_RESPONSE_TOO_LARGE', [
			request.method,
			request.route,
			this.#settings.maxResponseSize,
			length,
		]);
	}

	#rateLimited(request: PendingRequest, limits: RateLimitResponse, data: unknown): void {
		request.rateLimitHits++;
		const bodyRetry =
			isRecord(data) && typeof data.retry_after === 'number' && Number.isFinite(data.retry_after)
				? data.retry_after * 1_000
				: undefined;
		// The body's retry_after is exact; the header is rounded up to whole seconds.
		const retryAfter = clampDelay(bodyRetry ?? limits.retryAfterMs ?? 1_000);
		const global = limits.global || (isRecord(data) && data.global === true);
		const event: RateLimitedEvent = {
			method: request.method,
			route: request.route,
			routeKey: request.info.route,
			major: request.info.major,
			retryAfter,
			reason: '429',
			global,
			scope: limits.scope,
			bucket: limits.hash,
			origin: request.origin,
		};
		this.#emitRateLimited(event);
		if (retryAfter > this.#settings.maxRateLimitWait) {
			this.#rejectRateLimited(request, event, 'maxRateLimitWait');
			return;
		}
		if (this.#shouldReject(request, event)) {
			this.#rejectRateLimited(request, event, 'rejectOnRateLimit');
			return;
		}
		if (request.rateLimitHits > this.#settings.rateLimitRetries) {
			this.#rejectRateLimited(request, event, 'retries');
			return;
		}
		this.#retryLater(request, retryAfter + this.#policy.offsetMs);
	}

	/** Whether an attempt's error means it never left the process (connection refused, DNS failure). */
	#neverSent(request: PendingRequest, error: unknown): boolean {
		if (request.timedOut || request.signal?.aborted === true) return false;
		const code = errorCode(error);
		return code !== undefined && (NOT_SENT_ERROR_CODES.has(code) || code === 'UND_ERR_INVALID_ARG');
	}

	#failure(request: PendingRequest, error: unknown): void {
		if (request.isSettled()) return;
		if (request.signal?.aborted === true) {
			this.#breaker.release();
			request.fail(this.#abortedError(request, reasonOf(request.signal)));
			return;
		}
		if (this.#destroyed) {
			this.#breaker.release();
			request.fail(this.#destroyedError());
			return;
		}
		const code = errorCode(error);
		const timedOut = request.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
		if (!timedOut && error instanceof RestError) {
			this.#breaker.release();
			request.fail(error);
			return;
		}
		if (code === 'UND_ERR_INVALID_ARG') {
			// undici refused to send it: not Discord's fault, not worth a retry, not a failure for the breaker.
			this.#breaker.release();
			request.fail(
				RestError.of(
					'REST_INVALID_OPTION',
					[
						`request ${request.method} ${request.route}`,
						`undici refused to send it (${describeError(error)})`,
					],
					{ cause: error },
				),
			);
			return;
		}
		this.#breaker.failure();
		const neverSent = !timedOut && code !== undefined && NOT_SENT_ERROR_CODES.has(code);
		const reason: MaybeAppliedReason = timedOut ? 'timeout' : 'network';
		const detail = timedOut ? `timed out after ${this.#settings.timeout} ms` : (code ?? describeError(error));
		if (!neverSent) this.#noteMaybeApplied(request, reason, undefined, detail, error);
		const safe = neverSent || request.idempotency !== 'none';
		if (safe && request.attempts <= this.#settings.retries) {
			this.#retryLater(
				request,
				backoffDelay(request.attempts - 1, this.#settings.backoffBase, this.#settings.backoffMax),
			);
			return;
		}
		const context = { method: request.method, route: request.route };
		const cause = timedOut ? new RequestTimeoutError(this.#settings.timeout, context, error) : error;
		if (!safe) {
			request.fail(this.#maybeAppliedError(request, reason, undefined, detail, cause));
			return;
		}
		if (timedOut) request.fail(cause);
		else {
			request.fail(
				RestError.of(
					'REST_NETWORK_ERROR',
					[request.method, request.route, request.attempts, describeError(error)],
					{ cause: error },
				),
			);
		}
	}

	#noteMaybeApplied(
		request: PendingRequest,
		reason: MaybeAppliedReason,
		status: number | undefined,
		detail: string,
		cause: unknown,
	): void {
		request.maybeApplied ??= { at: Date.now(), reason, status, detail, cause };
	}

	#maybeAppliedError(
		request: PendingRequest,
		reason: MaybeAppliedReason,
		status: number | undefined,
		detail: string,
		cause: unknown,
	): MaybeAppliedError {
		return new MaybeAppliedError(
			{ method: request.method, route: request.route, reason, status, attempts: request.attempts, detail },
			cause,
		);
	}

	/** Applies `rejectOnRateLimit`; a predicate that throws rejects the request with `REST_CALLBACK_FAILED`. */
	#shouldReject(request: PendingRequest, event: RateLimitedEvent): boolean {
		const reject = this.#settings.rejectOnRateLimit;
		if (typeof reject === 'boolean') return reject;
		if (typeof reject === 'function') {
			try {
				// A JavaScript predicate may return anything: only `true` rejects.
				const verdict: unknown = reject(event);
				return verdict === true;
			} catch (error) {
				request.fail(
					RestError.of(
						'REST_CALLBACK_FAILED',
						['rejectOnRateLimit', request.method, request.route, describeError(error)],
						{ cause: error },
					),
				);
				return true;
			}
		}
		return reject.some((prefix) => request.route.startsWith(prefix));
	}

	#rejectRateLimited(request: PendingRequest, event: RateLimitedEvent, rejection: RateLimitRejection): void {
		request.fail(
			new RateLimitError({
				method: event.method,
				route: event.route,
				retryAfter: event.retryAfter,
				global: event.global,
				scope: event.scope,
				routeKey: event.routeKey,
				rejection,
			}),
		);
	}

	#emitRateLimited(event: RateLimitedEvent): void {
		this.#events.emit('rateLimited', event);
		if (this.#emitter?.has('rest:onRateLimit') !== true) return;
		try {
			this.#emitter.emit('rest:onRateLimit', event);
		} catch (error) {
			// Called from a bucket queue's loop, which must not break: report and go on.
			process.emitWarning(redactSecrets(`@ovenjs/rest: a "rest:onRateLimit" handler threw: ${String(error)}`));
		}
	}

	#destroyedError(): RestError {
		return RestError.of('REST_DESTROYED', []);
	}

	#abortedError(request: PendingRequest, reason: unknown): RestError {
		return RestError.of('REST_ABORTED', [request.method, request.route], { cause: reason });
	}
}

/**
 * Stops reading a body and closes its connection. undici's body emits an `AbortError` when destroyed; without a
 * listener that `'error'` event would be an uncaught exception (a hostile `Content-Length` would crash the process).
 */
function discard(stream: Dispatcher.ResponseData['body']): void {
	stream.on('error', ignore);
	stream.destroy();
}

function ignore(): void {
	// The body was given up on purpose: its error says nothing new.
}

/** A response body's chunks, typed `unknown` (undici's readable yields `any`). */
async function* chunksOf(stream: AsyncIterable<unknown, unknown, undefined>): AsyncGenerator {
	for await (const chunk of stream) yield chunk;
}
