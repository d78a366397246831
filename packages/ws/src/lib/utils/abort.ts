import { GatewayError } from '../errors/GatewayError.js';

function reasonOf(signal: { readonly reason: unknown }): unknown {
	return signal.reason;
}

/** The reason of an aborted signal as an Error (a non-Error reason is wrapped). */
export function abortReason(signal: AbortSignal): Error {
	const reason = reasonOf(signal);
	return reason instanceof Error ? reason : GatewayError.of('GATEWAY_ABORTED', [], { cause: reason });
}

/** Resolves after `ms`, or rejects with the abort reason when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted === true) return Promise.reject(abortReason(signal));
	return new Promise<void>((resolve, reject) => {
		const onAbort = (): void => {
			clearTimeout(timer);
			if (signal !== undefined) reject(abortReason(signal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}
