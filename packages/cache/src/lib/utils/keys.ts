import { CacheError } from '../errors/CacheError.js';
import { globSource } from './glob.js';

/** The longest key any tier accepts, in UTF-16 code units. */
export const MAX_KEY_LENGTH = 512;

/** Throws `CACHE_INVALID_KEY` unless `key` is a non-empty string of at most {@link MAX_KEY_LENGTH} characters. */
export function assertKey(key: unknown): asserts key is string {
	if (typeof key !== 'string') {
		throw CacheError.of('CACHE_INVALID_KEY', [`keys must be strings, got ${key === null ? 'null' : typeof key}`]);
	}
	if (key.length === 0) throw CacheError.of('CACHE_INVALID_KEY', ['keys must not be empty']);
	if (key.length > MAX_KEY_LENGTH) {
		throw CacheError.of('CACHE_INVALID_KEY', [
			`keys must be at most ${MAX_KEY_LENGTH} characters, got ${key.length}; hash long keys first`,
		]);
	}
}

/** Throws `CACHE_INVALID_OPTION` unless `value` is undefined or a finite number `>= min`. */
export function assertNumberOption(name: string, value: unknown, min: number): void {
	if (value === undefined) return;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
		throw CacheError.of('CACHE_INVALID_OPTION', [
			name,
			`a finite number >= ${min}`,
			typeof value === 'number' ? String(value) : typeof value,
		]);
	}
}

/**
 * Compiles a glob (`*` any run of characters, `?` one UTF-16 code unit; everything else literal, no classes or
 * escapes) to an anchored regular expression. The expression cannot backtrack catastrophically (a failing key
 * costs at most about key length × pattern length steps). The tiers match with the faster `compileGlob`.
 */
export function globToRegExp(pattern: string): RegExp {
	return new RegExp(globSource(pattern));
}

/** Throws `CACHE_INVALID_KEY` unless `pattern` is a non-empty string glob. */
export function assertPattern(pattern: unknown): asserts pattern is string {
	if (typeof pattern !== 'string' || pattern.length === 0 || pattern.length > MAX_KEY_LENGTH) {
		throw CacheError.of('CACHE_INVALID_KEY', [
			`invalidation patterns must be non-empty glob strings of at most ${MAX_KEY_LENGTH} characters`,
		]);
	}
}

/** The tag under which entries depending on `key` are stored (dependency tracking uses tags in every tier). */
export function dependencyTag(key: string): string {
	return `dep:${key}`;
}
