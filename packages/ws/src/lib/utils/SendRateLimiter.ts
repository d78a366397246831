import { SEND_LIMIT, SEND_WINDOW_MS } from './constants.js';

/**
 * Discord's per-connection send limit (120 payloads per 60 s) with slots reserved for heartbeats, so a burst of
 * presence updates or member requests can never starve the heartbeat and get the connection killed.
 *
 * Fixed windows start at the first send of a connection; {@link reset} starts a new connection's budget.
 */
export class SendRateLimiter {
	/** Payloads per window. */
	public readonly limit: number;
	/** Window length in milliseconds. */
	public readonly windowMs: number;
	#reserved = 3;
	#used = 0;
	#windowEnd = 0;

	public constructor(limit = SEND_LIMIT, windowMs = SEND_WINDOW_MS) {
		this.limit = limit;
		this.windowMs = windowMs;
	}

	/** Reserves enough slots for the heartbeats of one window at `heartbeatIntervalMs` (plus one requested by Discord). */
	public reserveForHeartbeats(heartbeatIntervalMs: number): void {
		this.#reserved = Math.min(this.limit - 1, Math.ceil(this.windowMs / Math.max(1, heartbeatIntervalMs)) + 1);
	}

	/** The slots kept for heartbeats. */
	public get reserved(): number {
		return this.#reserved;
	}

	/** Starts a fresh budget (a new connection). */
	public reset(): void {
		this.#used = 0;
		this.#windowEnd = 0;
	}

	#roll(now: number): void {
		if (now >= this.#windowEnd) {
			this.#used = 0;
			this.#windowEnd = now + this.windowMs;
		}
	}

	/**
	 * Takes a slot if one is free now and returns 0; otherwise returns the milliseconds until the window resets.
	 * Heartbeats may use the reserved slots; other payloads may not.
	 */
	public take(heartbeat = false, now = Date.now()): number {
		this.#roll(now);
		const cap = heartbeat ? this.limit : this.limit - this.#reserved;
		if (this.#used < cap) {
			this.#used++;
			return 0;
		}
		return this.#windowEnd - now;
	}

	/** Slots still free in the current window for ordinary payloads. */
	public remaining(now = Date.now()): number {
		this.#roll(now);
		return Math.max(0, this.limit - this.#reserved - this.#used);
	}
}
