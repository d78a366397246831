import { redactSecrets, type ExtensionPointEmitter } from '@ovenjs/types';
import type { Dispatcher, Pool } from 'undici';
import { DiscordAPIError } from '../errors/DiscordAPIError.js';
import { HTTPError } from '../errors/HTTPError.js';
import { RateLimitError } from '../errors/RateLimitError.js';
import { RequestTimeoutError } from '../errors/RequestTimeoutError.js';
import { RestError } from '../errors/RestError.js';
import type { AcquireResult, RateLimitPolicy, RateLimitResponse, RateLimitStore } from '../interfaces/RateLimitStore.js';
import type { RateLimitedEvent, RestEvents } from '../RESTOptions.js';
import { backoffDelay, NO_RESPONSE, NOT_SENT, parseRateLimitHeaders } from '../utils/body.js';
import type { CircuitBreaker } from '../utils/CircuitBreaker.js';
import { RETRYABLE_STATUSES } from '../utils/constants.js';
import type { RouteInfo } from '../utils/routes.js';
import type { TypedEmitter } from '../utils/TypedEmitter.js';
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
}

/** Longest a queue waits on another request's discovery before asking the store again. */
const DISCOVERY_POLL_MS = 100;

type Refusal = Exclude<AcquireResult, { granted: true }>;
type Grant = Extract<AcquireResult, { granted: true }>;

function errorCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const code: unknown = Reflect.get(error, 'code');
	return typeof code === 'string' ? code : undefined;
}

