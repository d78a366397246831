import { describe, expect, it, vi, afterEach } from 'vitest';
import { CacheError, MemoryTier, MultiTierCache, type CacheTier } from '@ovenjs/cache';

const caches: MultiTierCache[] = [];
function make(...args: ConstructorParameters<typeof MultiTierCache>): MultiTierCache {
	const cache = new MultiTierCache(...args);
	caches.push(cache);
	return cache;
}
afterEach(async () => {
	await Promise.all(caches.splice(0).map((cache) => cache.close()));
	vi.useRealTimers();
});

describe('MultiTierCache (memory only, no server)', () => {
	it('gets, sets, deletes and reports hits', async () => {
		const cache = make();
		expect(await cache.get('a')).toBeUndefined();
		await cache.set('a', { n: 1 });
		expect(await cache.get('a')).toEqual({ n: 1 });
		expect(cache.getSync('a')).toEqual({ n: 1 });
		expect(await cache.has('a')).toBe(true);
		expect(
			await cache.get(
				'a',
				(value): value is { n: number } => typeof value === 'object' && value !== null && 'n' in value,
			),
		).toEqual({ n: 1 });
		expect(await cache.get('a', (value): value is string => typeof value === 'string')).toBeUndefined();
		expect(await cache.delete('a')).toEqual(['a']);
		expect(await cache.get('a')).toBeUndefined();
		const stats = cache.stats();
		expect(stats.tiers[0]?.hits).toBe(5);
		expect(stats.tiers[0]?.misses).toBe(2);
	});

	it('rejects bad input with typed errors', async () => {
		const cache = make();
		await expect(cache.get('')).rejects.toMatchObject({ code: 'CACHE_INVALID_KEY' });
		await expect(cache.set('x'.repeat(600), 1)).rejects.toBeInstanceOf(CacheError);
		await expect(cache.set('k', undefined)).rejects.toMatchObject({ code: 'CACHE_INVALID_VALUE' });
		expect(() => new MultiTierCache({ tiers: [] })).toThrow(CacheError);
		expect(() => new MemoryTier({ max: 0 })).toThrow(/max/);
	});

	it('expires entries by TTL and slides the TTL on read', () => {
		let clock = 1_000_000;
		const now = () => clock;
		const sliding = new MemoryTier({ ttl: 1_000, slidingTtl: true, now });
		const fixed = new MemoryTier({ ttl: 1_000, now });
		sliding.setSync('k', 1);
		fixed.setSync('k', 1);
		for (let step = 0; step < 3; step++) {
			clock += 600;
			expect(sliding.getSync('k')).toBe(1);
		}
		expect(fixed.getSync('k')).toBeUndefined();
		clock += 1_100;
		expect(sliding.getSync('k')).toBeUndefined();
	});

	it('invalidates by tag, pattern and dependency cascade', async () => {
		const cache = make();
		await cache.set('guild:1', { id: '1' });
		await cache.set('channel:10', { id: '10' }, { dependsOn: ['guild:1'] });
		await cache.set('message:100', { id: '100' }, { dependsOn: ['channel:10'] });
		await cache.set('role:5', { id: '5' }, { dependsOn: ['guild:1'], tags: ['roles'] });
		await cache.set('guild:2', { id: '2' });
		await cache.set('user:1', 1, { tags: ['users'] });
		await cache.set('user:2', 2, { tags: ['users'] });
		await cache.set('tmp:a', 1);
		await cache.set('tmp:b', 1);
		const removed = await cache.delete('guild:1');
		expect(removed.sort()).toEqual(['channel:10', 'guild:1', 'message:100', 'role:5']);
		expect(await cache.get('guild:2')).toEqual({ id: '2' });
		expect(await cache.invalidate({ tags: ['users'] })).toEqual(expect.arrayContaining(['user:1', 'user:2']));
		expect(await cache.get('user:1')).toBeUndefined();
		await cache.invalidate({ patterns: ['tmp:*'] });
		expect(await cache.get('tmp:a')).toBeUndefined();
		expect(await cache.get('guild:2')).toEqual({ id: '2' });
		expect(cache.stats().invalidationLatency.count).toBe(3);
	});

	it('applies event-driven invalidation rules', async () => {
		const cache = make();
		cache.addRule('GUILD_DELETE', (data) =>
			typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'string'
				? { keys: [`guild:${data.id}`] }
				: undefined,
		);
		await cache.set('guild:9', 1);
		await cache.set('channel:1', 1, { dependsOn: ['guild:9'] });
		const seen: string[][] = [];
		cache.on('invalidate', (keys, reason) => {
			if (reason === 'event') seen.push([...keys]);
		});
		expect((await cache.handleDispatch('GUILD_DELETE', { id: '9' })).sort()).toEqual(['channel:1', 'guild:9']);
		expect(await cache.handleDispatch('UNKNOWN', {})).toEqual([]);
		expect(seen).toHaveLength(1);
	});

	it('promotes hits from slower tiers and demotes evictions', async () => {
		const l1 = new MemoryTier({ name: 'l1', max: 2 });
		const l2 = new MemoryTier({ name: 'l2', max: 100 });
		const cache = make({ tiers: [l1, l2] });
		await l2.set('cold', 'v');
		expect(await cache.get('cold')).toBe('v');
		await cache.flush();
		expect(l1.getSync('cold')).toBe('v');
		l1.setSync('x', 1);
		l1.setSync('y', 2);
		await cache.flush();
		expect(l1.hasSync('cold')).toBe(false);
		expect(l2.getSync('x')).toBeUndefined();
		l1.setSync('z', 3);
		await cache.flush();
		expect(l2.getSync('x')).toBe(1);
		expect(cache.stats().tiers[0]?.evictions).toBe(2);
	});

	it('write-behind acknowledges after the first tier and serves pending values', async () => {
		const l2 = new MemoryTier({ name: 'l2' });
		const l1 = new MemoryTier({ name: 'l1' });
		const cache = make({ tiers: [l1, l2], writeMode: 'behind', flushInterval: 10_000 });
		await cache.set('k', 'v', { tags: ['t'] });
		expect(l2.getSync('k')).toBeUndefined();
		l1.deleteSync('k');
		expect(await cache.get('k')).toBe('v');
		expect(cache.stats().tiers[1]?.backlog).toBe(1);
		await cache.flush();
		expect(l2.getSync('k')).toBe('v');
		await cache.set('k2', 'v2', { tags: ['t'] });
		await cache.invalidate({ tags: ['t'] });
		await cache.flush();
		expect(l2.getSync('k2')).toBeUndefined();
		expect(l2.getSync('k')).toBeUndefined();
	});

	it('fails over when a tier throws, journals writes and resyncs on recovery', async () => {
		vi.useFakeTimers();
		const l1 = new MemoryTier({ name: 'l1' });
		const backing = new MemoryTier({ name: 'backing' });
		let down = false;
		const flaky: CacheTier = {
			name: 'flaky',
			shared: true,
			durable: true,
			get: (key) => (down ? Promise.reject(new Error('ECONNREFUSED')) : backing.get(key)),
			set: (key, value, options) =>
				down ? Promise.reject(new Error('ECONNREFUSED')) : backing.set(key, value, options),
			delete: (key) => (down ? Promise.reject(new Error('ECONNREFUSED')) : backing.delete(key)),
			has: (key) => backing.has(key),
			mget: (keys) => (down ? Promise.reject(new Error('ECONNREFUSED')) : backing.mget(keys)),
			mset: (entries) => (down ? Promise.reject(new Error('ECONNREFUSED')) : backing.mset(entries)),
			deleteByTag: (tag) => (down ? Promise.reject(new Error('ECONNREFUSED')) : backing.deleteByTag(tag)),
			deleteByPattern: (pattern) => backing.deleteByPattern(pattern),
			clear: () => backing.clear(),
			ping: () => Promise.resolve(!down),
			close: () => Promise.resolve(),
		};
		const cache = make({ tiers: [l1, flaky], healthCheckInterval: 50 });
		const events: string[] = [];
		cache.on('tierDown', (tier, error) => events.push(`down:${tier}:${error.code}`));
		cache.on('tierUp', (tier, resynced) => events.push(`up:${tier}:${resynced}`));
		await cache.set('before', 1);
		down = true;
		await cache.set('during', 2);
		await cache.set('before', 3);
		await cache.delete('gone');
		expect(events).toEqual(['down:flaky:CACHE_TIER_UNAVAILABLE']);
		l1.deleteSync('during');
		expect(await cache.get('during')).toBe(2);
		down = false;
		await vi.advanceTimersByTimeAsync(60);
		// Replayed: the sweep of keys depending on 'gone', then 'during', 'before' (latest value) and the delete of 'gone'.
		expect(events).toEqual(['down:flaky:CACHE_TIER_UNAVAILABLE', 'up:flaky:4']);
		expect(backing.getSync('during')).toBe(2);
		expect(backing.getSync('before')).toBe(3);
	});

	it('reports to an extension-point emitter', async () => {
		const calls: string[] = [];
		const cache = make({
			emitter: {
				has: () => true,
				emit: (point, ...args) => {
					const [first] = args;
					calls.push(typeof first === 'string' ? `${point}:${first}` : `${point}:${JSON.stringify(first)}`);
				},
				transform: (_point, value) => Promise.resolve(value),
			},
		});
		await cache.set('k', 1);
		await cache.get('k');
		expect(calls.map((call) => call.replace(/"durationMs":[\d.e-]+/, '"durationMs":0'))).toEqual([
			'cache:beforeSet:k',
			'cache:afterSet:k',
			'cache:beforeGet:k',
			'cache:tierRead:{"key":"k","tier":"memory","hit":true,"durationMs":0}',
			'cache:afterGet:k',
		]);
	});
});

