import { ChannelSchema, EmojiSchema, GuildSchema, MessageSchema, RoleSchema, type ExtensionPointEmitter, type ValidationMode } from '@ovenjs/types';
import type { Channel, ChannelId, Emoji, EmojiId, GuildId, Message, MessageId, Role, RoleId, UserId } from '@ovenjs/types';
import { uncheckedSnowflake } from '@ovenjs/types';
import { LRUCache } from 'lru-cache';
import { CacheError } from '../errors/CacheError.js';
import { DEFAULT_CACHE_FLAGS, CacheFlags, type CachedGuild, type EntityCacheOptions } from './EntityCacheOptions.js';
import { GuildRecord } from './GuildRecord.js';
import type { MemberProperty } from './MemberTable.js';
import { RoleListPool } from './RoleListPool.js';
import { UserTable, type UserProperty } from './UserTable.js';
import type { CachedMember, CachedPresence, CachedUser, CachedVoiceState } from './views.js';
import { EntitySweeper } from './EntitySweeper.js';
import { DiscordKeys } from '../DiscordKeys.js';

const ALL_USER: readonly UserProperty[] = ['globalName', 'discriminator', 'avatar', 'publicFlags'];
const ALL_MEMBER: readonly MemberProperty[] = ['nick', 'avatar', 'premiumSince', 'communicationDisabledUntil', 'flags', 'voice'];
const GUILD_ARRAYS = new Set(['roles', 'emojis', 'channels', 'threads', 'members', 'presences', 'voice_states', 'stickers', 'stage_instances', 'guild_scheduled_events', 'soundboard_sounds']);

const VALIDATION_MODES: ReadonlySet<unknown> = new Set<ValidationMode>(['full', 'sampled', 'off']);

function keySet(schemaKeys: readonly string[], extra: readonly string[] | undefined, drop: ReadonlySet<string> = new Set()): ReadonlySet<string> {
	return new Set([...schemaKeys.filter((key) => !drop.has(key)), ...(extra ?? [])]);
}

/** The state and getters of the entity cache; {@link EntityCache} adds ingestion. */
export abstract class EntityStore {
	/** The active {@link CacheFlags}. */
	public readonly flags: number;
	protected readonly guildRecords = new Map<string, GuildRecord>();
	protected readonly channelMap: Map<string, Channel>;
	protected readonly messageMap: Map<string, Map<string, Message>>;
	protected readonly users: UserTable;
	protected readonly rolePool = new RoleListPool();
	protected readonly tombstones = new LRUCache<string, true>({ max: 20_000 });
	/** Deleted message IDs (kept apart from {@link tombstones} so a MESSAGE_CREATE builds no key string). */
	protected readonly messageTombstones = new LRUCache<string, true>({ max: 20_000 });
	protected readonly memberKeep: ReadonlySet<MemberProperty>;
	/** Fields kept per resource; `message` is `undefined` when messages are cached as received. */
	protected readonly keep: { guild: ReadonlySet<string>; channel: ReadonlySet<string>; role: ReadonlySet<string>; emoji: ReadonlySet<string>; message: readonly string[] | undefined };
	/** The validation mode passed to `parsePayload` (`undefined`: the process-wide mode). */
	protected readonly validation: ValidationMode | undefined;
	protected readonly limits: { messages: number; members: number; presences: number };
	protected readonly activities: boolean;
	protected readonly onInvalid: ((event: string, error: unknown) => void) | undefined;
	protected readonly sweeper: EntitySweeper;
	protected selfId: string | undefined;
	protected rejectedCount = 0;
	protected readonly emitter: ExtensionPointEmitter | undefined;

	public constructor(options: EntityCacheOptions = {}) {
		this.channelMap = new Map();
		this.messageMap = new Map();
		this.emitter = options.emitter;
		const flags = options.flags ?? DEFAULT_CACHE_FLAGS;
		if (!Number.isInteger(flags) || flags < 0) throw CacheError.of('CACHE_INVALID_OPTION', ['flags', 'a combination of CacheFlags', String(flags)]);
		this.flags = flags;
		const properties = options.properties ?? {};
		this.users = new UserTable(new Set(properties.user ?? ALL_USER));
		this.memberKeep = new Set(properties.member ?? ALL_MEMBER);
		this.keep = {
			guild: keySet(Object.keys(GuildSchema.shape), properties.guild, GUILD_ARRAYS),
			channel: keySet(Object.keys(ChannelSchema.shape), properties.channel),
			role: keySet(Object.keys(RoleSchema.shape), properties.role),
			emoji: keySet(Object.keys(EmojiSchema.shape), properties.emoji),
			message: properties.message === undefined ? undefined : [...keySet(Object.keys(MessageSchema.shape), properties.message)],
		};
		if (options.validation !== undefined && !VALIDATION_MODES.has(options.validation)) {
			throw CacheError.of('CACHE_INVALID_OPTION', ['validation', "'full', 'sampled' or 'off'", JSON.stringify(options.validation)]);
		}
		this.validation = options.validation;
		const limits = options.limits ?? {};
		const checks: [string, unknown][] = [
			['messagesPerChannel', limits.messagesPerChannel],
			['membersPerGuild', limits.membersPerGuild],
			['presencesPerGuild', limits.presencesPerGuild],
		];
		for (const [name, value] of checks) {
			if (value === undefined) continue;
			if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw CacheError.of('CACHE_INVALID_OPTION', [`limits.${name}`, 'a number >= 0', typeof value === 'number' ? String(value) : typeof value]);
		}
		this.limits = { messages: limits.messagesPerChannel ?? 100, members: limits.membersPerGuild ?? Infinity, presences: limits.presencesPerGuild ?? Infinity };
		this.activities = properties.presenceActivities ?? false;
		this.onInvalid = options.onInvalidPayload;
		this.sweeper = new EntitySweeper(this, options.sweepers ?? {});
	}