function reasonOf(signal: AbortSignal): unknown {
	const reason: unknown = Reflect.get(signal, 'reason');
	return reason;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/**
 * Owns the bucket queues and sends requests: limiter round trips, retries with backoff, 429 handling, the
 * circuit breaker and error mapping. Every request it accepts settles exactly once.
 */
export class RequestManager implements QueueHost {
	readonly #queues = new Map<string, BucketQueue>();
	readonly #waiting = new Set<PendingRequest>();
	#destroyed = false;

	public constructor(
		private readonly pool: Pool,
		private readonly store: RateLimitStore,
		private readonly policy: RateLimitPolicy,
		private readonly breaker: CircuitBreaker,
		private readonly settings: ManagerSettings,
		private readonly events: TypedEmitter<RestEvents>,
		private readonly emitter: ExtensionPointEmitter | undefined,
	) {}

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

	/** Rejects everything queued or waiting; requests in flight fail when the pool is destroyed. */
	public destroy(): void {
		this.#destroyed = true;
		const error = this.#destroyedError();
		for (const queue of this.#queues.values()) queue.rejectAll(error);
		this.#queues.clear();
		for (const request of this.#waiting) request.fail(error);
		this.#waiting.clear();
	}

	// --- QueueHost -------------------------------------------------------------------------------------

	public async acquire(info: RouteInfo): Promise<AcquireResult> {
		return this.store.acquire(info, this.policy);
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
		if (result.reason === 'discovery' || repeat) return false;
		const needEvent = this.events.has('rateLimited') || this.emitter?.has('rest:onRateLimit') === true;
		const reject = this.settings.rejectOnRateLimit;
		if (!needEvent && reject === false) return false;
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
		};
		this.#emitRateLimited(event);
		if (result.reason !== 'invalid' && this.#shouldReject(request, event)) {
			request.fail(new RateLimitError({ ...event }));
			return true;
		}
		return false;
	}

	public onStoreError(request: PendingRequest, error: unknown): void {
		request.fail(new RestError('REST_STORE_ERROR', redactSecrets(`The rate-limit store failed: ${String(error)}`), { cause: error }));
	}

	public onIdle(queue: BucketQueue): void {
		if (queue.size === 0 && this.#queues.get(queue.info.queueKey) === queue) this.#queues.delete(queue.info.queueKey);
	}

	public waitFor(result: Refusal): number {
		return result.reason === 'discovery' ? Math.min(result.waitMs, DISCOVERY_POLL_MS) : result.waitMs;
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
		}
		// In flight: undici rejects with an AbortError, handled in #send.
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
		}, delay);
	}

	async #complete(request: PendingRequest, response: RateLimitResponse): Promise<void> {
		try {
			const result = await this.store.complete(request.info, response, this.policy, request.lease);
			if (result.discovered !== undefined) {
				for (const queue of this.#queues.values()) if (queue.waitingFor === 'discovery') queue.wake();
				if (this.events.has('bucketDiscovered') || this.emitter?.has('rest:bucketDiscovered') === true) {
					const event = { routeKey: request.info.route, hash: result.discovered };
					this.events.emit('bucketDiscovered', event);
					this.emitter?.emit('rest:bucketDiscovered', event);
				}
			} else {
				this.#queues.get(request.info.queueKey)?.wake();
			}
			const interval = this.settings.invalidRequestWarningInterval;
			if (
				interval > 0 &&
				result.invalidCount > 0 &&
				result.invalidCount % interval === 0 &&
				(response.status === 401 || response.status === 403 || (response.status === 429 && response.scope !== 'shared'))
			) {
				const event = { count: result.invalidCount, limit: this.policy.invalidLimit };
				this.events.emit('invalidRequestWarning', event);
				this.emitter?.emit('rest:invalidRequestWarning', event);
			}
		} catch (error) {
			process.emitWarning(redactSecrets(`@ovenjs/rest: the rate-limit store failed to record a response: ${String(error)}`));
		}
	}

	async #send(request: PendingRequest, viaStore: boolean): Promise<void> {
		if (request.isSettled()) {
			if (viaStore) await this.#complete(request, NOT_SENT);
			return;
		}
		if (this.#destroyed) {
			request.fail(this.#destroyedError());
			return;
		}
		if (!this.breaker.allow()) {
			if (viaStore) await this.#complete(request, NOT_SENT);
			request.fail(
				new RestError(
					'REST_CIRCUIT_OPEN',
					`${request.method} ${redactSecrets(request.route)} failed fast: Discord kept failing and the circuit breaker is open for ${this.breaker.retryIn()} ms more`,
				),
			);
			return;
		}
		request.state = RequestState.InFlight;
		request.attempts++;
		if (this.events.has('request')) {
			this.events.emit('request', { method: request.method, route: request.route, routeKey: request.info.route, attempt: request.attempts });
		}
		let response: Dispatcher.ResponseData;
		try {
			response = await this.pool.request({
				path: request.path,
				method: request.method,
				headers: request.headers,
				body: request.body ?? null,
				signal: request.signal ?? null,
				headersTimeout: this.settings.timeout,
				bodyTimeout: this.settings.timeout,
			});
		} catch (error) {
			if (viaStore) await this.#complete(request, NO_RESPONSE);
			this.#failure(request, error);
			return;
		}
		const status = response.statusCode;
		const limits = parseRateLimitHeaders(status, response.headers);
		const recorded = viaStore ? this.#complete(request, limits) : undefined;
		let data: unknown;
		try {
			data = await this.#readBody(response);
		} catch (error) {
			await recorded;
			this.#failure(request, error);
			return;
		}
		await recorded;
		if (this.events.has('response')) {
			this.events.emit('response', {
				method: request.method,
				route: request.route,
				routeKey: request.info.route,
				attempt: request.attempts,
				status,
				bucket: limits.hash,
			});
		}
		if (status < 300) {
			this.breaker.success();
			request.succeed({ status, headers: response.headers, data });
			return;
		}
		if (status === 429) {
			this.breaker.success();
			this.#rateLimited(request, limits, data);
			return;
		}
		if (RETRYABLE_STATUSES.has(status)) {
			this.breaker.failure();
			if (request.attempts <= this.settings.retries) {
				this.#retryLater(request, backoffDelay(request.attempts - 1, this.settings.backoffBase, this.settings.backoffMax));
				return;
			}
		} else {
			this.breaker.success();
		}
		const context = { method: request.method, route: request.route };
		if (isRecord(data) && ('code' in data || 'message' in data)) request.fail(new DiscordAPIError(data, status, context));
		else request.fail(new HTTPError(status, response.statusText, context));
	}

	async #readBody(response: Dispatcher.ResponseData): Promise<unknown> {
		if (response.statusCode === 204) {
			await response.body.dump();
			return undefined;
		}
		const type = response.headers['content-type'];
		const contentType = Array.isArray(type) ? (type[0] ?? '') : (type ?? '');
		if (contentType.startsWith('application/json')) {
			const text = await response.body.text();
			if (text === '') return undefined;
			try {
				const parsed: unknown = JSON.parse(text);
				return parsed;
			} catch {
				return text;
			}
		}
		return response.body.arrayBuffer();
	}

	#rateLimited(request: PendingRequest, limits: RateLimitResponse, data: unknown): void {
		request.rateLimitHits++;
		const bodyRetry = isRecord(data) && typeof data.retry_after === 'number' ? data.retry_after * 1_000 : undefined;
		// The body's retry_after is exact; the header is rounded up to whole seconds.
		const retryAfter = bodyRetry ?? limits.retryAfterMs ?? 1_000;
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
		};
		this.#emitRateLimited(event);
		if (this.#shouldReject(request, event) || request.rateLimitHits > this.settings.rateLimitRetries) {
			request.fail(new RateLimitError(event));
			return;
		}
		this.#retryLater(request, retryAfter + this.policy.offsetMs);
	}

	#failure(request: PendingRequest, error: unknown): void {
		if (request.isSettled()) return;
		const code = errorCode(error);
		if (request.signal?.aborted === true) {
			this.breaker.release();
			request.fail(this.#abortedError(request, reasonOf(request.signal)));
			return;
		}
		if (this.#destroyed) {
			this.breaker.release();
			request.fail(this.#destroyedError());
			return;
		}
		if (error instanceof RestError) {
			request.fail(error);
			return;
		}
		this.breaker.failure();
		const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
		if (request.attempts <= this.settings.retries) {
			this.#retryLater(request, backoffDelay(request.attempts - 1, this.settings.backoffBase, this.settings.backoffMax));
			return;
		}
		const context = { method: request.method, route: request.route };
		if (timedOut) request.fail(new RequestTimeoutError(this.settings.timeout, context, error));
		else {
			const detail = error instanceof Error ? `${error.name}${code === undefined ? '' : ` ${code}`}: ${error.message}` : String(error);
			request.fail(
				new RestError(
					'REST_NETWORK_ERROR',
					redactSecrets(`${request.method} ${request.route} failed after ${request.attempts} attempts: ${detail}`),
					{ cause: error },
				),
			);
		}
	}

	#shouldReject(request: PendingRequest, event: RateLimitedEvent): boolean {
		const reject = this.settings.rejectOnRateLimit;
		if (typeof reject === 'boolean') return reject;
		if (typeof reject === 'function') return reject(event);
		return reject.some((prefix) => request.route.startsWith(prefix));
	}

	#emitRateLimited(event: RateLimitedEvent): void {
		this.events.emit('rateLimited', event);
		if (this.emitter?.has('rest:onRateLimit') === true) this.emitter.emit('rest:onRateLimit', event);
	}

	#destroyedError(): RestError {
		return new RestError('REST_DESTROYED', 'The REST client was destroyed; create a new one to send more requests');
	}

	#abortedError(request: PendingRequest, reason: unknown): RestError {
		return new RestError('REST_ABORTED', redactSecrets(`${request.method} ${request.route} was aborted`), { cause: reason });
	}
}
