import { describe, expect, it } from 'vitest';
import {
	AccessModel,
	LatencyHistogram,
	MemoryTier,
	MultiTierCache,
	compareWarming,
	generateTrace,
} from '@ovenjs/cache';

describe('AccessModel', () => {
	it('decays frequency, learns co-access and the time-of-day profile', () => {
		const model = new AccessModel({ halfLife: 1_000, coAccessWindow: 100, dayLength: 2_400 });
		model.record('a', 0);
		model.record('a', 0);
		expect(model.frequency('a', 0)).toBe(2);
		expect(model.frequency('a', 1_000)).toBeCloseTo(1, 5);
		for (let index = 0; index < 5; index++) {
			model.record('member:1', index * 1_000);
			model.record('user:1', index * 1_000 + 10);
		}
		expect(model.coAccessed('member:1')).toEqual(['user:1']);
		// 'night' is read in hour 0 of each day, 'noon' in hour 12: each ranks first at its own hour.
		const profile = new AccessModel({ halfLife: 1e9, dayLength: 2_400, coAccessWindow: 0 });
		for (let day = 0; day < 3; day++) {
			profile.record('night', day * 2_400 + 10);
			profile.record('noon', day * 2_400 + 1_210);
		}
		expect(profile.predict(3 * 2_400 + 20, 1)[0]?.key).toBe('night');
		expect(profile.predict(3 * 2_400 + 1_220, 1)[0]?.key).toBe('noon');
		expect(model.hottest(5_000, 1)[0]?.key).toBeDefined();
	});

	it('generalises co-access by key shape to keys never read together', () => {
		const model = new AccessModel({ coAccessWindow: 100 });
		for (let user = 0; user < 10; user++) {
			model.record(`member:1:${user}`, user * 1_000);
			model.record(`user:${user}`, user * 1_000 + 5);
			model.record(`noise:${user * 7}`, user * 1_000 + 500);
		}
		expect(model.followers('member:9:12345')).toEqual(['user:12345']);
		expect(model.followers('user:3')).toEqual([]);
		expect(model.coAccessed('member:9:12345')).toEqual([]);
	});
});

describe('predictive warming', () => {
	it('generates the same trace for the same seed', () => {
		expect(generateTrace({ length: 500, seed: 3 })).toEqual(generateTrace({ length: 500, seed: 3 }));
		expect(generateTrace({ length: 500, seed: 3 }).reads).not.toEqual(
			generateTrace({ length: 500, seed: 4 }).reads,
		);
		expect(() => generateTrace({ length: 0 })).toThrow(/length/);
	});

	it('beats plain LRU on a replayed trace', async () => {
		const trace = generateTrace({ length: 6_000, seed: 11 });
		const { lru, warmed, gain } = await compareWarming(trace, { capacity: 300, warming: { dayLength: 24_000 } });
		expect(lru.reads).toBe(6_000);
		expect(lru.hits + lru.misses).toBe(6_000);
		expect(warmed.hits).toBeGreaterThan(lru.hits);
		expect(gain).toBeCloseTo(warmed.hitRatio - lru.hitRatio, 10);
	});

	it('warm() loads predicted keys from slower tiers into the first tier', async () => {
		let clock = 1_000;
		const first = new MemoryTier({ name: 'l1' });
		const slow = new MemoryTier({ name: 'slow' });
		const cache = new MultiTierCache({
			tiers: [first, slow],
			now: () => clock,
			warming: { enabled: true, interval: 0, coAccess: false },
		});
		for (const key of ['a', 'b', 'c']) await slow.set(key, key.toUpperCase());
		for (let round = 0; round < 3; round++) for (const key of ['a', 'b']) await cache.get(key);
		await cache.flush();
		first.deleteSync('a');
		first.deleteSync('b');
		clock += 10;
		expect(await cache.warm(2)).toBe(2);
		expect(first.getSync('a')).toBe('A');
		expect(first.getSync('c')).toBeUndefined();
		const stats = cache.stats();
		expect(stats.hottestKeys.map((entry) => entry.key).sort()).toEqual(['a', 'b']);
		await cache.close();
	});
});

describe('stats and suggestions', () => {
	it('records latency percentiles and suggests a bigger memory tier when it thrashes', async () => {
		const histogram = new LatencyHistogram();
		for (let index = 1; index <= 100; index++) histogram.record(index * 1_000);
		expect(histogram.percentile(50)).toBeGreaterThan(40_000);
		expect(histogram.percentile(50)).toBeLessThan(60_000);
		expect(histogram.percentile(99)).toBeLessThanOrEqual(100_000);
		const first = new MemoryTier({ name: 'l1', max: 10 });
		const slow = new MemoryTier({ name: 'slow', max: 10_000 });
		const cache = new MultiTierCache({ tiers: [first, slow] });
		for (let index = 0; index < 500; index++) await slow.set(`k${index}`, index);
		for (let index = 0; index < 500; index++) await cache.get(`k${(index * 7) % 500}`);
		await cache.flush();
		const stats = cache.stats();
		expect(stats.tiers[0]?.hitRatio).toBeLessThan(0.5);
		expect(stats.tiers[1]?.getLatency.count).toBeGreaterThan(0);
		expect(stats.suggestions.some((line) => line.includes('raise its "max"'))).toBe(true);
		await cache.close();
	});
});
