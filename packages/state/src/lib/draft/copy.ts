/**
 * Shallow copies of frozen plain objects, as `{ ...base }` makes them, without V8's slow path on large ones.
 *
 * V8 (Node 20's V8 11) cannot clone a frozen object by its map: `{ ...frozen }` and `Object.assign({}, frozen)`
 * add the properties one at a time, and the backing store of the copy grows by three slots at a time, so a
 * 99-key object (a guild's members) costs 2.5–4 µs and leaves 13 KB of garbage per copy instead of 0.9 KB. A
 * store copying ten of them per change runs the young-generation collector three times as often, and its pauses
 * are what a p99 sees.
 *
 * A large object's keys are recorded once per key set (cached per object: frozen, its keys cannot change; handed
 * on to a copy that keeps them). The first copies of a key set go through a JSON template: `JSON.parse` of
 * `{"k":0,…}` builds the object at its final size, `Object.assign` fills in the values (every key exists, so
 * nothing grows) — no garbage, but slower than the spread (6–7 µs for 99 keys). A key set copied again gets a
 * compiled copier, an object literal with its keys (`b => ({ "k": b["k"], … })`): V8 builds the literal from its
 * boilerplate in one allocation, 0.1 µs for 99 keys. Where code generation from strings is disallowed
 * (`--disallow-code-generation-from-strings`), the template stays.
 * @internal
 */
import { isPlainRecord } from './plain.js';

/** From this many keys on, a copy goes through the key set (below it, the spread is fast and its garbage small). */
const LARGE_FROM = 16;
/** Up to this many keys a key set is compiled (a larger literal makes a slow dictionary-mode object anyway). */
const COMPILE_UP_TO = 1_024;
/** The copy of a key set that compiles it: a key set copied once (a key added at every change) never is. */
const COMPILE_AT = 3;

type Copier = (base: Record<string, unknown>) => Record<string, unknown>;

/**
 * The own string keys of frozen plain objects, all enumerable, and how to copy an object that has exactly them.
 * An object with a non-enumerable own key gets none: writing that key makes it enumerable in the copy (a spread
 * drops it, the write adds it back), so the copy's keys would differ from a key set handed on to it.
 */
interface KeySet {
	/** The keys in order. */
	readonly keys: readonly string[];
	/** A JSON object of zeros with the keys in order. */
	readonly template: string;
	/** False when the objects have own symbol keys, an own `__proto__` key or over `COMPILE_UP_TO` keys. */
	readonly compilable: boolean;
	copies: number;
	/** The compiled copier; `undefined` until compiled, `null` when it cannot be. */
	copier: Copier | null | undefined;
}

/** Per frozen object: its key set, or `null` when it has a non-enumerable own key (asked once, not per copy). */
const keySets = new WeakMap<object, KeySet | null>();

/** False once `new Function` was refused: the process disallows code generation from strings. */
let codegen = true;

function nullRecord(): Record<string, unknown> {
	const record: unknown = Object.create(null);
	return isPlainRecord(record) ? record : {};
}

/** Whether `base` has at least `LARGE_FROM` enumerable keys (counted without allocating). */
function isLarge(base: object): boolean {
	let count = 0;
	for (const _key in base) if (++count >= LARGE_FROM) return true;
	return false;
}

function keySetOf(base: Record<string, unknown>): KeySet | undefined {
	const known = keySets.get(base);
	if (known !== undefined) return known ?? undefined;
	if (!isLarge(base) || !Object.isFrozen(base)) return undefined;
	const keys = Object.keys(base);
	if (Object.getOwnPropertyNames(base).length !== keys.length) {
		keySets.set(base, null);
		return undefined;
	}
	let template = '{';
	for (const key of keys) template += `${template === '{' ? '' : ','}${JSON.stringify(key)}:0`;
	template += '}';
	const keySet: KeySet = {
		keys,
		template,
		compilable:
			keys.length <= COMPILE_UP_TO &&
			!Object.hasOwn(base, '__proto__') &&
			Object.getOwnPropertySymbols(base).length === 0,
		copies: 0,
		copier: undefined,
	};
	keySets.set(base, keySet);
	return keySet;
}

/**
 * The copier of `base`'s keys: `b => ({ "k": b["k"], … })`. Keys are JSON string literals (valid JS string
 * literals, so no key can break out of its quotes); a literal `"__proto__": …` would set the prototype, so such
 * key sets are never compiled (`compilable`). Reads go through `[[Get]]` as the spread's do (getters run).
 */
function compile(keys: readonly string[]): Copier | null {
	if (!codegen) return null;
	let literal: unknown;
	try {
		let body = 'return {';
		for (const key of keys) {
			const quoted = JSON.stringify(key);
			body += `${quoted}: b[${quoted}],`;
		}
		body += '};';
		// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the copier is the literal of a key set; see the module comment
		literal = new Function('b', body);
	} catch (error) {
		// An EvalError: the process disallows code generation. Anything else (a body too long) is this key set's.
		if (error instanceof EvalError) codegen = false;
		return null;
	}
	if (typeof literal !== 'function') return null;
	const make = literal;
	return (record) => {
		const copy: unknown = Reflect.apply(make, undefined, [record]);
		return isPlainRecord(copy) ? copy : spreadRecord(record);
	};
}

function parsed(template: string): Record<string, unknown> {
	const value: unknown = JSON.parse(template);
	return isPlainRecord(value) ? value : {};
}

/**
 * immer's `shallowCopy` of a plain object: a spread for an object with a prototype, an assignment onto a
 * null-prototype object for one without. Same keys in the same order, same values (getters read), writable.
 */
function spreadRecord(base: Record<string, unknown>): Record<string, unknown> {
	return Reflect.getPrototypeOf(base) === null ? Object.assign(nullRecord(), base) : { ...base };
}

/**
 * {@link spreadRecord}'s copy, through the key set when `base` is large and frozen: its compiled copier, or its
 * template until the key set is compiled. The same keys, order, values, symbols and own `__proto__` key as the
 * spread; used by the plain draft and by `set()`.
 */
export function copyRecord(base: Record<string, unknown>): Record<string, unknown> {
	const keySet = Reflect.getPrototypeOf(base) === null ? undefined : keySetOf(base);
	if (keySet === undefined) return spreadRecord(base);
	if (keySet.copier === undefined && keySet.compilable && ++keySet.copies >= COMPILE_AT)
		keySet.copier = compile(keySet.keys);
	if (keySet.copier !== undefined && keySet.copier !== null) return keySet.copier(base);
	// Object.assign copies the symbol keys too (after the string keys, as a spread does) and sets an own
	// `__proto__` key as the data property JSON.parse made, never the prototype.
	return Object.assign(parsed(keySet.template), base);
}

/**
 * `copy` (now frozen) has the keys of `base` it was copied from: it shares the key set. Only for a copy whose
 * writes all went to keys `base` had (all enumerable when `base` has a key set).
 */
export function sameKeys(copy: object, base: object): void {
	const keySet = keySets.get(base);
	if (keySet !== undefined && keySet !== null) keySets.set(copy, keySet);
}
