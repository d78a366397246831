import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import {
	ProxyTracerProvider,
	SpanKind,
	SpanStatusCode,
	context,
	trace,
	type Context,
	type Span,
	type Tracer,
} from '@opentelemetry/api';
import { redactSecrets, isPromiseLike } from '@ovenjs/types';

/** The instrumentation scope name spans are created under. */
export const TRACER_NAME = '@ovenjs/observability';

/** Per REST call: its span (when traced) and what its attempts reported. */
interface RestCall {
	readonly span: Span | undefined;
	readonly started: number;
	route: string | undefined;
	attempts: number;
	/** Whether the attempt in flight got an answer. */
	answered: boolean;
	waitMs: number;
}

function describe(error: unknown): string {
	return redactSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/**
 * Spans through `@opentelemetry/api` (no-ops unless the application installed an SDK). Handler spans are
 * carried in an own `AsyncLocalStorage` as well as in the OpenTelemetry context, so REST and cache spans find
 * their parent even when the application installed no context manager.
 */
export class Tracing {
	readonly #configured: Tracer | undefined;
	/** Whether the tracer is the global one, which records nothing until an SDK is registered. */
	readonly #global: boolean;
	readonly #storage = new AsyncLocalStorage<Context>();
	readonly #calls = new WeakMap<object, RestCall>();
	#checkedAt = -Infinity;
	#recording = false;

	/**
	 * @param tracer - the tracer, or `undefined` for no spans
	 * @param global - whether `tracer` is the global provider's: spans are then skipped (not even no-op spans are
	 * made) while no SDK is registered, checked at most once a second
	 */
	public constructor(tracer: Tracer | undefined, global: boolean) {
		this.#configured = tracer;
		this.#global = global;
	}

	/** The tracer, when spans should be made now. */
	get #tracer(): Tracer | undefined {
		return this.#tracerAt(performance.now());
	}

	/** {@link Tracing.#tracer} for a caller that already read the clock (`now`, from `performance.now()`). */
	#tracerAt(now: number): Tracer | undefined {
		if (!this.#global || this.#configured === undefined) return this.#configured;
		if (now - this.#checkedAt > 1_000) {
			this.#checkedAt = now;
			const provider = trace.getTracerProvider();
			// @opentelemetry/api 1.x has no other way to tell whether an SDK is registered.
			// eslint-disable-next-line @typescript-eslint/no-deprecated
			const proxy = provider instanceof ProxyTracerProvider ? provider : undefined;
			this.#recording = proxy === undefined || proxy.getDelegateTracer(TRACER_NAME) !== undefined;
		}
		return this.#recording ? this.#configured : undefined;
	}

	/** Whether spans are created. */
	public get enabled(): boolean {
		return this.#tracer !== undefined;
	}

	/** The context a child span should use as parent: the handler in progress, else the active context. */
	public parent(): Context {
		return this.#storage.getStore() ?? context.active();
	}

	/** Whether a handler span is in progress in this async context. */
	public insideHandler(): boolean {
		return this.#storage.getStore() !== undefined;
	}

	/**
	 * Wraps a listener once: each call is timed and `done(seconds)` called when it settled (for a promise, when the
	 * promise settled); a `traced` event's calls also run inside a span named `ovenjs <event>` while an SDK
	 * records. The untraced wrapper does nothing but read the clock twice, since it runs on every dispatch.
	 */
	public wrapHandler(
		event: string,
		traced: boolean,
		call: (...args: readonly unknown[]) => unknown,
		done: (seconds: number) => void,
	): (...args: readonly unknown[]) => unknown {
		if (!traced) return (...args) => runTimed(call, args, done, performance.now());
		return (...args) => {
			const started = performance.now();
			const tracer = this.#tracerAt(started);
			return tracer === undefined
				? runTimed(call, args, done, started)
				: this.#runInSpan(tracer, event, call, args, done, started);
		};
	}

	#runInSpan(
		tracer: Tracer,
		event: string,
		call: (...args: readonly unknown[]) => unknown,
		args: readonly unknown[],
		done: (seconds: number) => void,
		started: number,
	): unknown {
		const span = tracer.startSpan(
			`ovenjs ${event}`,
			{ kind: SpanKind.CONSUMER, attributes: { 'ovenjs.event': event } },
			context.active(),
		);
		const spanContext = trace.setSpan(context.active(), span);
		const end = (error: unknown, failed: boolean): void => {
			if (failed) {
				span.recordException(
					error instanceof Error ? { name: error.name, message: describe(error) } : describe(error),
				);
				span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
			}
			span.end();
			done((performance.now() - started) / 1000);
		};
		let result: unknown;
		try {
			result = this.#storage.run(spanContext, () => context.with(spanContext, () => call(...args)));
		} catch (error) {
			end(error, true);
			throw error;
		}
		if (isPromiseLike(result)) {
			result.then(
				() => {
					end(undefined, false);
				},
				(error: unknown) => {
					end(error, true);
				},
			);
		} else {
			end(undefined, false);
		}
		return result;
	}

	/** A REST call starts (`rest:beforeRequest`, in the caller's async context). */
	public restStart(request: object, method: string, path: string): void {
		const tracer = this.#tracer;
		const span = tracer?.startSpan(
			`ovenjs rest ${method}`,
			{ kind: SpanKind.CLIENT, attributes: { 'http.request.method': method } },
			this.parent(),
		);
		this.#calls.set(request, {
			span,
			started: performance.now(),
			route: undefined,
			attempts: 0,
			answered: true,
			waitMs: 0,
		});
		span?.setAttribute('ovenjs.rest.path_template', path);
	}

	/** The call of `origin`, if it started through {@link Tracing.restStart}. */
	public restCall(origin: object): RestCall | undefined {
		return this.#calls.get(origin);
	}

	/** An attempt of a call was sent. Returns whether the previous attempt went unanswered (a network failure). */
	public restAttempt(origin: object, routeKey: string, attempt: number): boolean {
		const call = this.#calls.get(origin);
		if (call === undefined) return false;
		const lost = call.attempts > 0 && !call.answered;
		call.attempts = attempt;
		call.answered = false;
		if (call.route === undefined) {
			call.route = routeKey;
			call.span?.updateName(`ovenjs rest ${routeKey}`);
			call.span?.setAttribute('ovenjs.rest.route', routeKey);
		}
		return lost;
	}

	/** An attempt was answered. */
	public restAnswer(origin: object, status: number, bucket: string | undefined): void {
		const call = this.#calls.get(origin);
		if (call === undefined) return;
		call.answered = true;
		call.span?.addEvent('attempt', { 'ovenjs.rest.attempt': call.attempts, 'http.response.status_code': status });
		if (bucket !== undefined) call.span?.setAttribute('ovenjs.rest.bucket', bucket);
	}

	/** The call waits for a limit (a 429 or the limiter). */
	public restWait(origin: object, waitMs: number, reason: string, scope: string | undefined): void {
		const call = this.#calls.get(origin);
		if (call === undefined) return;
		call.waitMs += waitMs;
		call.span?.addEvent('rate_limited', {
			'ovenjs.rest.reason': reason,
			'ovenjs.rest.wait_ms': waitMs,
			...(scope === undefined ? {} : { 'ovenjs.rest.scope': scope }),
		});
	}

	/**
	 * A call ended; returns it (with the elapsed seconds) so metrics can use the same numbers, or `undefined` when
	 * it was not started here.
	 */
	public restEnd(
		origin: object,
		status: number | undefined,
		error: unknown,
	): (RestCall & { readonly seconds: number }) | undefined {
		const call = this.#calls.get(origin);
		if (call === undefined) return undefined;
		this.#calls.delete(origin);
		const span = call.span;
		if (span !== undefined) {
			span.setAttribute('ovenjs.rest.retries', Math.max(0, call.attempts - 1));
			span.setAttribute('ovenjs.rest.rate_limit_wait_ms', call.waitMs);
			if (status !== undefined) span.setAttribute('http.response.status_code', status);
			if (error !== undefined) {
				span.recordException(
					error instanceof Error ? { name: error.name, message: describe(error) } : describe(error),
				);
				span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
			}
			span.end();
		}
		return { ...call, seconds: (performance.now() - call.started) / 1000 };
	}

	/** A cache tier read finished (reported after the fact: the span is back-dated by its duration). */
	public cacheRead(key: string, tier: string, hit: boolean, durationMs: number): void {
		const tracer = this.#tracer;
		if (tracer === undefined || !this.insideHandler()) return;
		const end = performance.timeOrigin + performance.now();
		const span = tracer.startSpan(
			`ovenjs cache ${tier}`,
			{
				kind: SpanKind.INTERNAL,
				startTime: end - durationMs,
				attributes: {
					'ovenjs.cache.tier': tier,
					'ovenjs.cache.hit': hit,
					'ovenjs.cache.key_kind': key.split(':', 1)[0] ?? key,
				},
			},
			this.parent(),
		);
		span.end(end);
	}
}

/** The tracer used when none is given: the global provider's (a no-op until an SDK is registered). */
export function defaultTracer(version: string): Tracer {
	return trace.getTracer(TRACER_NAME, version);
}

/** Calls `call(...args)` that started at `started` and reports its duration when it settled. */
function runTimed(
	call: (...args: readonly unknown[]) => unknown,
	args: readonly unknown[],
	done: (seconds: number) => void,
	started: number,
): unknown {
	let result: unknown;
	try {
		result = call(...args);
	} catch (error) {
		done((performance.now() - started) / 1000);
		throw error;
	}
	if (isPromiseLike(result)) {
		const finish = (): void => {
			done((performance.now() - started) / 1000);
		};
		result.then(finish, finish);
	} else {
		done((performance.now() - started) / 1000);
	}
	return result;
}
