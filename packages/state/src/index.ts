export { StateStore } from './lib/StateStore.js';
export type { StateStoreOptions, StateUpdateEvent } from './lib/StateStore.js';
export { StateError } from './lib/errors/StateError.js';
export type { StateErrorCode } from './lib/errors/StateError.js';
export type { Patch } from 'immer';
