import { describe, expect, it, vi } from 'vitest';
import { World } from '@ovenjs/testing';
import { asChannelId, asEmojiId, asGuildId, asMessageId, asRoleId, asUserId, type GuildId } from '@ovenjs/types';
import { CacheError, CacheFlags, EntityCache } from '@ovenjs/cache';

interface Dispatch {
	t: string;
	d: unknown;
}

/** A mock world whose dispatches are recorded, to replay into the cache in any order. */
function recordWorld(seed = 7): { world: World; events: Dispatch[] } {
	const world = new World(seed);
	const events: Dispatch[] = [];
	world.setSink((event, data) => {
		events.push({ t: event, d: structuredClone(data) });
	});
	return { world, events };
}

function feed(cache: EntityCache, events: readonly Dispatch[]): void {
	for (const event of events) cache.handle(event);
}

describe('EntityCache with event sequences from the mock (@ovenjs/testing World)', () => {
	it('ingests GUILD_CREATE, channels, roles, members and messages and serves them by branded ID', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 20, channels: 3 });
		const role = world.createRole(guild.id, { name: 'mods' });
		const channel = world.createChannel(guild.id, { name: 'extra' });
		const newcomer = world.addMember(guild.id, undefined, [asRoleId(role.id)]);
		const message = world.sendMessage(channel.id, guild.ownerId, 'hello');
		const cache = new EntityCache();
		feed(cache, [
			{ t: 'READY', d: { user: world.botUser, guilds: [{ id: guild.id, unavailable: true }] } },
			...events,
		]);

		const cachedGuild = cache.guild(guild.id);
		expect(cachedGuild?.name).toBe(guild.name);
		expect(cache.isAvailable(guild.id)).toBe(true);
		expect(cache.channels(guild.id)).toHaveLength(4);
		expect(cache.channel(asChannelId(channel.channel.id))?.name).toBe('extra');
		expect(cache.role(guild.id, asRoleId(role.id))?.name).toBe('mods');
		const userId = newcomer.user.id;
		const member = cache.member(guild.id, asUserId(userId));
		expect(member?.roles).toEqual([asRoleId(role.id)]);
		expect(member?.user?.username).toBe(newcomer.user.username);
		expect(member?.joinedAt).toBe(Date.parse(newcomer.joined_at ?? ''));
		expect(cache.cachedMemberCount(guild.id)).toBe(guild.members.size);
		expect(cache.message(asChannelId(channel.channel.id), asMessageId(message.id))?.content).toBe('hello');
		expect(cache.self?.id).toBe(world.botUser.id);
		expect(cache.user(asUserId(guild.ownerId))?.id).toBe(guild.ownerId);
		expect(cache.stats()).toMatchObject({
			guilds: 1,
			channels: 4,
			members: guild.members.size,
			messages: 1,
			rejected: 0,
		});
	});

	it('is idempotent under duplicated events', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 5 });
		world.addMember(guild.id);
		world.sendMessage([...guild.channels][0]!, guild.ownerId, 'x');
		const once = new EntityCache();
		feed(once, events);
		const twice = new EntityCache();
		for (const event of events) {
			twice.handle(event);
			twice.handle(event);
		}
		expect(twice.stats()).toEqual(once.stats());
		expect(twice.guild(guild.id)?.member_count).toBe(once.guild(guild.id)?.member_count);
		expect([...twice.members(guild.id)].map((member) => member.userId).sort()).toEqual(
			[...once.members(guild.id)].map((member) => member.userId).sort(),
		);
	});

	it('stays consistent when removals arrive before late updates (built from discord-api-types shapes)', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 3 });
		const joined = world.addMember(guild.id);
		const channelId = [...guild.channels][0]!;
		const message = world.sendMessage(channelId, guild.ownerId, 'original');
		const cache = new EntityCache();
		feed(cache, events);
		const userId = asUserId(joined.user.id);
		const countBefore = cache.guild(guild.id)?.member_count;
		// The mock has no member-removal or message-delete scenario yet: these follow the GatewayDispatchPayload shapes.
		cache.handle({ t: 'GUILD_MEMBER_REMOVE', d: { guild_id: guild.id, user: joined.user } });
		cache.handle({
			t: 'GUILD_MEMBER_UPDATE',
			d: { guild_id: guild.id, user: joined.user, roles: [], joined_at: joined.joined_at, nick: 'late' },
		});
		expect(cache.member(guild.id, userId)).toBeUndefined();
		expect(cache.guild(guild.id)?.member_count).toBe((countBefore ?? 0) - 1);
		cache.handle({ t: 'GUILD_MEMBER_ADD', d: { ...joined, guild_id: guild.id } });
		expect(cache.member(guild.id, userId)).toBeDefined();

		cache.handle({ t: 'MESSAGE_DELETE', d: { id: message.id, channel_id: channelId, guild_id: guild.id } });
		cache.handle({
			t: 'MESSAGE_UPDATE',
			d: { ...message, content: 'edited late', edited_timestamp: new Date().toISOString() },
		});
		expect(cache.message(channelId, asMessageId(message.id))).toBeUndefined();

		// An older edit arriving after a newer one is ignored.
		const second = world.sendMessage(channelId, guild.ownerId, 'v1');
		feed(cache, events.slice(-1));
		cache.handle({
			t: 'MESSAGE_UPDATE',
			d: { ...second, content: 'v3', edited_timestamp: '2030-01-01T00:00:03.000Z' },
		});
		cache.handle({
			t: 'MESSAGE_UPDATE',
			d: { ...second, content: 'v2', edited_timestamp: '2030-01-01T00:00:02.000Z' },
		});
		expect(cache.message(channelId, asMessageId(second.id))?.content).toBe('v3');

		// Late events for a deleted guild do not bring it back.
		cache.handle({ t: 'GUILD_DELETE', d: { id: guild.id } });
		cache.handle({ t: 'GUILD_MEMBER_ADD', d: { ...joined, guild_id: guild.id } });
		cache.handle({ t: 'CHANNEL_UPDATE', d: { id: channelId, type: 0, guild_id: guild.id, name: 'ghost' } });
		expect(cache.guild(guild.id)).toBeUndefined();
		expect(cache.channel(channelId)).toBeUndefined();
		expect(cache.stats()).toMatchObject({ guilds: 0, channels: 0, members: 0, messages: 0 });
		// Users only referenced by the deleted guild's members are released; the bot stays.
		expect(cache.user(userId)).toBeUndefined();
	});

	it('cascades GUILD_DELETE to channels, roles, members, messages and keeps data through an outage', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 4 });
		const channelId = [...guild.channels][0]!;
		world.sendMessage(channelId, guild.ownerId, 'hi');
		const cache = new EntityCache();
		feed(cache, events);
		cache.handle({ t: 'GUILD_DELETE', d: { id: guild.id, unavailable: true } });
		expect(cache.isAvailable(guild.id)).toBe(false);
		expect(cache.guild(guild.id)).toBeDefined();
		expect(cache.messages(channelId)).toHaveLength(1);
		cache.handle({ t: 'GUILD_DELETE', d: { id: guild.id } });
		expect(cache.roles(guild.id)).toEqual([]);
		expect(cache.messages(channelId)).toEqual([]);
		expect(cache.stats()).toMatchObject({ guilds: 0, channels: 0, roles: 0, members: 0 });
	});

	it('honours flags, desired properties and limits', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 10 });
		const channelId = [...guild.channels][0]!;
		for (let index = 0; index < 5; index++) world.sendMessage(channelId, guild.ownerId, `m${index}`);
		const cache = new EntityCache({
			flags: CacheFlags.Guilds | CacheFlags.Members | CacheFlags.Messages,
			properties: { member: [], user: [], guild: [] },
			limits: { messagesPerChannel: 2, membersPerGuild: 4 },
		});
		feed(cache, events);
		expect(cache.channels(guild.id)).toEqual([]);
		expect(cache.roles(guild.id)).toEqual([]);
		expect(cache.cachedMemberCount(guild.id)).toBe(4);
		expect(cache.messages(channelId).map((message) => message.content)).toEqual(['m3', 'm4']);
		expect(cache.stats().users).toBe(0);
		expect(() => new EntityCache({ limits: { membersPerGuild: -1 } })).toThrow(CacheError);
		const pruned = new EntityCache({ properties: { guild: ['system_channel_id'] } });
		feed(pruned, events);
		expect(pruned.guild(guild.id)?.system_channel_id).toBe(guild.systemChannelId);
		expect(cache.guild(guild.id)?.system_channel_id).toBeUndefined();
	});

	it('tracks role deletion, emojis, presences, voice states and member chunks', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 2 });
		const role = world.createRole(guild.id);
		const member = world.addMember(guild.id, undefined, [asRoleId(role.id)]);
		const cache = new EntityCache({
			flags:
				CacheFlags.Guilds |
				CacheFlags.Roles |
				CacheFlags.Members |
				CacheFlags.Users |
				CacheFlags.Emojis |
				CacheFlags.Presences |
				CacheFlags.VoiceStates |
				CacheFlags.Channels,
		});
		feed(cache, events);
		const userId = asUserId(member.user.id);
		cache.handle({ t: 'GUILD_ROLE_DELETE', d: { guild_id: guild.id, role_id: role.id } });
		cache.handle({
			t: 'GUILD_ROLE_UPDATE',
			d: { guild_id: guild.id, role: { ...guild.roles.get(asRoleId(role.id)), name: 'late' } },
		});
		expect(cache.role(guild.id, asRoleId(role.id))).toBeUndefined();
		expect(cache.member(guild.id, userId)?.roles).toEqual([]);
		const emojiId = asEmojiId(world.ids.next('Emoji'));
		cache.handle({
			t: 'GUILD_EMOJIS_UPDATE',
			d: { guild_id: guild.id, emojis: [{ id: emojiId, name: 'oven', animated: false, roles: [] }] },
		});
		expect(cache.emoji(guild.id, emojiId)?.name).toBe('oven');
		cache.handle({
			t: 'PRESENCE_UPDATE',
			d: {
				guild_id: guild.id,
				user: { id: userId, username: 'renamed' },
				status: 'dnd',
				activities: [],
				client_status: { desktop: 'dnd' },
			},
		});
		expect(cache.presence(guild.id, userId)).toMatchObject({ status: 'dnd', clientStatus: { desktop: 'dnd' } });
		expect(cache.user(userId)?.username).toBe('renamed');
		const voiceChannel = [...guild.channels][0]!;
		cache.handle({
			t: 'VOICE_STATE_UPDATE',
			d: {
				guild_id: guild.id,
				channel_id: voiceChannel,
				user_id: userId,
				session_id: 's',
				deaf: false,
				mute: true,
				self_deaf: false,
				self_mute: false,
				self_video: false,
				suppress: false,
				request_to_speak_timestamp: null,
			},
		});
		expect(cache.voiceState(guild.id, userId)).toMatchObject({ channelId: voiceChannel, mute: true });
		cache.handle({
			t: 'VOICE_STATE_UPDATE',
			d: { guild_id: guild.id, channel_id: null, user_id: userId, session_id: 's' },
		});
		expect(cache.voiceStates(guild.id)).toEqual([]);
		const chunkUser = world.createUser('chunky');
		cache.handle({
			t: 'GUILD_MEMBERS_CHUNK',
			d: {
				guild_id: guild.id,
				members: [
					{
						user: chunkUser,
						roles: [],
						joined_at: '2024-01-01T00:00:00.000Z',
						deaf: false,
						mute: false,
						nick: 'chunk',
					},
				],
				chunk_index: 0,
				chunk_count: 1,
			},
		});
		expect(cache.member(guild.id, asUserId(chunkUser.id))?.nick).toBe('chunk');
	});

	it('sweeps by predicate and age, and reports invalid input with typed errors', () => {
		const { world, events } = recordWorld();
		const guild = world.createGuild({ members: 6 });
		const channelId = [...guild.channels][0]!;
		world.sendMessage(channelId, guild.ownerId, 'old');
		const invalid: string[] = [];
		const cache = new EntityCache({ onInvalidPayload: (event) => invalid.push(event) });
		feed(cache, [{ t: 'READY', d: { user: world.botUser, guilds: [] } }, ...events]);
		expect(cache.sweep.messages((message) => message.content === 'old')).toBe(1);
		const owner = asUserId(guild.ownerId);
		expect(cache.sweep.members((member) => member.userId !== owner)).toBe(guild.members.size - 2);
		expect(cache.member(guild.id, owner)).toBeDefined();
		expect(cache.member(guild.id, asUserId(world.botUser.id))).toBeDefined();
		expect(cache.stats().users).toBe(2);
		expect(() => cache.handle('nope')).toThrow(expect.objectContaining({ code: 'CACHE_INVALID_EVENT' }));
		expect(cache.ingest('CHANNEL_CREATE', { id: 'not-a-snowflake', type: 0 })).toBe(false);
		expect(invalid).toEqual(['CHANNEL_CREATE']);
		expect(cache.stats().rejected).toBe(1);
		expect(cache.ingest('SOMETHING_NEW', {})).toBe(false);
		const unknownGuild: GuildId = asGuildId('1');
		expect(cache.member(unknownGuild, owner)).toBeUndefined();
		expect(cache.channel(asChannelId('2'))).toBeUndefined();
		expect(cache.message(channelId, asMessageId('3'))).toBeUndefined();
		expect(cache.role(guild.id, asRoleId('4'))).toBeUndefined();
	});
});

