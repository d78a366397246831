import { describe, expect, it } from 'vitest';
import { asChannelId, asMessageId, asUserId, splitSnowflake } from '@ovenjs/types';
import { EntityCache } from '@ovenjs/cache';
import { RoleListPool } from '../src/lib/entities/RoleListPool.js';
import { StringArena } from '../src/lib/entities/StringArena.js';
import { time } from '../src/lib/entities/payload.js';

const guildId = '290926798999357249';
const channelId = asChannelId('290926798999357250');
const author = {
	id: '80351110224678912',
	username: 'Nelly',
	discriminator: '0',
	global_name: 'Nelly',
	avatar: 'a_0123456789abcdef0123456789abcdef',
};

function message(id: number, content = `m${id}`): Record<string, unknown> {
	return {
		id: String(334385199974967042n + BigInt(id)),
		channel_id: channelId,
		guild_id: guildId,
		author,
		member: { roles: ['290926798999357251'], joined_at: '2017-01-01T00:00:00.000Z', nick: null },
		content,
		timestamp: '2017-07-11T17:27:07.299000+00:00',
		edited_timestamp: null,
		tts: false,
		mention_everyone: false,
		mentions: [],
		mention_roles: [],
		attachments: [],
		embeds: [],
		pinned: false,
		type: 0,
		components: [{ type: 1, components: [] }],
		flags: 0,
	};
}

function cacheWithGuild(options: ConstructorParameters<typeof EntityCache>[0] = {}): EntityCache {
	const cache = new EntityCache(options);
	cache.ingest('GUILD_CREATE', {
		id: guildId,
		name: 'g',
		icon: null,
		owner_id: author.id,
		roles: [],
		emojis: [],
		features: [],
		channels: [{ id: channelId, type: 0, name: 'general' }],
		members: [{ user: author, roles: [], joined_at: '2017-01-01T00:00:00.000Z' }],
	});
	return cache;
}

