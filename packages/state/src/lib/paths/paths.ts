import { StateError } from '../errors/StateError.js';
import type { PathArray, PathKey } from './types.js';

/** Turns a dot path or a tuple path into segments. `''` and `[]` are the root. */
export function toSegments(path: string | PathArray): PathKey[] {
	if (typeof path === 'string') {
		if (path === '') return [];
		const parts = path.split('.');
		for (const part of parts) {
			if (part === '')
				throw StateError.of('STATE_INVALID_PATH', [
					path,
					'empty segment (two dots in a row, or a leading or trailing dot)',
				]);
		}
		return parts;
	}
	const parts: unknown = path;
	if (!isList(parts))
		throw StateError.of('STATE_INVALID_PATH', [String(parts), 'a path is a dot string or an array of keys']);
	const segments: PathKey[] = [];
	for (const part of parts) {
		if (typeof part !== 'string' && typeof part !== 'number')
			throw StateError.of('STATE_INVALID_PATH', [formatPath(parts), 'segments are strings or numbers']);
		segments.push(part);
	}
	return segments;
}

/** A path for messages: `guilds.123.settings`. */
export function formatPath(path: readonly unknown[]): string {
	return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** A map key for a path (segments never contain U+001F in practice; numbers and their strings are one key). */
export function pathId(path: PathArray): string {
	let out = '';
	for (let i = 0; i < path.length; i++) out += i === 0 ? String(path[i]) : `\u001f${String(path[i])}`;
	return out;
}

/** `Array.isArray` that narrows `unknown` to `readonly unknown[]` (not `any[]`). */
export function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

/** Whether `value` can hold children. */
export function isContainer(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

/** Reads a child without prototype lookups. */
export function childOf(value: unknown, key: PathKey): unknown {
	if (!isContainer(value)) return undefined;
	if (!Object.hasOwn(value, key)) return undefined;
	const child: unknown = Reflect.get(value, key);
	return child;
}

/** The value at `path`, or `undefined` when any segment is missing. */
export function readPath(root: unknown, path: PathArray): unknown {
	let value = root;
	for (const key of path) {
		value = childOf(value, key);
		if (value === undefined) return undefined;
	}
	return value;
}

/** Whether `a` is `b` or an ancestor of it. */
export function isPrefix(a: PathArray, b: PathArray): boolean {
	if (a.length > b.length) return false;
	for (let i = 0; i < a.length; i++) if (String(a[i]) !== String(b[i])) return false;
	return true;
}

/** Whether a change at `a` can affect `b` (one is a prefix of the other). */
export function overlaps(a: PathArray, b: PathArray): boolean {
	return a.length <= b.length ? isPrefix(a, b) : isPrefix(b, a);
}

/**
 * Sets `value` at `path` inside a (draft) tree. Throws `STATE_INVALID_PATH` when a parent is missing or not a
 * container, so `set()` never invents structure.
 */
export function writePath(root: unknown, path: PathArray, value: unknown, label: string): void {
	if (path.length === 0)
		throw StateError.of('STATE_INVALID_PATH', [
			label,
			'set() needs a path below the root; use update() to replace the whole state',
		]);
	let parent = root;
	for (let i = 0; i < path.length - 1; i++) {
		const key = path[i];
		const next = key === undefined ? undefined : childOf(parent, key);
		if (!isContainer(next))
			throw StateError.of('STATE_INVALID_PATH', [
				label,
				`"${formatPath(path.slice(0, i + 1))}" is ${next === undefined ? 'missing' : 'not an object or array'}`,
			]);
		parent = next;
	}
	const last = path[path.length - 1];
	if (!isContainer(parent) || last === undefined)
		throw StateError.of('STATE_INVALID_PATH', [label, 'the root is not an object']);
	Reflect.set(parent, last, value);
}
