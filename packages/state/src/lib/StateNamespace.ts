import type { Draft } from 'immer';
import type { DeepReadonly } from '@ovenjs/types';
import { StateError } from './errors/StateError.js';
import type { ChangeMeta } from './history/types.js';
import { isContainer, readPath, toSegments, writePath } from './paths/paths.js';
import type { PathArray, PathValue, TuplePathValue, ValidPath, ValidTuplePath } from './paths/types.js';

/** A change notification as a namespace's listener receives it. */
export type NamespaceListener<T> = (value: DeepReadonly<T>, previous: DeepReadonly<T>) => void;

/** The untyped store operations a namespace is built on (closures over the store's internals). @internal */
export interface NamespaceHost {
	readonly read: () => unknown;
	readonly update: (recipe: (root: unknown) => void, meta: string | ChangeMeta | undefined) => Promise<unknown>;
	readonly subscribe: (path: PathArray, listener: (value: unknown, previous: unknown) => void) => () => void;
}

/**
 * The value at a path that the compiler already checked against the slice's type (`ValidPath`): the run-time
 * value has that type, or is `undefined` when a segment is missing (reported as such by the return types).
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the type comes from the checked path
function typedByPath<V>(_value: unknown): _value is V {
	return true;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the slice's type comes from the namespace
function sliceOf<T>(root: unknown, key: string): T {
	const value = readPath(root, [key]);
	if (!isContainer(value) || !typedByPath<T>(value))
		throw StateError.of('STATE_INVALID_PATH', [key, 'the namespace no longer holds an object']);
	return value;
}

/**
 * A slice of a {@link StateStore} under one top-level key: the same reading, writing and subscribing API with
 * paths relative to the slice. Changes go through the parent store (one history, one sync, one veto point), so
 * a plugin's state is part of the bot's state without being able to address anything outside its key.
 */
export class StateNamespace<T extends object> {
	/** The top-level key. */
	public readonly key: string;
	readonly #host: NamespaceHost;

	/** @internal Use `store.namespace(key)`. */
	public constructor(host: NamespaceHost, key: string) {
		this.#host = host;
		this.key = key;
	}

	/** The slice (frozen). */
	public get(): DeepReadonly<T> {
		return sliceOf<DeepReadonly<T>>(this.#host.read(), this.key);
	}

	/** Reads at a dot path inside the slice (`undefined` when a segment is missing). */
	public select<P extends string>(path: ValidPath<T, P>): DeepReadonly<PathValue<T, P>> | undefined {
		const value = readPath(this.get(), toSegments(path));
		return value !== undefined && typedByPath<DeepReadonly<PathValue<T, P>>>(value) ? value : undefined;
	}

	/** Applies a recipe to the slice. */
	public async update(recipe: (draft: Draft<T>) => void, meta?: string | ChangeMeta): Promise<DeepReadonly<T>> {
		await this.#host.update((root) => {
			recipe(sliceOf<Draft<T>>(root, this.key));
		}, meta);
		return this.get();
	}

	/** Sets a dot path inside the slice. */
	public async set<P extends string>(
		path: ValidPath<T, P>,
		value: PathValue<T, P>,
		meta?: string | ChangeMeta,
	): Promise<DeepReadonly<T>> {
		const segments = toSegments(path);
		await this.#host.update((root) => {
			writePath(root, [this.key, ...segments], value, [this.key, ...segments].join('.'));
		}, meta);
		return this.get();
	}

	/** Sets a tuple path inside the slice. */
	public async setIn<const P extends PathArray>(
		path: ValidTuplePath<T, P>,
		value: TuplePathValue<T, P>,
		meta?: string | ChangeMeta,
	): Promise<DeepReadonly<T>> {
		const segments = [this.key, ...toSegments(path)];
		await this.#host.update((root) => {
			writePath(root, segments, value, segments.join('.'));
		}, meta);
		return this.get();
	}

	/** Calls `listener` when the slice changed. */
	public subscribe(listener: NamespaceListener<T>): () => void {
		return this.#host.subscribe([this.key], (value, previous) => {
			if (typedByPath<DeepReadonly<T>>(value) && typedByPath<DeepReadonly<T>>(previous))
				listener(value, previous);
		});
	}
}