describe('EntityCache message cache', () => {
	it('keeps the newest messages per channel and evicts the oldest by arrival, one per insert', () => {
		const cache = cacheWithGuild({ limits: { messagesPerChannel: 3 } });
		for (let id = 0; id < 5; id++) cache.ingest('MESSAGE_CREATE', message(id));
		expect(cache.messages(channelId).map((entry) => entry.content)).toEqual(['m2', 'm3', 'm4']);
		// A duplicate of a cached message replaces it in place: nothing is evicted, the order stays.
		cache.ingest('MESSAGE_CREATE', message(3, 'again'));
		expect(cache.messages(channelId).map((entry) => entry.content)).toEqual(['m2', 'again', 'm4']);
		// An edit keeps the message's place too; the next new message evicts the oldest (m2).
		cache.ingest('MESSAGE_UPDATE', {
			id: String(334385199974967042n + 2n),
			channel_id: channelId,
			content: 'edited',
			edited_timestamp: '2017-07-11T18:00:00.000000+00:00',
		});
		expect(cache.messages(channelId).map((entry) => entry.content)).toEqual(['edited', 'again', 'm4']);
		cache.ingest('MESSAGE_CREATE', message(5));
		expect(cache.messages(channelId).map((entry) => entry.content)).toEqual(['again', 'm4', 'm5']);
		expect(cache.stats().messages).toBe(3);
	});

	it('caches none with a limit below 1, and a deleted message is not resurrected by a late create or update', () => {
		for (const messagesPerChannel of [0, 0.5]) {
			const none = cacheWithGuild({ limits: { messagesPerChannel } });
			none.ingest('MESSAGE_CREATE', message(1));
			expect(none.messages(channelId)).toEqual([]);
		}
		const cache = cacheWithGuild();
		const first = message(1);
		cache.ingest('MESSAGE_CREATE', first);
		cache.ingest('MESSAGE_DELETE', { id: first.id, channel_id: channelId });
		cache.ingest('MESSAGE_UPDATE', { ...first, content: 'late' });
		expect(cache.messages(channelId)).toEqual([]);
		// A create of the same ID (a replay) clears the tombstone.
		cache.ingest('MESSAGE_CREATE', first);
		expect(cache.message(channelId, asMessageId(String(first.id)))?.content).toBe('m1');
	});

	it('stores the payload as received by default, and a pruned copy when message properties are listed', () => {
		// 'off' as the client passes it (a payload parsed in full is stored as the schema's output instead).
		const cache = cacheWithGuild({ validation: 'off' });
		const payload = message(1);
		cache.ingest('MESSAGE_CREATE', payload);
		expect(cache.message(channelId, asMessageId(String(payload.id)))).toBe(payload);
		const pruned = cacheWithGuild({ properties: { message: ['flags'] } });
		pruned.ingest('MESSAGE_CREATE', payload);
		const stored = pruned.message(channelId, asMessageId(String(payload.id)));
		expect(stored).not.toBe(payload);
		expect(stored).toMatchObject({ content: 'm1', flags: 0, author: { id: author.id } });
		expect(stored).not.toHaveProperty('components');
		const schemaOnly = cacheWithGuild({ properties: { message: [] } });
		schemaOnly.ingest('MESSAGE_CREATE', payload);
		expect(schemaOnly.message(channelId, asMessageId(String(payload.id)))).not.toHaveProperty('flags');
	});

	it('updates the author and their member from a message without copying the member payload', () => {
		const cache = cacheWithGuild();
		cache.ingest('MESSAGE_CREATE', {
			...message(1),
			author: { ...author, username: 'Renamed' },
			member: { roles: ['290926798999357251'], joined_at: '2017-01-01T00:00:00.000Z', nick: 'nick' },
		});
		const member = cache.member(cache.guildIds()[0]!, asUserId(author.id));
		expect(member).toMatchObject({ nick: 'nick', roles: ['290926798999357251'] });
		expect(member?.user).toMatchObject({ username: 'Renamed', avatar: author.avatar });
		cache.ingest('MESSAGE_CREATE', {
			...message(2),
			author: { ...author, avatar: '0123456789abcdef0123456789abcdee' },
			member: { roles: [], nick: null },
		});
		expect(cache.member(cache.guildIds()[0]!, asUserId(author.id))).toMatchObject({
			nick: null,
			roles: [],
			user: { avatar: '0123456789abcdef0123456789abcdee' },
		});
	});

	it('skips a malformed message (reported as rejected) and keeps the valid ones', () => {
		const rejected: string[] = [];
		const cache = cacheWithGuild({ validation: 'off', onInvalidPayload: (event) => void rejected.push(event) });
		cache.ingest('MESSAGE_CREATE', { ...message(1), id: 42 });
		cache.ingest('MESSAGE_CREATE', { ...message(2), author: {} });
		cache.ingest('MESSAGE_CREATE', message(3));
		expect(cache.messages(channelId).map((entry) => entry.content)).toEqual(['m3']);
		expect(rejected).toEqual(['MESSAGE_CREATE', 'MESSAGE_CREATE']);
		expect(() => new EntityCache({ validation: 'sometimes' as never })).toThrow(/validation/);
	});

	it("'checked' (the client's mode) trusts a message the caller checked, and still checks objects nested in a guild", () => {
		const rejected: string[] = [];
		const cache = cacheWithGuild({ validation: 'checked', onInvalidPayload: (event) => void rejected.push(event) });
		const payload = message(1);
		cache.ingest('MESSAGE_CREATE', payload);
		// Stored as received: no second shape check, no copy.
		expect(cache.message(channelId, asMessageId(String(payload.id)))).toBe(payload);
		// A MESSAGE_UPDATE of an unknown message (created from it) is the cache's own to check.
		cache.ingest('MESSAGE_UPDATE', { ...message(2), author: {} });
		expect(rejected).toEqual(['MESSAGE_UPDATE']);
		cache.ingest('GUILD_ROLE_CREATE', { guild_id: cache.guildIds()[0], role: { id: 'not a snowflake' } });
		expect(rejected).toEqual(['MESSAGE_UPDATE', 'GUILD_ROLE_CREATE']);
	});
});