describe('Discord invalidation rules', () => {
	it('invalidates what gateway dispatches change, cascading guild deletes', async () => {
		const { DiscordKeys, registerDiscordInvalidationRules } = await import('@ovenjs/cache');
		const { asChannelId, asGuildId, asMessageId, asRoleId, asUserId } = await import('@ovenjs/types');
		const cache = make();
		registerDiscordInvalidationRules(cache);
		const guild = asGuildId('100');
		const guildKey = DiscordKeys.guild(guild);
		await cache.set(guildKey, { id: '100' });
		await cache.set(DiscordKeys.channel(asChannelId('200')), {}, { dependsOn: [guildKey] });
		await cache.set(DiscordKeys.role(guild, asRoleId('300')), {}, { dependsOn: [guildKey] });
		await cache.set(DiscordKeys.member(guild, asUserId('400')), {}, { dependsOn: [guildKey] });
		await cache.set(
			DiscordKeys.message(asChannelId('200'), asMessageId('500')),
			{},
			{ dependsOn: [DiscordKeys.channel(asChannelId('200'))] },
		);
		expect(
			await cache.handleDispatch('GUILD_MEMBER_UPDATE', { guild_id: '100', user: { id: '400' }, roles: [] }),
		).toEqual(['member:100:400']);
		expect(await cache.handleDispatch('GUILD_DELETE', { id: '100', unavailable: true })).toEqual([]);
		expect((await cache.handleDispatch('GUILD_DELETE', { id: '100' })).sort()).toEqual([
			'channel:200',
			'guild:100',
			'message:200:500',
			'role:100:300',
		]);
		expect(await cache.handleDispatch('MESSAGE_DELETE_BULK', { channel_id: '1', ids: ['2', 3] })).toEqual([
			'message:1:2',
		]);
	});
});

