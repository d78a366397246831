import { redactSecrets } from '@ovenjs/types';
import type { RequestContext } from './DiscordAPIError.js';
import { RestError } from './RestError.js';

/** A request attempt got no complete answer within `timeout` milliseconds (after all retries). */
export class RequestTimeoutError extends RestError<'REST_TIMEOUT'> implements RequestContext {
	public readonly method: string;
	public readonly route: string;
	/** The per-attempt timeout that elapsed, in milliseconds. */
	public readonly timeout: number;

	public constructor(timeout: number, context: RequestContext, cause?: unknown) {
		super(
			'REST_TIMEOUT',
			RestError.messageOf('REST_TIMEOUT', [context.method, context.route, timeout]),
			cause === undefined ? {} : { cause },
		);
		this.method = context.method;
		this.route = redactSecrets(context.route);
		this.timeout = timeout;
	}
}
