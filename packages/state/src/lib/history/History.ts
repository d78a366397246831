import type { Patch } from 'immer';
import { StateError } from '../errors/StateError.js';
import { coalescePatches, patchBytes } from '../patches.js';
import { pathId } from '../paths/paths.js';
import type { ChangeMeta, ChangeOrigin, HistoryEntry, StateSnapshot } from './types.js';

/** Bounds and cadence of a {@link History}. */
export interface HistoryLimits {
	/** Entries kept for undo (older ones compact into the base snapshot). */
	readonly limit: number;
	/** Estimated bytes kept for undo. */
	readonly maxBytes: number;
	/** Consecutive changes of the same paths with the same meta within this many ms merge into one entry. */
	readonly coalesceMs: number;
	/** A periodic snapshot every this many changes (`0`: none). */
	readonly snapshotEvery: number;
	/** How many named and periodic snapshots are kept (oldest dropped first). */
	readonly snapshotsKept: number;
}

function sameMeta(a: ChangeMeta & { origin: ChangeOrigin }, b: ChangeMeta & { origin: ChangeOrigin }): boolean {
	return a.origin === b.origin && a.who === b.who && a.why === b.why;
}

function samePaths(a: readonly Patch[], b: readonly Patch[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (pathId(a[i]?.path ?? []) !== pathId(b[i]?.path ?? [])) return false;
	return true;
}

/**
 * The time-travel log of a store. Invariant: the current state is the base snapshot's state with every `past`
 * entry applied in order; `future` holds undone entries (newest undo last). Bounded by count and bytes: the oldest
 * entries are folded into the base snapshot (compaction).
 * @internal
 */
export class History<S extends object> {
	readonly #limits: HistoryLimits;
	#past: HistoryEntry[] = [];
	#future: HistoryEntry[] = [];
	/**
	 * The state right after each `past` (and `future`) entry: immutable trees sharing all but the changed paths, so
	 * a compaction moves the base to one of them in O(1) instead of replaying the dropped entries' patches (which
	 * made every tenth change of a full history pay for a hundred).
	 */
	#pastAfter: S[] = [];
	#futureAfter: S[] = [];
	#pastBytes = 0;
	#base: StateSnapshot<S>;
	readonly #snapshots = new Map<string, StateSnapshot<S>>();
	#snapshotCounter = 0;
	#sinceSnapshot = 0;

	public constructor(initial: S, version: number, limits: HistoryLimits) {
		this.#limits = limits;
		this.#base = { id: 'base', name: undefined, kind: 'compaction', version, time: Date.now(), state: initial };
	}

	public get past(): readonly HistoryEntry[] {
		return this.#past;
	}

	public get future(): readonly HistoryEntry[] {
		return this.#future;
	}

	public get bytes(): number {
		return this.#pastBytes;
	}

	/** The state before the oldest kept entry. */
	public get base(): StateSnapshot<S> {
		return this.#base;
	}

	public get snapshots(): readonly StateSnapshot<S>[] {
		return [...this.#snapshots.values()];
	}

	public snapshot(id: string): StateSnapshot<S> | undefined {
		return id === this.#base.id ? this.#base : this.#snapshots.get(id);
	}

	/**
	 * Records a new change (clears the redo stack); `after` is the state it produced. Returns the entry, or the
	 * earlier entry it was merged into.
	 */
	public record(entry: HistoryEntry, after: S): HistoryEntry {
		this.#future = [];
		this.#futureAfter = [];
		const last = this.#past[this.#past.length - 1];
		let recorded = entry;
		if (
			last !== undefined &&
			this.#limits.coalesceMs > 0 &&
			entry.time - last.time <= this.#limits.coalesceMs &&
			sameMeta(last.meta, entry.meta) &&
			samePaths(last.patches, entry.patches)
		) {
			const patches = coalescePatches([...last.patches, ...entry.patches]);
			const inverse = coalescePatches([...entry.inverse, ...last.inverse]);
			recorded = {
				...entry,
				id: last.id,
				time: last.time,
				patches,
				inverse,
				bytes: patchBytes(patches) + patchBytes(inverse),
			};
			this.#past[this.#past.length - 1] = recorded;
			this.#pastAfter[this.#pastAfter.length - 1] = after;
			this.#pastBytes += recorded.bytes - last.bytes;
		} else {
			this.#past.push(entry);
			this.#pastAfter.push(after);
			this.#pastBytes += entry.bytes;
		}
		this.#compact();
		return recorded;
	}

	/** Moves the newest entry to the redo stack and returns it (the caller applies its inverse). */
	public popUndo(): HistoryEntry | undefined {
		const entry = this.#past.pop();
		const after = this.#pastAfter.pop();
		if (entry === undefined || after === undefined) return undefined;
		this.#pastBytes -= entry.bytes;
		this.#future.push(entry);
		this.#futureAfter.push(after);
		return entry;
	}

	/** Moves the newest undone entry back and returns it (the caller applies its patches). */
	public popRedo(): HistoryEntry | undefined {
		const entry = this.#future.pop();
		const after = this.#futureAfter.pop();
		if (entry === undefined || after === undefined) return undefined;
		this.#past.push(entry);
		this.#pastAfter.push(after);
		this.#pastBytes += entry.bytes;
		return entry;
	}

	/** How many undo (negative) or redo (positive) steps reach entry `id`; `undefined` when it is not kept. */
	public stepsTo(id: string): number | undefined {
		const pastIndex = this.#past.findIndex((entry) => entry.id === id);
		if (pastIndex !== -1) return -(this.#past.length - 1 - pastIndex);
		const futureIndex = this.#future.findIndex((entry) => entry.id === id);
		if (futureIndex !== -1) return this.#future.length - futureIndex;
		return undefined;
	}

	/** Counts a change towards the periodic snapshot; returns true when one is due. */
	public countChange(): boolean {
		if (this.#limits.snapshotEvery <= 0) return false;
		this.#sinceSnapshot++;
		return this.#sinceSnapshot >= this.#limits.snapshotEvery;
	}

	/** Keeps a snapshot of `state` at `version`. */
	public addSnapshot(state: S, version: number, name: string | undefined): StateSnapshot<S> {
		if (name === 'base')
			throw StateError.of('STATE_INVALID_OPTIONS', [
				'snapshot name',
				'"base" is reserved for the compaction snapshot',
			]);
		this.#sinceSnapshot = 0;
		const id = name ?? `s${++this.#snapshotCounter}`;
		const snapshot: StateSnapshot<S> = {
			id,
			name,
			kind: name === undefined ? 'periodic' : 'named',
			version,
			time: Date.now(),
			state,
		};
		this.#snapshots.delete(id);
		this.#snapshots.set(id, snapshot);
		while (this.#snapshots.size > this.#limits.snapshotsKept) {
			const oldest = this.#snapshots.keys().next().value;
			if (oldest === undefined) break;
			this.#snapshots.delete(oldest);
		}
		return snapshot;
	}

	/** Drops everything (destroy). */
	public clear(): void {
		this.#past = [];
		this.#future = [];
		this.#pastAfter = [];
		this.#futureAfter = [];
		this.#pastBytes = 0;
		this.#snapshots.clear();
	}

	/** Folds the oldest entries into the base snapshot until both bounds hold (a tenth below, to batch the work). */
	#compact(): void {
		const { limit, maxBytes } = this.#limits;
		if (this.#past.length <= limit && this.#pastBytes <= maxBytes) return;
		const targetCount = limit - Math.floor(limit / 10);
		const targetBytes = Math.floor(maxBytes * 0.9);
		let drop = 0;
		let bytes = this.#pastBytes;
		while (drop < this.#past.length && (this.#past.length - drop > targetCount || bytes > targetBytes)) {
			bytes -= this.#past[drop]?.bytes ?? 0;
			drop++;
		}
		const dropped = this.#past.splice(0, drop);
		const afters = this.#pastAfter.splice(0, drop);
		this.#pastBytes = bytes;
		const last = dropped[dropped.length - 1];
		const state = afters[afters.length - 1];
		if (last === undefined || state === undefined) return;
		this.#base = {
			id: 'base',
			name: undefined,
			kind: 'compaction',
			version: last.version,
			time: Date.now(),
			state,
		};
	}
}
