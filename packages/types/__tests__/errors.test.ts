import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { OvenError, REDACTED, redactSecrets, registerSecret, TypesError, unregisterSecret } from '@ovenjs/types';

describe('OvenError', () => {
	it('names errors Class[CODE] and keeps the cause', () => {
		const cause = new Error('root');
		const error = new TypesError('TYPES_INVALID_SNOWFLAKE', 'bad', { cause });
		expect(error.name).toBe('TypesError[TYPES_INVALID_SNOWFLAKE]');
		expect(error.code).toBe('TYPES_INVALID_SNOWFLAKE');
		expect(error.cause).toBe(cause);
		expect(error).toBeInstanceOf(Error);
		expect(error).toBeInstanceOf(OvenError);
		expect(error).toBeInstanceOf(TypesError);
	});

	it('instanceof works across two copies of a class (duplicated installs)', () => {
		// A second, unrelated class with the same name stands in for a second copy of the package.
		const Copy = { TypesError: class TypesError extends OvenError<'TYPES_INVALID_SNOWFLAKE'> {} }.TypesError;
		const fromCopy = new Copy('TYPES_INVALID_SNOWFLAKE', 'x');
		expect(fromCopy).toBeInstanceOf(TypesError);
		expect(new TypesError('TYPES_INVALID_SNOWFLAKE', 'x')).toBeInstanceOf(Copy);
		class Other extends OvenError<'X'> {}
		expect(new Other('X', 'x')).not.toBeInstanceOf(TypesError);
		expect({ code: 'TYPES_INVALID_SNOWFLAKE' }).not.toBeInstanceOf(TypesError);
	});
});

describe('secret redaction', () => {
	const token = 'MTA1NTQxNjQ2NzQ0NzE2NjgyMw.GxYz12.abcdefghijklmnopqrstuvwxyz0123456789AB';

	it('removes registered secrets and token-shaped strings', () => {
		registerSecret(`Bot ${token}`);
		const header = redactSecrets(`Authorization: Bot ${token}`);
		expect(header).not.toContain(token);
		expect(header).toContain(REDACTED);
		unregisterSecret(`Bot ${token}`);
		// Still caught by shape after unregistering.
		expect(redactSecrets(`token=${token}`)).toBe(`token=${REDACTED}`);
		expect(redactSecrets('custom-secret-value here', 'custom-secret-value')).toBe(`${REDACTED} here`);
		expect(inspect(new TypesError('TYPES_VALIDATION_FAILED', redactSecrets(token)))).not.toContain(token);
	});

	it('counts registrations per secret: a shared token stays redacted until its last user releases it', () => {
		const secret = 'not-token-shaped-shared-secret';
		registerSecret(secret);
		registerSecret(`Bot ${secret}`);
		unregisterSecret(secret);
		expect(redactSecrets(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
		unregisterSecret(`Bot ${secret}`);
		expect(redactSecrets(`x ${secret} y`)).toBe(`x ${secret} y`);
		unregisterSecret(secret);
		expect(redactSecrets(secret)).toBe(secret);
	});
});
