import { OvenError, type OvenErrorOptions } from '@ovenjs/types';

/** Codes of {@link CoreError}. New codes may be added in minor versions: keep a default branch. */
export type CoreErrorCode =
	| 'CORE_INVALID_OPTION'
	| 'CORE_INVALID_HANDLER'
	| 'CORE_BUILDER_VALIDATION'
	| 'CORE_INTERACTION_ALREADY_REPLIED'
	| 'CORE_INTERACTION_NOT_REPLIED'
	| 'CORE_INTERACTION_UNSUPPORTED'
	| 'CORE_AUTOCOMPLETE_CHOICES'
	| 'CORE_ENTRY_POINT_GLOBAL_ONLY'
	| 'CORE_NOT_LOGGED_IN'
	| 'CORE_ALREADY_LOGGED_IN'
	| 'CORE_DESTROYED'
	| 'CORE_RECORDING_RUNNING'
	| 'CORE_RECORDING_INVALID'
	| 'CORE_INVALID_ROUTE_PARAM';

/** The details each code's message is built from. */
export interface CoreErrorDetails {
	/** An option (of the client, or of a method) has the wrong type or value; `received` is omitted for secrets. */
	CORE_INVALID_OPTION: [option: string, requirement: string, received?: string];
	/** An extension-bus handler registration is unusable. */
	CORE_INVALID_HANDLER: [point: string, problem: string];
	/** A builder's payload breaks Discord's limits (thrown as `BuilderValidationError`). */
	CORE_BUILDER_VALIDATION: [builder: string, issues: readonly { readonly path: string; readonly message: string }[]];
	/** `reply()` / `defer()` after the interaction was answered. */
	CORE_INTERACTION_ALREADY_REPLIED: [interactionId: string];
	/** A follow-up method before the interaction was answered. */
	CORE_INTERACTION_NOT_REPLIED: [method: string, interactionId: string];
	/** An INTERACTION_CREATE payload of a kind core does not understand. */
	CORE_INTERACTION_UNSUPPORTED: [];
	/** More autocomplete choices than Discord accepts. */
	CORE_AUTOCOMPLETE_CHOICES: [count: number, max: number];
	/** A primary entry point command registered in a guild. */
	CORE_ENTRY_POINT_GLOBAL_ONLY: [command: string];
	/** A method that needs the application ID before `login()` resolved. */
	CORE_NOT_LOGGED_IN: [method: string];
	/** `login()` called a second time. */
	CORE_ALREADY_LOGGED_IN: [];
	/** The client was destroyed (before or during `login()`). */
	CORE_DESTROYED: [when: string];
	/** `record()` while a recording is running. */
	CORE_RECORDING_RUNNING: [];
	/** A line of a recording file is not a recorded dispatch. */
	CORE_RECORDING_INVALID: [path: string, line: number, problem: string];
	/** A route parameter of `client.api` is empty or not a string/number. */
	CORE_INVALID_ROUTE_PARAM: [name: string, received: string];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const CoreErrorMessages: { readonly [C in CoreErrorCode]: (...details: CoreErrorDetails[C]) => string } = {
	CORE_INVALID_OPTION: (option, requirement, received) =>
		`${option} must be ${requirement}${received === undefined ? '' : `, got ${received}`}.`,
	CORE_INVALID_HANDLER: (point, problem) => `The handler for "${point}" is not usable: ${problem}.`,
	CORE_BUILDER_VALIDATION: (builder, issues) =>
		`${builder} is not valid for Discord: ${issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('; ')}`,
	CORE_INTERACTION_ALREADY_REPLIED: (interactionId) =>
		`Interaction ${interactionId} was already answered: use editReply() or followUp() after reply() or defer().`,
	CORE_INTERACTION_NOT_REPLIED: (method, interactionId) =>
		`${method}() needs an initial response first: call reply() or defer() on interaction ${interactionId}.`,
	CORE_INTERACTION_UNSUPPORTED: () => 'INTERACTION_CREATE payload is not an interaction core understands.',
	CORE_AUTOCOMPLETE_CHOICES: (count, max) =>
		`Autocomplete accepts at most ${max} choices; ${count} were given. Slice the list first.`,
	CORE_ENTRY_POINT_GLOBAL_ONLY: (command) =>
		`The entry point command "${command}" can only be registered globally: call registerCommands() without a guild ID.`,
	CORE_NOT_LOGGED_IN: (method) =>
		`${method} needs the application ID: call it after login() resolved (or in the ready event).`,
	CORE_ALREADY_LOGGED_IN: () => 'login() was already called on this client.',
	CORE_DESTROYED: (when) => `The client was destroyed ${when}; create a new Client to log in again.`,
	CORE_RECORDING_RUNNING: () => 'A recording is already running: call stopRecording() first.',
	CORE_RECORDING_INVALID: (path, line, problem) => `Line ${line} of ${path} is ${problem}.`,
	CORE_INVALID_ROUTE_PARAM: (name, received) =>
		`The route parameter "${name}" must be a non-empty string or a finite number (received ${received}).`,
};

/** Base class of every error `@ovenjs/core` throws. Match on {@link CoreError.code}. */
export class CoreError extends OvenError<CoreErrorCode> {
	/** Builds the error with the standard text of `code`. */
	public static of<C extends CoreErrorCode>(
		code: C,
		details: CoreErrorDetails[C],
		options?: OvenErrorOptions,
	): CoreError {
		const build: (...parts: CoreErrorDetails[C]) => string = CoreErrorMessages[code];
		return new CoreError(code, build(...details), options);
	}
}