describe('EntityCache snapshots, threads and periodic sweepers', () => {
	it('treats GUILD_CREATE as a channel snapshot, keeps member_count across GUILD_UPDATE and syncs threads', () => {
		const { world, events } = recordWorld(21);
		const guild = world.createGuild({ members: 2, channels: 2 });
		const cache = new EntityCache();
		feed(cache, events);
		const [first, second] = [...guild.channels];
		const create = events.find((event) => event.t === 'GUILD_CREATE')!;
		const snapshot = structuredClone(create.d) as { channels: { id: string }[]; member_count?: number };
		snapshot.channels = snapshot.channels.filter((channel) => channel.id !== second);
		cache.handle({ t: 'GUILD_CREATE', d: snapshot });
		expect(cache.channels(guild.id).map((channel) => channel.id)).toEqual([first]);
		const count = cache.guild(guild.id)?.member_count;
		const {
			channels: _channels,
			members: _members,
			member_count: _count,
			...update
		} = snapshot as Record<string, unknown>;
		cache.handle({ t: 'GUILD_UPDATE', d: { ...update, name: 'Renamed' } });
		expect(cache.guild(guild.id)?.name).toBe('Renamed');
		expect(cache.guild(guild.id)?.member_count).toBe(count);
		const threadId = world.ids.next('Channel');
		cache.handle({
			t: 'THREAD_LIST_SYNC',
			d: {
				guild_id: guild.id,
				threads: [{ id: threadId, type: 11, parent_id: first, name: 'thread' }],
				members: [],
			},
		});
		expect(cache.channel(threadId)?.name).toBe('thread');
		cache.handle({ t: 'THREAD_DELETE', d: { id: threadId, guild_id: guild.id, type: 11, parent_id: first } });
		expect(cache.channel(threadId)).toBeUndefined();
	});

	it('keeps only the member fields asked for', () => {
		const { world, events } = recordWorld(5);
		const guild = world.createGuild({ members: 1 });
		const lean = new EntityCache({ properties: { member: [], user: [] } });
		feed(lean, events);
		const user = world.createUser('lean');
		lean.handle({
			t: 'GUILD_MEMBER_ADD',
			d: {
				guild_id: guild.id,
				user: { ...user, global_name: 'Shown', avatar: '0123456789abcdef0123456789abcdef' },
				roles: [],
				joined_at: '2024-01-01T00:00:00.000Z',
				nick: 'kept?',
				premium_since: '2024-02-01T00:00:00.000Z',
				deaf: true,
				mute: true,
			},
		});
		const member = lean.member(guild.id, asUserId(user.id));
		expect(member).toMatchObject({
			nick: null,
			premiumSince: null,
			deaf: false,
			mute: false,
			joinedAt: Date.parse('2024-01-01T00:00:00.000Z'),
		});
		expect(member?.user).toMatchObject({ username: 'lean', globalName: null, avatar: null });
	});

	it('runs sweepers on their interval', () => {
		vi.useFakeTimers();
		try {
			const { world, events } = recordWorld(8);
			const guild = world.createGuild({ members: 1 });
			const channelId = [...guild.channels][0]!;
			world.sendMessage(channelId, guild.ownerId, 'a');
			world.sendMessage(channelId, guild.ownerId, 'b');
			const cache = new EntityCache({
				sweepers: { messages: { interval: 1_000, filter: (message) => message.content === 'a' } },
			});
			feed(cache, events);
			expect(cache.messages(channelId)).toHaveLength(2);
			vi.advanceTimersByTime(1_000);
			expect(cache.messages(channelId).map((message) => message.content)).toEqual(['b']);
			cache.destroy();
			const throwing = new EntityCache({
				sweepers: {
					users: {
						interval: 10,
						filter: () => {
							throw new Error('bad filter');
						},
					},
				},
			});
			feed(throwing, events);
			vi.advanceTimersByTime(50);
			expect(throwing.stats().users).toBeGreaterThan(0);
			throwing.destroy();
			expect(() => new EntityCache({ sweepers: { messages: { interval: 0, filter: () => true } } })).toThrow(
				/interval/,
			);
		} finally {
			vi.useRealTimers();
		}
	});
});
