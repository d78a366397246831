import { z } from 'zod';
import { TypesError } from './errors/TypesError.js';
import { isSnowflake, isSnowflakeOf, type SnowflakeKind, type SnowflakeOf } from './snowflake.js';

/** A zod schema for a snowflake of kind `K`, producing the branded ID. */
export function snowflakeSchema<K extends SnowflakeKind>(kind: K): z.ZodType<SnowflakeOf<K>, string> {
	return z.string().transform((value, ctx): SnowflakeOf<K> => {
		if (isSnowflakeOf(kind, value)) return value;
		ctx.addIssue({ code: 'custom', message: `Expected a ${kind} ID (decimal 64-bit snowflake), got ${JSON.stringify(value)}` });
		return z.NEVER;
	});
}

const nullish = <T extends z.ZodType>(schema: T): z.ZodOptional<z.ZodNullable<T>> => schema.nullable().optional();

export const UserSchema = z.looseObject({
	id: snowflakeSchema('User'),
	username: z.string(),
	discriminator: z.string(),
	global_name: z.string().nullable(),
	avatar: z.string().nullable(),
	bot: z.boolean().optional(),
	system: z.boolean().optional(),
	banner: nullish(z.string()),
	accent_color: nullish(z.number()),
	flags: z.number().optional(),
	public_flags: z.number().optional(),
});

export const RoleSchema = z.looseObject({
	id: snowflakeSchema('Role'),
	name: z.string(),
	color: z.number(),
	hoist: z.boolean(),
	icon: nullish(z.string()),
	unicode_emoji: nullish(z.string()),
	position: z.number(),
	permissions: z.string().regex(/^\d+$/),
	managed: z.boolean(),
	mentionable: z.boolean(),
	flags: z.number().optional(),
});

export const EmojiSchema = z.looseObject({
	id: snowflakeSchema('Emoji').nullable(),
	name: z.string().nullable(),
	roles: z.array(snowflakeSchema('Role')).optional(),
	user: UserSchema.optional(),
	require_colons: z.boolean().optional(),
	managed: z.boolean().optional(),
	animated: z.boolean().optional(),
	available: z.boolean().optional(),
});

export const MemberSchema = z.looseObject({
	user: UserSchema.optional(),
	nick: nullish(z.string()),
	avatar: nullish(z.string()),
	roles: z.array(snowflakeSchema('Role')),
	joined_at: z.string().nullable(),
	premium_since: nullish(z.string()),
	deaf: z.boolean().optional(),
	mute: z.boolean().optional(),
	flags: z.number().optional(),
	pending: z.boolean().optional(),
	communication_disabled_until: nullish(z.string()),
});

export const OverwriteSchema = z.looseObject({
	id: z.string().refine(isSnowflake, 'Expected a role or user ID'),
	type: z.union([z.literal(0), z.literal(1)]),
	allow: z.string().regex(/^\d+$/),
	deny: z.string().regex(/^\d+$/),
});

export const ChannelSchema = z.looseObject({
	id: snowflakeSchema('Channel'),
	type: z.number().int(),
	guild_id: snowflakeSchema('Guild').optional(),
	position: z.number().optional(),
	permission_overwrites: z.array(OverwriteSchema).optional(),
	name: nullish(z.string()),
	topic: nullish(z.string()),
	nsfw: z.boolean().optional(),
	last_message_id: nullish(snowflakeSchema('Message')),
	parent_id: nullish(snowflakeSchema('Channel')),
	owner_id: snowflakeSchema('User').optional(),
	rate_limit_per_user: z.number().optional(),
});

export const AttachmentSchema = z.looseObject({
	id: snowflakeSchema('Attachment'),
	filename: z.string(),
	size: z.number(),
	url: z.string(),
	proxy_url: z.string(),
	content_type: z.string().optional(),
});

export const MessageSchema = z.looseObject({
	id: snowflakeSchema('Message'),
	channel_id: snowflakeSchema('Channel'),
	guild_id: snowflakeSchema('Guild').optional(),
	author: UserSchema,
	member: MemberSchema.partial().optional(),
	content: z.string(),
	timestamp: z.string(),
	edited_timestamp: z.string().nullable(),
	tts: z.boolean(),
	mention_everyone: z.boolean(),
	mentions: z.array(UserSchema),
	mention_roles: z.array(snowflakeSchema('Role')),
	attachments: z.array(AttachmentSchema),
	embeds: z.array(z.looseObject({})),
	pinned: z.boolean(),
	type: z.number().int(),
	webhook_id: snowflakeSchema('Webhook').optional(),
	nonce: z.union([z.string(), z.number()]).optional(),
});

