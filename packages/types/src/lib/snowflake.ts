import type { Brand } from './brand.js';
import { TypesError } from './errors/TypesError.js';

/**
 * Every Discord entity kind that is identified by a snowflake. Each gets its own brand, so an ID of one kind
 * cannot be passed where another is expected.
 */
export const SnowflakeKinds = [
	'User',
	'Guild',
	'Channel',
	'Thread',
	'Message',
	'Role',
	'Emoji',
	'Sticker',
	'StickerPack',
	'Application',
	'Webhook',
	'Interaction',
	'Integration',
	'ScheduledEvent',
	'StageInstance',
	'Attachment',
	'AuditLogEntry',
	'Sku',
	'Entitlement',
	'Subscription',
	'Command',
	'CommandPermission',
	'AutoModerationRule',
	'Team',
	'SoundboardSound',
	'Lobby',
	'Poll',
] as const;

/** One of {@link SnowflakeKinds}. */
export type SnowflakeKind = (typeof SnowflakeKinds)[number];

/** Any valid Discord snowflake (a decimal 64-bit unsigned integer, as a string). */
export type Snowflake = Brand<string, 'Snowflake'>;

/** A snowflake that identifies an entity of kind `K`. Assignable to {@link Snowflake} and `string`. */
export type SnowflakeOf<K extends SnowflakeKind> = Snowflake & Brand<string, `${K}Id`>;

export type UserId = SnowflakeOf<'User'>;
export type GuildId = SnowflakeOf<'Guild'>;
export type ChannelId = SnowflakeOf<'Channel'>;
/** Threads are channels: a `ThreadId` is also accepted wherever a {@link ChannelId} is. */
export type ThreadId = ChannelId & SnowflakeOf<'Thread'>;
export type MessageId = SnowflakeOf<'Message'>;
export type RoleId = SnowflakeOf<'Role'>;
export type EmojiId = SnowflakeOf<'Emoji'>;
export type StickerId = SnowflakeOf<'Sticker'>;
export type StickerPackId = SnowflakeOf<'StickerPack'>;
export type ApplicationId = SnowflakeOf<'Application'>;
export type WebhookId = SnowflakeOf<'Webhook'>;
export type InteractionId = SnowflakeOf<'Interaction'>;
export type IntegrationId = SnowflakeOf<'Integration'>;
export type ScheduledEventId = SnowflakeOf<'ScheduledEvent'>;
export type StageInstanceId = SnowflakeOf<'StageInstance'>;
export type AttachmentId = SnowflakeOf<'Attachment'>;
export type AuditLogEntryId = SnowflakeOf<'AuditLogEntry'>;
export type SkuId = SnowflakeOf<'Sku'>;
export type EntitlementId = SnowflakeOf<'Entitlement'>;
export type SubscriptionId = SnowflakeOf<'Subscription'>;
export type CommandId = SnowflakeOf<'Command'>;
export type CommandPermissionId = SnowflakeOf<'CommandPermission'>;
export type AutoModerationRuleId = SnowflakeOf<'AutoModerationRule'>;
export type TeamId = SnowflakeOf<'Team'>;
export type SoundboardSoundId = SnowflakeOf<'SoundboardSound'>;
export type LobbyId = SnowflakeOf<'Lobby'>;

/** The first second of 2015, Discord's epoch, in milliseconds since the Unix epoch. */
export const DISCORD_EPOCH = 1_420_070_400_000n;
const MAX_SNOWFLAKE = 0xffff_ffff_ffff_ffffn;
/** 2^64 - 1 in decimal: a 20-digit snowflake is valid when it sorts at or below it. */
const MAX_DECIMAL = '18446744073709551615';

/**
 * Whether `value` is a decimal 64-bit unsigned integer string: the only form Discord uses for IDs. No leading
 * zeros (`"0"` alone is valid), at most 2^64 - 1. A character loop, no regular expression and no allocation: it
 * runs several times for every dispatch.
 */
export function isSnowflake(value: unknown): value is Snowflake {
	if (typeof value !== 'string') return false;
	const length = value.length;
	if (length === 0 || length > 20) return false;
	if (value.charCodeAt(0) === 48) return length === 1;
	for (let index = 0; index < length; index++) {
		const code = value.charCodeAt(index);
		if (code < 48 || code > 57) return false;
	}
	// Same length, digits only: string order is numeric order.
	return length < 20 || value <= MAX_DECIMAL;
}

function describe(value: unknown): string {
	if (typeof value === 'string')
		return value.length > 32 ? `a ${value.length}-character string` : JSON.stringify(value);
	if (typeof value === 'bigint') return `${value}n`;
	return value === null ? 'null' : typeof value;
}

