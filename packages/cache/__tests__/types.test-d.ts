import { describe, expectTypeOf, it } from 'vitest';
import { asGuildId, asUserId, type ExtensionPointArgs, type RoleId } from '@ovenjs/types';
import { EntityCache, MultiTierCache, type CacheError, type CachedMember } from '@ovenjs/cache';

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

	it('narrows get() with a type guard', () => {
		const cache = new MultiTierCache();
		const isUser = (value: unknown): value is { name: string } =>
			typeof value === 'object' && value !== null && 'name' in value;
		expectTypeOf(cache.get('k')).toEqualTypeOf<Promise<unknown>>();
		expectTypeOf(cache.get('k', isUser)).toEqualTypeOf<Promise<{ name: string } | undefined>>();
	});

	it('declares its extension points', () => {
		expectTypeOf<ExtensionPointArgs<'cache:tierDown'>>().toEqualTypeOf<[tier: string, error: CacheError]>();
		expectTypeOf<ExtensionPointArgs<'cache:afterGet'>>().toEqualTypeOf<
			[key: string, hit: boolean, tier: string | undefined]
		>();
	});
});
