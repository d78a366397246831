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
	const ms = discordTime(value) ?? Date.parse(value);
	return Number.isNaN(ms) ? null : ms;
}

/** The value of `length` decimal digits at `start`, or -1. */
function digits(text: string, start: number, length: number): number {
	let value = 0;
	for (let index = start; index < start + length; index++) {
		const digit = text.charCodeAt(index) - 48;
		if (digit < 0 || digit > 9) return -1;
		value = value * 10 + digit;
	}
	return value;
}

/**
 * The UTC timestamps Discord writes (`2024-03-01T12:00:00.123456+00:00`, or with `Z`), read without `Date.parse`
 * (a member's join date is parsed once per member at start-up: 100,000 of them in a large bot). Anything else
 * (another offset, no offset, an out-of-range field) is `undefined`, left to `Date.parse`; the fraction is
 * truncated to milliseconds, as `Date.parse` does.
 */
function discordTime(text: string): number | undefined {
	if (
		text.length < 20 ||
		text.charCodeAt(4) !== 45 ||
		text.charCodeAt(7) !== 45 ||
		text.charCodeAt(10) !== 84 ||
		text.charCodeAt(13) !== 58 ||
		text.charCodeAt(16) !== 58
	)
		return undefined;
	const year = digits(text, 0, 4);
	const month = digits(text, 5, 2);
	const day = digits(text, 8, 2);
	const hour = digits(text, 11, 2);
	const minute = digits(text, 14, 2);
	const second = digits(text, 17, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return undefined;
	if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
	let index = 19;
	let ms = 0;
	if (text.charCodeAt(index) === 46) {
		index++;
		const start = index;
		while (index < text.length && text.charCodeAt(index) >= 48 && text.charCodeAt(index) <= 57) {
			if (index - start < 3)
				ms += (text.charCodeAt(index) - 48) * (index - start === 0 ? 100 : index - start === 1 ? 10 : 1);
			index++;
		}
		if (index === start) return undefined;
	}
	const zone = text.length - index;
	const utc = (zone === 1 && text.charCodeAt(index) === 90) || (zone === 6 && text.endsWith('+00:00'));
	if (!utc || day > daysInMonth(year, month)) return undefined;
	return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, in integer arithmetic (Howard Hinnant's
 * `days_from_civil`): what `Date.UTC` computes, without the call.
 */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

export { isRecord };
