/**
 * Shallow copies of frozen plain objects, as `{ ...base }` makes them, without V8's quadratic garbage on large
 * ones.
 *
 * V8 (Node 20's V8 11) cannot clone a frozen object by its map: `{ ...frozen }` and `Object.assign({}, frozen)`
 * add the properties one at a time, and the backing store of the copy grows by three slots at a time, so a
 * 99-key object (a guild's members) leaves 13 KB of garbage per copy instead of 0.9 KB. A store copying ten of
 * them per change runs the young-generation collector three times as often, and its pauses are what a p99 sees.
 * `JSON.parse` of a template with the same keys builds the object with its final size at once; `Object.assign`
 * then fills in the values (every key exists, so nothing grows). The template is cached per object (frozen: its
 * keys cannot change) and handed on to a copy that keeps the keys.
 * @internal
 */
import { isPlainRecord } from './plain.js';

/** From this many keys on, a copy goes through the template (below it, the garbage of a spread is small). */
const TEMPLATE_FROM = 16;

/** The own enumerable string keys of a frozen plain object, as a JSON object of zeros. */
const templates = new WeakMap<object, string>();

function nullRecord(): Record<string, unknown> {
	const record: unknown = Object.create(null);
	return isPlainRecord(record) ? record : {};
}

/** Whether `base` has at least `TEMPLATE_FROM` enumerable keys (counted without allocating). */
function isLarge(base: object): boolean {
	let count = 0;
	for (const _key in base) if (++count >= TEMPLATE_FROM) return true;
	return false;
}

function templateOf(base: Record<string, unknown>): string | undefined {
	const known = templates.get(base);
	if (known !== undefined || !isLarge(base) || !Object.isFrozen(base)) return known;
	let template = '{';
	for (const key of Object.keys(base)) template += `${template === '{' ? '' : ','}${JSON.stringify(key)}:0`;
	template += '}';
	templates.set(base, template);
	return template;
}

function parsed(template: string): Record<string, unknown> {
	const value: unknown = JSON.parse(template);
	return isPlainRecord(value) ? value : {};
}

/**
 * immer's `shallowCopy` of a plain object: a spread for an object with a prototype, an assignment onto a
 * null-prototype object for one without. Same keys in the same order, same values (getters read), writable.
 */
export function spreadRecord(base: Record<string, unknown>): Record<string, unknown> {
	return Reflect.getPrototypeOf(base) === null ? Object.assign(nullRecord(), base) : { ...base };
}

/**
 * {@link spreadRecord}'s copy, through the template when `base` is large: a little more CPU than the spread
 * (`JSON.parse` looks each key up) for a fifteenth of the garbage. Worth it where many large objects are copied
 * at once (a transaction); `set()` copies one path and keeps the spread.
 */
export function copyRecord(base: Record<string, unknown>): Record<string, unknown> {
	const template = Reflect.getPrototypeOf(base) === null ? undefined : templateOf(base);
	// Object.assign copies the symbol keys too (after the string keys, as a spread does) and sets an own
	// `__proto__` key as the data property JSON.parse made, never the prototype.
	return template === undefined ? spreadRecord(base) : Object.assign(parsed(template), base);
}

/** `copy` (now frozen) has the keys of `base` it was copied from: it can reuse the template. */
export function sameKeys(copy: object, base: object): void {
	const template = templates.get(base);
	if (template !== undefined) templates.set(copy, template);
}