/**
 * Validates `raw` as a snowflake of kind `kind`. Accepts a decimal string or a non-negative bigint below 2^64.
 * Throws {@link TypesError} with code `TYPES_INVALID_SNOWFLAKE` otherwise.
 *
 * The kind cannot be checked at run time (a snowflake does not encode what it identifies): the brand records
 * the caller's statement, while the format is verified.
 */
export function asSnowflake<K extends SnowflakeKind>(kind: K, raw: unknown): SnowflakeOf<K> {
	const value = typeof raw === 'bigint' && raw >= 0n && raw <= MAX_SNOWFLAKE ? raw.toString() : raw;
	if (isSnowflakeOf(kind, value)) return value;
	throw TypesError.of('TYPES_INVALID_SNOWFLAKE', [kind, describe(raw)]);
}

/** Type guard: `value` is a valid snowflake, which the caller states to be of kind `kind`. */
export function isSnowflakeOf<K extends SnowflakeKind>(_kind: K, value: unknown): value is SnowflakeOf<K> {
	return isSnowflake(value);
}

/**
 * Unchecked fast path for hot paths where the value is known-good: an ID read from a payload Discord (or a
 * schema) already produced. It performs no validation: never call it with user input.
 */
export function uncheckedSnowflake<K extends SnowflakeKind>(kind: K, value: string): SnowflakeOf<K> {
	return trusted(kind, value) ? value : asSnowflake(kind, value);
}

function trusted<K extends SnowflakeKind>(_kind: K, _value: string): _value is SnowflakeOf<K> {
	return true;
}

export const asUserId = (raw: unknown): UserId => asSnowflake('User', raw);
export const asGuildId = (raw: unknown): GuildId => asSnowflake('Guild', raw);
export const asChannelId = (raw: unknown): ChannelId => asSnowflake('Channel', raw);
export const asThreadId = (raw: unknown): ThreadId => {
	const id = asSnowflake('Channel', raw);
	if (isSnowflakeOf('Thread', id)) return id;
	throw TypesError.of('TYPES_INVALID_SNOWFLAKE', ['Thread', describe(raw)]);
};
export const asMessageId = (raw: unknown): MessageId => asSnowflake('Message', raw);
export const asRoleId = (raw: unknown): RoleId => asSnowflake('Role', raw);
export const asEmojiId = (raw: unknown): EmojiId => asSnowflake('Emoji', raw);
export const asStickerId = (raw: unknown): StickerId => asSnowflake('Sticker', raw);
export const asApplicationId = (raw: unknown): ApplicationId => asSnowflake('Application', raw);
export const asWebhookId = (raw: unknown): WebhookId => asSnowflake('Webhook', raw);
export const asInteractionId = (raw: unknown): InteractionId => asSnowflake('Interaction', raw);
export const asIntegrationId = (raw: unknown): IntegrationId => asSnowflake('Integration', raw);
export const asScheduledEventId = (raw: unknown): ScheduledEventId => asSnowflake('ScheduledEvent', raw);
export const asStageInstanceId = (raw: unknown): StageInstanceId => asSnowflake('StageInstance', raw);
export const asAttachmentId = (raw: unknown): AttachmentId => asSnowflake('Attachment', raw);
export const asAuditLogEntryId = (raw: unknown): AuditLogEntryId => asSnowflake('AuditLogEntry', raw);
export const asSkuId = (raw: unknown): SkuId => asSnowflake('Sku', raw);
export const asEntitlementId = (raw: unknown): EntitlementId => asSnowflake('Entitlement', raw);
export const asSubscriptionId = (raw: unknown): SubscriptionId => asSnowflake('Subscription', raw);
export const asCommandId = (raw: unknown): CommandId => asSnowflake('Command', raw);
export const asAutoModerationRuleId = (raw: unknown): AutoModerationRuleId => asSnowflake('AutoModerationRule', raw);
export const asTeamId = (raw: unknown): TeamId => asSnowflake('Team', raw);
export const asSoundboardSoundId = (raw: unknown): SoundboardSoundId => asSnowflake('SoundboardSound', raw);
export const asLobbyId = (raw: unknown): LobbyId => asSnowflake('Lobby', raw);

/** The parts packed into a snowflake. */
export interface DeconstructedSnowflake {
	/** Milliseconds since the Unix epoch. */
	readonly timestamp: number;
	readonly workerId: number;
	readonly processId: number;
	readonly increment: number;
}

/**
 * Splits a decimal snowflake string into its low (`out[0]`) and high (`out[1]`) 32-bit halves without allocating a
 * bigint; `false` (and `out` untouched) for anything but 1–20 digits below 2^64. Compact stores key rows by the
 * halves, and the timestamp, worker, process and increment are read from them in small-integer arithmetic. Digits are
 * read five at a time in small-integer arithmetic; each chunk then shifts the 64-bit value by `10^5` in doubles,
 * which stay exact (`lo × 10^5 < 2^53`).
 */
