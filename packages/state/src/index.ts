export { StateStore } from './lib/StateStore.js';
export type { PathListener, Recipe, StateChange, StateListener, StateTransaction, SyncInfo } from './lib/StateStore.js';
export { DefaultStateStoreOptions } from './lib/StateStoreOptions.js';
export type { StateStoreOptions, StateSyncOptions, RedisClientLike } from './lib/StateStoreOptions.js';
export { StateNamespace } from './lib/StateNamespace.js';
export type { NamespaceListener } from './lib/StateNamespace.js';
export { StateError, StateErrorMessages } from './lib/errors/StateError.js';
export type { StateErrorCode, StateErrorDetails } from './lib/errors/StateError.js';
export type { StateSnapshotEvent, StateUpdateEvent } from './lib/extension-points.js';
export type { ChangeMeta, ChangeOrigin, HistoryEntry, StateSnapshot } from './lib/history/types.js';
export type {
	MaxPathDepth,
	PathArray,
	PathKey,
	PathValue,
	TuplePathValue,
	ValidPath,
	ValidTuplePath,
} from './lib/paths/types.js';
export { coalescePatches } from './lib/patches.js';
export { MemoryStorage } from './lib/storage/MemoryStorage.js';
export type { PersistedChange, PersistedSnapshot, PersistedState, StateStorage } from './lib/storage/StateStorage.js';
export { HybridLogicalClock } from './lib/sync/HybridLogicalClock.js';
export type {
	CatchUpReport,
	ConflictContext,
	ConflictOptions,
	ConflictPolicy,
	ConflictResolver,
	StateConflictEvent,
	SyncChange,
	SyncOp,
} from './lib/sync/types.js';
export type { Patch } from 'immer';
