import {
	type AuditLogEvent,
	ChannelType,
	GatewayDispatchEvents,
	ThreadAutoArchiveDuration,
	type APIAuditLogChange,
	type APIThreadChannel,
	type APIMessage,
	type APIRole,
	type APIUser,
} from 'discord-api-types/v10';
import {
	uncheckedSnowflake,
	type PermissionName,
	type ChannelId,
	type GuildId,
	type MessageId,
	type RoleId,
	type UserId,
} from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import type { InteractionResponse, TriggerInteractionOptions } from '../interactions/InteractionHub.js';
import { SeededRandom } from '../utils/random.js';
import { WorldData } from './WorldData.js';
import { SnowflakeGenerator } from '../utils/SnowflakeGenerator.js';
import {
	EVERYONE_PERMISSIONS,
	makeChannel,
	makeMember,
	makeRole,
	makeUser,
	makeDmChannel,
	makeThread,
	type MessageInit,
	type MockMember,
	type MockUser,
} from './factories.js';
import { gatewayMessage, guildCreatePayload, guildObject } from './payloadShapes.js';
import { postMessage } from './postMessage.js';
import { bitsAllow, highestRolePosition, memberPermissions, outranks } from './permissions.js';
import type {
	ChannelRecord,
	CreateChannelOptions,
	CreateGuildOptions,
	CreateRoleOptions,
	DispatchSink,
	GuildRecord,
} from './records.js';

export type {
	DispatchSink,
	GuildRecord,
	ChannelRecord,
	CreateGuildOptions,
	CreateChannelOptions,
	CreateRoleOptions,
} from './records.js';

const NAMES = ['ada', 'bram', 'cleo', 'dax', 'edda', 'finn', 'gus', 'hana', 'ivo', 'juno', 'kai', 'lea'] as const;

/** Answers {@link World.triggerInteraction}: the mock's interaction hub. */
type InteractionTrigger = (options: TriggerInteractionOptions) => Promise<InteractionResponse>;

// Set by World's static block (friend access to its private wiring), for connectGateway and connectInteractions.
let wireGateway: (world: World, sink: DispatchSink, listening: () => boolean) => void;
let wireInteractions: (world: World, trigger: InteractionTrigger) => void;

/**
 * The mock's state: users, guilds, channels, roles, members and messages. Every mutation produces the gateway
 * dispatch Discord would send, through the {@link DispatchSink} the mock wires in.
 */
export class World {
	/** Every user the world knows, the bot included. */
	public readonly users = new Map<UserId, MockUser>();
	/** Guilds by ID, in creation order. */
	public readonly guilds = new Map<GuildId, GuildRecord>();
	/** Channels by ID (guild channels, threads and DMs). */
	public readonly channels = new Map<ChannelId, ChannelRecord>();
	/** The bot's user. */
	public readonly botUser: MockUser;
	/** Bans, invites, webhooks, commands, reactions, pins, thread members and the audit log. */
	public readonly data = new WorldData();
	/** Presences set with {@link World.setPresence}, by user. */
	public readonly presences = new Map<UserId, { status: string; activities: unknown[] }>();
	/** Permission bits of the bot's managed role in new guilds. */
	public botPermissions: string;
	/** Generates every ID in the world. */
	public readonly ids: SnowflakeGenerator;
	/** The seeded random source shared by generators. */
	public readonly random: SeededRandom;
	#sink: DispatchSink = () => undefined;
	#listening: () => boolean = () => false;
	#interactionTrigger: InteractionTrigger | undefined;
	#userCounter = 0;

	static {
		// The mock plugs its gateway and interaction hub in through connectGateway and connectInteractions (below,
		// not exported from src/index.ts): a test author's World has no wiring methods.
		wireGateway = (world, sink, listening) => {
			world.#sink = sink;
			world.#listening = listening;
		};
		wireInteractions = (world, trigger) => {
			world.#interactionTrigger = trigger;
		};
	}

