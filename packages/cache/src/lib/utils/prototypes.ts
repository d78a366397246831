/**
 * The guard {@link ValueCodec} runs on every decoded value: no object in it may have a prototype that a
 * decoder was talked into replacing (a `__proto__` key assigned with `obj[key] = value` sets the prototype to
 * the attacker's object instead of defining a property).
 *
 * @internal
 */

/** Whether `proto` is some constructor's `prototype` (`Object.prototype`, `Map.prototype`, a class's, ...). */
/** `Object.prototype`, typed (the lib types it `any`). */
const OBJECT_PROTOTYPE: unknown = Reflect.getPrototypeOf({});

/** A property descriptor's value, read without invoking an accessor. */
function valueOf(descriptor: { readonly value?: unknown } | undefined): unknown {
	return descriptor?.value;
}

function isConstructorPrototype(proto: object): boolean {
	const constructor = valueOf(Reflect.getOwnPropertyDescriptor(proto, 'constructor'));
	return (
		typeof constructor === 'function' &&
		valueOf(Reflect.getOwnPropertyDescriptor(constructor, 'prototype')) === proto
	);
}

/**
 * Whether any object reachable from `root` (through array items, own property values, Map keys and values,
 * Set values) has a prototype that is neither `null` nor a constructor's `prototype`. Decoded data, a
 * `__proto__` key turned into a prototype, always has a plain object or an array there. Iterative (deep values
 * cannot overflow the stack) and safe on cycles; typed arrays, buffers, dates and regular expressions are not
 * descended into.
 */
export function hasReplacedPrototype(root: unknown): boolean {
	if (typeof root !== 'object' || root === null) return false;
	const stack: object[] = [root];
	const seen = new Set<object>();
	const push = (value: unknown): void => {
		if (typeof value === 'object' && value !== null) stack.push(value);
	};
	for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
		if (seen.has(node)) continue;
		seen.add(node);
		const proto: unknown = Reflect.getPrototypeOf(node);
		if (proto === OBJECT_PROTOTYPE) {
			const values: unknown[] = Object.values(node);
			for (const value of values) push(value);
			continue;
		}
		if (proto !== null && (typeof proto !== 'object' || !isConstructorPrototype(proto))) return true;
		if (Array.isArray(node)) {
			const items: readonly unknown[] = node;
			for (const item of items) push(item);
		} else if (node instanceof Map) {
			const map: Map<unknown, unknown> = node;
			for (const [key, value] of map) {
				push(key);
				push(value);
			}
		} else if (node instanceof Set) {
			const set: Set<unknown> = node;
			for (const value of set) push(value);
		} else if (!(
			ArrayBuffer.isView(node) ||
			node instanceof ArrayBuffer ||
			node instanceof Date ||
			node instanceof RegExp
		)) {
			for (const name of Object.getOwnPropertyNames(node)) {
				push(valueOf(Reflect.getOwnPropertyDescriptor(node, name)));
			}
		}
	}
	return false;
}
