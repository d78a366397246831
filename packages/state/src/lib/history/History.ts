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
	 * The state right after some `past` entries — checkpoints — so that a compaction moves the base to one of them
	 * in O(1) instead of replaying the dropped entries' patches (which made every tenth change of a full history
	 * pay for a hundred). The newest entry always has its state (the store's current one); an older entry keeps its
	 * own when the entries since the last checkpoint reach a twentieth of either bound (`#isCheckpoint`), and the
	 * entry an undo lands on keeps the state the undo made. A compaction may drop anything between the fewest
	 * entries that satisfy the bounds and the most that reach their targets a tenth below: a checkpoint is always
	 * in that span (`#compact` says why). Keeping every entry's state kept the copies each change made (a
	 * transaction of 100 writes: 15 KB of its 36 KB) alive as long as the entry, and a young-generation collection
	 * copies all it finds alive: its pauses grew with them.
	 */
	#pastAfter: (S | undefined)[] = [];
	/** Entries and bytes recorded since the last checkpoint. */
	#sinceCheckpoint = 0;
	#bytesSinceCheckpoint = 0;
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
			// The entry that was newest keeps its state only as a checkpoint.
			const newest = this.#pastAfter.length - 1;
			if (newest >= 0 && !this.#isCheckpoint(this.#past[newest]?.bytes ?? 0)) this.#pastAfter[newest] = undefined;
			this.#past.push(entry);
			this.#pastAfter.push(after);
			this.#pastBytes += entry.bytes;
		}
		this.#compact();
		return recorded;
	}

	/** Counts an entry that stops being the newest; true when its state is kept (a twentieth of either bound). */
	#isCheckpoint(bytes: number): boolean {
		this.#sinceCheckpoint++;
		this.#bytesSinceCheckpoint += bytes;
		if (
			this.#sinceCheckpoint < Math.max(1, Math.floor(this.#limits.limit / 20)) &&
			this.#bytesSinceCheckpoint < this.#limits.maxBytes / 20
		)
			return false;
		this.#sinceCheckpoint = 0;
		this.#bytesSinceCheckpoint = 0;
		return true;
	}

	/**
	 * Moves the newest entry to the redo stack; `undo` applies its inverse to the current state. Returns the entry
	 * and the state without it (now the newest entry's), or `undefined` when there is nothing to undo.
	 */
	public popUndo(undo: (entry: HistoryEntry) => S): { readonly entry: HistoryEntry; readonly state: S } | undefined {
		const entry = this.#past[this.#past.length - 1];
		if (entry === undefined) return undefined;
		const state = undo(entry);
		this.#past.pop();
		this.#pastAfter.pop();
		this.#pastBytes -= entry.bytes;
		this.#future.push(entry);
		if (this.#pastAfter.length > 0) this.#pastAfter[this.#pastAfter.length - 1] = state;
		// The entry popped may have been the checkpoint the counters run from: the new newest one becomes the
		// checkpoint they run from when the next change is recorded.
		this.#sinceCheckpoint = Number.POSITIVE_INFINITY;
		return { entry, state };
	}

	/**
	 * Moves the newest undone entry back; `redo` applies its patches to the current state. Returns the entry and the
	 * state it makes, or `undefined` when there is nothing to redo. The entry it follows keeps its state.
	 */
	public popRedo(redo: (entry: HistoryEntry) => S): { readonly entry: HistoryEntry; readonly state: S } | undefined {
		const entry = this.#future[this.#future.length - 1];
		if (entry === undefined) return undefined;
		const state = redo(entry);
		this.#future.pop();
		this.#past.push(entry);
		this.#pastAfter.push(state);
		this.#pastBytes += entry.bytes;
		return { entry, state };
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
		this.#sinceCheckpoint = 0;
		this.#bytesSinceCheckpoint = 0;
		this.#pastBytes = 0;
		this.#snapshots.clear();
	}

	/**
	 * Folds the oldest entries into the base snapshot until both bounds hold, batching the work: anything from
	 * `fewest` entries (the fewest that satisfy both bounds) to `most` (the fewest that reach both targets, a tenth
	 * below the bounds) may go, and the base moves to the state of the newest checkpoint among them. One is always
	 * there. The newest entry is one; between two checkpoints lie fewer entries than a twentieth of the count bound
	 * and fewer bytes than a twentieth of the byte bound (a redo gives the newest entry its state without resetting
	 * the counters, which then only over-count; an undo makes the counters run from the entry it lands on, since the
	 * checkpoint they ran from may be gone). If the count bound sets `fewest`, `most` is a tenth of that bound
	 * further. If the byte bound does, the entry before `fewest` is a checkpoint, or it weighs less than a twentieth
	 * of the bound and what stays after it more than nineteen twentieths, so more than a twentieth goes between
	 * `fewest` and `most`. Should none be there all the same, the drop goes on to the next checkpoint.
	 */
	#compact(): void {
		const { limit, maxBytes } = this.#limits;
		const count = this.#past.length;
		if (count <= limit && this.#pastBytes <= maxBytes) return;
		const targetCount = limit - Math.floor(limit / 10);
		const targetBytes = Math.floor(maxBytes * 0.9);
		let most = 0;
		let fewest = -1;
		let bytes = this.#pastBytes;
		while (most < count && (count - most > targetCount || bytes > targetBytes)) {
			if (fewest === -1 && count - most <= limit && bytes <= maxBytes) fewest = most;
			bytes -= this.#past[most]?.bytes ?? 0;
			most++;
		}
		if (fewest === -1) fewest = most;
		let drop = most;
		while (drop > fewest && this.#pastAfter[drop - 1] === undefined) drop--;
		while (drop < count && this.#pastAfter[drop - 1] === undefined) drop++;
		const dropped = this.#past.splice(0, drop);
		const state = this.#pastAfter.splice(0, drop).pop();
		for (const entry of dropped) this.#pastBytes -= entry.bytes;
		const last = dropped[dropped.length - 1];
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
