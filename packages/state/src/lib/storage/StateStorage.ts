import type { Patch } from 'immer';
import type { ChangeMeta, ChangeOrigin } from '../history/types.js';

/** A persisted snapshot: the whole state at `version`. */
export interface PersistedSnapshot {
	/** The store version it captures. */
	readonly version: number;
	/** When it was taken (ms since the epoch). */
	readonly time: number;
	/** The state (JSON-compatible). */
	readonly state: unknown;
}

/** A persisted change: the patches that take version `version - 1` to `version`. */
export interface PersistedChange {
	/** The store version this change produced. */
	readonly version: number;
	/** When it was made. */
	readonly time: number;
	/** The patches (immer format). */
	readonly patches: readonly Patch[];
	/** Who, why and how. */
	readonly meta: ChangeMeta & { readonly origin: ChangeOrigin };
}

/** What a storage hands back on start: the last snapshot and the changes after it, in version order. */
export interface PersistedState {
	readonly snapshot: PersistedSnapshot | undefined;
	readonly changes: readonly PersistedChange[];
}

/**
 * Where a store persists: the last snapshot plus the changes after it. A restarted process loads both and
 * replays the changes. Implementations: {@link MemoryStorage}, `RedisStorage` (`@ovenjs/state/redis`) and
 * `PostgresStorage` (`@ovenjs/state/postgres`). Calls for one key never overlap (the store serializes them).
 */
export interface StateStorage {
	/** Loads what was saved under `key` (nothing: `{ snapshot: undefined, changes: [] }`). */
	load(key: string): Promise<PersistedState>;
	/** Appends changes (versions increase). */
	append(key: string, changes: readonly PersistedChange[]): Promise<void>;
	/** Saves a snapshot and drops the changes it contains (`version <= snapshot.version`). */
	saveSnapshot(key: string, snapshot: PersistedSnapshot): Promise<void>;
	/** Releases connections the storage opened itself. */
	close?(): Promise<void>;
}
