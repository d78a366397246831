import {
	ChannelSchema,
	EmojiSchema,
	GuildSchema,
	InteractionSchema,
	MessageSchema,
	RoleSchema,
	TypesError,
	ValidationSampler,
	describeIssues,
	hasModelShape,
	isSnowflake,
	snowflakeSchema,
	type ValidationMode,
	type ValidationSampling,
} from '@ovenjs/types';
import { z } from 'zod';
import type { DispatchEnvelope } from '../bus/points.js';
import { isInteractionShape } from './guards.js';
import {
	GuildIdentitySchema,
	GuildMemberEventSchema,
	GuildMemberRemoveSchema,
	MessageDeleteSchema,
	MessageUpdateSchema,
	ReadySchema,
} from './schemas.js';

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalId = (value: unknown): boolean => value === undefined || isSnowflake(value);
const hasId = (value: unknown): boolean => isFields(value) && isSnowflake(value.id);

/** What the client checks of one dispatch type: the full schema, and the shape check of the unchecked path. */
interface DispatchRule {
	/** The zod schema of `'full'` validation (and of the sampled dispatches of `'sampled'`). */
	readonly schema: z.ZodType;
	/**
	 * The unchecked path: the few fields the client and the entity cache read (IDs used as cache keys, the message
	 * author's ID, the content's type ...), checked by hand with `typeof` and snowflake format tests.
	 */
	readonly shape: (d: Fields) => boolean;
	/**
	 * At most this many of the first dispatches of the kind are parsed in full under `'sampled'` (then one in
	 * `every`, as for any kind): for payloads as large as a whole guild, where the default 100 would parse every
	 * member of a 100-guild start-up with zod.
	 */
	readonly first?: number;
	/** The fields {@link DispatchRule.shape} checks, for the report. */
	readonly fields: string;
}

const channel: DispatchRule = {
	schema: ChannelSchema,
	shape: (d) => hasModelShape('Channel', d),
	fields: 'a Channel ID and a type',
};
const guildRoleSchema = z.looseObject({ guild_id: snowflakeSchema('Guild'), role: RoleSchema });
const guildRole: DispatchRule = {
	schema: guildRoleSchema,
	shape: (d) => isSnowflake(d.guild_id) && hasModelShape('Role', d.role),
	fields: 'a Guild ID and a role',
};
const guildMember: DispatchRule = {
	schema: GuildMemberEventSchema,
	shape: (d) => isSnowflake(d.guild_id) && hasId(d.user),
	fields: 'a Guild ID and a user with an ID',
};

/**
 * The dispatches the client or its entity cache read, by event name. Others are passed on unchecked: nothing in
 * the client reads them (a `raw` listener gets `unknown` and validates what it uses).
 */
const RULE_TABLE: Readonly<Record<string, DispatchRule>> = {
	READY: {
		schema: ReadySchema,
		shape: (d) =>
			hasId(d.user) && hasId(d.application) && typeof d.session_id === 'string' && Array.isArray(d.guilds),
		fields: 'the user and application IDs, a session ID and guilds',
	},
	MESSAGE_CREATE: {
		schema: MessageSchema,
		shape: (d) => hasModelShape('Message', d),
		fields: 'Message and Channel IDs, an author with an ID and a content string',
	},
	MESSAGE_UPDATE: {
		schema: MessageUpdateSchema,
		shape: (d) =>
			isSnowflake(d.id) &&
			isSnowflake(d.channel_id) &&
			optionalId(d.guild_id) &&
			(d.author === undefined || hasId(d.author)) &&
			(d.content === undefined || typeof d.content === 'string'),
		fields: 'Message and Channel IDs',
	},
	MESSAGE_DELETE: {
		schema: MessageDeleteSchema,
		shape: (d) => isSnowflake(d.id) && isSnowflake(d.channel_id) && optionalId(d.guild_id),
		fields: 'Message and Channel IDs',
	},
	GUILD_CREATE: {
		schema: GuildSchema,
		shape: (d) => hasModelShape('Guild', d),
		first: 1,
		fields: 'a Guild ID, roles and emojis',
	},
	GUILD_UPDATE: {
		schema: GuildSchema,
		shape: (d) => hasModelShape('Guild', d),
		fields: 'a Guild ID, roles and emojis',
	},
	GUILD_DELETE: {
		schema: GuildIdentitySchema,
		shape: (d) => isSnowflake(d.id) && (d.unavailable === undefined || typeof d.unavailable === 'boolean'),
		fields: 'a Guild ID',
	},
	CHANNEL_CREATE: channel,
	CHANNEL_UPDATE: channel,
	CHANNEL_DELETE: channel,
	THREAD_CREATE: channel,
	THREAD_UPDATE: channel,
	THREAD_DELETE: channel,
	THREAD_LIST_SYNC: {
		schema: z.looseObject({ guild_id: snowflakeSchema('Guild'), threads: z.array(ChannelSchema) }),
		shape: (d) => isSnowflake(d.guild_id) && Array.isArray(d.threads),
		fields: 'a Guild ID and threads',
	},
	GUILD_ROLE_CREATE: guildRole,
	GUILD_ROLE_UPDATE: guildRole,
	GUILD_EMOJIS_UPDATE: {
		schema: z.looseObject({ guild_id: snowflakeSchema('Guild'), emojis: z.array(EmojiSchema) }),
		shape: (d) => isSnowflake(d.guild_id) && Array.isArray(d.emojis),
		fields: 'a Guild ID and emojis',
	},
	GUILD_MEMBER_ADD: guildMember,
	GUILD_MEMBER_UPDATE: guildMember,
	GUILD_MEMBER_REMOVE: {
		schema: GuildMemberRemoveSchema,
		shape: (d) => isSnowflake(d.guild_id) && hasId(d.user),
		fields: 'a Guild ID and a user with an ID',
	},
	INTERACTION_CREATE: {
		schema: InteractionSchema,
		shape: isInteractionShape,
		fields: 'an Interaction ID, a token, a known type and data',
	},
};

