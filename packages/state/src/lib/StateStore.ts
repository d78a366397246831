import { applyPatches, enablePatches, freeze, produceWithPatches, type Draft, type Patch } from 'immer';
import type { DeepReadonly, ExtensionPointEmitter } from '@ovenjs/types';
import { StateError } from './errors/StateError.js';
import { markClass } from '@ovenjs/types';

enablePatches();

/** What the `state:beforeUpdate` and `state:afterUpdate` points receive. */
export interface StateUpdateEvent {
	/** The store's name (see {@link StateStoreOptions.name}). */
	readonly store: string;
	/** Why the update happened, as given to `update(recipe, reason)`. */
	readonly reason: string | undefined;
	/** The changes as immer patches (JSON-patch-like paths). Empty in `beforeUpdate`. */
	readonly patches: readonly Patch[];
	/** Whether this update is an undo or a redo. */
	readonly kind: 'update' | 'undo' | 'redo';
}

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Before a store changes; a handler may veto by returning `{ ...event, veto: 'why' }`. */
		'state:beforeUpdate': [event: StateUpdateEvent & { readonly veto?: string }];
		/** After a store changed, with the patches that describe the change. */
		'state:afterUpdate': [event: StateUpdateEvent];
	}
	interface WaterfallExtensionPoints {
		'state:beforeUpdate': true;
	}
}

/** Options of {@link StateStore}. */
export interface StateStoreOptions {
	/**
	 * The store's name, reported on extension points.
	 * @defaultValue `'state'`
	 */
	readonly name?: string;
	/**
	 * How many updates `undo()` can step back. `0` disables history.
	 * @defaultValue `50`
	 */
	readonly historyLimit?: number;
	/** The extension-point bus (from `@ovenjs/core`) that receives `state:*` points. */
	readonly emitter?: ExtensionPointEmitter;
}

type Listener<S> = (state: DeepReadonly<S>, previous: DeepReadonly<S>) => void;

interface HistoryEntry {
	readonly patches: Patch[];
	readonly inverse: Patch[];
}

/**
 * Typed, immutable application state for a bot. Every update goes through an immer recipe; readers always see
 * a frozen snapshot, so state cannot change behind anyone's back. Updates are recorded as patches (for undo /
 * redo, audit and syncing to other processes) and observable through `state:beforeUpdate` (which may veto) and
 * `state:afterUpdate`.
 *
 * @example
 * ```ts
 * const store = new StateStore({ scores: {} as Record<string, number> });
 * await store.update((draft) => { draft.scores['alice'] = (draft.scores['alice'] ?? 0) + 1; }, 'point for alice');
 * store.get().scores['alice']; // 1
 * store.undo();
 * ```
 */
