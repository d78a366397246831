import { redactSecrets } from '@ovenjs/types';
import type { RequestContext } from './DiscordAPIError.js';
import { RestError } from './RestError.js';

/** Discord (or a proxy in front of it) answered with a non-2xx status and no Discord JSON error, e.g. a 502. */
export class HTTPError extends RestError<'REST_HTTP_ERROR'> implements RequestContext {
	/** The HTTP status. */
	public readonly status: number;
	/** The HTTP method. */
	public readonly method: string;
	/** The route, without the query string. */
	public readonly route: string;

	public constructor(status: number, statusText: string, context: RequestContext) {
		super(
			'REST_HTTP_ERROR',
			RestError.messageOf('REST_HTTP_ERROR', [context.method, context.route, status, statusText]),
		);
		this.status = status;
		this.method = context.method;
		this.route = redactSecrets(context.route);
	}
}
