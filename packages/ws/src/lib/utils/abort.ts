import { GatewayError } from '../errors/GatewayError.js';

function reasonOf(signal: { readonly reason: unknown }): unknown {
	return signal.reason;
}

/** The reason of an aborted signal as an Error (a non-Error reason is wrapped). */
export function abortReason(signal: AbortSignal): Error {
	const reason = reasonOf(signal);
	return reason instanceof Error ? reason : new GatewayError('GATEWAY_DESTROYED', 'The operation was aborted.', { cause: reason });
}
