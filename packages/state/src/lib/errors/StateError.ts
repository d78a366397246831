import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/** Codes of {@link StateError}. New codes may be added in minor versions. */
export type StateErrorCode =
	| 'STATE_INVALID_PATH'
	| 'STATE_INVALID_OPTIONS'
	| 'STATE_ASYNC_RECIPE'
	| 'STATE_VETOED'
	| 'STATE_CONFLICT'
	| 'STATE_SHARED_REFERENCE'
	| 'STATE_NOT_FOUND'
	| 'STATE_STORAGE_FAILED'
	| 'STATE_SYNC_FAILED'
	| 'STATE_DESTROYED';

/** The details each code's message is built from. */
export interface StateErrorDetails {
	STATE_INVALID_PATH: [path: string, why: string];
	STATE_INVALID_OPTIONS: [option: string, why: string];
	STATE_ASYNC_RECIPE: [];
	STATE_VETOED: [store: string, why: string];
	STATE_CONFLICT: [store: string, path: string, why: string];
	STATE_SHARED_REFERENCE: [first: string, second: string];
	STATE_NOT_FOUND: [what: string];
	STATE_STORAGE_FAILED: [store: string, operation: string];
	STATE_SYNC_FAILED: [store: string, why: string];
	STATE_DESTROYED: [store: string];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const StateErrorMessages: { readonly [C in StateErrorCode]: (...details: StateErrorDetails[C]) => string } = {
	STATE_INVALID_PATH: (path: string, why: string) => `Invalid state path "${path}": ${why}.`,
	STATE_INVALID_OPTIONS: (option: string, why: string) => `Invalid StateStore option ${option}: ${why}.`,
	STATE_ASYNC_RECIPE: () =>
		'State recipes must be synchronous: await your data first, then call update() with a synchronous recipe.',
	STATE_VETOED: (store: string, why: string) => `An update of store "${store}" was vetoed: ${why}`,
	STATE_CONFLICT: (store: string, path: string, why: string) => `Conflict on "${path}" in store "${store}": ${why}`,
	STATE_SHARED_REFERENCE: (first: string, second: string) =>
		`The same object would appear twice in the state tree (at "${first}" and "${second}"). Immer's patches cannot describe shared references (immerjs/immer#468), so replicas and history would diverge: copy it (structuredClone, or { ...value }) before placing it a second time.`,
	STATE_NOT_FOUND: (what: string) => `${what} is not in the history (it may have been compacted).`,
	STATE_STORAGE_FAILED: (store: string, operation: string) => `Storage of store "${store}" failed to ${operation}.`,
	STATE_SYNC_FAILED: (store: string, why: string) => `Sync of store "${store}" failed: ${why}`,
	STATE_DESTROYED: (store: string) => `Store "${store}" was destroyed; create a new StateStore.`,
};

/** Thrown by `@ovenjs/state`; `code` says what went wrong. */
export class StateError extends OvenError<StateErrorCode> {
	/** Builds the error with the standard text of `code`. */
	public static of<C extends StateErrorCode>(
		code: C,
		details: StateErrorDetails[C],
		options?: OvenErrorOptions,
	): StateError {
		const build: (...parts: StateErrorDetails[C]) => string = StateErrorMessages[code];
		return new StateError(code, build(...details), options);
	}
}
