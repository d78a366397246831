import type { ExtensionPointEmitter } from '@ovenjs/types';
import type { StateError } from './errors/StateError.js';
import type { StateStorage } from './storage/StateStorage.js';
import type { ConflictOptions, StateConflictEvent } from './sync/types.js';

/**
 * An ioredis client as the store sees it: declared by shape, so that the types of `@ovenjs/state` (and of every
 * package built on it, `@ovenjs/core` included) need no ioredis installed. Pass an `ioredis` `Redis` instance.
 */
export interface RedisClientLike {
	duplicate(...options: never[]): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Cross-instance sync through Redis (see {@link StateStoreOptions.sync}). */
export interface StateSyncOptions {
	/** A Redis URL, or an ioredis client (used for commands and duplicated for pub/sub; not closed by the store). */
	readonly redis: string | RedisClientLike;
	/** Conflict policies per path. @defaultValue last-writer-wins everywhere */
	readonly conflict?: ConflictOptions;
	/** Prefix of the Redis keys (`<prefix><name>:log`, `:live`, `:seq`, `:snapshot`). @defaultValue {@link DefaultStateStoreOptions.syncPrefix} (`'ovenjs:state:'`) */
	readonly prefix?: string;
	/** Approximate length the catch-up log is trimmed to (older operations live in the shared snapshot). @defaultValue {@link DefaultStateStoreOptions.streamLength} (`10_000`) */
	readonly streamLength?: number;
	/** A replica writes the shared snapshot every this many operations. @defaultValue {@link DefaultStateStoreOptions.sharedSnapshotEvery} (`500`) */
	readonly snapshotEvery?: number;
	/** This replica's ID in the clocks. @defaultValue 8 random hex digits */
	readonly node?: string;
}

/** Options of {@link StateStore}. */
export interface StateStoreOptions<S> {
	/**
	 * The store's name: reported on extension points; replicas with the same name on one Redis share one state;
	 * the storage key when persisting.
	 * @defaultValue {@link DefaultStateStoreOptions.name} (`'state'`)
	 */
	readonly name?: string;
	/**
	 * How many changes `undo()` can step back; older ones compact into the base snapshot. `0` disables history.
	 * @defaultValue {@link DefaultStateStoreOptions.historyLimit} (`100`)
	 */
	readonly historyLimit?: number;
	/**
	 * The estimated size of the kept history (patches and inverse patches) in bytes.
	 * @defaultValue {@link DefaultStateStoreOptions.historyBytes} (`1_048_576`, 1 MiB)
	 */
	readonly historyBytes?: number;
	/**
	 * Consecutive changes of the same paths with the same meta within this many ms merge into one history entry
	 * (typing into a field). `0` never merges.
	 * @defaultValue {@link DefaultStateStoreOptions.coalesceMs} (`0`)
	 */
	readonly coalesceMs?: number;
	/** Periodic snapshots. */
	readonly snapshots?: {
		/** A snapshot every this many changes (`0`: only named ones). @defaultValue {@link DefaultStateStoreOptions.snapshotEvery} (`1_000`) */
		readonly every?: number;
		/** How many named and periodic snapshots are kept. @defaultValue {@link DefaultStateStoreOptions.snapshotsKept} (`10`) */
		readonly keep?: number;
	};
	/** Where to persist (the last snapshot plus the changes after it). @defaultValue nothing is persisted */
	readonly persist?: StateStorage;
	/** Replicate through Redis. @defaultValue a local store */
	readonly sync?: StateSyncOptions;
	/**
	 * Checks a state loaded from storage or a shared snapshot (a zod schema fits). Without it, loaded state is
	 * trusted to have the shape of `initial`.
	 */
	readonly schema?: { parse(value: unknown): S };
	/** The extension-point bus (from `@ovenjs/core`) that receives the `state:*` points. */
	readonly emitter?: ExtensionPointEmitter;
	/** Called for conflicts resolved while syncing (also emitted as `state:conflict`). */
	readonly onConflict?: (event: StateConflictEvent) => void;
	/**
	 * Background failures with no caller to reject: a publish being retried, a storage write that will be retried,
	 * a listener that threw. @defaultValue `process.emitWarning`
	 */
	readonly onError?: (error: unknown) => void;
}

/** The defaults of {@link StateStoreOptions} (and of its `snapshots` and `sync` parts), in one place. */
export const DefaultStateStoreOptions = {
	name: 'state',
	historyLimit: 100,
	historyBytes: 1_048_576,
	coalesceMs: 0,
	snapshotEvery: 1_000,
	snapshotsKept: 10,
	syncPrefix: 'ovenjs:state:',
	streamLength: 10_000,
	sharedSnapshotEvery: 500,
} as const satisfies Required<
	Pick<StateStoreOptions<unknown>, 'name' | 'historyLimit' | 'historyBytes' | 'coalesceMs'>
> & {
	/** `snapshots.every` */
	readonly snapshotEvery: number;
	/** `snapshots.keep` */
	readonly snapshotsKept: number;
	/** `sync.prefix` */
	readonly syncPrefix: string;
	/** `sync.streamLength` */
	readonly streamLength: number;
	/** `sync.snapshotEvery` */
	readonly sharedSnapshotEvery: number;
};

/** A background failure reported to `onError`. */
export type StateBackgroundError = StateError;
