import { redactSecrets, isRecord } from '@ovenjs/types';

/** One field error Discord reported for a request body (`errors` in Discord's JSON error). */
export interface DiscordFieldError {
	/** Dotted path of the field, e.g. `embeds[0].title`. */
	readonly path: string;
	/** Discord's error code for the field, e.g. `BASE_TYPE_REQUIRED`. */
	readonly code: string;
	/** Discord's human-readable explanation. */
	readonly message: string;
}

/**
 * Bounds of what is read from an error body, so a hostile or broken server cannot exhaust the stack or the heap
 * through an error: nesting deeper than {@link ErrorBodyLimits.depth} is cut (with one `DEPTH_LIMIT` field error
 * at the cut), at most {@link ErrorBodyLimits.fieldErrors} field errors are kept, and paths, codes and messages
 * are shortened to {@link ErrorBodyLimits.text} characters.
 */
export const ErrorBodyLimits = {
	/** Nesting levels of `errors` that are followed. */
	depth: 64,
	/** Field errors kept; the rest is dropped. */
	fieldErrors: 1_000,
	/** Field errors listed in the error message; the rest is counted. */
	listed: 50,
	/** Characters kept of a path, code or message. */
	text: 1_000,
	/** Values copied into `rawError`; deeper or further values become `'[Truncated]'`. */
	rawValues: 10_000,
} as const;

const TRUNCATED = '[Truncated]';

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function clip(text: string): string {
	return text.length > ErrorBodyLimits.text ? `${text.slice(0, ErrorBodyLimits.text)}…` : text;
}

/** A bounded, redacted text: secrets removed, then shortened. @internal */
export function clean(text: string): string {
	return clip(redactSecrets(text));
}

/** Sets an own property (a key named `__proto__` stays a key instead of replacing the prototype). */
function define(target: object, key: string | number, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface CopyTask {
	readonly source: unknown;
	readonly target: object | undefined;
	readonly key: string | number;
	readonly depth: number;
}

/**
 * A copy of a JSON value with every registered secret removed from its strings (keys too), built without
 * recursion: nesting deeper than {@link ErrorBodyLimits.depth} and values beyond {@link ErrorBodyLimits.rawValues}
 * become `'[Truncated]'`.
 *
 * @internal
 */
export function redactJson(value: unknown): unknown {
	const root: Record<string, unknown> = {};
	const tasks: CopyTask[] = [{ source: value, target: root, key: 'value', depth: 0 }];
	let budget = ErrorBodyLimits.rawValues;
	while (tasks.length > 0) {
		const task = tasks.pop();
		if (task?.target === undefined) break;
		const { source, target, key, depth } = task;
		if (budget-- <= 0) {
			define(target, key, TRUNCATED);
			continue;
		}
		if (typeof source === 'string') {
			define(target, key, redactSecrets(source));
		} else if (typeof source !== 'object' || source === null) {
			define(target, key, source);
		} else if (depth >= ErrorBodyLimits.depth) {
			define(target, key, TRUNCATED);
		} else if (isList(source)) {
			const copy: unknown[] = [];
			define(target, key, copy);
			for (let i = source.length - 1; i >= 0; i--)
				tasks.push({ source: source[i], target: copy, key: i, depth: depth + 1 });
		} else {
			const copy: Record<string, unknown> = {};
			define(target, key, copy);
			const entries: [string, unknown][] = Object.entries(source);
			// Keys are defined in order now; their values are filled in as the tasks run.
			for (const [name] of entries) define(copy, redactSecrets(name), undefined);
			for (let i = entries.length - 1; i >= 0; i--) {
				const entry = entries[i];
				if (entry !== undefined)
					tasks.push({ source: entry[1], target: copy, key: redactSecrets(entry[0]), depth: depth + 1 });
			}
		}
	}
	return root.value;
}

interface FlattenFrame {
	readonly entries: readonly [string, unknown][];
	index: number;
	readonly prefix: string;
	readonly depth: number;
}

function joinPath(prefix: string, key: string): string {
	return clean(prefix === '' ? key : isNumericKey(key) ? `${prefix}[${key}]` : `${prefix}.${key}`);
}

function isNumericKey(key: string): boolean {
	if (key.length === 0 || key.length > 10) return false;
	for (let i = 0; i < key.length; i++) {
		const c = key.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/**
 * Flattens Discord's nested `errors` object (`{ embeds: { 0: { title: { _errors: [...] } } } }`) into a list
 * of field errors with dotted paths. It never recurses and is bounded by {@link ErrorBodyLimits}: levels deeper
 * than `depth` end in one `DEPTH_LIMIT` entry, at most `fieldErrors` entries are returned, and every path, code
 * and message is redacted and shortened to `text` characters.
 */
export function flattenFieldErrors(errors: unknown, prefix = ''): DiscordFieldError[] {
	const out: DiscordFieldError[] = [];
	if (!isRecord(errors)) return out;
	const max = ErrorBodyLimits.fieldErrors;
	const stack: FlattenFrame[] = [{ entries: Object.entries(errors), index: 0, prefix: clean(prefix), depth: 0 }];
	while (stack.length > 0 && out.length < max) {
		const frame = stack[stack.length - 1];
		if (frame === undefined) break;
		const entry = frame.entries[frame.index++];
		if (entry === undefined) {
			stack.pop();
			continue;
		}
		const [key, value] = entry;
		if (key === '_errors' && isList(value)) {
			for (const item of value) {
				if (out.length >= max) break;
				if (isRecord(item)) {
					out.push({
						path: frame.prefix === '' ? '(body)' : frame.prefix,
						code: typeof item.code === 'string' ? clean(item.code) : 'UNKNOWN',
						message: typeof item.message === 'string' ? clean(item.message) : '',
					});
				}
			}
			continue;
		}
		const path = joinPath(frame.prefix, key);
		if (!isRecord(value)) continue;
		if (typeof value.code === 'string' && typeof value.message === 'string' && !('_errors' in value)) {
			out.push({ path, code: clean(value.code), message: clean(value.message) });
		} else if (frame.depth + 1 >= ErrorBodyLimits.depth) {
			out.push({
				path,
				code: 'DEPTH_LIMIT',
				message: `Field errors nested deeper than ${ErrorBodyLimits.depth} levels were not read`,
			});
		} else {
			stack.push({ entries: Object.entries(value), index: 0, prefix: path, depth: frame.depth + 1 });
		}
	}
	return out;
}
