/**
 * The small type guards every package needs at its boundaries, in one place.
 */

/** Whether `value` is a non-null object that is not an array (a JSON object, a payload, an options bag). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is a thenable (a promise, or anything `await` would unwrap). */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}
