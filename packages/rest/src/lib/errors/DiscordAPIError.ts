import { redactSecrets } from '@ovenjs/types';
import { RestError } from './RestError.js';

/** Where a failed request went; carried by every request-scoped error. */
export interface RequestContext {
	/** The HTTP method, upper case. */
	readonly method: string;
	/** The route as requested, without the query string (e.g. `/channels/123/messages`). */
	readonly route: string;
}

/** One field error Discord reported for a request body (`errors` in Discord's JSON error). */
export interface DiscordFieldError {
	/** Dotted path of the field, e.g. `embeds[0].title`. */
	readonly path: string;
	/** Discord's error code for the field, e.g. `BASE_TYPE_REQUIRED`. */
	readonly code: string;
	/** Discord's human-readable explanation. */
	readonly message: string;
}

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of a JSON value with every registered secret removed from its strings. */
function redactDeep(value: unknown): unknown {
	if (value === undefined) return undefined;
	try {
		const copy: unknown = JSON.parse(redactSecrets(JSON.stringify(value)));
		return copy;
	} catch {
		return undefined;
	}
}

/**
 * Flattens Discord's nested `errors` object (`{ embeds: { 0: { title: { _errors: [...] } } } }`) into a list
 * of field errors with dotted paths.
 */
export function flattenFieldErrors(errors: unknown, prefix = ''): DiscordFieldError[] {
	const out: DiscordFieldError[] = [];
	if (!isRecord(errors)) return out;
	for (const [key, value] of Object.entries(errors)) {
		if (key === '_errors' && isList(value)) {
			for (const item of value) {
				if (isRecord(item)) {
					out.push({
						path: prefix === '' ? '(body)' : prefix,
						code: typeof item.code === 'string' ? item.code : 'UNKNOWN',
						message: typeof item.message === 'string' ? redactSecrets(item.message) : '',
					});
				}
			}
			continue;
		}
		const path = prefix === '' ? key : /^\d+$/.test(key) ? `${prefix}[${key}]` : `${prefix}.${key}`;
		if (isRecord(value) && typeof value.code === 'string' && typeof value.message === 'string' && !('_errors' in value)) {
			out.push({ path, code: value.code, message: value.message });
		} else {
			out.push(...flattenFieldErrors(value, path));
		}
	}
	return out;
}

/**
 * Discord answered with a JSON error (`{ code, message, errors? }`), e.g. `50013 Missing Permissions`.
 * The message lists every flattened field error so a bad body says which field to fix.
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
	/** Every field error Discord reported, flattened. */
	public readonly fieldErrors: readonly DiscordFieldError[];
	/** Discord's raw error body. */
	public readonly rawError: unknown;

	public constructor(rawError: unknown, status: number, context: RequestContext) {
		const body = isRecord(rawError) ? rawError : {};
		const discordCode = typeof body.code === 'number' ? body.code : 0;
		const text = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
		const fieldErrors = flattenFieldErrors(body.errors);
		const lines = fieldErrors.map((e) => `\n  ${e.path}[${e.code}]: ${e.message}`).join('');
		super(
			'REST_DISCORD_API_ERROR',
			redactSecrets(`${context.method} ${context.route} failed with ${status} (Discord code ${discordCode}): ${text}${lines}`),
		);
		this.discordCode = discordCode;
		this.status = status;
		this.method = context.method;
		this.route = redactSecrets(context.route);
		this.fieldErrors = fieldErrors;
		this.rawError = redactDeep(rawError);
	}
}
