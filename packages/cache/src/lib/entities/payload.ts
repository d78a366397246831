import { isRecord } from '@ovenjs/types';
/** Small readers for fields of untrusted gateway payloads (no casts, no throwing). */

/** The string field `key`, or `undefined`. */
export function str(record: Record<string, unknown>, key: string): string | undefined {
	const value = record[key];
	return typeof value === 'string' ? value : undefined;
}

/** The string-or-null field `key`: `undefined` when absent or of another type. */
export function strOrNull(record: Record<string, unknown>, key: string): string | null | undefined {
	const value = record[key];
	return typeof value === 'string' || value === null ? value : undefined;
}

/** The number field `key`, or `undefined`. */
export function num(record: Record<string, unknown>, key: string): number | undefined {
	const value = record[key];
	return typeof value === 'number' ? value : undefined;
}

/** The boolean field `key`, or `undefined`. */
export function bool(record: Record<string, unknown>, key: string): boolean | undefined {
	const value = record[key];
	return typeof value === 'boolean' ? value : undefined;
}

/** The record field `key`, or `undefined`. */
export function rec(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
	const value = record[key];
	return isRecord(value) ? value : undefined;
}

/** The array field `key` (elements unchecked), or an empty array. */
export function arr(record: Record<string, unknown>, key: string): readonly unknown[] {
	const value = record[key];
	return isArray(value) ? value : [];
}

/**
 * Whether the field `key` is present (even if `null`). JSON has no `undefined`, so a field set to `undefined` counts
 * as absent; a property read is several times cheaper than `Object.hasOwn` on the per-message path.
 */
export function has(record: Record<string, unknown>, key: string): boolean {
	return record[key] !== undefined;
}

function isArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

/** Parses an ISO 8601 timestamp into ms, `null` for null/absent/invalid. */
export function time(value: string | null | undefined): number | null {
	if (value === null || value === undefined) return null;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? null : ms;
}

export { isRecord };
