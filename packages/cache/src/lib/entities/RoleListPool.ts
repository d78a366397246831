import { uncheckedSnowflake, type RoleId } from '@ovenjs/types';

/**
 * Interns role-ID lists: members of a guild share a small number of distinct role combinations, so each
 * member stores a 4-byte list index instead of its own array. Index `0` is the empty list.
 */
export class RoleListPool {
	readonly #index = new Map<string, number>([['', 0]]);
	readonly #lists: (readonly RoleId[])[] = [Object.freeze([])];

	/**
	 * The index of the (sorted, de-duplicated) list of `roles`. With `current` (the index the member holds now), an
	 * unchanged list is recognised without allocating: the common case of a member update or a message's member.
	 */
	public intern(roles: readonly unknown[], current?: number): number {
		if (roles.length === 0) return 0;
		if (current !== undefined && this.#holds(current, roles)) return current;
		const ids: string[] = [];
		for (const role of roles) if (typeof role === 'string') ids.push(role);
		if (ids.length === 0) return 0;
		sortSmall(ids);
		const key = ids.join(',');
		const existing = this.#index.get(key);
		if (existing !== undefined) return existing;
		const list = Object.freeze([...new Set(ids)].map((id) => uncheckedSnowflake('Role', id)));
		this.#lists.push(list);
		this.#index.set(key, this.#lists.length - 1);
		return this.#lists.length - 1;
	}

	/** Whether the list at `index` has exactly the (distinct) IDs of `roles`. */
	#holds(index: number, roles: readonly unknown[]): boolean {
		const list = this.#lists[index];
		if (list?.length !== roles.length) return false;
		for (const role of roles)
			if (typeof role !== 'string' || !list.includes(uncheckedSnowflake('Role', role))) return false;
		// Same length and every role listed: with duplicates in `roles` some list entry would be missing from it.
		for (const id of list) if (!roles.includes(id)) return false;
		return true;
	}

	/** The list at `index`. */
	public get(index: number): readonly RoleId[] {
		return this.#lists[index] ?? [];
	}

	/** Number of distinct lists. */
	public get size(): number {
		return this.#lists.length;
	}

	/** Approximate bytes held. */
	public byteSize(): number {
		let total = 0;
		for (const list of this.#lists) total += 48 + list.length * 48;
		return total;
	}
}

/**
 * Sorts role IDs as `Array#sort` does (UTF-16 order): by insertion for the few roles a member has, where the
 * built-in sort's setup costs more than the sorting (every member of a guild at start-up goes through here).
 */
function sortSmall(ids: string[]): void {
	if (ids.length > 8) {
		ids.sort();
		return;
	}
	for (let i = 1; i < ids.length; i++) {
		const id = ids[i];
		if (id === undefined) continue;
		let j = i - 1;
		for (; j >= 0; j--) {
			const before = ids[j];
			if (before === undefined || before <= id) break;
			ids[j + 1] = before;
		}
		ids[j + 1] = id;
	}
}
