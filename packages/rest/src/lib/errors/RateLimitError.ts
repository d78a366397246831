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
	/**
	 * Why the client gave up instead of waiting: `rejectOnRateLimit` matched, the wait exceeded
	 * `maxRateLimitWait`, or the request received more than `rateLimitRetries` 429s.
	 * @defaultValue `'rejectOnRateLimit'`
	 */
	readonly rejection?: RateLimitRejection;
}

/** See {@link RateLimitErrorData.rejection}. */
export type RateLimitRejection = 'rejectOnRateLimit' | 'maxRateLimitWait' | 'retries';

/**
 * A request was rate limited and the client did not wait for it: `rejectOnRateLimit` matched the route, Discord
 * asked for a wait longer than `maxRateLimitWait`, or it kept receiving 429s beyond `rateLimitRetries`
 * ({@link RateLimitError.rejection} says which).
 */
export class RateLimitError extends RestError<'REST_RATE_LIMITED'> implements RateLimitErrorData {
	public readonly method: string;
	public readonly route: string;
	public readonly retryAfter: number;
	public readonly global: boolean;
	public readonly scope: string | undefined;
	public readonly routeKey: string;
	public readonly rejection: RateLimitRejection;

	public constructor(data: RateLimitErrorData) {
		const rejection = data.rejection ?? 'rejectOnRateLimit';
		super('REST_RATE_LIMITED', RestError.messageOf('REST_RATE_LIMITED', [data, rejection]));
		this.rejection = rejection;
		this.method = data.method;
		this.route = redactSecrets(data.route);
		this.retryAfter = data.retryAfter;
		this.global = data.global;
		this.scope = data.scope;
		this.routeKey = redactSecrets(data.routeKey);
	}
}
