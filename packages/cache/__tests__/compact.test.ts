import { describe, expect, it } from 'vitest';
import { asGuildId, asUserId } from '@ovenjs/types';
import { EntityCache } from '@ovenjs/cache';
import { seededRandom } from '../src/lib/analytics/Trace.js';

function snowflake(random: () => number): string {
	// Realistic snowflakes: a timestamp in the high bits and random low bits.
	const ms = BigInt(Math.floor(random() * 2 ** 40));
	return ((ms << 22n) | BigInt(Math.floor(random() * 2 ** 22))).toString();
}

describe('compact member and user tables', () => {
	it('match a Map model over 20,000 random joins, updates and leaves (hash index, row reuse)', () => {
		const random = seededRandom(99);
		const guildId = asGuildId('81384788765712384');
		const cache = new EntityCache();
		cache.ingest('GUILD_CREATE', {
			id: guildId,
			name: 'g',
			icon: null,
			owner_id: '1',
			roles: [],
			emojis: [],
			features: [],
		});
		const model = new Map<string, { nick: string | null; username: string }>();
		const removed = new Set<string>();
		const pool = Array.from({ length: 3_000 }, () => snowflake(random));
		for (let step = 0; step < 20_000; step++) {
			const id = pool[Math.floor(random() * pool.length)]!;
			const roll = random();
			if (roll < 0.55) {
				const nick = random() < 0.5 ? `n${step}` : null;
				const username = `user-${id.slice(-6)}-${step % 7}`;
				cache.ingest('GUILD_MEMBER_ADD', {
					guild_id: guildId,
					user: { id, username, discriminator: '0', global_name: null, avatar: null },
					roles: [],
					joined_at: '2024-01-01T00:00:00.000Z',
					nick,
				});
				model.set(id, { nick, username });
				removed.delete(id);
			} else if (roll < 0.75) {
				const nick = `u${step}`;
				const known = model.get(id);
				cache.ingest('GUILD_MEMBER_UPDATE', {
					guild_id: guildId,
					user: { id, username: known?.username ?? 'x', discriminator: '0', global_name: null, avatar: null },
					roles: [],
					joined_at: '2024-01-01T00:00:00.000Z',
					nick,
				});
				// An update creates a member never seen before, but cannot resurrect a removed one (tombstone).
				if (known !== undefined) model.set(id, { ...known, nick });
				else if (!removed.has(id)) model.set(id, { nick, username: 'x' });
			} else {
				cache.ingest('GUILD_MEMBER_REMOVE', { guild_id: guildId, user: { id } });
				model.delete(id);
				removed.add(id);
			}
		}
		expect(cache.cachedMemberCount(guildId)).toBe(model.size);
		for (const id of pool) {
			const member = cache.member(guildId, asUserId(id));
			const expected = model.get(id);
			if (expected === undefined) expect(member).toBeUndefined();
			else {
				expect(member?.nick).toBe(expected.nick);
				expect(member?.user?.username).toBe(expected.username);
				expect(member?.userId).toBe(id);
			}
		}
		expect([...cache.members(guildId)].map((member) => member.userId).sort()).toEqual([...model.keys()].sort());
		expect(cache.stats().users).toBe(model.size);
	});

	it('keeps names right across arena compaction and round-trips every stored user field', () => {
		const cache = new EntityCache();
		const guildId = asGuildId('81384788765712384');
		cache.ingest('GUILD_CREATE', {
			id: guildId,
			name: 'g',
			icon: null,
			owner_id: '1',
			roles: [],
			emojis: [],
			features: [],
		});
		const id = '175928847299117063';
		for (let round = 0; round < 3_000; round++) {
			cache.ingest('GUILD_MEMBER_UPDATE', {
				guild_id: guildId,
				user: {
					id,
					username: `name-${round}-${'x'.repeat(round % 40)}`,
					global_name: round % 2 === 0 ? `Glöbal ✨ ${round}` : null,
					discriminator: '0',
					avatar: null,
				},
				roles: [],
				joined_at: null,
				nick: `nick-${round}-${'y'.repeat(round % 50)}`,
			});
		}
		const member = cache.member(guildId, asUserId(id));
		expect(member?.nick).toBe(`nick-2999-${'y'.repeat(2999 % 50)}`);
		expect(member?.user?.username).toBe(`name-2999-${'x'.repeat(2999 % 40)}`);
		expect(member?.user?.globalName).toBeNull();
		expect(member?.joinedAt).toBeNull();
		cache.ingest('USER_UPDATE', {
			id,
			username: 'final',
			global_name: 'Glöbal ✨',
			discriminator: '0042',
			avatar: 'a_0123456789abcdef0123456789abcdef',
			public_flags: 64,
			bot: true,
		});
		expect(cache.user(asUserId(id))).toEqual({
			id,
			username: 'final',
			globalName: 'Glöbal ✨',
			discriminator: '0042',
			avatar: 'a_0123456789abcdef0123456789abcdef',
			bot: true,
			system: false,
			publicFlags: 64,
		});
		cache.ingest('USER_UPDATE', { id, avatar: 'not-a-hex-hash' });
		expect(cache.user(asUserId(id))?.avatar).toBe('not-a-hex-hash');
		// Any avatar string comes back exactly: 32 lowercase hex digits (with or without a_) packed, the rest verbatim.
		const random = seededRandom(5);
		const alphabet = '0123456789abcdefABCDEFxyz_g-';
		for (let round = 0; round < 3_000; round++) {
			const length = 30 + Math.floor(random() * 6);
			let hash = random() < 0.5 ? 'a_' : '';
			const digits = random() < 0.7 ? 16 : alphabet.length;
			for (let i = hash.length; i < length; i++) hash += alphabet[Math.floor(random() * digits)] ?? '0';
			const avatar = random() < 0.1 ? null : hash;
			cache.ingest('USER_UPDATE', { id, avatar });
			expect(cache.user(asUserId(id))?.avatar, String(avatar)).toBe(avatar);
		}
		const largest = '18446744073709551615';
		cache.ingest('USER_UPDATE', {
			id: largest,
			username: 'max',
			discriminator: '0',
			global_name: null,
			avatar: null,
		});
		expect(cache.user(asUserId(largest))?.id).toBe(largest);
	});
});
