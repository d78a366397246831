import type { Patch } from 'immer';

/** How a change came about. */
export type ChangeOrigin = 'update' | 'undo' | 'redo' | 'restore' | 'remote' | 'rollback' | 'load';

/** Who made a change and why, as passed to `update(recipe, meta)` (a string is the `why`). */
export interface ChangeMeta {
	/** Who made the change (a user ID, a command, a plugin name). */
	readonly who?: string;
	/** Why it was made (shown in history and on `state:*` points). */
	readonly why?: string;
}

/** One change in the history: the patches that make it, the inverse patches that undo it, and its meta. */
export interface HistoryEntry {
	/** Unique within the store: `e<version>`. */
	readonly id: string;
	/** The store version this change produced (every change increments it). */
	readonly version: number;
	/** When it was made (ms since the epoch). */
	readonly time: number;
	/** The change, coalesced (immer patch format). */
	readonly patches: readonly Patch[];
	/** What undoes it, applied in order. */
	readonly inverse: readonly Patch[];
	/** Who and why, plus where it came from. */
	readonly meta: ChangeMeta & { readonly origin: ChangeOrigin };
	/** Estimated size of the patches and inverse patches in bytes. */
	readonly bytes: number;
}

/** A saved state: named ones by {@link StateStore.snapshot}, periodic ones every `snapshots.every` changes. */
export interface StateSnapshot<S> {
	/** `s<n>`, or the name it was given. */
	readonly id: string;
	/** The name given to `snapshot(name)`, or `undefined` for periodic and compaction snapshots. */
	readonly name: string | undefined;
	/** Why it exists. */
	readonly kind: 'named' | 'periodic' | 'compaction';
	/** The store version it captures. */
	readonly version: number;
	/** When it was taken. */
	readonly time: number;
	/** The state (frozen and structurally shared with the live tree, so taking it costs nothing). */
	readonly state: S;
}
