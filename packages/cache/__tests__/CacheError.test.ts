import { describe, expect, it } from 'vitest';
import {
	CacheError,
	CacheErrorMessages,
	MultiTierCache,
	SerializerRegistry,
	jsonSerializer,
	type CacheErrorCode,
} from '@ovenjs/cache';

describe('CacheError', () => {
	it('builds its text from the one message table, and names the code', () => {
		const error = CacheError.of('CACHE_TIER_UNAVAILABLE', ['redis', 'complete a Redis command', 'ECONNREFUSED'], {
			tier: 'redis',
		});
		expect(error).toBeInstanceOf(CacheError);
		expect(error.name).toBe('CacheError[CACHE_TIER_UNAVAILABLE]');
		expect(error.tier).toBe('redis');
		expect(error.message).toBe(
			CacheErrorMessages.CACHE_TIER_UNAVAILABLE('redis', 'complete a Redis command', 'ECONNREFUSED'),
		);
		const codes: CacheErrorCode[] = [
			'CACHE_TIER_UNAVAILABLE',
			'CACHE_SERIALIZATION_FAILED',
			'CACHE_INVALID_KEY',
			'CACHE_INVALID_OPTION',
			'CACHE_INVALID_VALUE',
			'CACHE_UNKNOWN_SERIALIZER',
			'CACHE_SERIALIZER_ID_TAKEN',
			'CACHE_MIGRATION_FAILED',
			'CACHE_CLOSED',
			'CACHE_INVALID_EVENT',
			'CACHE_VALUE_TOO_LARGE',
			'CACHE_DEPENDENCY_MISSING',
		];
		expect(Object.keys(CacheErrorMessages).sort()).toEqual([...codes].sort());
	});

	it('gives each meaning its own code', async () => {
		const registry = new SerializerRegistry([jsonSerializer()]);
		expect(() => registry.register({ ...jsonSerializer(), name: 'other' })).toThrow(
			expect.objectContaining({ code: 'CACHE_SERIALIZER_ID_TAKEN' }),
		);
		expect(() => registry.register({ ...jsonSerializer(), id: 300 })).toThrow(
			expect.objectContaining({ code: 'CACHE_INVALID_OPTION' }),
		);
		const cache = new MultiTierCache();
		await expect(cache.set('k', undefined)).rejects.toMatchObject({ code: 'CACHE_INVALID_VALUE' });
		await expect(cache.set('', 1)).rejects.toMatchObject({ code: 'CACHE_INVALID_KEY' });
		await cache.close();
		await expect(cache.get('k')).rejects.toMatchObject({ code: 'CACHE_CLOSED' });
	});
});
