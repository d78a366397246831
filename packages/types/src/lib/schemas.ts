import { z } from 'zod';
import { TypesError } from './errors/TypesError.js';
import { isSnowflake, isSnowflakeOf, type SnowflakeKind, type SnowflakeOf } from './snowflake.js';

/** A zod schema for a snowflake of kind `K`, producing the branded ID. */
export function snowflakeSchema<K extends SnowflakeKind>(kind: K): z.ZodType<SnowflakeOf<K>, string> {
	return z.string().transform((value, ctx): SnowflakeOf<K> => {
		if (isSnowflakeOf(kind, value)) return value;
		ctx.addIssue({
			code: 'custom',
			message: `Expected a ${kind} ID (decimal 64-bit snowflake), got ${JSON.stringify(value)}`,
		});
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
 * Payload validation, for the whole process ({@link setValidationMode}) or per call ({@link parsePayload}):
 *
 * - `'sampled'` (the default, whatever `NODE_ENV` says): the first {@link ValidationSampling.first} payloads of
 *   each kind and then one in {@link ValidationSampling.every} are parsed with their zod schema; the others get
 *   the shape check of `'off'`. Schema drift is caught (and reported) early at almost no cost on the hot path.
 * - `'full'`: every payload is parsed with its zod schema. For tests and debugging.
 * - `'off'`: only the shape check: the payload is an object and the fields every consumer keys on (IDs, a
 *   message's author ID and content, a channel's type ...) have the right type. Nothing is sampled.
 *
 * A payload that fails the check it gets is rejected the same way in every mode.
 */
export type ValidationMode = 'full' | 'sampled' | 'off';

/** How `'sampled'` validation picks payloads: every one of the first `first` of a kind, then one in `every`. */
export interface ValidationSampling {
	/** Payloads of each kind validated in full before sampling starts. */
	readonly first: number;
	/** After the first ones, one payload in `every` is validated in full (`1` validates all). */
	readonly every: number;
}

/** The sampling of `'sampled'` validation: the first 100 payloads of a kind, then one in 1,000. */
export const DefaultValidationSampling = { first: 100, every: 1000 } as const satisfies ValidationSampling;

/**
 * Counts payloads per kind (a model name, a gateway event name) and says which ones `'sampled'` validation parses
 * in full. One `Map` lookup and an increment per call; allocation free once a kind was seen.
 */
export class ValidationSampler {
	readonly #seen = new Map<string, { count: number }>();
	readonly #first: number;
	readonly #every: number;

	/** `sampling` is taken as is (callers validate user input): `first` >= 0, `every` >= 1, integers. */
	public constructor(sampling: ValidationSampling = DefaultValidationSampling) {
		this.#first = sampling.first;
		this.#every = sampling.every;
	}

	/**
	 * Whether the next payload of `kind` is validated in full. `first` lowers the number of first payloads taken
	 * for this kind (never raises it: `sampling.first` is the most any kind gets).
	 */
	public take(kind: string, first?: number): boolean {
		let counter = this.#seen.get(kind);
		if (counter === undefined) {
			counter = { count: 0 };
			this.#seen.set(kind, counter);
		}
		const index = counter.count++;
		const taken = first === undefined ? this.#first : Math.min(first, this.#first);
		return index < taken || (index - taken) % this.#every === this.#every - 1;
	}
}

let validationMode: ValidationMode = 'sampled';
const processSampler = new ValidationSampler();

/** Switches payload validation for the whole process (see {@link ValidationMode}; the default is `'sampled'`). */
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
 * A payload that gets the zod schema (`'full'`, and the sampled ones of `'sampled'`) is checked field by field;
 * the others get the shape check of {@link hasModelShape}, and are returned as is: that is the documented unchecked
 * fast path for payloads Discord produced. Either way a bad payload throws a {@link TypesError}
 * `TYPES_VALIDATION_FAILED` (from the schema: listing every wrong field).
 */
export function parsePayload<N extends ModelName>(
	name: N,
	raw: unknown,
	mode: ValidationMode = validationMode,
): Model<N> {
	if (mode === 'off' || (mode === 'sampled' && !processSampler.take(name))) {
		if (hasModelShape(name, raw)) return raw;
		throw TypesError.of('TYPES_VALIDATION_FAILED', [
			name,
			`it must be an object with ${MODEL_SHAPES[name].describe}, got ${describeValue(raw)}`,
		]);
	}
	const result = ModelSchemas[name].safeParse(raw);
	if (result.success && isModel(name, result.data)) return result.data;
	throw TypesError.of('TYPES_VALIDATION_FAILED', [name, describeIssues(result.success ? [] : result.error.issues)]);
}

/** Zod issues as `path: message; ...` (the first ten, then a count), the text of `TYPES_VALIDATION_FAILED`. */
export function describeIssues(
	issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): string {
	const detail = issues
		.slice(0, 10)
		.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
		.join('; ');
	return `${detail}${issues.length > 10 ? ` (+${issues.length - 10} more)` : ''}`;
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object without them' : typeof value;
}

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isId = isSnowflake;
const optionalId = (value: unknown): boolean => value === undefined || isSnowflake(value);
const hasUserId = (value: unknown): boolean => isFields(value) && isSnowflake(value.id);

/**
 * The shape check of the unchecked path, per model: the fields consumers use as keys or dispatch on. A few
 * `typeof` tests and snowflake format checks, no allocation.
 */
const MODEL_SHAPES: Readonly<
	Record<ModelName, { readonly check: (value: Fields) => boolean; readonly describe: string }>
> = {
	User: { check: (v) => isId(v.id) && typeof v.username === 'string', describe: 'a User ID and a username' },
	Role: { check: (v) => isId(v.id) && typeof v.permissions === 'string', describe: 'a Role ID and permissions' },
	Emoji: { check: (v) => v.id === null || isId(v.id), describe: 'an Emoji ID or null' },
	Member: {
		check: (v) => Array.isArray(v.roles) && (v.user === undefined || hasUserId(v.user)),
		describe: 'roles (and a user with an ID)',
	},
	Channel: {
		check: (v) => isId(v.id) && typeof v.type === 'number' && optionalId(v.guild_id),
		describe: 'a Channel ID and a type',
	},
	Message: {
		check: (v) =>
			isId(v.id) &&
			isId(v.channel_id) &&
			optionalId(v.guild_id) &&
			hasUserId(v.author) &&
			typeof v.content === 'string',
		describe: 'Message and Channel IDs, an author with an ID and a content string',
	},
	Guild: {
		check: (v) => isId(v.id) && Array.isArray(v.roles) && Array.isArray(v.emojis),
		describe: 'a Guild ID, roles and emojis',
	},
	Interaction: {
		check: (v) => isId(v.id) && typeof v.token === 'string' && typeof v.type === 'number',
		describe: 'an Interaction ID, a token and a type',
	},
};

/**
 * The shape check of the unchecked path (`'off'`, and unsampled payloads of `'sampled'`): an object whose key
 * fields have the right type. Other fields are trusted to be what the model says: that is the documented unchecked
 * fast path for payloads Discord produced, used by {@link parsePayload} only.
 */
export function hasModelShape<N extends ModelName>(name: N, value: unknown): value is Model<N> {
	return isFields(value) && MODEL_SHAPES[name].check(value);
}

/**
 * Types `raw` as model `name` without checking it again: only for a payload its caller has already checked with
 * {@link parsePayload} or the same {@link hasModelShape} (as `@ovenjs/core`'s client does for every dispatch before
 * its cache sees it), so a hot path does not check one payload twice.
 */
export function uncheckedModel<N extends ModelName>(name: N, raw: Record<string, unknown>): Model<N> {
	return isModel(name, raw) ? raw : parsePayload(name, raw, 'off');
}

/** The schema produced it: the generic link between a schema's output and `Model<N>` that TS cannot see. */
function isModel<N extends ModelName>(_name: N, _value: unknown): _value is Model<N> {
	return true;
}
