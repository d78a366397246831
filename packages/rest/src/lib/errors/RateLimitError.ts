import { redactSecrets } from '@ovenjs/types';
import type { RequestContext } from './DiscordAPIError.js';
import { RestError } from './RestError.js';

/** What the limiter knew when it refused to wait (see `rejectOnRateLimit`). */
export interface RateLimitErrorData extends RequestContext {
	/** Milliseconds until the request could have been sent. */
	readonly retryAfter: number;
	/** Whether the global limit (not the route's bucket) is what blocked. */
	readonly global: boolean;
	/** Discord's limit scope when a 429 caused this (`user`, `global` or `shared`), or `undefined`. */
	readonly scope: string | undefined;
	/** The route key the limiter used (method + route template), e.g. `POST /channels/:id/messages`. */
	readonly routeKey: string;
}

/**
 * A request was rate limited and the client was told not to wait for it (`rejectOnRateLimit` matched the
 * route), or it kept receiving 429s beyond the retry bound.
 */
export class RateLimitError extends RestError<'REST_RATE_LIMITED'> implements RateLimitErrorData {
	public readonly method: string;
	public readonly route: string;
	public readonly retryAfter: number;
	public readonly global: boolean;
	public readonly scope: string | undefined;
	public readonly routeKey: string;

	public constructor(data: RateLimitErrorData) {
		super(
			'REST_RATE_LIMITED',
			redactSecrets(
				`${data.method} ${data.route} is rate limited${data.global ? ' (global limit)' : ''} for ${Math.ceil(data.retryAfter)} ms; ` +
					'wait and retry, or remove the route from rejectOnRateLimit to let the client queue it',
			),
		);
		this.method = data.method;
		this.route = redactSecrets(data.route);
		this.retryAfter = data.retryAfter;
		this.global = data.global;
		this.scope = data.scope;
		this.routeKey = redactSecrets(data.routeKey);
	}
}
