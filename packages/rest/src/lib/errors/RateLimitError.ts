import { redactSecrets } from '@ovenjs/types';
import type { RequestContext } from './DiscordAPIError.js';
import { MAX_TIMER_MS } from '../utils/timers.js';
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

/** Waits from here on are shown as "more than 24 days" (see {@link MAX_TIMER_MS}). */
const LONGEST_EXACT_MS = Math.min(MAX_TIMER_MS, 24 * 86_400_000);

function seconds(ms: number): string {
	// Waits are clamped to what a timer can honour (2³¹ − 1 ms, 24.8 days): near that, Discord may have asked far
	// more (`X-RateLimit-Reset-After: 1e9`), so the exact figure would be wrong.
	if (ms >= LONGEST_EXACT_MS) return 'more than 24 days';
	return ms >= 10_000 ? `${Math.ceil(ms / 1_000)} s` : `${Math.ceil(ms)} ms`;
}

/** The message of each {@link RateLimitRejection}. */
function describe(data: RateLimitErrorData, rejection: RateLimitRejection): string {
	const head = `${data.method} ${data.route} is rate limited${data.global ? ' (global limit)' : ''}`;
	if (rejection === 'maxRateLimitWait') {
		return `${head}: Discord asked to wait ${seconds(data.retryAfter)}, longer than maxRateLimitWait allows; retry later or raise maxRateLimitWait`;
	}
	if (rejection === 'retries') {
		return `${head} for ${seconds(data.retryAfter)} and received more 429s than rateLimitRetries allows; retry later or raise rateLimitRetries`;
	}
	return `${head} for ${seconds(data.retryAfter)}; wait and retry, or remove the route from rejectOnRateLimit to let the client queue it`;
}

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
		super('REST_RATE_LIMITED', redactSecrets(describe(data, rejection)));
		this.rejection = rejection;
		this.method = data.method;
		this.route = redactSecrets(data.route);
		this.retryAfter = data.retryAfter;
		this.global = data.global;
		this.scope = data.scope;
		this.routeKey = redactSecrets(data.routeKey);
	}
}
