import type { PersistedChange, PersistedSnapshot, PersistedState, StateStorage } from './StateStorage.js';

interface Slot {
	snapshot: PersistedSnapshot | undefined;
	changes: PersistedChange[];
}

/**
 * The default storage: keeps snapshots and changes in this process (a structured clone, as a real storage would
 * serialize). Share one instance between stores to model a restart in tests.
 */
export class MemoryStorage implements StateStorage {
	readonly #slots = new Map<string, Slot>();

	public load(key: string): Promise<PersistedState> {
		const slot = this.#slots.get(key);
		return Promise.resolve(
			slot === undefined
				? { snapshot: undefined, changes: [] }
				: structuredClone({ snapshot: slot.snapshot, changes: slot.changes }),
		);
	}

	public append(key: string, changes: readonly PersistedChange[]): Promise<void> {
		const slot = this.#slot(key);
		for (const change of structuredClone(changes)) slot.changes.push(change);
		return Promise.resolve();
	}

	public saveSnapshot(key: string, snapshot: PersistedSnapshot): Promise<void> {
		const slot = this.#slot(key);
		slot.snapshot = structuredClone(snapshot);
		slot.changes = slot.changes.filter((change) => change.version > snapshot.version);
		return Promise.resolve();
	}

	/** How many changes are kept after the snapshot of `key` (for tests and monitoring). */
	public pendingChanges(key: string): number {
		return this.#slots.get(key)?.changes.length ?? 0;
	}

	#slot(key: string): Slot {
		let slot = this.#slots.get(key);
		if (slot === undefined) {
			slot = { snapshot: undefined, changes: [] };
			this.#slots.set(key, slot);
		}
		return slot;
	}
}
