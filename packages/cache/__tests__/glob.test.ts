import { afterEach, describe, expect, it } from 'vitest';
import { MAX_KEY_LENGTH, MemoryTier, MultiTierCache, globToRegExp } from '@ovenjs/cache';
import { seededRandom } from '../src/lib/analytics/Trace.js';
import { compileGlob } from '../src/lib/utils/glob.js';

/** The matcher before the linear rewrite (a backtracking regular expression): the semantics to keep. */
function referenceGlob(pattern: string): RegExp {
	let source = '';
	for (const char of pattern) {
		if (char === '*') source += '.*';
		else if (char === '?') source += '.';
		else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
	}
	return new RegExp(`^${source}$`, 's');
}

const matches = (pattern: string, key: string): boolean => compileGlob(pattern).test(key);

const caches: MultiTierCache[] = [];
afterEach(async () => {
	await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

describe('glob patterns', () => {
	it('* matches any run (also none), ? one character, the rest only itself', () => {
		expect(matches('guild:*', 'guild:1')).toBe(true);
		expect(matches('guild:*', 'guild:')).toBe(true);
		expect(matches('guild:*', 'guil')).toBe(false);
		expect(matches('*:1', 'guild:1')).toBe(true);
		expect(matches('*:1', 'guild:12')).toBe(false);
		expect(matches('m:*:u:*', 'm:1:u:2')).toBe(true);
		expect(matches('m:*:u:*', 'm:1:x:2')).toBe(false);
		expect(matches('a?c', 'abc')).toBe(true);
		expect(matches('a?c', 'ac')).toBe(false);
		expect(matches('a?c', 'abbc')).toBe(false);
		expect(matches('*', '')).toBe(true);
		expect(matches('**', 'anything')).toBe(true);
		expect(matches('', '')).toBe(true);
		expect(matches('exact', 'exact')).toBe(true);
		expect(matches('exact', 'exactly')).toBe(false);
		expect(matches('ab*ba', 'aba')).toBe(false);
		expect(matches('ab*ba', 'abba')).toBe(true);
		expect(matches('*a?b*', 'xxaZbyy')).toBe(true);
		expect(matches('line*end', 'line\nbreak\nend')).toBe(true);
	});

	it('has no character classes and no escapes, as before: [ ] \\ . + ( ) are literal', () => {
		expect(matches('[ab]', 'a')).toBe(false);
		expect(matches('[ab]', '[ab]')).toBe(true);
		expect(matches('a\\*', 'a\\anything')).toBe(true);
		expect(matches('a\\*', 'a*')).toBe(false);
		expect(matches('a\\?', 'a\\x')).toBe(true);
		expect(matches('a.b', 'axb')).toBe(false);
		expect(matches('a.b', 'a.b')).toBe(true);
		expect(matches('(x)+|y', '(x)+|y')).toBe(true);
		expect(matches('^$', '^$')).toBe(true);
		// `?` is one UTF-16 code unit (as the old regular expression without the `u` flag).
		expect(matches('?', '😀')).toBe(false);
		expect(matches('??', '😀')).toBe(true);
	});

	it('agrees with the old backtracking matcher on 50 000 random small patterns and keys', () => {
		const random = seededRandom(17);
		const patternChars = 'ab*?[\\.';
		const keyChars = 'ab[\\.*?';
		const pick = (chars: string): string => chars[Math.floor(random() * chars.length)]!;
		for (let i = 0; i < 50_000; i++) {
			const pattern = Array.from({ length: Math.floor(random() * 8) }, () => pick(patternChars)).join('');
			const key = Array.from({ length: Math.floor(random() * 9) }, () => pick(keyChars)).join('');
			const expected = referenceGlob(pattern).test(key);
			if (compileGlob(pattern).test(key) !== expected || globToRegExp(pattern).test(key) !== expected) {
				expect({
					pattern,
					key,
					matched: compileGlob(pattern).test(key),
					regexp: globToRegExp(pattern).test(key),
				}).toEqual({ pattern, key, matched: expected, regexp: expected });
			}
		}
	});

	it('runs the backtracking pattern of the report on a 60-character key (48 s before) and on the longest keys', () => {
		const pattern = '*a*a*a*a*a*a*a*ab';
		const key = 'a'.repeat(60);
		expect(matches(pattern, key)).toBe(false);
		expect(globToRegExp(pattern).test(key)).toBe(false);
		expect(matches(pattern, `${key}b`)).toBe(true);
		const long = 'a'.repeat(MAX_KEY_LENGTH);
		const longB = `${'a'.repeat(MAX_KEY_LENGTH - 1)}b`;
		// [pattern, matches 512 × a, matches 511 × a + b]: star-heavy patterns that make a backtracking matcher explode.
		const worst: [string, boolean, boolean][] = [
			[`${'*a'.repeat(255)}b`, false, true],
			[`*${'a?'.repeat(127)}b*`, false, true],
			[`${'?*'.repeat(200)}b`, false, true],
			[`*${'a'.repeat(200)}b*${'a'.repeat(100)}`, false, false],
			[`${'a*'.repeat(255)}a`, true, false],
			[`${'*'.repeat(100_000)}b`, false, true],
		];
		for (const [glob, onLong, onLongB] of worst) {
			expect(matches(glob, long)).toBe(onLong);
			expect(matches(glob, longB)).toBe(onLongB);
			expect(globToRegExp(glob).test(long)).toBe(onLong);
			expect(globToRegExp(glob).test(longB)).toBe(onLongB);
		}
		// A pattern with more non-star characters than the key is refused without scanning it.
		expect(matches(`*${'?'.repeat(100_000)}*`, long)).toBe(false);
	});

	it('cache.invalidate with the backtracking pattern finishes over thousands of long keys', async () => {
		const cache = new MultiTierCache({ tiers: [new MemoryTier({ max: 5_000 })] });
		caches.push(cache);
		for (let i = 0; i < 5_000; i++) await cache.set(`${'a'.repeat(300)}:${i}`, i);
		await cache.set('a'.repeat(60), 'short');
		await cache.set(`${'a'.repeat(59)}b`, 'match');
		await cache.invalidate({ patterns: ['*a*a*a*a*a*a*a*ab', `*${'a?'.repeat(100)}b*`] });
		expect(await cache.get(`${'a'.repeat(59)}b`)).toBeUndefined();
		expect(await cache.get('a'.repeat(60))).toBe('short');
		expect(await cache.get(`${'a'.repeat(300)}:4999`)).toBe(4999);
	});

	it('journaled pattern sweeps (a tier that is down) use the same matcher', async () => {
		const tier = new MemoryTier();
		const cache = new MultiTierCache({
			tiers: [new MemoryTier(), tier],
			writeMode: 'behind',
			flushInterval: 60_000,
		});
		caches.push(cache);
		await cache.set('a'.repeat(60), 1);
		await cache.set('p:1', 2);
		await cache.invalidate({ patterns: ['*a*a*a*a*a*a*a*ab', 'p:*'] });
		await cache.flush();
		expect(tier.getSync('a'.repeat(60))).toBe(1);
		expect(tier.getSync('p:1')).toBeUndefined();
	});
});
