import {
	ChannelSchema,
	EmojiSchema,
	GuildSchema,
	MessageSchema,
	RoleSchema,
	markClass,
	parsePayload,
	uncheckedModel,
	uncheckedSnowflake,
} from '@ovenjs/types';
import type {
	Channel,
	ChannelId,
	Emoji,
	EmojiId,
	ExtensionPointEmitter,
	Guild,
	GuildId,
	Message,
	MessageId,
	Role,
	RoleId,
	UserId,
	ValidationMode,
} from '@ovenjs/types';
import { LRUCache } from 'lru-cache';
import { DiscordKeys } from '../DiscordKeys.js';
import { CacheError } from '../errors/CacheError.js';
import {
	CacheFlags,
	DefaultDesiredProperties,
	DefaultEntityCacheLimits,
	DefaultEntityCacheOptions,
	type CachedGuild,
	type EntityCacheOptions,
	type EntityCacheValidation,
} from './EntityCacheOptions.js';
import { EntitySweeper } from './EntitySweeper.js';
import { GuildRecord } from './GuildRecord.js';
import { MemberTable, type MemberProperty } from './MemberTable.js';
import { MessageWindow } from './MessageWindow.js';
import { arr, bool, has, isRecord, rec, str, strOrNull, time } from './payload.js';
import { entityKeyOf, pickMessage, prune } from './shaping.js';
import { RoleListPool } from './RoleListPool.js';
import { UserTable } from './UserTable.js';
import type { CachedMember, CachedPresence, CachedUser, CachedVoiceState } from './views.js';

const GUILD_ARRAYS = new Set([
	'roles',
	'emojis',
	'channels',
	'threads',
	'members',
	'presences',
	'voice_states',
	'stickers',
	'stage_instances',
	'guild_scheduled_events',
	'soundboard_sounds',
]);

const VALIDATION_MODES: ReadonlySet<unknown> = new Set<EntityCacheValidation>(['full', 'sampled', 'off', 'checked']);

function keySet(
	schemaKeys: readonly string[],
	extra: readonly string[] | undefined,
	drop: ReadonlySet<string> = new Set(),
): ReadonlySet<string> {
	return new Set([...schemaKeys.filter((key) => !drop.has(key)), ...(extra ?? [])]);
}

/**
 * The Discord entity cache: ingests gateway dispatches (`handle({ t, d })` or `ingest(event, data)`) and serves
 * plain objects by branded ID. Members and users live in compact struct-of-arrays tables ({@link MemberTable},
 * {@link UserTable}); guilds, channels, roles, emojis and messages are kept as pruned payloads.
 *
 * Consistency under duplicate and out-of-order events: updates are upserts (a duplicate is a no-op), a
 * removal leaves a short-lived tombstone so a late update cannot resurrect the entity, member counts only
 * move for members not already cached, and message edits older than the cached edit are ignored.
 */
