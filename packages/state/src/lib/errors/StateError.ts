import { OvenError } from '@ovenjs/types';

/** Codes of {@link StateError}. New codes may be added in minor versions. */
export type StateErrorCode = 'STATE_ASYNC_RECIPE' | 'STATE_INVALID_OPTIONS' | 'STATE_VETOED' | 'STATE_DESTROYED';

/** Thrown by `@ovenjs/state` when a store is used wrongly. */
export class StateError extends OvenError<StateErrorCode> {}