describe('promotion races', () => {
	it('does not promote a value read before a concurrent write of the same key', async () => {
		const l1 = new MemoryTier({ name: 'l1' });
		const l2 = new MemoryTier({ name: 'l2' });
		let release: (() => void) | undefined;
		const slow: CacheTier = {
			name: 'slow',
			shared: true,
			durable: false,
			get: async (key) => {
				const value = l2.getSync(key);
				await new Promise<void>((resolve) => {
					release = resolve;
				});
				return value;
			},
			set: (key, value, options) => l2.set(key, value, options),
			delete: (key) => l2.delete(key),
			has: (key) => l2.has(key),
			mget: (keys) => l2.mget(keys),
			mset: (entries) => l2.mset(entries),
			deleteByTag: (tag) => l2.deleteByTag(tag),
			deleteByPattern: (pattern) => l2.deleteByPattern(pattern),
			clear: () => l2.clear(),
			ping: () => Promise.resolve(true),
			close: () => Promise.resolve(),
		};
		const cache = make({ tiers: [l1, slow] });
		l2.setSync('k', 'old');
		const read = cache.get('k');
		await new Promise((resolve) => setImmediate(resolve));
		await cache.set('k', 'new');
		release?.();
		expect(await read).toBe('old');
		await cache.flush();
		expect(l1.getSync('k')).toBe('new');
		expect(await cache.get('k')).toBe('new');
	});
});

describe('MultiTierCache.mget', () => {
	it('reads each tier once for what is still missing, promotes hits and honours pending writes', async () => {
		const l1 = new MemoryTier({ name: 'l1' });
		const l2 = new MemoryTier({ name: 'l2' });
		const cache = make({ tiers: [l1, l2], writeMode: 'behind', flushInterval: 10_000 });
		l1.setSync('a', 'A1');
		l2.setSync('b', 'B2');
		await cache.set('c', 'C-pending');
		l1.deleteSync('c');
		l2.setSync('c', 'C-stale');
		expect(await cache.mget(['a', 'b', 'c', 'missing'])).toEqual(['A1', 'B2', 'C-pending', undefined]);
		await cache.flush();
		expect(l1.getSync('b')).toBe('B2');
		expect(l2.getSync('c')).toBe('C-pending');
		await expect(cache.mget(['ok', ''])).rejects.toMatchObject({ code: 'CACHE_INVALID_KEY' });
	});
});
