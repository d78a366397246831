/**
 * Glob matching for pattern invalidation: `*` matches any run of characters (including none), `?` exactly one
 * UTF-16 code unit, and every other character (`[`, `]`, `\`, ...) only itself — there are no character classes
 * and no escapes, as in every tier (Redis and PostgreSQL patterns are escaped to the same meaning).
 *
 * Matching never backtracks past the last `*`: the pattern is split at its stars into segments; the first
 * must match at the start of the key, the last at its end, and each one in between is placed at its leftmost
 * position after the previous one (leftmost is always a valid choice, since a star can absorb any gap). One
 * key costs at most `key.length × (pattern length without stars)` character comparisons, and a pattern whose
 * non-star characters outnumber the key's is rejected without looking at the key — so with keys of at most
 * {@link MAX_KEY_LENGTH} characters, a key costs at most 512 × 512 comparisons, whatever the pattern.
 *
 * @internal
 */

/** One run of a pattern between two stars. */
interface Segment {
	readonly text: string;
	/** Whether it holds a `?` (otherwise `startsWith` / `indexOf` compare it). */
	readonly wild: boolean;
}

/** A glob split at its stars, ready to test keys. */
export interface CompiledGlob {
	/** Whether `key` matches the whole pattern. */
	test(key: string): boolean;
}

function segment(text: string): Segment {
	return { text, wild: text.includes('?') };
}

/** Whether `seg` matches `key` at `offset` (the caller checked that it fits). */
function matchesAt(key: string, offset: number, seg: Segment): boolean {
	if (!seg.wild) return key.startsWith(seg.text, offset);
	const text = seg.text;
	for (let i = 0; i < text.length; i++) {
		const char = text.charCodeAt(i);
		if (char !== 0x3f && char !== key.charCodeAt(offset + i)) return false;
	}
	return true;
}

/** The leftmost offset in `[from, end - seg.length]` where `seg` matches, or `-1`. */
function find(key: string, seg: Segment, from: number, end: number): number {
	const last = end - seg.text.length;
	if (!seg.wild) {
		const index = key.indexOf(seg.text, from);
		return index !== -1 && index <= last ? index : -1;
	}
	for (let offset = from; offset <= last; offset++) if (matchesAt(key, offset, seg)) return offset;
	return -1;
}

/** Compiles `pattern` once; the result tests any number of keys. */
export function compileGlob(pattern: string): CompiledGlob {
	const parts = pattern.split('*');
	if (parts.length === 1) {
		const only = segment(pattern);
		return { test: (key) => key.length === pattern.length && matchesAt(key, 0, only) };
	}
	const head = segment(parts[0] ?? '');
	const tail = segment(parts[parts.length - 1] ?? '');
	const middle = parts
		.slice(1, -1)
		.filter((part) => part.length > 0)
		.map(segment);
	const minLength = pattern.length - (parts.length - 1);
	if (middle.length === 0 && tail.text.length === 0 && !head.wild) {
		const prefix = head.text;
		return { test: (key) => key.startsWith(prefix) };
	}
	return {
		test(key) {
			if (key.length < minLength) return false;
			const end = key.length - tail.text.length;
			if (!matchesAt(key, 0, head) || !matchesAt(key, end, tail)) return false;
			let position = head.text.length;
			for (const seg of middle) {
				const found = find(key, seg, position, end);
				if (found === -1) return false;
				position = found + seg.text.length;
			}
			return true;
		},
	};
}

/** Escapes a literal for a regular expression source (without the `u` flag). */
function escapeLiteral(text: string): string {
	return text.replace(/[\\^$.|+*?()[\]{}]/g, '\\$&');
}

function segmentSource(text: string): string {
	return text.split('?').map(escapeLiteral).join('[\\s\\S]');
}

/**
 * The same glob as an anchored regular expression that cannot backtrack catastrophically: each segment between
 * the first and the last star is found with a lookahead and consumed by a back-reference, which JavaScript
 * never re-enters (an atomic group), so a failing key costs the same bounded work as {@link compileGlob}.
 */
export function globSource(pattern: string): string {
	const parts = pattern.split('*');
	if (parts.length === 1) return `^${segmentSource(pattern)}$`;
	let source = `^${segmentSource(parts[0] ?? '')}`;
	let group = 0;
	for (const part of parts.slice(1, -1)) {
		if (part.length === 0) continue;
		group++;
		source += `(?=([\\s\\S]*?${segmentSource(part)}))\\${group}`;
	}
	return `${source}[\\s\\S]*${segmentSource(parts[parts.length - 1] ?? '')}$`;
}
