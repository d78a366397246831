import { freeze, type Draft, type Patch } from 'immer';
import { markClass, type DeepReadonly, isPromiseLike } from '@ovenjs/types';
import { StateError } from './errors/StateError.js';
import { History } from './history/History.js';
import type { ChangeMeta, ChangeOrigin, HistoryEntry, StateSnapshot } from './history/types.js';
import { copyRecord, sameKeys } from './draft/copy.js';
import { freezeDeep } from './draft/freezeDeep.js';
import { immer } from './draft/immer.js';
import { isPlainRecord, UNSAFE_KEYS } from './draft/plain.js';
import { produceDraft } from './draft/PlainDraft.js';
import { coalescePatches, patchBytes, settleInserted } from './patches.js';
import { formatPath, overlaps, readPath, toSegments, writePath } from './paths/paths.js';
import type { PathArray, PathKey, PathValue, TuplePathValue, ValidPath, ValidTuplePath } from './paths/types.js';
import { StateNamespace } from './StateNamespace.js';
import { DefaultStateStoreOptions, type StateStoreOptions } from './StateStoreOptions.js';
import { Persister } from './storage/Persister.js';
import { ConflictEngine } from './sync/ConflictEngine.js';
import { RedisSync, type SyncHost } from './sync/RedisSync.js';
import type { SharedSnapshot } from './sync/schemas.js';
import type { CatchUpReport, StateConflictEvent, SyncOp } from './sync/types.js';

/** What a listener learns about a change besides the new and old state. */
export interface StateChange {
	/** The changed paths (coalesced patch paths; `[]` is the whole state). */
	readonly paths: readonly PathArray[];
	/** The patches of the change. */
	readonly patches: readonly Patch[];
	/** The history entry (also for changes that are not kept: undo, redo, or with history off). */
	readonly entry: HistoryEntry;
}

/** Called after every change. */
export type StateListener<S> = (state: DeepReadonly<S>, previous: DeepReadonly<S>, change: StateChange) => void;

/** Called when the value at a subscribed path changed (by reference). */
export type PathListener<V> = (value: DeepReadonly<V>, previous: DeepReadonly<V>, change: StateChange) => void;

/** An immer recipe: mutates the draft, returns nothing. */
export type Recipe<S> = (draft: Draft<S>) => void;

/** The handle `transaction()` gives its callback: everything happens in one change. */
export interface StateTransaction<S> {
	/** The draft of the whole state. */
	readonly draft: Draft<S>;
	/** Sets one path (dot form). */
	set<P extends string>(path: ValidPath<S, P>, value: PathValue<S, P>): void;
	/** Sets one path (tuple form). */
	setIn<const P extends PathArray>(path: ValidTuplePath<S, P>, value: TuplePathValue<S, P>): void;
	/** Runs a recipe on the same draft. */
	update(recipe: Recipe<S>): void;
}

/** Information about a synced store. */
export interface SyncInfo {
	/** This replica's ID. */
	readonly node: string;
	/** The hybrid-logical-clock time of the last event seen or made here. */
	readonly clock: string;
	/** The sequence number of the last operation applied from the shared log. */
	readonly lastSeq: number;
	/** Local operations not yet in Redis. */
	readonly pending: number;
	/** The last catch-up. */
	readonly lastCatchUp: CatchUpReport;
	/** Conflicts resolved so far. */
	readonly conflicts: number;
}

interface PendingOptimistic {
	readonly version: number;
	readonly touched: PathArray[];
}

function isFrozenView<S>(state: S): state is S & DeepReadonly<S> {
	return typeof state !== 'object' || state === null || Object.isFrozen(state);
}

/** The loaded value is the state (checked by `schema` when one was given). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the store's type, trusted (or checked by `schema`)
function trusted<S>(value: unknown): value is S {
	return typeof value === 'object' && value !== null;
}

function metaOf(meta: string | ChangeMeta | undefined): ChangeMeta {
	if (meta === undefined) return {};
	if (typeof meta === 'string') return { why: meta };
	return {
		...(meta.who === undefined ? {} : { who: meta.who }),
		...(meta.why === undefined ? {} : { why: meta.why }),
	};
}

function checkCount(option: string, value: number | undefined, min: number): void {
	if (value !== undefined && (!Number.isInteger(value) || value < min)) {
		throw StateError.of('STATE_INVALID_OPTIONS', [option, `must be an integer >= ${min}, got ${String(value)}`]);
	}
}

/**
 * Typed, immutable application state: every change is an immer recipe recorded as patches, kept in a bounded
 * history (undo, redo, goto, snapshots), optionally persisted (memory, Redis, PostgreSQL) and replicated across
 * processes through Redis with per-path conflict policies.
 *
 * @example
 * ```ts
 * const store = new StateStore({ guilds: {} as Record<string, { prefix: string }> }, { name: 'bot' });
 * await store.set('guilds.123', { prefix: '!' });
 * store.select('guilds.123.prefix'); // '!'
 * store.undo();
 * ```
 */