export const GuildSchema = z.looseObject({
	id: snowflakeSchema('Guild'),
	name: z.string(),
	icon: z.string().nullable(),
	owner_id: snowflakeSchema('User'),
	afk_channel_id: z.string().nullable().optional(),
	verification_level: z.number().optional(),
	roles: z.array(RoleSchema),
	emojis: z.array(EmojiSchema),
	features: z.array(z.string()),
	member_count: z.number().optional(),
	large: z.boolean().optional(),
	unavailable: z.boolean().optional(),
	preferred_locale: z.string().optional(),
	channels: z.array(ChannelSchema).optional(),
	threads: z.array(ChannelSchema).optional(),
	members: z.array(MemberSchema).optional(),
});

export const InteractionSchema = z.looseObject({
	id: snowflakeSchema('Interaction'),
	application_id: snowflakeSchema('Application'),
	type: z.number().int(),
	data: z.looseObject({}).optional(),
	guild_id: snowflakeSchema('Guild').optional(),
	channel_id: snowflakeSchema('Channel').optional(),
	member: MemberSchema.optional(),
	user: UserSchema.optional(),
	token: z.string(),
	version: z.literal(1),
	message: MessageSchema.optional(),
	app_permissions: z.string().optional(),
	locale: z.string().optional(),
	guild_locale: z.string().optional(),
});

/** A user with branded IDs, as parsed by {@link parsePayload}. Unknown fields are kept. */
export type User = z.output<typeof UserSchema>;
export type Role = z.output<typeof RoleSchema>;
export type Emoji = z.output<typeof EmojiSchema>;
export type Member = z.output<typeof MemberSchema>;
export type Channel = z.output<typeof ChannelSchema>;
export type Message = z.output<typeof MessageSchema>;
export type Guild = z.output<typeof GuildSchema>;
export type Interaction = z.output<typeof InteractionSchema>;

/** The schemas of the branded models, by model name. */
export const ModelSchemas = {
	User: UserSchema,
	Role: RoleSchema,
	Emoji: EmojiSchema,
	Member: MemberSchema,
	Channel: ChannelSchema,
	Message: MessageSchema,
	Guild: GuildSchema,
	Interaction: InteractionSchema,
} as const;

/** The name of a model with a schema. */
export type ModelName = keyof typeof ModelSchemas;
/** The branded model type named `N`. */
export type Model<N extends ModelName> = z.output<(typeof ModelSchemas)[N]>;

/**
 * Payload validation: `'full'` parses every payload with its zod schema (default in development and tests);
 * `'off'` trusts payloads as they come (default when `NODE_ENV` is `production`, for the hot path).
 */
export type ValidationMode = 'full' | 'off';

let validationMode: ValidationMode = process.env.NODE_ENV === 'production' ? 'off' : 'full';

/** Switches payload validation for the whole process. */
export function setValidationMode(mode: ValidationMode): void {
	validationMode = mode;
}

/** The current payload validation mode. */
export function getValidationMode(): ValidationMode {
	return validationMode;
}

/**
 * Parses a raw gateway or REST payload into the branded model `name`.
 *
 * With validation `'full'` the payload is checked and a {@link TypesError} `TYPES_VALIDATION_FAILED` lists
 * every wrong field. With `'off'` the payload is returned as is after a shallow object check: that is the
 * documented unchecked fast path for payloads Discord produced.
 */
export function parsePayload<N extends ModelName>(name: N, raw: unknown, mode: ValidationMode = validationMode): Model<N> {
	if (mode === 'off') {
		if (typeof raw === 'object' && raw !== null && trustedModel(name, raw)) return raw;
		throw new TypesError('TYPES_VALIDATION_FAILED', `A ${name} payload must be an object, got ${raw === null ? 'null' : typeof raw}.`);
	}
	const result = ModelSchemas[name].safeParse(raw);
	if (result.success && isModel(name, result.data)) return result.data;
	const issues = result.success ? [] : result.error.issues;
	const detail = issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
	throw new TypesError('TYPES_VALIDATION_FAILED', `Invalid ${name} payload: ${detail}${issues.length > 10 ? ` (+${issues.length - 10} more)` : ''}.`);
}

/** The schema produced it: the generic link between a schema's output and `Model<N>` that TS cannot see. */
function isModel<N extends ModelName>(_name: N, _value: unknown): _value is Model<N> {
	return true;
}

/** The unchecked fast path ('off' mode): documented above, used nowhere else. */
function trustedModel<N extends ModelName>(_name: N, _value: object): _value is Model<N> {
	return true;
}
