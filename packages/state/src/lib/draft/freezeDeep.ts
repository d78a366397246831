/**
 * The store's states are deeply frozen: every object immer drafts (plain objects, arrays, `Map`s, `Set`s,
 * `immerable` classes) reachable from the root is frozen. immer's own `freeze(value, true)` stops at an object
 * that is already frozen, so a frozen object with mutable insides (passed as the initial state, loaded, or
 * placed by a recipe) kept them mutable; the plain draft relies on the invariant to skip immer's walk over every
 * untouched property of each copy.
 * @internal
 */
import { freeze, isDraftable } from 'immer';
import { isContainer } from '../paths/paths.js';

/** Freezes `value` and every draftable object under it (descending into frozen ones too); returns `value`. */
export function freezeDeep<T>(value: T): T {
	if (!isContainer(value) || !isDraftable(value)) return value;
	const seen = new Set<object>();
	const stack: object[] = [value];
	while (stack.length > 0) {
		const item = stack.pop();
		if (item === undefined || seen.has(item)) continue;
		seen.add(item);
		freezeOne(item);
		const children: readonly unknown[] = Object.values(item);
		for (const child of children)
			if (isContainer(child) && isDraftable(child) && !seen.has(child)) stack.push(child);
	}
	return value;
}

/**
 * immer's shallow freeze of a draftable object (it also blocks a `Map`'s or `Set`'s mutating methods). Like
 * immer's deep freeze, the children are the own enumerable values (a `Map`'s or `Set`'s entries are not).
 */
export function freezeOne(item: object): void {
	if (!Object.isFrozen(item)) freeze(item);
}