export class EntityCache {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'cache.EntityCache');
	}

	/** The active {@link CacheFlags}. */
	public readonly flags: number;
	// The records, `#private`. The ingest handlers (and the helpers they call) stay TS `private` prototype methods,
	// exactly as the benchmarked ingest path (cache and ready workloads) was measured: a `#method` call would add a
	// brand check per call there.
	readonly #guilds = new Map<string, GuildRecord>();
	readonly #channels = new Map<string, Channel>();
	readonly #messages = new Map<string, MessageWindow>();
	readonly #users: UserTable;
	readonly #rolePool = new RoleListPool();
	readonly #tombstones = new LRUCache<string, true>({ max: 20_000 });
	/** Deleted message IDs (kept apart from {@link EntityCache.#tombstones} so a MESSAGE_CREATE builds no key string). */
	readonly #messageTombstones = new LRUCache<string, true>({ max: 20_000 });
	readonly #memberKeep: ReadonlySet<MemberProperty>;
	/** Fields kept per resource; `message` is `undefined` when messages are cached as received. */
	readonly #keep: {
		guild: ReadonlySet<string>;
		channel: ReadonlySet<string>;
		role: ReadonlySet<string>;
		emoji: ReadonlySet<string>;
		message: readonly string[] | undefined;
	};
	/** The validation mode passed to `parsePayload` (`undefined`: the process-wide mode). */
	readonly #validation: ValidationMode | undefined;
	/** `validation: 'checked'`: a dispatch's own payload was checked by the caller (nested objects still are here). */
	readonly #checked: boolean;
	readonly #limits: { messages: number; members: number; presences: number };
	readonly #activities: boolean;
	readonly #onInvalid: ((event: string, error: unknown) => void) | undefined;
	readonly #sweeper: EntitySweeper;
	readonly #emitter: ExtensionPointEmitter | undefined;
	#selfId: string | undefined;
	#rejected = 0;

	public constructor(options: EntityCacheOptions = {}) {
		this.#emitter = options.emitter;
		const flags = options.flags ?? DefaultEntityCacheOptions.flags;
		if (!Number.isInteger(flags) || flags < 0)
			throw CacheError.of('CACHE_INVALID_OPTION', ['flags', 'a combination of CacheFlags', String(flags)]);
		this.flags = flags;
		const properties = options.properties ?? {};
		this.#users = new UserTable(new Set(properties.user ?? DefaultDesiredProperties.user));
		this.#memberKeep = new Set(properties.member ?? DefaultDesiredProperties.member);
		this.#keep = {
			guild: keySet(Object.keys(GuildSchema.shape), properties.guild, GUILD_ARRAYS),
			channel: keySet(Object.keys(ChannelSchema.shape), properties.channel),
			role: keySet(Object.keys(RoleSchema.shape), properties.role),
			emoji: keySet(Object.keys(EmojiSchema.shape), properties.emoji),
			message:
				properties.message === undefined
					? undefined
					: [...keySet(Object.keys(MessageSchema.shape), properties.message)],
		};
		if (options.validation !== undefined && !VALIDATION_MODES.has(options.validation)) {
			throw CacheError.of('CACHE_INVALID_OPTION', [
				'validation',
				"'full', 'sampled', 'off' or 'checked'",
				JSON.stringify(options.validation),
			]);
		}
		this.#checked = options.validation === 'checked';
		this.#validation = options.validation === 'checked' ? 'off' : options.validation;
		const limits = options.limits ?? {};
		const checks: [string, unknown][] = [
			['messagesPerChannel', limits.messagesPerChannel],
			['membersPerGuild', limits.membersPerGuild],
			['presencesPerGuild', limits.presencesPerGuild],
		];
		for (const [name, value] of checks) {
			if (value === undefined) continue;
			if (typeof value !== 'number' || Number.isNaN(value) || value < 0)
				throw CacheError.of('CACHE_INVALID_OPTION', [
					`limits.${name}`,
					'a number >= 0',
					typeof value === 'number' ? String(value) : typeof value,
				]);
		}
		this.#limits = {
			messages: limits.messagesPerChannel ?? DefaultEntityCacheLimits.messagesPerChannel,
			members: limits.membersPerGuild ?? DefaultEntityCacheLimits.membersPerGuild,
			presences: limits.presencesPerGuild ?? DefaultEntityCacheLimits.presencesPerGuild,
		};
		this.#activities = properties.presenceActivities ?? DefaultDesiredProperties.presenceActivities;
		this.#onInvalid = options.onInvalidPayload;
		this.#sweeper = new EntitySweeper(
			{
				guilds: this.#guilds,
				channels: this.#channels,
				messages: this.#messages,
				users: this.#users,
				selfId: () => this.#selfId,
				members: (guildId) => this.members(guildId),
				removeMember: (record, userId) => this.#removeMember(record, userId),
			},
			options.sweepers ?? {},
		);
	}

	/**
	 * Ingests a gateway dispatch `{ t, d }`. Throws `CACHE_INVALID_EVENT` if it is not an object with a string
	 * `t`; resolves nothing. Returns whether the event changed the cache.
	 */
	public handle(dispatch: unknown): boolean {
		if (!isRecord(dispatch) || typeof dispatch.t !== 'string') {
			throw CacheError.of('CACHE_INVALID_EVENT', []);
		}
		return this.ingest(dispatch.t, dispatch.d);
	}

	/** Ingests the data `data` of the gateway event `event`. Unknown events are ignored (`false`). */
	public ingest(event: string, data: unknown): boolean {
		if (!isRecord(data)) return false;
		try {
			const emitter = this.#emitter;
			if (emitter === undefined || !(emitter.has('cache:beforeSet') || emitter.has('cache:afterSet')))
				return this.#dispatch(event, data);
			const key = entityKeyOf(event, data);
			if (emitter.has('cache:beforeSet')) emitter.emit('cache:beforeSet', key, data);
			const changed = this.#dispatch(event, data);
			if (changed && emitter.has('cache:afterSet')) emitter.emit('cache:afterSet', key, data);
			return changed;
		} catch (error) {
			this.#rejected++;
			this.#onInvalid?.(event, error);
			return false;
		}
	}

	// ---- ingestion -----------------------------------------------------------------------------------------

	/**
	 * What each dispatch does to the cache, by name: one map lookup per dispatch (a `switch` over thirty names
	 * compares strings one by one, and gateway names are fresh strings, never interned).
	 */
	static readonly #ingesters = new Map<string, (cache: EntityCache, d: Record<string, unknown>) => boolean>([
		['MESSAGE_CREATE', (cache, d) => cache.#messageCreate(d, cache.#checked)],
		['MESSAGE_UPDATE', (cache, d) => cache.#messageUpdate(d)],
		['MESSAGE_DELETE', (cache, d) => cache.#messageDelete(str(d, 'channel_id'), [d.id])],
		['MESSAGE_DELETE_BULK', (cache, d) => cache.#messageDelete(str(d, 'channel_id'), arr(d, 'ids'))],
		['PRESENCE_UPDATE', (cache, d) => cache.#presenceUpdate(str(d, 'guild_id'), d)],
		['VOICE_STATE_UPDATE', (cache, d) => cache.#voiceStateUpdate(str(d, 'guild_id'), d)],
		['READY', (cache, d) => cache.#ready(d)],
		['GUILD_CREATE', (cache, d) => cache.#guildCreate(d)],
		['GUILD_UPDATE', (cache, d) => cache.#guildUpdate(d)],
		['GUILD_DELETE', (cache, d) => cache.#guildDelete(d)],
		['CHANNEL_CREATE', (cache, d) => cache.#channelUpsert(d, true)],
		['CHANNEL_UPDATE', (cache, d) => cache.#channelUpsert(d, false)],
		['THREAD_CREATE', (cache, d) => cache.#channelUpsert(d, true)],
		['THREAD_UPDATE', (cache, d) => cache.#channelUpsert(d, false)],
		['CHANNEL_DELETE', (cache, d) => cache.#channelDelete(d)],
		['THREAD_DELETE', (cache, d) => cache.#channelDelete(d)],
		[
			'THREAD_LIST_SYNC',
			(cache, d) =>
				arr(d, 'threads')
					.map(
						(thread) =>
							isRecord(thread) && cache.#channelUpsert({ guild_id: d.guild_id, ...thread }, false),
					)
					.includes(true),
		],
		['GUILD_ROLE_CREATE', (cache, d) => cache.#roleUpsert(d, true)],
		['GUILD_ROLE_UPDATE', (cache, d) => cache.#roleUpsert(d, false)],
		['GUILD_ROLE_DELETE', (cache, d) => cache.#roleDelete(d)],
		['GUILD_EMOJIS_UPDATE', (cache, d) => cache.#emojisUpdate(d)],
		['GUILD_MEMBER_ADD', (cache, d) => cache.#memberUpsert(str(d, 'guild_id'), d, 'add')],
		['GUILD_MEMBER_UPDATE', (cache, d) => cache.#memberUpsert(str(d, 'guild_id'), d, 'update')],
		['GUILD_MEMBER_REMOVE', (cache, d) => cache.#memberRemove(d)],
		['GUILD_MEMBERS_CHUNK', (cache, d) => cache.#membersChunk(d)],
		['USER_UPDATE', (cache, d) => cache.caches(CacheFlags.Users) && cache.#users.upsert(d) >= 0],
	]);

	/** The dispatch events {@link EntityCache.ingest} uses (others change nothing): a client need not decode the rest for the cache. */
	public static readonly events: ReadonlySet<string> = new Set(EntityCache.#ingesters.keys());

	#dispatch(event: string, d: Record<string, unknown>): boolean {
		const ingest = EntityCache.#ingesters.get(event);
		return ingest === undefined ? false : ingest(this, d);
	}

	#ready(d: Record<string, unknown>): boolean {
		const user = rec(d, 'user');
		if (user !== undefined) {
			this.#selfId = str(user, 'id');
			if (this.caches(CacheFlags.Users)) this.#users.upsert(user);
		}
		for (const entry of arr(d, 'guilds')) {
			const id = isRecord(entry) ? str(entry, 'id') : undefined;
			if (id === undefined) continue;
			const record = this.#record(id, true);
			if (record !== undefined && record.data === undefined) record.unavailable = true;
		}
		return true;
	}

	#guildCreate(d: Record<string, unknown>): boolean {
		const { members: _members, presences: _presences, voice_states: _voiceStates, ...rest } = d;
		const guild = parsePayload('Guild', rest, this.#validation);
		this.#tombstones.delete(`g:${guild.id}`);
		const record = this.#record(guild.id, true);
		if (record === undefined) return false;
		record.unavailable = guild.unavailable === true;
		this.#setGuildData(record, guild);
		if (this.caches(CacheFlags.Channels)) {
			const next = new Set<string>(
				[...(guild.channels ?? []), ...(guild.threads ?? [])].map((channel) => channel.id),
			);
			for (const id of record.channels) if (!next.has(id)) this.#dropChannel(id);
			for (const channel of [...(guild.channels ?? []), ...(guild.threads ?? [])])
				this.#putChannel({ ...channel, guild_id: guild.id });
		}
		const members = arr(d, 'members');
		// A guild's first member list sizes its table once (exactly: the list is the guild's members).
		if (record.members === undefined && members.length > 0 && this.caches(CacheFlags.Members))
			record.members = new MemberTable(
				record.id,
				this.#rolePool,
				this.#memberKeep,
				Math.min(members.length, this.#limits.members),
			);
		for (const member of members) if (isRecord(member)) this.#putMember(record, member, 'snapshot');
		for (const presence of arr(d, 'presences')) if (isRecord(presence)) this.#putPresence(record, presence);
		if (this.caches(CacheFlags.VoiceStates) && has(d, 'voice_states')) {
			record.voiceStates.clear();
			for (const state of arr(d, 'voice_states')) if (isRecord(state)) this.#putVoiceState(record, state);
		}
		return true;
	}

	#guildUpdate(d: Record<string, unknown>): boolean {
		const guild = parsePayload('Guild', d, this.#validation);
		const record = this.#record(guild.id, false);
		if (record === undefined) return false;
		this.#setGuildData(record, guild);
		return true;
	}

	#setGuildData(record: GuildRecord, guild: Guild): void {
		if (this.caches(CacheFlags.Guilds)) {
			const previousCount = record.data?.member_count;
			const data = prune(guild, this.#keep.guild);
			record.data =
				data.member_count === undefined && previousCount !== undefined
					? { ...data, member_count: previousCount }
					: data;
		}
		if (this.caches(CacheFlags.Roles)) {
			record.roles.clear();
			for (const role of guild.roles) record.roles.set(role.id, prune(role, this.#keep.role));
		}
		if (this.caches(CacheFlags.Emojis)) {
			record.emojis.clear();
			for (const emoji of guild.emojis)
				if (emoji.id !== null) record.emojis.set(emoji.id, prune(emoji, this.#keep.emoji));
		}
	}

	#guildDelete(d: Record<string, unknown>): boolean {
		const id = str(d, 'id');
		if (id === undefined) return false;
		const record = this.#guilds.get(id);
		if (bool(d, 'unavailable') === true) {
			if (record !== undefined) record.unavailable = true;
			return record !== undefined;
		}
		this.#tombstones.set(`g:${id}`, true);
		if (record === undefined) return false;
		for (const channelId of [...record.channels]) this.#dropChannel(channelId);
		if (record.members !== undefined)
			for (const row of [...record.members.rows()]) this.#removeMember(record, record.members.idAt(row));
		this.#guilds.delete(id);
		return true;
	}

	#channelUpsert(d: Record<string, unknown>, create: boolean): boolean {
		if (!this.caches(CacheFlags.Channels)) return false;
		const id = str(d, 'id');
		if (id === undefined) return false;
		if (create) this.#tombstones.delete(`c:${id}`);
		else if (this.#tombstones.has(`c:${id}`)) return false;
		const existing = this.#channels.get(id);
		return this.#putChannel(existing === undefined ? d : { ...existing, ...d });
	}

	#putChannel(raw: Record<string, unknown>): boolean {
		const channel = parsePayload('Channel', raw, this.#validation);
		if (channel.guild_id !== undefined) {
			const record = this.#record(channel.guild_id, false);
			if (record === undefined) return false;
			record.channels.add(channel.id);
		}
		this.#channels.set(channel.id, prune(channel, this.#keep.channel));
		return true;
	}

	#channelDelete(d: Record<string, unknown>): boolean {
		const id = str(d, 'id');
		if (id === undefined) return false;
		this.#tombstones.set(`c:${id}`, true);
		return this.#dropChannel(id);
	}

	#dropChannel(id: string): boolean {
		const channel = this.#channels.get(id);
		this.#messages.delete(id);
		if (channel === undefined) return false;
		this.#channels.delete(id);
		if (channel.guild_id !== undefined) this.#guilds.get(channel.guild_id)?.channels.delete(id);
		return true;
	}

	#roleUpsert(d: Record<string, unknown>, create: boolean): boolean {
		const guildId = str(d, 'guild_id');
		if (!this.caches(CacheFlags.Roles) || guildId === undefined) return false;
		const role = parsePayload('Role', d.role, this.#validation);
		if (create) this.#tombstones.delete(`r:${role.id}`);
		else if (this.#tombstones.has(`r:${role.id}`)) return false;
		const record = this.#record(guildId, false);
		if (record === undefined) return false;
		record.roles.set(role.id, prune(role, this.#keep.role));
		return true;
	}

	#roleDelete(d: Record<string, unknown>): boolean {
		const roleId = str(d, 'role_id');
		const guildId = str(d, 'guild_id');
		if (roleId === undefined || guildId === undefined) return false;
		this.#tombstones.set(`r:${roleId}`, true);
		return this.#guilds.get(guildId)?.roles.delete(roleId) ?? false;
	}

	#emojisUpdate(d: Record<string, unknown>): boolean {
		const guildId = str(d, 'guild_id');
		if (!this.caches(CacheFlags.Emojis) || guildId === undefined) return false;
		const record = this.#record(guildId, false);
		if (record === undefined) return false;
		record.emojis.clear();
		for (const raw of arr(d, 'emojis')) {
			const emoji = parsePayload('Emoji', raw, this.#validation);
			if (emoji.id !== null) record.emojis.set(emoji.id, prune(emoji, this.#keep.emoji));
		}
		return true;
	}

	#memberUpsert(guildId: string | undefined, d: Record<string, unknown>, mode: MemberWrite): boolean {
		if (guildId === undefined) return false;
		const record = this.#record(guildId, false);
		if (record === undefined) return false;
		return this.#putMember(record, d, mode);
	}

	/**
	 * `add`: a join (clears a tombstone, counts); `snapshot`: GUILD_CREATE/chunk (clears, does not count); `update`:
	 * respects tombstones. `author`: the partial member of a message, whose user (and its row, already upserted) the
	 * message named; the member table is searched once.
	 */
	#putMember(
		record: GuildRecord,
		payload: Record<string, unknown>,
		mode: MemberWrite,
		author?: { readonly id: string; readonly row: number },
	): boolean {
		const user = rec(payload, 'user');
		const userId = user === undefined ? (author?.id ?? str(payload, 'user_id')) : str(user, 'id');
		if (userId === undefined) return false;
		const existing = record.members === undefined ? -1 : record.members.rowOf(userId);
		// A cached member has no tombstone (removal drops the row, a re-add clears the stone): only an uncached one
		// needs the lookup, so the hot path (a message from a cached member) builds no key string; nor does a start-up,
		// before anything was removed.
		if (existing < 0 && this.#tombstones.size > 0) {
			const tomb = `m:${record.id}:${userId}`;
			if (mode !== 'update') this.#tombstones.delete(tomb);
			else if (this.#tombstones.has(tomb)) return false;
		}
		const userRow =
			author !== undefined && user === undefined
				? author.row
				: user !== undefined && this.caches(CacheFlags.Users) && has(user, 'username')
					? this.#users.upsert(user)
					: this.#users.rowOf(userId);
		if (!this.caches(CacheFlags.Members)) return userRow >= 0;
		record.members ??= new MemberTable(record.id, this.#rolePool, this.#memberKeep);
		const table = record.members;
		if (existing < 0 && table.size >= this.#limits.members && userId !== this.#selfId) return false;
		const [row, created] =
			existing >= 0
				? table.update(existing, payload, author !== undefined)
				: table.upsert(userId, payload, author !== undefined);
		if (row < 0) return false;
		if (created) {
			if (userRow >= 0) this.#users.ref(userRow);
			if (mode === 'add' && record.data?.member_count !== undefined) {
				record.data = { ...record.data, member_count: record.data.member_count + 1 };
			}
		}
		return true;
	}

	#memberRemove(d: Record<string, unknown>): boolean {
		const guildId = str(d, 'guild_id');
		const user = rec(d, 'user');
		const userId = user === undefined ? undefined : str(user, 'id');
		if (guildId === undefined || userId === undefined) return false;
		this.#tombstones.set(`m:${guildId}:${userId}`, true);
		const record = this.#guilds.get(guildId);
		if (record === undefined) return false;
		const removed = this.#removeMember(record, userId);
		if (removed && record.data?.member_count !== undefined)
			record.data = { ...record.data, member_count: Math.max(0, record.data.member_count - 1) };
		return removed;
	}

	#membersChunk(d: Record<string, unknown>): boolean {
		const guildId = str(d, 'guild_id');
		const record = guildId === undefined ? undefined : this.#record(guildId, false);
		if (record === undefined) return false;
		for (const member of arr(d, 'members')) if (isRecord(member)) this.#putMember(record, member, 'snapshot');
		for (const presence of arr(d, 'presences')) if (isRecord(presence)) this.#putPresence(record, presence);
		return true;
	}

	/** `checked`: `d` is a MESSAGE_CREATE the caller checked already (see `validation: 'checked'`). */
	#messageCreate(d: Record<string, unknown>, checked: boolean): boolean {
		const author = rec(d, 'author');
		const authorId = author === undefined ? undefined : str(author, 'id');
		const userRow =
			author !== undefined &&
			authorId !== undefined &&
			this.caches(CacheFlags.Users) &&
			d.webhook_id === undefined
				? this.#users.upsert(author)
				: -1;
		const guildId = str(d, 'guild_id');
		const member = rec(d, 'member');
		if (guildId !== undefined && member !== undefined && authorId !== undefined) {
			const record = this.#record(guildId, false);
			if (record !== undefined)
				this.#putMember(record, member, 'update', {
					id: authorId,
					row: userRow >= 0 ? userRow : this.#users.rowOf(authorId),
				});
		}
		// A limit below 1 keeps none (as the `Map` this replaced did: it evicted past the limit at once).
		if (!this.caches(CacheFlags.Messages) || this.#limits.messages < 1) return false;
		const message = checked ? uncheckedModel('Message', d) : parsePayload('Message', d, this.#validation);
		if (this.#messageTombstones.size > 0) this.#messageTombstones.delete(message.id);
		if (message.guild_id !== undefined && this.#record(message.guild_id, false) === undefined) return false;
		this.#putMessage(message);
		return true;
	}

	/**
	 * Stores a message (as received, or a pruned copy when `properties.message` is set); the channel's window
	 * evicts its oldest past the limit in O(1) (see {@link MessageWindow}).
	 */
	#putMessage(message: Message): void {
		const stored = this.#keep.message === undefined ? message : pickMessage(message, this.#keep.message);
		let channel = this.#messages.get(message.channel_id);
		if (channel === undefined)
			this.#messages.set(message.channel_id, (channel = new MessageWindow(this.#limits.messages)));
		channel.set(stored);
	}

	#messageUpdate(d: Record<string, unknown>): boolean {
		const id = str(d, 'id');
		const channelId = str(d, 'channel_id');
		if (
			!this.caches(CacheFlags.Messages) ||
			id === undefined ||
			channelId === undefined ||
			this.#messageTombstones.has(id)
		)
			return false;
		const existing = this.#messages.get(channelId)?.get(id);
		if (existing === undefined)
			return has(d, 'author') && has(d, 'timestamp') ? this.#messageCreate(d, false) : false;
		const edited = time(strOrNull(d, 'edited_timestamp'));
		const current = time(existing.edited_timestamp);
		if (edited !== null && current !== null && edited < current) return false;
		const merged = parsePayload('Message', { ...existing, ...d }, this.#validation);
		this.#messages
			.get(channelId)
			?.set(this.#keep.message === undefined ? merged : pickMessage(merged, this.#keep.message));
		return true;
	}

	#messageDelete(channelId: string | undefined, ids: readonly unknown[]): boolean {
		if (channelId === undefined) return false;
		let removed = false;
		for (const id of ids) {
			if (typeof id !== 'string') continue;
			this.#messageTombstones.set(id, true);
			removed = (this.#messages.get(channelId)?.delete(id) ?? false) || removed;
		}
		return removed;
	}

	#presenceUpdate(guildId: string | undefined, d: Record<string, unknown>): boolean {
		const record = guildId === undefined ? undefined : this.#record(guildId, false);
		if (record === undefined) return false;
		return this.#putPresence(record, d);
	}

	#putPresence(record: GuildRecord, d: Record<string, unknown>): boolean {
		const user = rec(d, 'user');
		const userId = user === undefined ? undefined : str(user, 'id');
		if (user === undefined || userId === undefined) return false;
		if (this.caches(CacheFlags.Users) && (has(user, 'username') || this.#users.rowOf(userId) >= 0))
			this.#users.upsert(user);
		if (!this.caches(CacheFlags.Presences)) return false;
		if (record.presences.size >= this.#limits.presences && !record.presences.has(userId)) return false;
		const clientStatus: Record<string, string> = {};
		for (const [platform, status] of Object.entries(rec(d, 'client_status') ?? {}))
			if (typeof status === 'string') clientStatus[platform] = status;
		record.presences.set(userId, {
			userId: uncheckedSnowflake('User', userId),
			guildId: record.id,
			status: str(d, 'status') ?? 'offline',
			activities: this.#activities ? arr(d, 'activities') : [],
			clientStatus,
		});
		return true;
	}

	#voiceStateUpdate(guildId: string | undefined, d: Record<string, unknown>): boolean {
		const record = guildId === undefined ? undefined : this.#record(guildId, false);
		if (record === undefined) return false;
		const member = rec(d, 'member');
		if (member !== undefined) this.#putMember(record, member, 'update');
		if (!this.caches(CacheFlags.VoiceStates)) return false;
		return this.#putVoiceState(record, d);
	}

	#putVoiceState(record: GuildRecord, d: Record<string, unknown>): boolean {
		const userId = str(d, 'user_id');
		if (userId === undefined) return false;
		const channelId = strOrNull(d, 'channel_id') ?? null;
		if (channelId === null) return record.voiceStates.delete(userId);
		record.voiceStates.set(userId, {
			guildId: record.id,
			userId: uncheckedSnowflake('User', userId),
			channelId: uncheckedSnowflake('Channel', channelId),
			sessionId: str(d, 'session_id') ?? '',
			deaf: bool(d, 'deaf') ?? false,
			mute: bool(d, 'mute') ?? false,
			selfDeaf: bool(d, 'self_deaf') ?? false,
			selfMute: bool(d, 'self_mute') ?? false,
			selfStream: bool(d, 'self_stream') ?? false,
			selfVideo: bool(d, 'self_video') ?? false,
			suppress: bool(d, 'suppress') ?? false,
			requestToSpeakAt: time(strOrNull(d, 'request_to_speak_timestamp')),
		});
		return true;
	}

	/** Whether every flag in `flag` is on. */
	public caches(flag: number): boolean {
		return (this.flags & flag) === flag;
	}

	// ---- getters -------------------------------------------------------------------------------------------

	/** The bot's own user (from READY / USER_UPDATE). */
	public get self(): CachedUser | undefined {
		return this.#selfId === undefined ? undefined : this.#users.view(this.#selfId);
	}

	/** The cached guild (its own fields; channels, roles and members have their own getters). */
	public guild(id: GuildId): CachedGuild | undefined {
		const value = this.#guilds.get(id)?.data;
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.guild(id), value);
	}

	/** Every cached guild. */
	public *guilds(): IterableIterator<CachedGuild> {
		for (const record of this.#guilds.values()) if (record.data !== undefined) yield record.data;
	}

	/** IDs of guilds known to the cache, including unavailable ones. */
	public guildIds(): GuildId[] {
		return [...this.#guilds.values()].map((record) => record.id);
	}

	/** Whether the guild is known and currently available. */
	public isAvailable(id: GuildId): boolean {
		const record = this.#guilds.get(id);
		return record !== undefined && !record.unavailable;
	}

	/** A cached channel or thread (guild or DM). */
	public channel(id: ChannelId): Channel | undefined {
		const value = this.#channels.get(id);
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.channel(id), value);
	}

	/** The cached channels (and threads) of a guild. */
	public channels(guildId: GuildId): Channel[] {
		const out: Channel[] = [];
		for (const id of this.#guilds.get(guildId)?.channels ?? []) {
			const channel = this.#channels.get(id);
			if (channel !== undefined) out.push(channel);
		}
		return out;
	}

	/** A role of a guild. */
	public role(guildId: GuildId, roleId: RoleId): Role | undefined {
		const value = this.#guilds.get(guildId)?.roles.get(roleId);
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.role(guildId, roleId), value);
	}

	/** Every cached role of a guild. */
	public roles(guildId: GuildId): Role[] {
		return [...(this.#guilds.get(guildId)?.roles.values() ?? [])];
	}

	/** A custom emoji of a guild. */
	public emoji(guildId: GuildId, emojiId: EmojiId): Emoji | undefined {
		const value = this.#guilds.get(guildId)?.emojis.get(emojiId);
		return this.#emitter === undefined ? value : this.#reportGet(`emoji:${guildId}:${emojiId}`, value);
	}

	/** Every cached emoji of a guild. */
	public emojis(guildId: GuildId): Emoji[] {
		return [...(this.#guilds.get(guildId)?.emojis.values() ?? [])];
	}

	/** A user as a plain object built on read from the compact user table. */
	public user(id: UserId): CachedUser | undefined {
		const value = this.#users.view(id);
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.user(id), value);
	}

	/** A member as a plain object built on read (with its user when users are cached). */
	public member(guildId: GuildId, userId: UserId): CachedMember | undefined {
		const record = this.#guilds.get(guildId);
		const table = record?.members;
		const row = record === undefined || table === undefined ? -1 : table.rowOf(userId);
		const value =
			row < 0 || record === undefined || table === undefined
				? undefined
				: table.viewAt(row, this.#users.view(userId), this.#roleFilter(record));
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.member(guildId, userId), value);
	}

	/** Every cached member of a guild. */
	public *members(guildId: GuildId): IterableIterator<CachedMember> {
		const record = this.#guilds.get(guildId);
		const table = record?.members;
		if (record === undefined || table === undefined) return;
		const filter = this.#roleFilter(record);
		for (const row of table.rows()) yield table.viewAt(row, this.#users.view(table.idAt(row)), filter);
	}

	/** How many members of the guild are cached. */
	public cachedMemberCount(guildId: GuildId): number {
		return this.#guilds.get(guildId)?.members?.size ?? 0;
	}

	/** A cached message. */
	public message(channelId: ChannelId, messageId: MessageId): Message | undefined {
		const value = this.#messages.get(channelId)?.get(messageId);
		return this.#emitter === undefined ? value : this.#reportGet(DiscordKeys.message(channelId, messageId), value);
	}

	/** Cached messages of a channel, oldest first. */
	public messages(channelId: ChannelId): Message[] {
		return [...(this.#messages.get(channelId)?.values() ?? [])];
	}

	/** A member's presence (when presences are cached). */
	public presence(guildId: GuildId, userId: UserId): CachedPresence | undefined {
		return this.#guilds.get(guildId)?.presences.get(userId);
	}

	/** A member's voice state; absent when the member is not in a voice channel. */
	public voiceState(guildId: GuildId, userId: UserId): CachedVoiceState | undefined {
		return this.#guilds.get(guildId)?.voiceStates.get(userId);
	}

	/** Every voice state of a guild. */
	public voiceStates(guildId: GuildId): CachedVoiceState[] {
		return [...(this.#guilds.get(guildId)?.voiceStates.values() ?? [])];
	}

	/** Reports a single-entity read on the bus (`cache:beforeGet`, then `cache:afterGet` with tier `'entity'`). */
	#reportGet<T>(key: string, value: T | undefined): T | undefined {
		const emitter = this.#emitter;
		if (emitter === undefined) return value;
		if (emitter.has('cache:beforeGet')) emitter.emit('cache:beforeGet', key);
		if (emitter.has('cache:tierRead'))
			emitter.emit('cache:tierRead', { key, tier: 'entity', hit: value !== undefined, durationMs: 0 });
		if (emitter.has('cache:afterGet'))
			emitter.emit('cache:afterGet', key, value !== undefined, value === undefined ? undefined : 'entity');
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
		for (const record of this.#guilds.values()) {
			members += record.members?.size ?? 0;
			memberBytes += record.members?.byteSize() ?? 0;
			roles += record.roles.size;
			emojis += record.emojis.size;
			presences += record.presences.size;
			voiceStates += record.voiceStates.size;
		}
		let messages = 0;
		for (const channel of this.#messages.values()) messages += channel.size;
		return {
			guilds: this.#guilds.size,
			channels: this.#channels.size,
			roles,
			emojis,
			members,
			users: this.#users.size,
			messages,
			presences,
			voiceStates,
			compactBytes: memberBytes + this.#users.byteSize() + this.#rolePool.byteSize(),
			rejected: this.#rejected,
		};
	}

	/** Removes everything. */
	public clear(): void {
		this.#guilds.clear();
		this.#channels.clear();
		this.#messages.clear();
		for (const row of [...this.#users.rows()]) this.#users.remove(this.#users.idAt(row));
		this.#tombstones.clear();
		this.#messageTombstones.clear();
	}

	/**
	 * Sweeps on demand, by predicate: `sweep.messages((m, now) => now - Date.parse(m.timestamp) > 3_600_000)`,
	 * `sweep.users((u) => !u.referenced)`, `sweep.members(...)`, `sweep.presences(...)`, `sweep.voiceStates(...)`,
	 * `sweep.channels(...)`, `sweep.emojis(...)`, `sweep.roles(...)`. Each returns how many entries it removed.
	 */
	public get sweep(): EntitySweeper {
		return this.#sweeper;
	}

	/** Stops the sweepers. */
	public destroy(): void {
		this.#sweeper.stop();
	}

	/** Removes a member and releases its user. */
	#removeMember(record: GuildRecord, user: string): boolean {
		const removed = record.members?.remove(user) ?? false;
		if (removed) this.#releaseUser(user);
		return removed;
	}

	/** The record of guild `id`; created when `create` or when the guild is not tombstoned (standalone use). */
	#record(id: string, create: boolean): GuildRecord | undefined {
		let record = this.#guilds.get(id);
		if (record === undefined && (create || !this.#tombstones.has(`g:${id}`))) {
			record = new GuildRecord(uncheckedSnowflake('Guild', id));
			this.#guilds.set(id, record);
		}
		return record;
	}

	#roleFilter(record: GuildRecord): ((role: string) => boolean) | undefined {
		if (!this.caches(CacheFlags.Roles) || record.roles.size === 0) return undefined;
		return (role) => record.roles.has(role);
	}

	#releaseUser(userId: string): void {
		const row = this.#users.rowOf(userId);
		if (row >= 0 && this.#users.unref(row) === 0 && userId !== this.#selfId) this.#users.remove(userId);
	}
}

type MemberWrite = 'add' | 'snapshot' | 'update';

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
