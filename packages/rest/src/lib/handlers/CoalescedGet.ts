import type { RestResponse } from '../RESTOptions.js';
import type { PendingRequest } from './PendingRequest.js';

interface Follower {
	readonly resolve: (response: RestResponse) => void;
	readonly reject: (error: unknown) => void;
}

/** A copy of a response no other caller holds: JSON parsed again from its text, bytes copied, headers copied. */
function copyOf(request: PendingRequest, response: RestResponse): RestResponse {
	const text = request.rawText;
	const original = response.data;
	const data: unknown =
		text !== undefined ? JSON.parse(text) : original instanceof ArrayBuffer ? original.slice(0) : original;
	const headers: Record<string, string | string[] | undefined> = {};
	for (const [name, value] of Object.entries(response.headers))
		headers[name] = Array.isArray(value) ? [...value] : value;
	return { status: response.status, headers, data };
}

/**
 * One GET that identical GETs may join while it has not been sent yet (see `coalesceGets`). The first caller
 * receives the response as read; every follower receives its own copy (JSON parsed separately from the same
 * text, so a deep value cannot overflow a structured clone), so no caller can see another's mutations.
 *
 * @internal
 */
export class CoalescedGet {
	/** The first caller's promise. */
	public readonly promise: Promise<RestResponse>;
	readonly #followers: Follower[] = [];

	public constructor(request: PendingRequest) {
		// Registered before anyone else can observe the result, so every copy is taken from the untouched original.
		this.promise = request.promise.then(
			(response) => {
				for (const follower of this.#followers.splice(0)) {
					try {
						follower.resolve(copyOf(request, response));
					} catch (error) {
						follower.reject(error);
					}
				}
				return response;
			},
			(error: unknown) => {
				for (const follower of this.#followers.splice(0)) follower.reject(error);
				throw error;
			},
		);
	}

	/** A follower's promise: settles with its own copy of the result. */
	public join(): Promise<RestResponse> {
		return new Promise<RestResponse>((resolve, reject) => {
			this.#followers.push({ resolve, reject });
		});
	}
}
