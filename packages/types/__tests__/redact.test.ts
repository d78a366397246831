import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, registerSecret, unregisterSecret } from '@ovenjs/types';

// Not token-shaped, so only the registry (not the token pattern) can redact it.
const secret = 'shared-secret-value-for-refcount-tests';

describe('registerSecret / unregisterSecret (reference-counted)', () => {
	it('keeps a secret registered twice redacted until both registrations are released', () => {
		registerSecret(secret);
		registerSecret(secret);
		unregisterSecret(secret);
		expect(redactSecrets(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
		unregisterSecret(secret);
		expect(redactSecrets(`x ${secret} y`)).toBe(`x ${secret} y`);
	});

	it('counts the bare token of an Authorization value with the token itself', () => {
		registerSecret(`Bot ${secret}`); // registers "Bot <secret>" and "<secret>"
		registerSecret(secret); // a second client with the bare token
		unregisterSecret(`Bot ${secret}`);
		expect(redactSecrets(secret)).toBe(REDACTED);
		unregisterSecret(secret);
		expect(redactSecrets(secret)).toBe(secret);
	});

	it('ignores releases of secrets never registered, and short or non-string secrets', () => {
		unregisterSecret(secret);
		registerSecret(secret);
		unregisterSecret('never-registered-secret');
		unregisterSecret(secret);
		unregisterSecret(secret); // one release too many does not go negative
		registerSecret(secret);
		expect(redactSecrets(secret)).toBe(REDACTED);
		unregisterSecret(secret);
		registerSecret('short');
		expect(redactSecrets('short')).toBe('short');
		expect(() => {
			registerSecret(42 as unknown as string);
		}).not.toThrow();
		expect(redactSecrets(12345 as unknown as string)).toBe('12345');
	});
});