	public constructor(seed: number, epoch?: number, botPermissions = '8') {
		this.botPermissions = botPermissions;
		this.random = new SeededRandom(seed);
		this.ids = new SnowflakeGenerator(1, epoch);
		const botId = this.ids.next('User');
		this.botUser = makeUser(botId, 'OvenMock', true);
		this.users.set(botId, this.botUser);
	}

	/**
	 * Sends every dispatch the world produces to `sink`, e.g. to record what a standalone `new World(seed)` emits.
	 * A `MockDiscord`'s world is connected to its gateway already: replacing the sink there cuts the shards off.
	 */
	public setSink(sink: DispatchSink): void {
		this.#sink = sink;
		this.#listening = () => true;
	}

	/**
	 * Makes a user interact (a slash command, a button ...): dispatches `INTERACTION_CREATE` and resolves with the
	 * body the bot posts to `/interactions/{id}/{token}/callback`. Rejects with `MOCK_INTERACTION_TIMEOUT` when the
	 * bot does not answer within `timeoutMs` (3 s, like Discord).
	 */
	public async triggerInteraction(options: TriggerInteractionOptions): Promise<InteractionResponse> {
		if (this.#interactionTrigger === undefined) throw MockError.of('MOCK_NOT_STARTED', ['triggerInteraction']);
		return await this.#interactionTrigger(options);
	}

	/** Emits a dispatch to the gateway (routed by guild, filtered by intents). */
	public emit(event: GatewayDispatchEvents, data: unknown, guildId: GuildId | null): void {
		this.#sink(event, data, guildId);
	}

	/** The current time as an ISO-8601 timestamp. */
	public now(): string {
		return new Date().toISOString();
	}

	/** Creates a user (not in any guild). */
	public createUser(username?: string): MockUser {
		const id = this.ids.next('User');
		this.#userCounter++;
		const name = username ?? `${this.random.pick(NAMES)}${this.#userCounter}`;
		const user = makeUser(id, name);
		this.users.set(id, user);
		return user;
	}

	/** The user with this ID, or a `MOCK_UNKNOWN_ENTITY` error. */
	public user(id: UserId): MockUser {
		const user = this.users.get(id);
		if (user === undefined)
			throw MockError.of('MOCK_UNKNOWN_ENTITY', [`user ${id}`, 'create it with world.createUser() first']);
		return user;
	}

	/** The guild with this ID, or a `MOCK_UNKNOWN_ENTITY` error. */
	public guild(id: GuildId): GuildRecord {
		const guild = this.guilds.get(id);
		if (guild === undefined)
			throw MockError.of('MOCK_UNKNOWN_ENTITY', [`guild ${id}`, 'create it with world.createGuild() first']);
		return guild;
	}

	/** The channel with this ID, or a `MOCK_UNKNOWN_ENTITY` error. */
	public channel(id: ChannelId): ChannelRecord {
		const channel = this.channels.get(id);
		if (channel === undefined)
			throw MockError.of('MOCK_UNKNOWN_ENTITY', [`channel ${id}`, 'create it with world.createChannel() first']);
		return channel;
	}

	/**
	 * Creates a guild with an `@everyone` role, `channels` text channels and `members` members (plus the owner and,
	 * unless `withBot: false`, the bot). Connected shards that handle it receive `GUILD_CREATE`.
	 */
	public createGuild(options: CreateGuildOptions = {}): GuildRecord {
		const channelCount = options.channels ?? 3;
		const memberCount = options.members ?? 10;
		if (!Number.isInteger(channelCount) || channelCount < 0 || !Number.isInteger(memberCount) || memberCount < 0) {
			throw MockError.of('MOCK_INVALID_OPTION', [
				'createGuild: channels and members',
				'non-negative integers',
				`${channelCount} and ${memberCount}`,
			]);
		}
		const id = this.ids.next('Guild');
		const owner = options.ownerId === undefined ? this.createUser() : this.user(options.ownerId);
		const record: GuildRecord = {
			id,
			name: options.name ?? `Guild ${this.guilds.size + 1}`,
			ownerId: asOwner(owner),
			createdAt: this.now(),
			roles: new Map(),
			channels: new Set(),
			members: new Map(),
			systemChannelId: null,
		};
		// The @everyone role shares the guild's ID.
		const everyoneId = uncheckedSnowflake('Role', id);
		record.roles.set(everyoneId, makeRole(everyoneId, '@everyone', 0, EVERYONE_PERMISSIONS));
		this.guilds.set(id, record);
		for (let i = 0; i < channelCount; i++) {
			const channel = this.#insertChannel(record, { name: i === 0 ? 'general' : `channel-${i + 1}` });
			if (i === 0) record.systemChannelId = channel.id;
		}
		const joinedAt = this.now();
		this.#insertMember(record, owner, [], joinedAt);
		if (options.withBot !== false) {
			const botRoleId = this.ids.next('Role');
			record.roles.set(botRoleId, makeRole(botRoleId, this.botUser.username, 1, this.botPermissions, true));
			this.#insertMember(record, this.botUser, [botRoleId], joinedAt);
		}
		for (let i = 0; i < memberCount; i++) this.#insertMember(record, this.createUser(), [], joinedAt);
		// Building GUILD_CREATE is the costly part of generation: skip it while no session can receive it.
		if (this.#listening()) this.emit(GatewayDispatchEvents.GuildCreate, this.guildCreatePayload(record), id);
		return record;
	}

	/** Creates a channel in a guild; shards receive `CHANNEL_CREATE`. */
	public createChannel(guildId: GuildId, options: CreateChannelOptions = {}): ChannelRecord {
		const record = this.#insertChannel(this.guild(guildId), options);
		this.emit(GatewayDispatchEvents.ChannelCreate, record.channel, guildId);
		return record;
	}

	/** Creates a role in a guild; shards receive `GUILD_ROLE_CREATE`. */
	public createRole(guildId: GuildId, options: CreateRoleOptions = {}): APIRole {
		const guild = this.guild(guildId);
		const id = this.ids.next('Role');
		// Like Discord, a new role goes right above @everyone and every other role moves up one.
		for (const [roleId, existing] of guild.roles) {
			if (existing.position >= 1) guild.roles.set(roleId, { ...existing, position: existing.position + 1 });
		}
		const role = makeRole(id, options.name ?? `role-${guild.roles.size}`, 1, options.permissions ?? '0');
		guild.roles.set(id, role);
		this.emit(GatewayDispatchEvents.GuildRoleCreate, { guild_id: guildId, role }, guildId);
		return role;
	}

	/**
	 * Adds a member to a guild (a new user unless `userId` is given); shards with the `GuildMembers` intent
	 * receive `GUILD_MEMBER_ADD`.
	 */
	public addMember(guildId: GuildId, userId?: UserId, roles: readonly RoleId[] = []): MockMember {
		const guild = this.guild(guildId);
		const user = userId === undefined ? this.createUser() : this.user(userId);
		for (const role of roles) {
			if (!guild.roles.has(role))
				throw MockError.of('MOCK_UNKNOWN_ENTITY', [
					`role ${role} in guild ${guildId}`,
					'addMember takes roles of that guild (world.createRole())',
				]);
		}
		const member = this.#insertMember(guild, user, roles);
		this.emit(GatewayDispatchEvents.GuildMemberAdd, { ...member, guild_id: guildId }, guildId);
		return member;
	}

	/**
	 * Posts a message as `authorId` in `channelId` and dispatches `MESSAGE_CREATE`.
	 * @param content - the text, or a partial message init (embeds, components, nonce ...)
	 */
	public sendMessage(
		channelId: ChannelId,
		authorId: UserId,
		content:
			| string
			| Partial<
					Pick<
						MessageInit,
						| 'content'
						| 'embeds'
						| 'components'
						| 'attachments'
						| 'nonce'
						| 'tts'
						| 'messageReference'
						| 'flags'
					>
			  >,
	): APIMessage {
		const author = this.user(authorId);
		const fields = typeof content === 'string' ? { content } : content;
		return postMessage(this, channelId, author, fields);
	}

	/** The `MESSAGE_CREATE`/`MESSAGE_UPDATE` payload: the message plus `guild_id` and the author's `member`. */
	public gatewayMessage(message: APIMessage, guild: GuildRecord | undefined): Record<string, unknown> {
		return gatewayMessage(message, guild);
	}

	/** The `GUILD_CREATE` payload of a guild (members capped at `largeThreshold`, as Discord does). */
	public guildCreatePayload(guild: GuildRecord, largeThreshold = 250): Record<string, unknown> {
		return guildCreatePayload(
			guild,
			[...guild.channels].map((id) => this.channel(id)),
			this.botUser.id,
			largeThreshold,
		);
	}

	/** The REST guild object (`GET /guilds/{guild.id}`). */
	public guildObject(guild: GuildRecord): ReturnType<typeof guildObject> {
		return guildObject(guild);
	}

	/** Creates a thread under `parentId` (from a message when `messageId` is given); shards receive `THREAD_CREATE`. */
	public createThread(
		parentId: ChannelId,
		ownerId: UserId,
		options: {
			name: string;
			type?: ChannelType.PublicThread | ChannelType.PrivateThread;
			autoArchiveDuration?: ThreadAutoArchiveDuration;
			messageId?: MessageId;
		},
	): ChannelRecord & { channel: APIThreadChannel } {
		const parent = this.channel(parentId);
		if (parent.guildId === null) throw MockError.of('MOCK_NOT_A_GUILD_CHANNEL', ['createThread', parentId]);
		const guild = this.guild(parent.guildId);
		const id: ChannelId =
			options.messageId === undefined
				? this.ids.next('Channel')
				: uncheckedSnowflake('Channel', options.messageId);
		const thread = makeThread({
			id,
			guildId: guild.id,
			parentId,
			ownerId,
			name: options.name,
			type: options.type ?? ChannelType.PublicThread,
			autoArchiveDuration: options.autoArchiveDuration ?? ThreadAutoArchiveDuration.OneDay,
			timestamp: this.now(),
		});
		const record: ChannelRecord & { channel: APIThreadChannel } = {
			id,
			guildId: guild.id,
			channel: thread,
			messages: new Map(),
		};
		this.channels.set(id, record);
		this.data.threadMembers.set(id, new Map([[ownerId, this.now()]]));
		this.emit(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true }, guild.id);
		return record;
	}

	/** The DM channel between the bot and `userId` (created on first use). */
	public dmChannel(userId: UserId): ChannelRecord {
		const existing = this.data.dmChannels.get(userId);
		if (existing !== undefined) return this.channel(existing);
		const user = this.user(userId);
		const id = this.ids.next('Channel');
		const record: ChannelRecord = { id, guildId: null, channel: makeDmChannel(id, user), messages: new Map() };
		this.channels.set(id, record);
		this.data.dmChannels.set(userId, id);
		return record;
	}

	/** Sets a member's presence; shards with the `GuildPresences` intent receive `PRESENCE_UPDATE` for each shared guild. */
	public setPresence(
		userId: UserId,
		status: 'online' | 'idle' | 'dnd' | 'offline',
		activities: unknown[] = [],
	): void {
		const user = this.user(userId);
		this.presences.set(userId, { status, activities });
		for (const guild of this.guilds.values()) {
			if (!guild.members.has(userId)) continue;
			this.emit(
				GatewayDispatchEvents.PresenceUpdate,
				{
					user: { id: user.id },
					guild_id: guild.id,
					status,
					activities,
					client_status: status === 'offline' ? {} : { desktop: status },
				},
				guild.id,
			);
		}
	}

	/** The bot's permissions in a guild (and channel, applying its overwrites). */
	public botPermissionsIn(guildId: GuildId, channelId?: ChannelId): bigint {
		const guild = this.guild(guildId);
		return memberPermissions(
			guild,
			uncheckedSnowflake('User', this.botUser.id),
			channelId === undefined ? undefined : this.channels.get(channelId),
		);
	}

	/** Whether the bot has `permission` in the guild (and channel). */
	public botCan(guildId: GuildId, permission: PermissionName, channelId?: ChannelId): boolean {
		return bitsAllow(this.botPermissionsIn(guildId, channelId), permission);
	}

	/**
	 * Whether the bot may act on something ranked at `position` in the role hierarchy: it must own the guild or
	 * have a role positioned strictly higher (Discord's rule for editing roles, kicking and banning).
	 */
	public botOutranks(guildId: GuildId, position: number): boolean {
		return outranks(this.guild(guildId), uncheckedSnowflake('User', this.botUser.id), position);
	}

	/** The position of a member's highest role (0 = only @everyone). */
	public highestRolePosition(guild: GuildRecord, userId: UserId): number {
		return highestRolePosition(guild, userId);
	}

	/** Records an audit-log entry made by the bot (with the request's `X-Audit-Log-Reason`) and dispatches it. */
	public audit(
		guildId: GuildId,
		action: AuditLogEvent,
		targetId: string | null,
		reason: string | undefined,
		changes?: APIAuditLogChange[],
	): void {
		const entry = {
			id: this.ids.next('AuditLogEntry'),
			action_type: action,
			target_id: targetId,
			user_id: this.botUser.id,
			...(reason === undefined ? {} : { reason }),
			...(changes === undefined ? {} : { changes }),
		};
		this.data.auditOf(guildId).push(entry);
		this.emit(GatewayDispatchEvents.GuildAuditLogEntryCreate, { ...entry, guild_id: guildId }, guildId);
	}

	/**
	 * Generates `guilds` guilds of `membersPerGuild` members and `channelsPerGuild` channels. Fast enough for
	 * benchmarks (100 × 1,000 in well under a second); emits nothing when no shard is connected yet.
	 */
	public generate(guilds: number, membersPerGuild: number, channelsPerGuild: number): GuildRecord[] {
		const out: GuildRecord[] = [];
		for (let i = 0; i < guilds; i++)
			out.push(this.createGuild({ members: membersPerGuild, channels: channelsPerGuild }));
		return out;
	}

	#insertChannel(guild: GuildRecord, options: CreateChannelOptions): ChannelRecord {
		const id = this.ids.next('Channel');
		const channel = makeChannel({
			id,
			guildId: guild.id,
			name: options.name ?? `channel-${guild.channels.size + 1}`,
			type: options.type ?? ChannelType.GuildText,
			position: guild.channels.size,
			parentId: options.parentId ?? null,
			topic: options.topic ?? null,
		});
		const record: ChannelRecord = { id, guildId: guild.id, channel, messages: new Map() };
		this.channels.set(id, record);
		guild.channels.add(id);
		return record;
	}

	#insertMember(
		guild: GuildRecord,
		user: MockUser,
		roles: readonly RoleId[] = [],
		joinedAt = this.now(),
	): MockMember {
		const member = makeMember(user, roles, joinedAt);
		guild.members.set(uncheckedSnowflake('User', user.id), member);
		return member;
	}
}

function asOwner(user: APIUser): UserId {
	return uncheckedSnowflake('User', user.id);
}

/**
 * Routes the world's dispatches to the mock's gateway; `listening` says whether any session could receive one
 * (`GUILD_CREATE` is costly to build: skipped while it is false). Package-private: not exported from src/index.ts.
 */
export function connectGateway(world: World, sink: DispatchSink, listening: () => boolean): void {
	wireGateway(world, sink, listening);
}

/** Lets {@link World.triggerInteraction} reach the mock's interaction hub. Package-private: not exported from src/index.ts. */
export function connectInteractions(world: World, trigger: InteractionTrigger): void {
	wireInteractions(world, trigger);
}
