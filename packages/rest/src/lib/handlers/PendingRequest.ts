import type { FormData } from 'undici';
import type { RequestOptions, RestResponse } from '../RESTOptions.js';
import type { MaybeAppliedReason } from '../errors/MaybeAppliedError.js';
import type { RequestMethod } from '../utils/constants.js';
import type { Idempotency } from '../utils/nonce.js';
import type { RouteInfo } from '../utils/routes.js';

/** Lifecycle of a {@link PendingRequest}. */
export const RequestState = {
	/** In a bucket queue, waiting for the limiter. */
	Queued: 0,
	/** Waiting on a timer (backoff or a 429's Retry-After) before it is queued again. */
	Waiting: 1,
	/** Sent; undici owns it until it answers or fails. */
	InFlight: 2,
	/** Resolved or rejected. */
	Settled: 3,
} as const;

/** One of {@link RequestState}'s values. */
export type RequestStateValue = (typeof RequestState)[keyof typeof RequestState];

/** The first attempt that may have been applied without the client knowing (see {@link PendingRequest.maybeApplied}). */
export interface MaybeAppliedAttempt {
	/** When it ended (ms since 1970). */
	readonly at: number;
	readonly reason: MaybeAppliedReason;
	readonly status: number | undefined;
	readonly detail: string;
	readonly cause: unknown;
}

function noop(): void {
	// replaced in the constructor
}

/**
 * The internal unit the queues and the manager move around; settles exactly once. Its bookkeeping fields are
 * plain public fields on purpose: the bucket queue and the manager both write them on every attempt (the REST
 * hot path), and the class never leaves the package (it is in no entry point).
 */
export class PendingRequest {
	public readonly promise: Promise<RestResponse>;
	public state: RequestStateValue = RequestState.Queued;
	/** Attempts sent so far. */
	public attempts = 0;
	/** 429s received so far. */
	public rateLimitHits = 0;
	/** The backoff / Retry-After timer while {@link RequestState.Waiting}. */
	public timer: NodeJS.Timeout | undefined = undefined;
	/** The store's lease for the current grant (passed back on completion). */
	public lease = '';
	/** Set while the request is in a queue so an abort can take it out. */
	public onAbort: (() => void) | undefined = undefined;
	/**
	 * Called once, when the first attempt is handed to the socket pool or the request settles, whichever comes
	 * first (GET coalescing stops taking joiners then).
	 */
	public onSent: (() => void) | undefined = undefined;
	/** Aborts the attempt in flight (the per-attempt timeout, a user abort, `destroy()`). */
	public controller: AbortController | undefined = undefined;
	/** Whether the attempt in flight was ended by the per-attempt timeout. */
	public timedOut = false;
	/** The first attempt that ended without saying whether Discord applied it, if any. */
	public maybeApplied: MaybeAppliedAttempt | undefined = undefined;
	/** The JSON text of a successful answer (coalesced GETs parse their own copy from it). */
	public rawText: string | undefined = undefined;
	#resolve: (response: RestResponse) => void = noop;
	#reject: (error: unknown) => void = noop;

	public constructor(
		public readonly method: RequestMethod,
		/** The route as requested (no base, no query). */
		public readonly route: string,
		/** The full request path: base + version + route + query. */
		public readonly path: string,
		public readonly info: RouteInfo,
		public readonly headers: Record<string, string>,
		public readonly body: string | FormData | undefined,
		public readonly priority: number,
		public readonly signal: AbortSignal | undefined,
		/** Whether (and why) a retry after an ambiguous failure cannot apply the request twice. */
		public readonly idempotency: Idempotency,
		/** The options object the request was made with (what `rest:beforeRequest` returned), for event correlation. */
		public readonly origin: RequestOptions,
	) {
		this.promise = new Promise<RestResponse>((resolve, reject) => {
			this.#resolve = resolve;
			this.#reject = reject;
		});
	}

	/** Whether the request already settled (a method, so checks after an `await` are not narrowed away). */
	public isSettled(): boolean {
		return this.state === RequestState.Settled;
	}

	/** Marks an attempt as handed to the socket pool (or the request as settled); the first call runs {@link PendingRequest.onSent}. */
	public markSent(): void {
		const onSent = this.onSent;
		this.onSent = undefined;
		onSent?.();
	}

	/** Resolves the request (no-op when already settled). */
	public succeed(response: RestResponse): void {
		if (this.#finish()) this.#resolve(response);
	}

	/** Rejects the request (no-op when already settled). */
	public fail(error: unknown): void {
		if (this.#finish()) this.#reject(error);
	}

	#finish(): boolean {
		if (this.state === RequestState.Settled) return false;
		this.state = RequestState.Settled;
		if (this.timer !== undefined) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
		this.onAbort = undefined;
		this.markSent();
		return true;
	}
}
