import { redactSecrets } from '@ovenjs/types';
import type { RequestContext } from './DiscordAPIError.js';
import { RestError } from './RestError.js';

/** Why a request that may have been applied ended: no answer, a timeout, or a status that does not say. */
export type MaybeAppliedReason = 'network' | 'timeout' | 'status';

/** What {@link MaybeAppliedError} knows about the failed attempt. */
export interface MaybeAppliedErrorData extends RequestContext {
	/** What ended the last attempt. */
	readonly reason: MaybeAppliedReason;
	/** The HTTP status of the last attempt (`reason: 'status'`), otherwise `undefined`. */
	readonly status: number | undefined;
	/** Attempts sent. */
	readonly attempts: number;
	/** A short description of the failure (an error code, `HTTP 500`, `timed out after 15000 ms`). */
	readonly detail: string;
}

/**
 * A request that is not idempotent (POST, PATCH, DELETE without an idempotency key) failed in a way that does
 * not say whether Discord applied it — a connection reset or timeout after it was sent, or a 500/504 — so the
 * client did not retry it. `cause` holds the underlying error (a network error, a `RequestTimeoutError`, an
 * `HTTPError` or `DiscordAPIError`).
 */
export class MaybeAppliedError extends RestError<'REST_MAYBE_APPLIED'> implements MaybeAppliedErrorData {
	public readonly method: string;
	public readonly route: string;
	public readonly reason: MaybeAppliedReason;
	public readonly status: number | undefined;
	public readonly attempts: number;
	public readonly detail: string;

	public constructor(data: MaybeAppliedErrorData, cause?: unknown) {
		super(
			'REST_MAYBE_APPLIED',
			RestError.messageOf('REST_MAYBE_APPLIED', [data]),
			cause === undefined ? {} : { cause },
		);
		this.method = data.method;
		this.route = redactSecrets(data.route);
		this.reason = data.reason;
		this.status = data.status;
		this.attempts = data.attempts;
		this.detail = redactSecrets(data.detail);
	}
}
