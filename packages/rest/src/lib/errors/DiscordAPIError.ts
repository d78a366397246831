import { redactSecrets, isRecord } from '@ovenjs/types';
import { clean, flattenFieldErrors, redactJson, type DiscordFieldError } from './errorBody.js';
import { RestError } from './RestError.js';

/** Where a failed request went; carried by every request-scoped error. */
export interface RequestContext {
	/** The HTTP method, upper case. */
	readonly method: string;
	/** The route as requested, without the query string (e.g. `/channels/123/messages`). */
	readonly route: string;
}

/**
 * Discord answered with a JSON error (`{ code, message, errors? }`), e.g. `50013 Missing Permissions`.
 * The message lists the flattened field errors so a bad body says which field to fix. Every string taken from
 * the body (message, field errors, `rawError`) has registered secrets removed and is bounded by
 * `ErrorBodyLimits`.
 */
export class DiscordAPIError extends RestError<'REST_DISCORD_API_ERROR'> implements RequestContext {
	/** Discord's numeric JSON error code (e.g. `50035` for an invalid form body, `10008` for an unknown message). */
	public readonly discordCode: number;
	/** The HTTP status. */
	public readonly status: number;
	/** The HTTP method. */
	public readonly method: string;
	/** The route, without the query string. */
	public readonly route: string;
	/** Every field error Discord reported, flattened (bounded, redacted). */
	public readonly fieldErrors: readonly DiscordFieldError[];
	/** Discord's raw error body (a redacted, bounded copy). */
	public readonly rawError: unknown;

	public constructor(rawError: unknown, status: number, context: RequestContext) {
		const body = isRecord(rawError) ? rawError : {};
		const discordCode = typeof body.code === 'number' && Number.isFinite(body.code) ? body.code : 0;
		const text = typeof body.message === 'string' ? clean(body.message) : `HTTP ${status}`;
		const fieldErrors = flattenFieldErrors(body.errors);
		super(
			'REST_DISCORD_API_ERROR',
			RestError.messageOf('REST_DISCORD_API_ERROR', [
				context.method,
				context.route,
				status,
				discordCode,
				text,
				fieldErrors,
			]),
		);
		this.discordCode = discordCode;
		this.status = status;
		this.method = context.method;
		this.route = redactSecrets(context.route);
		this.fieldErrors = fieldErrors;
		this.rawError = redactJson(rawError);
	}
}
