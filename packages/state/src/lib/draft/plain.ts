/**
 * What the paths that bypass immer (`set()`'s copies, the plain draft) accept: plain objects reached through
 * plain objects, under ordinary keys.
 * @internal
 */

/** Keys left to immer (which guards them): a spread or an assignment would make them own properties or reach the prototype. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const OBJECT_PROTOTYPE = Reflect.getPrototypeOf({});

/** A plain object (not an array, a `Map`, a `Set` or a class instance): what a spread copies exactly. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const proto = Reflect.getPrototypeOf(value);
	return proto === OBJECT_PROTOTYPE || proto === null;
}

/** A value written as is: not an object, not a function. */
export function isPrimitive(value: unknown): boolean {
	return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
