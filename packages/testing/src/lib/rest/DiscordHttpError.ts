import type { z } from 'zod';

/** Discord's JSON error codes the mock answers with. */
export const JsonErrorCodes = {
	General: 0,
	UnknownChannel: 10003,
	UnknownGuild: 10004,
	UnknownInvite: 10006,
	UnknownMember: 10007,
	UnknownMessage: 10008,
	UnknownRole: 10011,
	UnknownToken: 10012,
	UnknownUser: 10013,
	UnknownEmoji: 10014,
	UnknownWebhook: 10015,
	UnknownBan: 10026,
	UnknownInteraction: 10062,
	UnknownApplicationCommand: 10063,
	Unauthorized: 40001,
	InteractionAlreadyAcknowledged: 40060,
	MissingAccess: 50001,
	CannotSendEmptyMessage: 50006,
	MissingPermissions: 50013,
	InvalidFormBody: 50035,
	BulkDeleteTooOld: 50034,
} as const;

/** One field error leaf, as in Discord's `errors` tree. */
export interface FieldError {
	readonly code: string;
	readonly message: string;
}

/** Discord's nested `errors` object: keys are field names or array indexes, leaves hold `_errors`. */
export interface ErrorTree {
	[key: string]: ErrorTree | FieldError[];
}

/**
 * An HTTP error answered with Discord's body shape `{ message, code, errors? }`. Route handlers throw it; the
 * router turns it into the response.
 */
export class DiscordHttpError extends Error {
	public readonly status: number;
	public readonly code: number;
	public readonly errors: ErrorTree | undefined;

	public constructor(status: number, code: number, message: string, errors?: ErrorTree) {
		super(message);
		this.status = status;
		this.code = code;
		this.errors = errors;
	}

	/** The JSON body Discord sends. */
	public toJSON(): { message: string; code: number; errors?: ErrorTree } {
		return this.errors === undefined
			? { message: this.message, code: this.code }
			: { message: this.message, code: this.code, errors: this.errors };
	}

	/** `404 Unknown <Entity>` with the matching JSON code. */
	public static unknown(entity: keyof typeof UnknownCodes): DiscordHttpError {
		return new DiscordHttpError(404, UnknownCodes[entity], `Unknown ${entity}`);
	}

	/** `400 Invalid Form Body` (50035) with one field error. */
	public static field(path: readonly (string | number)[], code: string, message: string): DiscordHttpError {
		return new DiscordHttpError(
			400,
			JsonErrorCodes.InvalidFormBody,
			'Invalid Form Body',
			treeOf([{ path, code, message }]),
		);
	}

	/** `400 Invalid Form Body` (50035) from a failed zod parse, with Discord-style nested field errors. */
	public static fromZod(error: z.ZodError): DiscordHttpError {
		const leaves = error.issues.map((issue) => ({
			path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
			...discordCodeOf(issue),
		}));
		return new DiscordHttpError(400, JsonErrorCodes.InvalidFormBody, 'Invalid Form Body', treeOf(leaves));
	}
}

const UnknownCodes = {
	Channel: JsonErrorCodes.UnknownChannel,
	Guild: JsonErrorCodes.UnknownGuild,
	Invite: JsonErrorCodes.UnknownInvite,
	Member: JsonErrorCodes.UnknownMember,
	Message: JsonErrorCodes.UnknownMessage,
	Role: JsonErrorCodes.UnknownRole,
	User: JsonErrorCodes.UnknownUser,
	Emoji: JsonErrorCodes.UnknownEmoji,
	Webhook: JsonErrorCodes.UnknownWebhook,
	Ban: JsonErrorCodes.UnknownBan,
	Interaction: JsonErrorCodes.UnknownInteraction,
	'Application Command': JsonErrorCodes.UnknownApplicationCommand,
	Token: JsonErrorCodes.UnknownToken,
} as const;

function discordCodeOf(issue: z.core.$ZodIssue): FieldError {
	switch (issue.code) {
		case 'too_big':
			return issue.origin === 'string'
				? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` }
				: issue.origin === 'array'
					? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${String(issue.maximum)} or fewer in length.` }
					: {
							code: 'NUMBER_TYPE_MAX',
							message: `int value should be less than or equal to ${String(issue.maximum)}.`,
						};
		case 'too_small':
			return issue.origin === 'string' || issue.origin === 'array'
				? { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${String(issue.minimum)} or more in length.` }
				: {
						code: 'NUMBER_TYPE_MIN',
						message: `int value should be greater than or equal to ${String(issue.minimum)}.`,
					};
		case 'invalid_type':
			return issue.message.endsWith('received undefined')
				? { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }
				: { code: 'MODEL_TYPE_CONVERT', message: `Value must be of type ${issue.expected}.` };
		case 'invalid_value':
			return {
				code: 'BASE_TYPE_CHOICES',
				message: `Value must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`,
			};
		case 'unrecognized_keys':
			return { code: 'UNKNOWN_FIELD', message: `Unknown field(s): ${issue.keys.join(', ')}.` };
		default:
			return { code: 'BASE_TYPE_BAD_VALUE', message: issue.message };
	}
}

function treeOf(leaves: readonly { path: readonly (string | number)[]; code: string; message: string }[]): ErrorTree {
	const root: ErrorTree = {};
	for (const leaf of leaves) {
		let node = root;
		for (const key of leaf.path) {
			const next = node[String(key)];
			if (next === undefined || Array.isArray(next)) {
				const child: ErrorTree = {};
				node[String(key)] = child;
				node = child;
			} else {
				node = next;
			}
		}
		const existing = node._errors;
		const entry = { code: leaf.code, message: leaf.message };
		if (Array.isArray(existing)) existing.push(entry);
		else node._errors = [entry];
	}
	return root;
}
