/**
 * Patch helpers: coalescing (delta compression), size estimates, and what a change inserted (the shared-reference
 * guard, freezing).
 * @internal
 */
import { isDraftable, type Patch } from 'immer';
import { freezeOne } from './draft/freezeDeep.js';
import { StateError } from './errors/StateError.js';
import { childOf, formatPath, isContainer, isList, isPrefix } from './paths/paths.js';
import type { PathArray } from './paths/types.js';

/** Whether a patch moves array elements (add/remove at an index, or a length change): never coalesced across. */
function shiftsArray(patch: Patch): boolean {
	const last = patch.path[patch.path.length - 1];
	if (last === 'length') return true;
	return typeof last === 'number' && patch.op !== 'replace';
}

function samePath(a: PathArray, b: PathArray): boolean {
	return a.length === b.length && isPrefix(a, b);
}

/**
 * Coalesces a patch list applied in order into the shortest equivalent list: a later `replace`/`remove` at a path
 * drops earlier patches at that path or below it; `add` then `replace` becomes one `add`; `add` then `remove` of an
 * object key cancels out; `remove` then `add` becomes `replace`. Never merges across a patch that shifts array
 * indices. The input is not modified.
 */
export function coalescePatches(patches: readonly Patch[]): Patch[] {
	if (patches.length < 2) return [...patches];
	const out: (Patch | undefined)[] = [];
	/** Index in `out` after which merging must stop (the last array shift). */
	let barrier = -1;
	for (const patch of patches) {
		if (shiftsArray(patch)) {
			out.push(patch);
			barrier = out.length - 1;
			continue;
		}
		let merged: Patch | undefined = patch;
		{
			for (let i = out.length - 1; i > barrier; i--) {
				const earlier = out[i];
				if (earlier === undefined) continue;
				if (samePath(earlier.path, patch.path)) {
					out[i] = undefined;
					const value: unknown = Reflect.get(patch, 'value');
					if (earlier.op === 'add' && patch.op === 'replace') merged = { op: 'add', path: patch.path, value };
					else if (earlier.op === 'add' && patch.op === 'remove') merged = undefined;
					else if (earlier.op === 'remove' && patch.op === 'add')
						merged = { op: 'replace', path: patch.path, value };
					break;
				}
				// A write at an ancestor (or the path itself) supersedes what was written below it.
				if (patch.op !== 'add' && isPrefix(patch.path, earlier.path) && earlier.path.length > patch.path.length)
					out[i] = undefined;
				else if (isPrefix(earlier.path, patch.path)) break; // written inside an earlier value: keep the order
			}
		}
		if (merged !== undefined) out.push(merged);
	}
	return out.filter((patch): patch is Patch => patch !== undefined);
}

/** The size of a primitive (`undefined` for an object or array, which the walk below sizes). */
function primitiveBytes(value: unknown): number | undefined {
	switch (typeof value) {
		case 'string':
			return 8 + value.length * 2;
		case 'number':
		case 'bigint':
			return 8;
		case 'boolean':
		case 'undefined':
			return 4;
		case 'object':
			return value === null ? 4 : undefined;
		default:
			return 8;
	}
}

/** Rough heap/wire size of a JSON-like value in bytes (strings 2 bytes per char, numbers 8, objects 16 + keys). */
export function estimateBytes(value: unknown, budget = Number.POSITIVE_INFINITY): number {
	// A primitive (most patch values) is sized without the walk's stack.
	const own = primitiveBytes(value);
	if (own !== undefined) return own;
	let total = 0;
	const stack: unknown[] = [value];
	while (stack.length > 0 && total <= budget) {
		const item = stack.pop();
		const bytes = primitiveBytes(item);
		if (bytes !== undefined) total += bytes;
		else if (isList(item)) {
			total += 16 + item.length * 8;
			for (const child of item) stack.push(child);
		} else if (isContainer(item)) {
			total += 16;
			for (const key of Object.keys(item)) {
				total += 8 + key.length * 2;
				stack.push(Reflect.get(item, key));
			}
		}
	}
	return total;
}

/** The size of a patch list (paths and values). */
export function patchBytes(patches: readonly Patch[]): number {
	let total = 0;
	for (const patch of patches) {
		total += 16 + patch.path.length * 12;
		if ('value' in patch) total += estimateBytes(Reflect.get(patch, 'value'));
	}
	return total;
}

/**
 * Settles the values a change inserted, in one walk over them:
 * - refuses a change that puts one object at two places in the tree (immerjs/immer#468): immer records a draft
 *   reached through two paths under one of them, so patches, history and replicas would describe a different
 *   tree than the one in memory (also walks the copies on the changed paths);
 * - freezes what immer left mutable: immer stops freezing at an object that is already frozen, so a frozen
 *   object with mutable insides kept them (the state must be deeply frozen, see `freezeDeep`).
 * @throws {@link StateError} `STATE_SHARED_REFERENCE`
 */
export function settleInserted(next: unknown, patches: readonly Patch[]): void {
	let inserted: Map<object, string> | undefined;
	for (const patch of patches) {
		const value: unknown = Reflect.get(patch, 'value');
		if ((patch.op === 'add' || patch.op === 'replace') && isContainer(value)) {
			inserted ??= new Map();
			collect(value, patch.path, inserted);
		}
	}
	if (inserted === undefined) return;
	// The objects on every changed path are fresh copies made by this change; none may also be an inserted value.
	for (const patch of patches) {
		let node: unknown = next;
		for (let i = 0; i < patch.path.length - 1; i++) {
			const key = patch.path[i];
			node = key === undefined ? undefined : childOf(node, key);
			if (!isContainer(node)) break;
			const other = inserted.get(node);
			const here = formatPath(patch.path.slice(0, i + 1));
			if (other !== undefined && other !== here) throw StateError.of('STATE_SHARED_REFERENCE', [here, other]);
		}
	}
}

/** Walks an inserted value: every container is recorded once (a second sighting is a shared reference). */
function collect(root: object, path: PathArray, seen: Map<object, string>): void {
	// The third member: whether the value is reached through draftable objects only (what immer freezes).
	const stack: [object, string, boolean][] = [[root, formatPath(path), true]];
	while (stack.length > 0) {
		const item = stack.pop();
		if (item === undefined) break;
		const [value, where, reached] = item;
		const before = seen.get(value);
		if (before !== undefined) throw StateError.of('STATE_SHARED_REFERENCE', [before, where]);
		seen.set(value, where);
		const draftable = reached && isDraftable(value);
		if (draftable) freezeOne(value);
		for (const key of Object.keys(value)) {
			const child: unknown = Reflect.get(value, key);
			if (isContainer(child)) stack.push([child, `${where}.${key}`, draftable]);
		}
	}
}
