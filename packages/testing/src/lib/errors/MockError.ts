import { OvenError, type ChannelId, type InteractionId, type OvenErrorOptions } from '@ovenjs/types';

/** Codes of {@link MockError}. New codes may be added in minor versions. */
export type MockErrorCode =
	| 'MOCK_INVALID_OPTION'
	| 'MOCK_NOT_STARTED'
	| 'MOCK_ALREADY_STOPPED'
	| 'MOCK_UNKNOWN_ENTITY'
	| 'MOCK_NOT_A_GUILD_CHANNEL'
	| 'MOCK_INTERACTION_TIMEOUT'
	| 'MOCK_LISTEN_FAILED'
	| 'MOCK_NO_SESSION'
	| 'MOCK_WAIT_TIMEOUT';

/** The details each code's message is built from. */
export interface MockErrorDetails {
	MOCK_INVALID_OPTION: [option: string, expected: string, got: string];
	MOCK_NOT_STARTED: [what: string];
	MOCK_ALREADY_STOPPED: [what: string];
	MOCK_UNKNOWN_ENTITY: [entity: string, fix: string];
	MOCK_NOT_A_GUILD_CHANNEL: [operation: string, channelId: ChannelId];
	MOCK_INTERACTION_TIMEOUT: [interactionId: InteractionId, timeoutMs: number];
	MOCK_LISTEN_FAILED: [address: string, why: string];
	MOCK_NO_SESSION: [what: string];
	MOCK_WAIT_TIMEOUT: [expected: string, timeoutMs: number, have: string];
}

/** What each code means, in one place (the text of an error lives with its kind). */
export const MockErrorMessages: { readonly [C in MockErrorCode]: (...details: MockErrorDetails[C]) => string } = {
	MOCK_INVALID_OPTION: (option: string, expected: string, got: string) =>
		`${option} must be ${expected}, got ${got}.`,
	MOCK_NOT_STARTED: (what: string) =>
		`${what} needs a running MockDiscord (the world is not attached to one): start one with MockDiscord.start().`,
	MOCK_ALREADY_STOPPED: (what: string) => `The mock stopped before ${what}.`,
	MOCK_UNKNOWN_ENTITY: (entity: string, fix: string) => `No ${entity} in the mock world: ${fix}.`,
	MOCK_NOT_A_GUILD_CHANNEL: (operation: string, channelId: ChannelId) =>
		`${operation}: channel ${channelId} is not in a guild; pass a guild channel.`,
	MOCK_INTERACTION_TIMEOUT: (interactionId: InteractionId, timeoutMs: number) =>
		`The bot did not answer interaction ${interactionId} within ${timeoutMs} ms (POST /interactions/{id}/{token}/callback).`,
	MOCK_LISTEN_FAILED: (address: string, why: string) =>
		`Could not listen on ${address}: ${why}. Pick another port (or 0 for a free one).`,
	MOCK_NO_SESSION: (what: string) =>
		`${what} needs a live gateway session: connect a client first (gateway.waitForSessions()).`,
	MOCK_WAIT_TIMEOUT: (expected: string, timeoutMs: number, have: string) =>
		`Expected ${expected} within ${timeoutMs} ms, have ${have}.`,
};

/** Thrown by `@ovenjs/testing` when a scenario or option is used wrongly. The message says what to fix. */
export class MockError extends OvenError<MockErrorCode> {
	/** Builds the error with the standard text of `code`. */
	public static of<C extends MockErrorCode>(
		code: C,
		details: MockErrorDetails[C],
		options?: OvenErrorOptions,
	): MockError {
		const build: (...parts: MockErrorDetails[C]) => string = MockErrorMessages[code];
		return new MockError(code, build(...details), options);
	}
}
