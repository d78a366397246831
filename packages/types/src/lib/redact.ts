/**
 * Secret redaction shared by every package: whatever an error message, log line or `inspect` output would
 * print goes through here first, so a bot token never leaves the process in text.
 */
/**
 * Registered secrets with a reference count: two clients that share a token each register it, and the token
 * stays redacted until both have unregistered it.
 */
const registered = new Map<string, number>();

/** The text that replaces a secret. */
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are ignored: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** The forms of a secret that are registered: itself and, for an `Authorization` value, the bare token. */
function formsOf(secret: unknown): string[] {
	if (typeof secret !== 'string') return [];
	const forms: string[] = [];
	if (secret.length >= MIN_SECRET_LENGTH) forms.push(secret);
	const bare = secret.replace(/^(Bot|Bearer)\s+/i, '');
	if (bare !== secret && bare.length >= MIN_SECRET_LENGTH) forms.push(bare);
	return forms;
}

/**
 * Registers a secret (a bot token, a webhook token) so {@link redactSecrets} removes it from any text.
 * Secrets shorter than 8 characters are ignored: they would redact ordinary words. Registrations are counted
 * per secret: every `registerSecret` needs its own {@link unregisterSecret} before the secret is forgotten, so
 * one client releasing a token another client still uses does not stop its redaction.
 */
export function registerSecret(secret: string): void {
	for (const form of formsOf(secret)) registered.set(form, (registered.get(form) ?? 0) + 1);
}

/**
 * Releases one registration made with {@link registerSecret} (call it when a client is destroyed). The secret
 * is forgotten once every registration of it is released; releasing a secret that is not registered does nothing.
 */
export function unregisterSecret(secret: string): void {
	for (const form of formsOf(secret)) {
		const count = registered.get(form);
		if (count === undefined) continue;
		if (count <= 1) registered.delete(form);
		else registered.set(form, count - 1);
	}
}

/** A Discord bot token's shape: base64 user ID, timestamp and HMAC separated by dots. */
const TOKEN_PATTERN = /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,40}/g;

/**
 * Returns `text` with every registered secret, every extra secret passed here and anything shaped like a bot
 * token replaced by `[REDACTED]`.
 */
export function redactSecrets(text: string, ...extra: readonly (string | undefined)[]): string {
	// String(): JavaScript callers pass whatever they got (a route that is not a string, an error body value).
	const input: unknown = text;
	let out = typeof input === 'string' ? input : String(input);
	for (const secret of registered.keys()) {
		if (out.includes(secret)) out = out.split(secret).join(REDACTED);
	}
	for (const secret of extra) {
		if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH && out.includes(secret))
			out = out.split(secret).join(REDACTED);
	}
	return out.replace(TOKEN_PATTERN, REDACTED);
}