describe('compact helpers on the message hot path', () => {
	it('time() reads Discord timestamps without Date.parse and agrees with it on anything else', () => {
		let seed = 11;
		const next = (n: number): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed % n;
		};
		const pad = (n: number, width: number): string => String(n).padStart(width, '0');
		const fractions = ['', '.', '.7', '.123', '.123456', '.999999999'];
		const zones = ['Z', '+00:00', '+01:00', '', 'z', '-00:00', '+00:0'];
		for (let i = 0; i < 20_000; i++) {
			// Years around leap rules (1600, 1700, 1900, 2000, 2100) and before 1970 too; days and hours out of range.
			const text = `${pad(i % 2 === 0 ? 1990 + next(60) : 1599 + next(600), 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}T${pad(next(26), 2)}:${pad(next(62), 2)}:${pad(next(62), 2)}${fractions[next(fractions.length)] ?? ''}${zones[next(zones.length)] ?? ''}`;
			const parsed = Date.parse(text);
			expect(time(text), text).toBe(Number.isNaN(parsed) ? null : parsed);
		}
		expect(time('2024-03-01T12:00:00.123456+00:00')).toBe(Date.UTC(2024, 2, 1, 12, 0, 0, 123));
		for (const leap of [
			'2000-02-29T00:00:00Z',
			'1900-02-29T00:00:00Z',
			'2024-02-29T23:59:59.999Z',
			'1969-12-31T23:59:59Z',
		])
			expect(time(leap), leap).toBe(Number.isNaN(Date.parse(leap)) ? null : Date.parse(leap));
		expect(time(null)).toBeNull();
	});

	it('splitSnowflake agrees with BigInt on every length, bound and malformed input', () => {
		const out = new Uint32Array(2);
		const cases = ['0', '1', '4294967295', '4294967296', '175928847299117063', '18446744073709551615'];
		let seed = 7;
		for (let i = 0; i < 2_000; i++) {
			let id = '';
			const length = 1 + (i % 20);
			for (let j = 0; j < length; j++) {
				seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
				id += String(seed % 10);
			}
			cases.push(id);
		}
		for (const id of cases) {
			const value = BigInt(id);
			if (value >= 1n << 64n) {
				expect(splitSnowflake(id, out), id).toBe(false);
				continue;
			}
			expect(splitSnowflake(id, out), id).toBe(true);
			expect([out[0], out[1]], id).toEqual([Number(value & 0xffff_ffffn), Number(value >> 32n)]);
		}
		for (const bad of [
			'',
			'18446744073709551616',
			'99999999999999999999',
			'123456789012345678901',
			'12a4',
			'-1',
			' 1',
		])
			expect(splitSnowflake(bad, out), bad).toBe(false);
	});

	it('StringArena.equals compares ASCII in place and falls back to decoding for other text', () => {
		const arena = new StringArena(16);
		const ascii = arena.add('Nelly');
		const unicode = arena.add('Nélly 🔥');
		expect(arena.equals(ascii, 'Nelly')).toBe(true);
		expect(arena.equals(ascii, 'Nellx')).toBe(false);
		expect(arena.equals(ascii, 'Nell')).toBe(false);
		expect(arena.equals(ascii, 'Nélly')).toBe(false);
		expect(arena.equals(unicode, 'Nélly 🔥')).toBe(true);
		expect(arena.equals(unicode, 'Nelly 🔥')).toBe(false);
		expect(arena.equals(0, null)).toBe(true);
		expect(arena.equals(ascii, null)).toBe(false);
		const long = 'x'.repeat(300);
		expect(arena.equals(arena.add(long), long)).toBe(true);
	});

	it('RoleListPool.intern recognises an unchanged list without building a new one', () => {
		const pool = new RoleListPool();
		const index = pool.intern(['2', '1']);
		expect(pool.intern(['1', '2'], index)).toBe(index);
		expect(pool.intern(['1', '1'], index)).not.toBe(index);
		expect(pool.intern(['1', '3'], index)).not.toBe(index);
		expect(pool.intern([], index)).toBe(0);
		expect(pool.get(pool.intern(['1', '1']))).toEqual(['1']);
	});
});