	/** Whether every flag in `flag` is on. */
	public caches(flag: number): boolean {
		return (this.flags & flag) === flag;
	}

	// ---- getters -------------------------------------------------------------------------------------------

	/** The bot's own user (from READY / USER_UPDATE). */
	public get self(): CachedUser | undefined {
		return this.selfId === undefined ? undefined : this.users.view(this.selfId);
	}

	/** The cached guild (its own fields; channels, roles and members have their own getters). */
	public guild(id: GuildId): CachedGuild | undefined {
		const value = this.guildRecords.get(id)?.data;
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.guild(id), value);
	}

	/** Every cached guild. */
	public *guilds(): IterableIterator<CachedGuild> {
		for (const record of this.guildRecords.values()) if (record.data !== undefined) yield record.data;
	}

	/** IDs of guilds known to the cache, including unavailable ones. */
	public guildIds(): GuildId[] {
		return [...this.guildRecords.values()].map((record) => record.id);
	}

	/** Whether the guild is known and currently available. */
	public isAvailable(id: GuildId): boolean {
		const record = this.guildRecords.get(id);
		return record !== undefined && !record.unavailable;
	}

	/** A cached channel or thread (guild or DM). */
	public channel(id: ChannelId): Channel | undefined {
		const value = this.channelMap.get(id);
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.channel(id), value);
	}

	/** The cached channels (and threads) of a guild. */
	public channels(guildId: GuildId): Channel[] {
		const out: Channel[] = [];
		for (const id of this.guildRecords.get(guildId)?.channels ?? []) {
			const channel = this.channelMap.get(id);
			if (channel !== undefined) out.push(channel);
		}
		return out;
	}

	/** A role of a guild. */
	public role(guildId: GuildId, roleId: RoleId): Role | undefined {
		const value = this.guildRecords.get(guildId)?.roles.get(roleId);
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.role(guildId, roleId), value);
	}

	/** Every cached role of a guild. */
	public roles(guildId: GuildId): Role[] {
		return [...(this.guildRecords.get(guildId)?.roles.values() ?? [])];
	}

	/** A custom emoji of a guild. */
	public emoji(guildId: GuildId, emojiId: EmojiId): Emoji | undefined {
		const value = this.guildRecords.get(guildId)?.emojis.get(emojiId);
		return this.emitter === undefined ? value : this.reportGet(`emoji:${guildId}:${emojiId}`, value);
	}

	/** Every cached emoji of a guild. */
	public emojis(guildId: GuildId): Emoji[] {
		return [...(this.guildRecords.get(guildId)?.emojis.values() ?? [])];
	}

	/** A user as a plain object built on read from the compact user table. */
	public user(id: UserId): CachedUser | undefined {
		const value = this.users.view(id);
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.user(id), value);
	}

	/** A member as a plain object built on read (with its user when users are cached). */
	public member(guildId: GuildId, userId: UserId): CachedMember | undefined {
		const record = this.guildRecords.get(guildId);
		const table = record?.members;
		const row = record === undefined || table === undefined ? -1 : table.rowOf(userId);
		const value = row < 0 || record === undefined || table === undefined ? undefined : table.viewAt(row, this.users.view(userId), this.roleFilter(record));
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.member(guildId, userId), value);
	}

	/** Every cached member of a guild. */
	public *members(guildId: GuildId): IterableIterator<CachedMember> {
		const record = this.guildRecords.get(guildId);
		const table = record?.members;
		if (record === undefined || table === undefined) return;
		const filter = this.roleFilter(record);
		for (const row of table.rows()) yield table.viewAt(row, this.users.view(table.idAt(row)), filter);
	}

	/** How many members of the guild are cached. */
	public cachedMemberCount(guildId: GuildId): number {
		return this.guildRecords.get(guildId)?.members?.size ?? 0;
	}

	/** A cached message. */
	public message(channelId: ChannelId, messageId: MessageId): Message | undefined {
		const value = this.messageMap.get(channelId)?.get(messageId);
		return this.emitter === undefined ? value : this.reportGet(DiscordKeys.message(channelId, messageId), value);
	}

	/** Cached messages of a channel, oldest first. */
	public messages(channelId: ChannelId): Message[] {
		return [...(this.messageMap.get(channelId)?.values() ?? [])];
	}

	/** A member's presence (when presences are cached). */
	public presence(guildId: GuildId, userId: UserId): CachedPresence | undefined {
		return this.guildRecords.get(guildId)?.presences.get(userId);
	}

	/** A member's voice state; absent when the member is not in a voice channel. */
	public voiceState(guildId: GuildId, userId: UserId): CachedVoiceState | undefined {
		return this.guildRecords.get(guildId)?.voiceStates.get(userId);
	}

	/** Every voice state of a guild. */
	public voiceStates(guildId: GuildId): CachedVoiceState[] {
		return [...(this.guildRecords.get(guildId)?.voiceStates.values() ?? [])];
	}

	/** Reports a single-entity read on the bus (`cache:beforeGet`, then `cache:afterGet` with tier `'entity'`). */
	protected reportGet<T>(key: string, value: T | undefined): T | undefined {
		const emitter = this.emitter;
		if (emitter === undefined) return value;
		if (emitter.has('cache:beforeGet')) emitter.emit('cache:beforeGet', key);
		if (emitter.has('cache:tierRead')) emitter.emit('cache:tierRead', { key, tier: 'entity', hit: value !== undefined, durationMs: 0 });
		if (emitter.has('cache:afterGet')) emitter.emit('cache:afterGet', key, value !== undefined, value === undefined ? undefined : 'entity');
		return value;
	}

	/** Counts per resource, approximate bytes of the compact tables, and rejected payloads. */
	public stats(): EntityCacheStats {
		let members = 0;
		let memberBytes = 0;
		let roles = 0;
		let emojis = 0;
		let presences = 0;
		let voiceStates = 0;
		for (const record of this.guildRecords.values()) {
			members += record.members?.size ?? 0;
			memberBytes += record.members?.byteSize() ?? 0;
			roles += record.roles.size;
			emojis += record.emojis.size;
			presences += record.presences.size;
			voiceStates += record.voiceStates.size;
		}
		let messages = 0;
		for (const channel of this.messageMap.values()) messages += channel.size;
		return {
			guilds: this.guildRecords.size,
			channels: this.channelMap.size,
			roles,
			emojis,
			members,
			users: this.users.size,
			messages,
			presences,
			voiceStates,
			compactBytes: memberBytes + this.users.byteSize() + this.rolePool.byteSize(),
			rejected: this.rejectedCount,
		};
	}

	/** Removes everything. */
	public clear(): void {
		this.guildRecords.clear();
		this.channelMap.clear();
		this.messageMap.clear();
		for (const row of [...this.users.rows()]) this.users.remove(this.users.idAt(row));
		this.tombstones.clear();
		this.messageTombstones.clear();
	}

	/**
	 * Sweeps on demand, by predicate: `sweep.messages((m, now) => now - Date.parse(m.timestamp) > 3_600_000)`,
	 * `sweep.users((u) => !u.referenced)`, `sweep.members(...)`, `sweep.presences(...)`, `sweep.voiceStates(...)`,
	 * `sweep.channels(...)`, `sweep.emojis(...)`, `sweep.roles(...)`. Each returns how many entries it removed.
	 */
	public get sweep(): EntitySweeper {
		return this.sweeper;
	}

	/** Stops the sweepers. */
	public destroy(): void {
		this.sweeper.stop();
	}

	/** Internal: the records, for sweepers. */
	public get internals(): { guilds: ReadonlyMap<string, GuildRecord>; channels: Map<string, Channel>; messages: Map<string, Map<string, Message>>; users: UserTable; selfId: string | undefined } {
		return { guilds: this.guildRecords, channels: this.channelMap, messages: this.messageMap, users: this.users, selfId: this.selfId };
	}

	/** Internal: removes a member and releases its user. */
	public removeMember(record: GuildRecord, user: string): boolean {
		const removed = record.members?.remove(user) ?? false;
		if (removed) this.releaseUser(user);
		return removed;
	}

	/** The record of guild `id`; created when `create` or when the guild is not tombstoned (standalone use). */
	protected record(id: string, create: boolean): GuildRecord | undefined {
		let record = this.guildRecords.get(id);
		if (record === undefined && (create || !this.tombstones.has(`g:${id}`))) {
			record = new GuildRecord(uncheckedSnowflake('Guild', id));
			this.guildRecords.set(id, record);
		}
		return record;
	}

	protected roleFilter(record: GuildRecord): ((role: string) => boolean) | undefined {
		if (!this.caches(CacheFlags.Roles) || record.roles.size === 0) return undefined;
		return (role) => record.roles.has(role);
	}

	protected releaseUser(userId: string): void {
		const row = this.users.rowOf(userId);
		if (row >= 0 && this.users.unref(row) === 0 && userId !== this.selfId) this.users.remove(userId);
	}
}

/** Counts from {@link EntityCache.stats}. */
export interface EntityCacheStats {
	readonly guilds: number;
	readonly channels: number;
	readonly roles: number;
	readonly emojis: number;
	readonly members: number;
	readonly users: number;
	readonly messages: number;
	readonly presences: number;
	readonly voiceStates: number;
	/** Approximate bytes of the compact member and user tables. */
	readonly compactBytes: number;
	/** Dispatches skipped because their data was invalid. */
	readonly rejected: number;
}
