/**
 * `instanceof` for OvenJS's public classes that keeps working when a program loads two copies of a package: the
 * ESM and the CommonJS build (a CommonJS plugin in an ESM bot), or two installed versions. Each copy has its own
 * class objects, so prototype identity fails across them; like {@link OvenError}, a marked class is matched by a
 * `Symbol.for('ovenjs.class.<id>')` marker on its prototype instead.
 *
 * - `value instanceof Marked` is true for instances of `Marked` (and of its subclasses) from any copy.
 * - A class that extends a marked class without marking itself keeps the ordinary prototype check, so
 *   `class MyClient extends Client {}` does not claim every `Client` as a `MyClient`.
 */
const markerPrefix = 'ovenjs.class.';

/** A class that {@link markClass} can mark (private constructors included). */
export interface MarkableClass {
	readonly prototype: object;
}

/** The marker symbol of a class id (`Symbol.for('ovenjs.class.core.Client')` for `'core.Client'`). */
export function classMarker(id: string): symbol {
	return Symbol.for(`${markerPrefix}${id}`);
}

/** Whether `value` is an instance of the class marked with `id` (from any copy of its package). */
export function hasClassMarker(value: unknown, id: string): boolean {
	if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
	return Reflect.get(value, classMarker(id)) === true;
}

/**
 * Marks `target` so `instanceof target` matches instances from every copy of its package. Call it once, in the
 * class's static block: `static { markClass(this, 'core.Client'); }`. `id` is `<package>.<Class>` and must not
 * change between versions that are meant to match.
 */
export function markClass(target: MarkableClass, id: string): void {
	const marker = classMarker(id);
	Object.defineProperty(target.prototype, marker, {
		value: true,
		enumerable: false,
		writable: false,
		configurable: false,
	});
	Object.defineProperty(target, Symbol.hasInstance, {
		// The symbol is looked up once, here: `instanceof` may sit on a hot path (a cache's synchronous read).
		value: function hasInstance(this: unknown, instance: unknown): boolean {
			// A subclass that did not mark itself (a user's `class MyClient extends Client`): the ordinary check.
			if (this !== target)
				return typeof this === 'function' && Function.prototype[Symbol.hasInstance].call(this, instance);
			return (
				(typeof instance === 'object' || typeof instance === 'function') &&
				instance !== null &&
				Reflect.get(instance, marker) === true
			);
		},
		enumerable: false,
		writable: false,
		configurable: true,
	});
}