export class StateStore<S extends object> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'state.StateStore');
	}

	/** The store's name. */
	public readonly name: string;
	/** Resolves once persisted state is loaded and sync has caught up; updates wait for it. */
	public readonly ready: Promise<void>;
	readonly #options: StateStoreOptions<S>;
	readonly #historyOn: boolean;
	#state: S;
	#version = 0;
	#history: History<S>;
	readonly #listeners = new Set<StateListener<S>>();
	readonly #pathListeners = new Set<{ readonly path: PathArray; readonly listener: PathListener<unknown> }>();
	#queue: Promise<unknown> = Promise.resolve();
	#queued = 0;
	#started = false;
	#destroyed = false;
	readonly #engine: ConflictEngine | undefined;
	#sync: RedisSync | undefined;
	readonly #early: SyncOp[] = [];
	readonly #persister: Persister | undefined;
	readonly #optimistic = new Set<PendingOptimistic>();
	#conflicts = 0;

	public constructor(initial: S, options: StateStoreOptions<S> = {}) {
		checkCount('historyLimit', options.historyLimit, 0);
		checkCount('historyBytes', options.historyBytes, 0);
		checkCount('coalesceMs', options.coalesceMs, 0);
		checkCount('snapshots.every', options.snapshots?.every, 0);
		checkCount('snapshots.keep', options.snapshots?.keep, 0);
		checkCount('sync.streamLength', options.sync?.streamLength, 1);
		checkCount('sync.snapshotEvery', options.sync?.snapshotEvery, 0);
		const start: unknown = initial;
		if (typeof start !== 'object' || start === null)
			throw StateError.of('STATE_INVALID_OPTIONS', ['initial', 'the state must be an object or an array']);
		if (options.name !== undefined && (typeof options.name !== 'string' || options.name === ''))
			throw StateError.of('STATE_INVALID_OPTIONS', ['name', 'must be a non-empty string']);
		const redis: unknown = options.sync?.redis;
		if (options.sync !== undefined && typeof redis !== 'string' && (typeof redis !== 'object' || redis === null)) {
			throw StateError.of('STATE_INVALID_OPTIONS', ['sync.redis', 'must be a Redis URL or an ioredis client']);
		}
		this.name = options.name ?? DefaultStateStoreOptions.name;
		this.#options = options;
		this.#state = freezeDeep(initial);
		const limit = options.historyLimit ?? DefaultStateStoreOptions.historyLimit;
		this.#historyOn = limit > 0;
		this.#history = this.#newHistory(this.#state, 0);
		this.#engine =
			options.sync === undefined
				? undefined
				: new ConflictEngine(this.name, options.sync.conflict, options.sync.node);
		this.#persister =
			options.persist === undefined
				? undefined
				: new Persister(options.persist, this.name, this.name, (error) => {
						this.#report(error);
					});
		this.ready = this.#start();
		// Nobody may await ready: its failure is also reported to onError, and the first update rejects with it.
		this.ready.catch((error: unknown) => {
			this.#report(error);
		});
	}

	/** Creates a store and waits until it is ready (restored from storage, caught up with its replicas). */
	public static async create<S extends object>(
		initial: S,
		options: StateStoreOptions<S> = {},
	): Promise<StateStore<S>> {
		const store = new StateStore(initial, options);
		try {
			await store.ready;
		} catch (error) {
			await store.destroy().catch(() => undefined);
			throw error;
		}
		return store;
	}

	#newHistory(state: S, version: number): History<S> {
		const options = this.#options;
		return new History(state, version, {
			limit: options.historyLimit ?? DefaultStateStoreOptions.historyLimit,
			maxBytes: options.historyBytes ?? DefaultStateStoreOptions.historyBytes,
			coalesceMs: options.coalesceMs ?? DefaultStateStoreOptions.coalesceMs,
			snapshotEvery: options.snapshots?.every ?? DefaultStateStoreOptions.snapshotEvery,
			snapshotsKept: options.snapshots?.keep ?? DefaultStateStoreOptions.snapshotsKept,
		});
	}

	async #start(): Promise<void> {
		if (this.#persister !== undefined) {
			const loaded = await this.#persister.load();
			let state: S = this.#state;
			let version = 0;
			if (loaded.snapshot !== undefined) {
				state = this.#accept(loaded.snapshot.state);
				version = loaded.snapshot.version;
			}
			for (const change of loaded.changes) {
				try {
					state = immer.applyPatches(state, [...change.patches]);
				} catch (error) {
					throw StateError.of(
						'STATE_STORAGE_FAILED',
						[this.name, `replay change ${change.version} (its patches do not apply)`],
						{ cause: error },
					);
				}
				version = change.version;
			}
			if (state !== this.#state) this.#replaceAll(freeze(state, true), 'load', version);
			this.#version = Math.max(this.#version, version);
			this.#history = this.#newHistory(this.#state, this.#version);
		}
		const sync = this.#options.sync;
		if (sync !== undefined && this.#engine !== undefined) {
			this.#sync = await RedisSync.start({
				name: this.name,
				redis: sync.redis,
				prefix: sync.prefix ?? DefaultStateStoreOptions.syncPrefix,
				streamLength: sync.streamLength ?? DefaultStateStoreOptions.streamLength,
				snapshotEvery: sync.snapshotEvery ?? DefaultStateStoreOptions.sharedSnapshotEvery,
				host: this.#host(this.#engine),
			});
			if (this.#destroyed) {
				await this.#sync.close();
				return;
			}
			for (const op of this.#early.splice(0)) this.#sync.publish(op);
		}
		this.#started = true;
	}

	/** Validates loaded state with `schema` (when given) and freezes it. */
	#accept(value: unknown): S {
		const schema = this.#options.schema;
		const state = schema === undefined ? value : schema.parse(value);
		if (!trusted<S>(state))
			throw StateError.of('STATE_STORAGE_FAILED', [this.name, 'load (the stored state is not an object)']);
		return freezeDeep(state);
	}

	// ─── reading ────────────────────────────────────────────────────────────────────────────────────────────

	/** The current state: a deeply frozen snapshot (structurally shared with later states). */
	public get(): DeepReadonly<S> {
		return this.#readonly(this.#state);
	}

	/** The store version: the number of changes since it was created (or restored). */
	public get version(): number {
		return this.#version;
	}

	/** Reads a slice through a selector. */
	public select<R>(selector: (state: DeepReadonly<S>) => R): R;
	/** Reads the value at a tuple path (`undefined` when a segment is missing at run time). */
	public select<const P extends PathArray>(path: ValidTuplePath<S, P>): DeepReadonly<TuplePathValue<S, P>>;
	/** Reads the value at a dot path (`undefined` when a segment is missing at run time). */
	public select<P extends string>(path: ValidPath<S, P>): DeepReadonly<PathValue<S, P>>;
	public select(target: ((state: DeepReadonly<S>) => unknown) | string | PathArray): unknown {
		if (typeof target === 'function') return target(this.get());
		return readPath(this.#state, toSegments(target));
	}

	// ─── changing ───────────────────────────────────────────────────────────────────────────────────────────

	/**
	 * Applies an immer recipe as one change and resolves with the new state. Changes apply in call order; when
	 * nothing is queued and no `state:beforeUpdate` handler exists, the change is applied before this returns.
	 * @param meta - who/why (a string is the why), kept in the history entry and reported on the points.
	 * @throws {@link StateError} `STATE_ASYNC_RECIPE` (the recipe returned a promise), `STATE_VETOED`,
	 * `STATE_SHARED_REFERENCE`, `STATE_DESTROYED`.
	 */
	public update(recipe: Recipe<S>, meta?: string | ChangeMeta): Promise<DeepReadonly<S>> {
		return this.#change(recipe, metaOf(meta)).then(() => this.get());
	}

	/** Sets the value at a dot path (`'guilds.123.settings.prefix'`); parents must exist (`STATE_INVALID_PATH`). */
	public set<P extends string>(
		path: ValidPath<S, P>,
		value: PathValue<S, P>,
		meta?: string | ChangeMeta,
	): Promise<DeepReadonly<S>> {
		let segments: PathKey[];
		try {
			segments = toSegments(path);
		} catch (error) {
			return Promise.reject(error instanceof Error ? error : new Error(String(error)));
		}
		return (
			this.#setPrimitive(segments, value, meta) ??
			this.update((draft) => {
				writePath(draft, segments, value, path);
			}, meta)
		);
	}

	/**
	 * `set` of a primitive under plain objects, without immer: the objects on the path are copied as immer copies
	 * them (`copyRecord`: a large one through its key set) and frozen, and the patches are the ones
	 * `produceWithPatches` would make (`replace`, or `add` with a `remove` inverse). A bot's most common change (a
	 * prefix, a counter) then costs a few copies instead of a draft. `undefined` when the change needs the general
	 * path (queued changes, a `state:beforeUpdate` handler, sets, arrays or objects on the way, an object value, a
	 * missing parent).
	 */
	#setPrimitive(
		segments: readonly PathKey[],
		value: unknown,
		meta: string | ChangeMeta | undefined,
	): Promise<DeepReadonly<S>> | undefined {
		if (this.#destroyed || !this.#started || this.#queued !== 0 || segments.length === 0) return undefined;
		if (this.#options.emitter?.has('state:beforeUpdate') === true || this.#engine?.hasSets === true)
			return undefined;
		if (value !== null && typeof value === 'object') return undefined;
		if (typeof value === 'function' || value === undefined) return undefined;
		const nodes: Record<string, unknown>[] = [];
		let node: unknown = this.#state;
		for (const key of segments) {
			if (!isPlainRecord(node) || typeof key !== 'string' || UNSAFE_KEYS.has(key)) return undefined;
			nodes.push(node);
			node = node[key];
		}
		const leaf = segments[segments.length - 1];
		const parent = nodes[nodes.length - 1];
		if (typeof leaf !== 'string' || parent === undefined) return undefined;
		const existed = Object.hasOwn(parent, leaf);
		if (existed && Object.is(node, value)) return Promise.resolve(this.get());
		let copy: unknown = value;
		for (let i = nodes.length - 1; i >= 0; i--) {
			const key = segments[i];
			const original = nodes[i];
			if (typeof key !== 'string' || original === undefined) return undefined;
			// immer's copy (a null prototype stays null), then the one key written; a copy that adds no key hands a
			// large object's key set on.
			const next = copyRecord(original);
			if (Object.hasOwn(original, key)) sameKeys(next, original);
			next[key] = copy;
			copy = Object.freeze(next);
		}
		if (!isState<S>(copy, this.#state)) return undefined;
		const path = [...segments];
		const patches: Patch[] = [{ op: existed ? 'replace' : 'add', path, value }];
		const inverse: Patch[] = existed ? [{ op: 'replace', path, value: node }] : [{ op: 'remove', path }];
		try {
			this.#commit(copy, patches, inverse, metaOf(meta), 'update', true);
		} catch (error) {
			return Promise.reject(error instanceof Error ? error : new Error(String(error)));
		}
		return Promise.resolve(this.get());
	}

	/** Sets the value at a tuple path (`['guilds', guildId, 'settings', 'prefix']`). */
	public setIn<const P extends PathArray>(
		path: ValidTuplePath<S, P>,
		value: TuplePathValue<S, P>,
		meta?: string | ChangeMeta,
	): Promise<DeepReadonly<S>> {
		return this.update((draft) => {
			const segments = toSegments(path);
			writePath(draft, segments, value, formatPath(segments));
		}, meta);
	}

	/** Several writes as one change: one history entry, one notification, one operation for the replicas. */
	public transaction(run: (tx: StateTransaction<S>) => void, meta?: string | ChangeMeta): Promise<DeepReadonly<S>> {
		return this.update((draft) => {
			const tx: StateTransaction<S> = {
				draft,
				set: (path, value) => {
					writePath(draft, toSegments(path), value, path);
				},
				setIn: (path, value) => {
					const segments = toSegments(path);
					writePath(draft, segments, value, formatPath(segments));
				},
				update: (recipe) => {
					const run: (draft: Draft<S>) => unknown = recipe;
					const returned = run(draft);
					if (isPromiseLike(returned)) throw StateError.of('STATE_ASYNC_RECIPE', []);
				},
			};
			run(tx);
		}, meta);
	}

	/**
	 * Applies `recipe` at once, then runs `action` (a REST call, say). When `action` resolves, the change stays and
	 * its result is returned; when it rejects, exactly this change's patches are reverted — paths that later
	 * changes touched keep their later values — and the rejection is rethrown.
	 */
	public async optimistic<T>(recipe: Recipe<S>, action: () => Promise<T>, meta?: string | ChangeMeta): Promise<T> {
		const info = metaOf(meta);
		const entry = await this.#change(recipe, info);
		if (entry === undefined) return action();
		const pending: PendingOptimistic = { version: entry.version, touched: [] };
		this.#optimistic.add(pending);
		try {
			return await action();
		} catch (error) {
			if (!this.#destroyed) this.#rollback(entry, pending, info);
			throw error;
		} finally {
			this.#optimistic.delete(pending);
		}
	}

	#rollback(entry: HistoryEntry, pending: PendingOptimistic, meta: ChangeMeta): void {
		const inverse = entry.inverse.filter((patch) => !pending.touched.some((path) => overlaps(path, patch.path)));
		if (inverse.length === 0) return;
		const [next, patches, undo] = immer.produceWithPatches(this.#state, (draft) =>
			immer.applyPatches(draft, inverse),
		);
		if (patches.length === 0) return;
		this.#commit(
			next,
			coalescePatches(patches),
			coalescePatches(undo),
			{ ...meta, why: `rollback of ${entry.id}${meta.why === undefined ? '' : ` (${meta.why})`}` },
			'rollback',
			true,
		);
	}

	#change(recipe: Recipe<S>, meta: ChangeMeta): Promise<HistoryEntry | undefined> {
		if (this.#destroyed) return Promise.reject(StateError.of('STATE_DESTROYED', [this.name]));
		const emitter = this.#options.emitter;
		if (this.#started && this.#queued === 0 && emitter?.has('state:beforeUpdate') !== true) {
			try {
				return Promise.resolve(this.#applyLocal(recipe, meta, undefined));
			} catch (error) {
				return Promise.reject(error instanceof Error ? error : new Error(String(error)));
			}
		}
		this.#queued++;
		const run = this.#queue.then(async () => {
			await this.ready;
			this.#assertAlive();
			let proposed = this.#produce(recipe);
			if (emitter?.has('state:beforeUpdate') === true && proposed.patches.length > 0) {
				const base = this.#state;
				const event = {
					store: this.name,
					reason: meta.why,
					who: meta.who,
					patches: proposed.patches,
					kind: 'update' as const,
					version: this.#version + 1,
				};
				const decided = await emitter.transform('state:beforeUpdate', event);
				if (decided.veto !== undefined) throw StateError.of('STATE_VETOED', [this.name, decided.veto]);
				this.#assertAlive();
				// A replica's change may have landed meanwhile: run the recipe again on the current state.
				if (this.#state !== base) proposed = this.#produce(recipe);
			}
			return this.#applyLocal(recipe, meta, proposed);
		});
		const settled = run.finally(() => {
			this.#queued--;
		});
		this.#queue = settled.catch(() => undefined);
		return settled;
	}

	/**
	 * Runs a recipe. One `produceWithPatches` yields at most one patch per path, already minimal: only when set
	 * canonicalization appends a second round are the two lists coalesced (`coalescePatches` compares every patch
	 * with the earlier ones, which a transaction of 100 changes would pay for nothing).
	 */
	#produce(recipe: Recipe<S>): { next: S; patches: Patch[]; inverse: Patch[] } {
		let returned: unknown;
		const [next, patches, inverse] = produceDraft(immer, this.#state, (draft) => {
			// Typed as returning void for callers; at run time a careless async recipe returns a promise.
			const run: (draft: Draft<S>) => unknown = recipe;
			returned = run(draft);
		});
		if (isPromiseLike(returned)) throw StateError.of('STATE_ASYNC_RECIPE', []);
		const engine = this.#engine;
		if (engine?.hasSets === true && patches.length > 0) {
			const touched = patches.map((patch) => patch.path);
			const [sorted, more, undo] = immer.produceWithPatches(next, (draft) => {
				engine.canonicalize(draft, touched);
			});
			if (more.length > 0)
				return {
					next: sorted,
					patches: coalescePatches([...patches, ...more]),
					inverse: coalescePatches([...undo, ...inverse]),
				};
		}
		return { next, patches, inverse };
	}

	#applyLocal(
		recipe: Recipe<S>,
		meta: ChangeMeta,
		proposed: { next: S; patches: Patch[]; inverse: Patch[] } | undefined,
	): HistoryEntry | undefined {
		this.#assertAlive();
		const { next, patches, inverse } = proposed ?? this.#produce(recipe);
		if (patches.length === 0) return undefined;
		settleInserted(next, patches);
		return this.#commit(next, patches, inverse, meta, 'update', true);
	}

	/** Applies patches produced elsewhere (a manual replica fed from `state:afterUpdate`). */
	public applyPatches(patches: readonly Patch[], meta?: string | ChangeMeta): void {
		this.#assertAlive();
		const [next, applied, inverse] = immer.produceWithPatches(this.#state, (draft) =>
			immer.applyPatches(draft, [...patches]),
		);
		if (applied.length === 0) return;
		this.#commit(next, applied, inverse, metaOf(meta), 'remote', true);
	}

	// ─── time travel ────────────────────────────────────────────────────────────────────────────────────────

	/** Steps back one change (whoever made it). Returns false when there is nothing to undo. */
	public undo(): boolean {
		this.#assertAlive();
		const undone = this.#history.popUndo((entry) => immer.applyPatches(this.#state, [...entry.inverse]));
		if (undone === undefined) return false;
		const { entry, state } = undone;
		this.#commit(state, entry.inverse, entry.patches, entry.meta, 'undo', false);
		return true;
	}

	/** Re-applies the last undone change. Returns false when there is nothing to redo. */
	public redo(): boolean {
		this.#assertAlive();
		const redone = this.#history.popRedo((entry) => immer.applyPatches(this.#state, [...entry.patches]));
		if (redone === undefined) return false;
		const { entry, state } = redone;
		this.#commit(state, entry.patches, entry.inverse, entry.meta, 'redo', false);
		return true;
	}

	/**
	 * Travels to a history entry (undoing or redoing up to it, so it is the newest applied) or restores a snapshot.
	 * @throws {@link StateError} `STATE_NOT_FOUND` when the ID is neither a kept entry nor a snapshot.
	 */
	public goto(id: string): void {
		this.#assertAlive();
		const steps = this.#history.stepsTo(id);
		if (steps === undefined) {
			this.restore(id);
			return;
		}
		for (let i = 0; i < -steps; i++) this.undo();
		for (let i = 0; i < steps; i++) this.redo();
	}

	/** Takes a snapshot now (free: the state is immutable and shared); named ones are kept until `snapshots.keep` is exceeded. */
	public snapshot(name?: string): StateSnapshot<DeepReadonly<S>> {
		this.#assertAlive();
		if (name !== undefined && (typeof name !== 'string' || name === '' || /^e\d+$/.test(name))) {
			throw StateError.of('STATE_INVALID_OPTIONS', [
				'snapshot name',
				'must be a non-empty string that is not an entry ID (e<number>)',
			]);
		}
		const snapshot = this.#history.addSnapshot(this.#state, this.#version, name);
		this.#persister?.snapshot({ version: snapshot.version, time: snapshot.time, state: snapshot.state });
		const emitter = this.#options.emitter;
		if (emitter?.has('state:snapshot') === true)
			emitter.emit('state:snapshot', {
				store: this.name,
				id: snapshot.id,
				kind: name === undefined ? 'periodic' : 'named',
				version: snapshot.version,
			});
		return { ...snapshot, state: this.#readonly(snapshot.state) };
	}

	/** Restores a snapshot (named, periodic, or `'base'`: the oldest state history still knows) as a new, undoable change. */
	public restore(snapshotId: string): void {
		this.#assertAlive();
		const snapshot = this.#history.snapshot(snapshotId);
		if (snapshot === undefined) throw StateError.of('STATE_NOT_FOUND', [`"${snapshotId}"`]);
		if (snapshot.state === this.#state) return;
		this.#replaceAll(snapshot.state, 'restore', undefined);
	}

	/** Kept snapshots, oldest first. */
	public get snapshots(): readonly StateSnapshot<DeepReadonly<S>>[] {
		return this.#history.snapshots.map((snapshot) => ({ ...snapshot, state: this.#readonly(snapshot.state) }));
	}

	/** The history: entries that can be undone (oldest first) and redone (next redo first), and their size. */
	public get history(): {
		readonly undo: number;
		readonly redo: number;
		readonly entries: readonly HistoryEntry[];
		readonly redoEntries: readonly HistoryEntry[];
		readonly bytes: number;
	} {
		const history = this.#history;
		return {
			undo: history.past.length,
			redo: history.future.length,
			entries: history.past,
			redoEntries: [...history.future].reverse(),
			bytes: history.bytes,
		};
	}

	#replaceAll(next: S, origin: ChangeOrigin, version: number | undefined): void {
		const previous = this.#state;
		const patches: Patch[] = [{ op: 'replace', path: [], value: next }];
		const inverse: Patch[] = [{ op: 'replace', path: [], value: previous }];
		this.#commit(next, patches, inverse, {}, origin, origin === 'restore', version);
	}

	// ─── subscriptions ──────────────────────────────────────────────────────────────────────────────────────

	/** Calls `listener` after every change. Returns the function that unsubscribes. */
	public subscribe(listener: StateListener<S>): () => void;
	/** Calls `listener` when the value at a dot path changed (by reference). */
	public subscribe<P extends string>(path: ValidPath<S, P>, listener: PathListener<PathValue<S, P>>): () => void;
	/** Calls `listener` when the value at a tuple path changed (by reference). */
	public subscribe<const P extends PathArray>(
		path: ValidTuplePath<S, P>,
		listener: PathListener<TuplePathValue<S, P>>,
	): () => void;
	public subscribe(target: StateListener<S> | string | PathArray, listener?: PathListener<never>): () => void {
		if (typeof target === 'function') {
			this.#listeners.add(target);
			return () => {
				this.#listeners.delete(target);
			};
		}
		if (typeof listener !== 'function')
			throw StateError.of('STATE_INVALID_OPTIONS', ['subscribe listener', 'must be a function']);
		const entry = { path: toSegments(target), listener: this.#widen(listener) };
		this.#pathListeners.add(entry);
		return () => {
			this.#pathListeners.delete(entry);
		};
	}

	/** A path listener's value type is checked at `subscribe`; inside, values are passed as read. */
	#widen(listener: PathListener<never>): PathListener<unknown> {
		return (value, previous, change) => {
			Reflect.apply(listener, undefined, [value, previous, change]);
		};
	}

	/** Calls `listener` when the value picked by `selector` changes (`Object.is`). */
	public watch<T>(selector: (state: DeepReadonly<S>) => T, listener: (value: T, previous: T) => void): () => void {
		return this.subscribe((state, previous) => {
			const value = selector(state);
			const old = selector(previous);
			if (!Object.is(value, old)) listener(value, old);
		});
	}

	/**
	 * A slice of the state under one top-level key, with the same API (get, select, update, set, subscribe)
	 * scoped to it: what plugins get as their namespaced state.
	 */
	public namespace<K extends Extract<keyof S, string>>(key: K): StateNamespace<S[K] & object> {
		const name: unknown = key;
		if (typeof name !== 'string' || name === '')
			throw StateError.of('STATE_INVALID_PATH', [String(name), 'a namespace is a top-level key']);
		const value = readPath(this.#state, [key]);
		if (typeof value !== 'object' || value === null)
			throw StateError.of('STATE_INVALID_PATH', [key, 'a namespace must hold an object (set it first)']);
		return new StateNamespace<S[K] & object>(
			{
				read: () => this.#state,
				update: (recipe, meta) => this.update(recipe, meta),
				subscribe: (path, listener) => {
					const entry = { path, listener };
					this.#pathListeners.add(entry);
					return () => {
						this.#pathListeners.delete(entry);
					};
				},
			},
			key,
		);
	}

	// ─── lifecycle ──────────────────────────────────────────────────────────────────────────────────────────

	/** Sync details (`undefined` without `sync`). */
	public get syncInfo(): SyncInfo | undefined {
		const engine = this.#engine;
		if (engine === undefined) return undefined;
		const sync = this.#sync;
		return {
			node: engine.node,
			clock: engine.clock.current,
			lastSeq: sync?.lastSeq ?? 0,
			pending: (sync?.pending ?? 0) + this.#early.length,
			lastCatchUp: sync?.lastCatchUp ?? {
				mode: 'none',
				from: 0,
				to: 0,
				operations: 0,
				changes: 0,
				rawChanges: 0,
				bytes: 0,
			},
			conflicts: this.#conflicts,
		};
	}

	/**
	 * Resolves when every change made so far is applied, published to the other replicas (in Redis) and persisted.
	 * @throws {@link StateError} `STATE_STORAGE_FAILED` while the storage keeps failing.
	 */
	public async flush(): Promise<void> {
		await this.ready;
		await this.#queue;
		await this.#sync?.flush();
		await this.#persister?.flush();
	}

	/** Flushes (best effort), stops syncing and drops listeners and history; later changes reject with `STATE_DESTROYED`. */
	public async destroy(): Promise<void> {
		if (this.#destroyed) return;
		await Promise.race([
			this.flush().catch(() => undefined),
			new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
		]);
		this.#destroyed = true;
		this.#listeners.clear();
		this.#pathListeners.clear();
		this.#history.clear();
		await this.#sync?.close();
	}

	// ─── internals ──────────────────────────────────────────────────────────────────────────────────────────

	#commit(
		next: S,
		patches: readonly Patch[],
		inverse: readonly Patch[],
		meta: ChangeMeta,
		origin: ChangeOrigin,
		record: boolean,
		version?: number,
	): HistoryEntry {
		const previous = this.#state;
		this.#state = next;
		this.#version = version ?? this.#version + 1;
		const time = Date.now();
		const entry: HistoryEntry = {
			id: `e${this.#version}`,
			version: this.#version,
			time,
			patches,
			inverse,
			meta: { ...meta, origin },
			bytes: this.#historyOn ? patchBytes(patches) + patchBytes(inverse) : 0,
		};
		if (record && this.#historyOn) this.#history.record(entry, next);
		for (const pending of this.#optimistic)
			if (pending.version < entry.version) for (const patch of patches) pending.touched.push(patch.path);
		if (origin !== 'load') this.#persister?.change({ version: entry.version, time, patches, meta: entry.meta });
		if (origin !== 'remote' && origin !== 'load' && this.#engine !== undefined) {
			const op = this.#engine.localOp(
				previous,
				next,
				patches.map((patch) => patch.path),
				meta,
			);
			if (op !== undefined) {
				if (this.#sync === undefined) this.#early.push(op);
				else this.#sync.publish(op);
			}
		}
		if (origin !== 'load' && this.#history.countChange()) this.snapshot();
		if (this.#listeners.size > 0 || this.#pathListeners.size > 0)
			this.#notify(previous, next, { paths: patches.map((patch) => patch.path), patches, entry });
		const emitter = this.#options.emitter;
		if (emitter?.has('state:afterUpdate') === true) {
			emitter.emit('state:afterUpdate', {
				store: this.name,
				reason: meta.why,
				who: meta.who,
				patches,
				kind: origin,
				version: entry.version,
			});
		}
		return entry;
	}

	#notify(previous: S, next: S, change: StateChange): void {
		if (this.#listeners.size > 0) {
			const now = this.#readonly(next);
			const before = this.#readonly(previous);
			for (const listener of this.#listeners) {
				try {
					listener(now, before, change);
				} catch (error) {
					this.#report(error);
				}
			}
		}
		for (const { path, listener } of this.#pathListeners) {
			const value = readPath(next, path);
			const old = readPath(previous, path);
			if (Object.is(value, old)) continue;
			try {
				listener(this.#readonly(value), this.#readonly(old), change);
			} catch (error) {
				this.#report(error);
			}
		}
	}

	#host(engine: ConflictEngine): SyncHost {
		const report = (event: StateConflictEvent): void => {
			this.#conflicts++;
			const emitter = this.#options.emitter;
			if (emitter?.has('state:conflict') === true) emitter.emit('state:conflict', event);
			try {
				this.#options.onConflict?.(event);
			} catch (error) {
				this.#report(error);
			}
		};
		const applyOps = (ops: readonly SyncOp[], accept: (op: SyncOp) => boolean): number => {
			if (this.#destroyed) return 0;
			let changes = 0;
			const conflicts: StateConflictEvent[] = [];
			let meta: ChangeMeta = {};
			const [next, patches, inverse] = immer.produceWithPatches(this.#state, (draft) => {
				for (const op of ops) {
					if (!accept(op)) continue;
					engine.apply(draft, op, (event) => conflicts.push(event));
					changes += op.c.length;
					meta = op.m ?? {};
				}
			});
			if (patches.length > 0)
				this.#commit(next, coalescePatches(patches), coalescePatches(inverse), meta, 'remote', true);
			for (const event of conflicts) report(event);
			return changes;
		};
		return {
			applyRemote: (ops, coalesce) =>
				applyOps(coalesce ? engine.coalesce(engine.fresh(ops)) : ops, (op) => engine.accept(op)),
			reapply: (ops) => {
				applyOps(ops, (op) => engine.accept(op));
			},
			loadShared: (snapshot: SharedSnapshot) => {
				engine.import(snapshot);
				const state = this.#accept(snapshot.state);
				if (state !== this.#state) this.#replaceAll(state, 'remote', undefined);
			},
			shared: () => ({ state: this.#state, engine: engine.export() }),
			fail: (error) => {
				this.#report(error);
			},
		};
	}

	#report(error: unknown): void {
		const onError = this.#options.onError;
		if (onError !== undefined) {
			try {
				onError(error);
			} catch {
				// a failing error handler has nowhere else to go
			}
			return;
		}
		process.emitWarning(error instanceof Error ? error.message : String(error), {
			code: 'OVENJS_STATE',
			detail: error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined,
		});
	}

	#assertAlive(): void {
		if (this.#destroyed) throw StateError.of('STATE_DESTROYED', [this.name]);
	}

	/** Frozen by immer, so the readonly view is exact: a type-level step with no run-time effect. */
	#readonly<T>(state: T): DeepReadonly<T> {
		return isFrozenView<T>(state) ? state : this.#readonly(freeze(state, true));
	}
}

/** A copy of the state made by `set`'s fast path: the root it copied was the state, so it has the state's type. */
function isState<S>(_copy: unknown, _from: S): _copy is S {
	return true;
}
