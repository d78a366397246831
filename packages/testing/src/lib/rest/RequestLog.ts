import { MockError } from '../errors/MockError.js';
import type { UploadedFile } from './types.js';

/** One request the bot sent, as the mock saw it. */
export interface LoggedRequest {
	readonly method: string;
	/** The route template, e.g. `/channels/{channel_id}/messages` (the raw path when no route matched). */
	readonly route: string;
	/** The concrete path below the version prefix, e.g. `/channels/123/messages`. */
	readonly path: string;
	readonly query: Readonly<Record<string, string>>;
	/** Request headers, lower-cased; `authorization` is redacted. */
	readonly headers: Readonly<Record<string, string>>;
	/** Whether the request carried the mock's bot token. */
	readonly authorized: boolean;
	readonly body: unknown;
	readonly files: readonly UploadedFile[];
	readonly auditLogReason: string | undefined;
	/** The status the mock answered with (`0` for an injected connection reset). */
	status: number;
	readonly at: number;
}

// Set by RequestLog's static block (friend access to its private #push), for recordRequest.
let push: (log: RequestLog, entry: LoggedRequest) => void;

/** The log of requests the bot sent, newest last. */
export class RequestLog {
	readonly #entries: LoggedRequest[] = [];
	#waiters: {
		readonly matches: (entry: LoggedRequest) => boolean;
		readonly resolve: (entry: LoggedRequest) => void;
	}[] = [];
	readonly #capacity: number;

	static {
		// The REST server records requests through recordRequest (below, not exported from src/index.ts): a test
		// author's RequestLog only reads.
		push = (log, entry) => {
			log.#push(entry);
		};
	}

	public constructor(capacity = 10_000) {
		this.#capacity = capacity;
	}

	#push(entry: LoggedRequest): void {
		this.#entries.push(entry);
		if (this.#entries.length > this.#capacity) this.#entries.splice(0, this.#entries.length - this.#capacity);
		if (this.#waiters.length === 0) return;
		const ready = this.#waiters.filter((waiter) => waiter.matches(entry));
		if (ready.length === 0) return;
		this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
		for (const waiter of ready) waiter.resolve(entry);
	}

	/** All logged requests (oldest first). */
	public all(): readonly LoggedRequest[] {
		return this.#entries;
	}

	/** Requests matching a method and route template or concrete path. */
	public filter(method?: string, route?: string): LoggedRequest[] {
		return this.#entries.filter(
			(entry) =>
				(method === undefined || entry.method === method) &&
				(route === undefined || entry.route === route || entry.path === route),
		);
	}

	/**
	 * Resolves with the next request (logged from now on) that matches `method` and a route template or concrete
	 * path, e.g. `waitFor('POST', '/channels/{channel_id}/messages')`. Rejects with `MOCK_WAIT_TIMEOUT` after
	 * `timeoutMs`.
	 */
	public waitFor(method: string, route: string, timeoutMs = 5000): Promise<LoggedRequest> {
		return new Promise((resolve, reject) => {
			const waiter = {
				matches: (entry: LoggedRequest) =>
					entry.method === method && (entry.route === route || entry.path === route),
				resolve: (entry: LoggedRequest) => {
					clearTimeout(timer);
					resolve(entry);
				},
			};
			const timer = setTimeout(() => {
				this.#waiters = this.#waiters.filter((other) => other !== waiter);
				reject(
					MockError.of('MOCK_WAIT_TIMEOUT', [
						`a ${method} ${route} request`,
						timeoutMs,
						`${this.#entries.length} other requests logged`,
					]),
				);
			}, timeoutMs);
			timer.unref();
			this.#waiters.push(waiter);
		});
	}

	/** The most recent request, if any. */
	public last(): LoggedRequest | undefined {
		return this.#entries.at(-1);
	}

	/** Number of logged requests. */
	public get size(): number {
		return this.#entries.length;
	}

	/** Forgets every entry. */
	public clear(): void {
		this.#entries.length = 0;
	}
}

/** Adds a request to `log` and wakes its waiters (the REST server's side). Package-private: not exported from src/index.ts. */
export function recordRequest(log: RequestLog, entry: LoggedRequest): void {
	push(log, entry);
}