export class StateStore<S extends object> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'state.StateStore');
	}

	readonly #name: string;
	readonly #historyLimit: number;
	readonly #emitter: ExtensionPointEmitter | undefined;
	readonly #listeners = new Set<Listener<S>>();
	#state: S;
	#past: HistoryEntry[] = [];
	#future: HistoryEntry[] = [];
	#destroyed = false;
	#queue: Promise<unknown> = Promise.resolve();

	public constructor(initial: S, options: StateStoreOptions = {}) {
		const historyLimit = options.historyLimit ?? 50;
		if (!Number.isInteger(historyLimit) || historyLimit < 0) {
			throw new StateError('STATE_INVALID_OPTIONS', `historyLimit must be a non-negative integer, got ${String(historyLimit)}.`);
		}
		this.#name = options.name ?? 'state';
		this.#historyLimit = historyLimit;
		this.#emitter = options.emitter;
		this.#state = freeze(initial, true);
	}

	/** The current state: a deeply frozen snapshot. */
	public get(): DeepReadonly<S> {
		return this.#readonly(this.#state);
	}

	/** Reads a slice of the state. */
	public select<T>(selector: (state: DeepReadonly<S>) => T): T {
		return selector(this.get());
	}

	/**
	 * Applies an immer recipe and resolves with the new state. Updates are applied in call order. Rejects with
	 * `STATE_VETOED` when a `state:beforeUpdate` handler vetoes, and `STATE_ASYNC_RECIPE` when the recipe returns
	 * a promise (recipes must be synchronous: await your data first, then update).
	 */
	public update(recipe: (draft: Draft<S>) => void, reason?: string): Promise<DeepReadonly<S>> {
		const run = this.#queue.then(() => this.#apply(recipe, reason));
		this.#queue = run.catch(() => undefined);
		return run;
	}

	/** Steps back one update. Returns false when there is nothing to undo. */
	public undo(): boolean {
		const entry = this.#past.pop();
		if (entry === undefined) return false;
		this.#commit(applyPatches(this.#state, entry.inverse), entry.inverse, undefined, 'undo');
		this.#future.push(entry);
		return true;
	}

	/** Re-applies the last undone update. Returns false when there is nothing to redo. */
	public redo(): boolean {
		const entry = this.#future.pop();
		if (entry === undefined) return false;
		this.#commit(applyPatches(this.#state, entry.patches), entry.patches, undefined, 'redo');
		this.#past.push(entry);
		return true;
	}

	/** Applies patches produced elsewhere (another process's `state:afterUpdate`), e.g. to keep replicas in sync. */
	public applyPatches(patches: readonly Patch[], reason?: string): void {
		this.#assertAlive();
		this.#commit(applyPatches(this.#state, [...patches]), [...patches], reason, 'update');
	}

	/** Calls `listener` after every change. Returns the function that unsubscribes. */
	public subscribe(listener: Listener<S>): () => void {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	}

	/**
	 * Calls `listener` when the value picked by `selector` changes (`Object.is`). Returns the function that
	 * unsubscribes.
	 */
	public watch<T>(selector: (state: DeepReadonly<S>) => T, listener: (value: T, previous: T) => void): () => void {
		return this.subscribe((state, previous) => {
			const value = selector(state);
			const old = selector(previous);
			if (!Object.is(value, old)) listener(value, old);
		});
	}

	/** How many updates can be undone and redone. */
	public get history(): { readonly undo: number; readonly redo: number } {
		return { undo: this.#past.length, redo: this.#future.length };
	}

	/** Drops listeners and history; later updates reject with `STATE_DESTROYED`. */
	public destroy(): void {
		this.#destroyed = true;
		this.#listeners.clear();
		this.#past = [];
		this.#future = [];
	}

	async #apply(recipe: (draft: Draft<S>) => void, reason: string | undefined): Promise<DeepReadonly<S>> {
		this.#assertAlive();
		const emitter = this.#emitter;
		if (emitter?.has('state:beforeUpdate') === true) {
			const decided = await emitter.transform('state:beforeUpdate', { store: this.#name, reason, patches: [], kind: 'update' });
			if (decided.veto !== undefined) {
				throw new StateError('STATE_VETOED', `Update${reason === undefined ? '' : ` "${reason}"`} of store "${this.#name}" was vetoed: ${decided.veto}`);
			}
		}
		// Typed as returning void for callers; at run time a careless async recipe returns a promise.
		const run: (draft: Draft<S>) => unknown = recipe;
		let returned: unknown;
		const [next, patches, inverse] = produceWithPatches(this.#state, (draft) => {
			returned = run(draft);
		});
		if (returned instanceof Promise) {
			throw new StateError('STATE_ASYNC_RECIPE', 'State recipes must be synchronous: await your data first, then call update() with a synchronous recipe.');
		}
		if (patches.length > 0) {
			this.#commit(next, patches, reason, 'update');
			if (this.#historyLimit > 0) {
				this.#past.push({ patches, inverse });
				if (this.#past.length > this.#historyLimit) this.#past.shift();
				this.#future = [];
			}
		}
		return this.get();
	}

	#commit(next: S, patches: Patch[], reason: string | undefined, kind: StateUpdateEvent['kind']): void {
		const previous = this.#state;
		this.#state = next;
		for (const listener of this.#listeners) listener(this.#readonly(next), this.#readonly(previous));
		if (this.#emitter?.has('state:afterUpdate') === true) this.#emitter.emit('state:afterUpdate', { store: this.#name, reason, patches, kind });
	}

	#assertAlive(): void {
		if (this.#destroyed) throw new StateError('STATE_DESTROYED', `Store "${this.#name}" was destroyed; create a new StateStore.`);
	}

	/** Frozen by immer, so the readonly view is exact: a type-level step with no run-time effect. */
	#readonly(state: S): DeepReadonly<S> {
		return isFrozenView<S>(state) ? state : this.#readonly(freeze(state, true));
	}
}

function isFrozenView<S>(state: S): state is S & DeepReadonly<S> {
	return typeof state !== 'object' || state === null || Object.isFrozen(state);
}