export function splitSnowflake(id: string, out: Uint32Array): boolean {
	const length = id.length;
	if (length === 0 || length > 20) return false;
	let lo = 0;
	let hi = 0;
	let index = 0;
	while (index < length) {
		const end = index + 5 < length ? index + 5 : length;
		let chunk = 0;
		let scale = 1;
		for (; index < end; index++) {
			const digit = id.charCodeAt(index) - 48;
			if (digit < 0 || digit > 9) return false;
			chunk = chunk * 10 + digit;
			scale *= 10;
		}
		const wide = lo * scale + chunk;
		const carry = Math.floor(wide / 4_294_967_296);
		lo = wide - carry * 4_294_967_296;
		hi = hi * scale + carry;
		if (hi >= 4_294_967_296) return false;
	}
	out[0] = lo;
	out[1] = hi;
	return true;
}

function toBigInt(id: Snowflake | bigint): bigint {
	return typeof id === 'bigint' ? id : BigInt(id);
}

const halves = new Uint32Array(2);
const EPOCH_MS = Number(DISCORD_EPOCH);

/** `id >> 22` (milliseconds since Discord's epoch) from the halves just split: `hi × 2^10 + lo >>> 22`, exact. */
function shiftedTime(): number {
	return (halves[1] ?? 0) * 1024 + ((halves[0] ?? 0) >>> 22);
}

/** Milliseconds since the Unix epoch at which the snowflake was created. */
export function snowflakeTimestamp(id: Snowflake | bigint): number {
	if (typeof id === 'string' && splitSnowflake(id, halves)) return shiftedTime() + EPOCH_MS;
	return Number((toBigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The creation time of a snowflake as a `Date`. */
export function snowflakeDate(id: Snowflake | bigint): Date {
	return new Date(snowflakeTimestamp(id));
}

/** Splits a snowflake into timestamp, internal worker ID, internal process ID and increment. */
export function deconstructSnowflake(id: Snowflake | bigint): DeconstructedSnowflake {
	if (typeof id === 'string' && splitSnowflake(id, halves)) {
		const lo = halves[0] ?? 0;
		return {
			timestamp: shiftedTime() + EPOCH_MS,
			workerId: (lo >>> 17) & 0x1f,
			processId: (lo >>> 12) & 0x1f,
			increment: lo & 0xfff,
		};
	}
	const value = toBigInt(id);
	return {
		timestamp: Number((value >> 22n) + DISCORD_EPOCH),
		workerId: Number((value & 0x3e_0000n) >> 17n),
		processId: Number((value & 0x1_f000n) >> 12n),
		increment: Number(value & 0xfffn),
	};
}

/**
 * The smallest snowflake of a given time: useful as a `before`/`after` bound when paginating by date.
 * Throws `TYPES_DATE_BEFORE_EPOCH` for a date before Discord's epoch.
 */
export function snowflakeFromDate<K extends SnowflakeKind>(kind: K, date: Date | number): SnowflakeOf<K> {
	const ms = BigInt(typeof date === 'number' ? Math.trunc(date) : date.getTime());
	if (ms < DISCORD_EPOCH) {
		throw TypesError.of('TYPES_DATE_BEFORE_EPOCH', [new Date(Number(ms)).toISOString()]);
	}
	return asSnowflake(kind, ((ms - DISCORD_EPOCH) << 22n).toString());
}

/** Numeric comparison of two snowflakes (`-1`, `0`, `1`), usable as an `Array#sort` comparator. */
export function compareSnowflakes(a: Snowflake | bigint, b: Snowflake | bigint): -1 | 0 | 1 {
	if (typeof a === 'string' && typeof b === 'string' && a.length !== b.length) return a.length < b.length ? -1 : 1;
	const x = toBigInt(a);
	const y = toBigInt(b);
	return x === y ? 0 : x < y ? -1 : 1;
}

/** Sorts snowflakes oldest first (returns a new array). */
export function sortSnowflakes<T extends Snowflake>(ids: readonly T[]): T[] {
	return [...ids].sort(compareSnowflakes);
}

/**
 * The shard that receives a guild's events: `(guild_id >> 22) % num_shards`.
 * @see {@link https://discord.com/developers/docs/events/gateway#sharding}
 */
export function shardIdForGuild(guildId: GuildId | bigint, shardCount: number): number {
	if (!Number.isInteger(shardCount) || shardCount < 1) {
		throw TypesError.of('TYPES_INVALID_SHARD_COUNT', [String(shardCount)]);
	}
	if (typeof guildId === 'string' && splitSnowflake(guildId, halves)) return shiftedTime() % shardCount;
	return Number((toBigInt(guildId) >> 22n) % BigInt(shardCount));
}
