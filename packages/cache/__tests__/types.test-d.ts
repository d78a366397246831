import { describe, expectTypeOf, it } from 'vitest';
import { asGuildId, asUserId, type ExtensionPointArgs, type RoleId } from '@ovenjs/types';
import { EntityCache, type CacheError, type CachedMember } from '@ovenjs/cache';

describe('types', () => {
	it('entity getters take branded IDs and return branded views', () => {
		const cache = new EntityCache();
		const guildId = asGuildId('1');
		const userId = asUserId('2');
		expectTypeOf(cache.member(guildId, userId)).toEqualTypeOf<CachedMember | undefined>();
		expectTypeOf<CachedMember['roles']>().toEqualTypeOf<readonly RoleId[]>();
		// @ts-expect-error a plain string is not a GuildId
		cache.member('1', userId);
		// @ts-expect-error a UserId is not a GuildId
		cache.guild(userId);
	});

	it('declares its extension points', () => {
		expectTypeOf<ExtensionPointArgs<'cache:tierDown'>>().toEqualTypeOf<[tier: string, error: CacheError]>();
		expectTypeOf<ExtensionPointArgs<'cache:afterGet'>>().toEqualTypeOf<[key: string, hit: boolean, tier: string | undefined]>();
	});
});
