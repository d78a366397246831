import { OvenError } from '@ovenjs/types';

/** Codes of {@link MockError}. New codes may be added in minor versions. */
export type MockErrorCode =
	| 'MOCK_INVALID_OPTION'
	| 'MOCK_NOT_STARTED'
	| 'MOCK_ALREADY_STOPPED'
	| 'MOCK_UNKNOWN_ENTITY'
	| 'MOCK_INTERACTION_TIMEOUT'
	| 'MOCK_LISTEN_FAILED'
	| 'MOCK_NO_SESSION'
	| 'MOCK_WAIT_TIMEOUT';

/** Thrown by `@ovenjs/testing` when a scenario or option is used wrongly. The message says what to fix. */
export class MockError extends OvenError<MockErrorCode> {}