/** {@link RULE_TABLE} as a map: one hash lookup per dispatch (gateway names are fresh strings, never interned). */
const RULES: ReadonlyMap<string, DispatchRule> = new Map(Object.entries(RULE_TABLE));

/** The outcome of {@link DispatchValidator.check}: `undefined` when the dispatch may be used, else why not. */
export type DispatchRejection = TypesError | undefined;

/**
 * The client's validation of incoming dispatches, once per dispatch and before the entity cache and the
 * listeners see it (both then trust it; see {@link checked}).
 *
 * - `'sampled'` (the default): per event type, the first {@link ValidationSampling.first} dispatches (fewer for a
 *   rule's own `first`: `GUILD_CREATE`, 1) and then one in {@link ValidationSampling.every} are parsed with the
 *   zod schema; every other one gets the hand-written
 *   shape check of the fields the client and cache read. The hot path costs a `Map` lookup, a counter and a few
 *   `typeof` tests.
 * - `'full'`: every dispatch is parsed with its schema.
 * - `'off'`: the shape check only.
 *
 * A dispatch that fails the check it gets is rejected (and reported by the client): it never reaches the cache or
 * a listener, and never throws into the gateway.
 */
export class DispatchValidator {
	readonly #mode: ValidationMode;
	readonly #sampler: ValidationSampler;

	public constructor(mode: ValidationMode, sampling: ValidationSampling) {
		this.#mode = mode;
		this.#sampler = new ValidationSampler(sampling);
	}

	/** The mode in use. */
	public get mode(): ValidationMode {
		return this.#mode;
	}

	/** Checks one dispatch; returns `undefined` when it may be used, or the error describing why not. */
	public check(event: DispatchEnvelope): DispatchRejection {
		const rule = RULES.get(event.t);
		if (rule === undefined) return undefined;
		const mode = this.#mode;
		const d = event.d;
		if (mode === 'full' || (mode === 'sampled' && this.#sampler.take(event.t, rule.first))) {
			const result = rule.schema.safeParse(d);
			return result.success
				? undefined
				: TypesError.of('TYPES_VALIDATION_FAILED', [event.t, describeIssues(result.error.issues)]);
		}
		if (isFields(d) && rule.shape(d)) return undefined;
		return TypesError.of('TYPES_VALIDATION_FAILED', [event.t, `it must be an object with ${rule.fields}`]);
	}
}

/**
 * The typed view of a dispatch payload that {@link DispatchValidator.check} accepted: fully parsed by `schema`, or
 * (unchecked path) with the fields the client reads checked by hand and the others trusted to be what Discord
 * documents. Call it only on accepted dispatches: it checks nothing itself.
 */
export function checked<S extends z.ZodType>(_schema: S, _value: unknown): _value is z.output<S> {
	return true;
}
