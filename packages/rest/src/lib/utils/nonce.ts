import { isRecord } from '@ovenjs/types';
import { randomBytes } from 'node:crypto';

/**
 * Routes Discord documents `nonce` + `enforce_nonce` for (checked against Discord's OpenAPI description):
 * `POST /channels/{channel.id}/messages` and `POST /lobbies/{lobby.id}/messages`.
 */
const NONCE_ROUTE = /^\/(?:channels|lobbies)\/\d{1,20}\/messages$/;

/** How a request may be retried after a failure that does not say whether Discord applied it. */
export type Idempotency =
	/** GET and PUT: sending them twice has the effect of sending them once. */
	| 'idempotent'
	/** A message create with a `nonce` and `enforce_nonce: true`: Discord returns the first message for a repeat. */
	| 'nonce'
	/** Everything else: retried only when the request certainly was not applied. */
	| 'none';

/** Whether Discord accepts `nonce` + `enforce_nonce` on this request. */
export function takesNonce(method: string, route: string): boolean {
	return method === 'POST' && NONCE_ROUTE.test(route);
}

/** A nonce unique to one logical request: 96 random bits as 16 base64url characters (Discord allows 25). */
export function createNonce(): string {
	return randomBytes(12).toString('base64url');
}

/**
 * Adds `nonce` and `enforce_nonce: true` to a message-create body unless the caller set a nonce of their own
 * (kept as given) or `enforce_nonce: false` (opted out). Returns the body to send and whether a retry is safe.
 * A body that is not an object is left alone; a multipart request without a JSON body gets one.
 */
export function withNonce(
	body: unknown,
	hasFiles: boolean,
): { readonly body: unknown; readonly idempotency: Idempotency } {
	if (body === undefined && hasFiles)
		return { body: { nonce: createNonce(), enforce_nonce: true }, idempotency: 'nonce' };
	if (!isRecord(body)) return { body, idempotency: 'none' };
	if (body.nonce !== undefined && body.nonce !== null)
		return { body, idempotency: body.enforce_nonce === true ? 'nonce' : 'none' };
	if (body.enforce_nonce === false) return { body, idempotency: 'none' };
	return { body: { ...body, nonce: createNonce(), enforce_nonce: true }, idempotency: 'nonce' };
}
