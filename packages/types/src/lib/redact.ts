/**
 * Secret redaction shared by every package: whatever an error message, log line or `inspect` output would
 * print goes through here first, so a bot token never leaves the process in text.
 */
const registered = new Set<string>();

/** The text that replaces a secret. */
export const REDACTED = '[REDACTED]';

/**
 * Registers a secret (a bot token, a webhook token) so {@link redactSecrets} removes it from any text.
 * Secrets shorter than 8 characters are ignored: they would redact ordinary words.
 */
export function registerSecret(secret: string): void {
	if (secret.length >= 8) registered.add(secret);
	const bare = secret.replace(/^(Bot|Bearer)\s+/i, '');
	if (bare !== secret && bare.length >= 8) registered.add(bare);
}

/** Forgets a secret registered with {@link registerSecret} (call it when a client is destroyed). */
export function unregisterSecret(secret: string): void {
	registered.delete(secret);
	registered.delete(secret.replace(/^(Bot|Bearer)\s+/i, ''));
}

/** A Discord bot token's shape: base64 user ID, timestamp and HMAC separated by dots. */
const TOKEN_PATTERN = /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}/g;

/**
 * Returns `text` with every registered secret, every extra secret passed here and anything shaped like a bot
 * token replaced by `[REDACTED]`.
 */
export function redactSecrets(text: string, ...extra: readonly (string | undefined)[]): string {
	let out = text;
	for (const secret of [...registered, ...extra]) {
		if (secret !== undefined && secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
	}
	return out.replace(TOKEN_PATTERN, REDACTED);
}
