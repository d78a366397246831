/**
 * The identify budget Discord gives a bot (`session_start_limit` of `GET /gateway/bot`).
 *
 * @see {@link https://discord.com/developers/docs/events/gateway#session-start-limit-object}
 */
export interface SessionStartLimit {
	/** Identifies allowed per reset period. */
	readonly total: number;
	/** Identifies left in the current period. */
	readonly remaining: number;
	/** Milliseconds until `remaining` resets to `total`. */
	readonly resetAfter: number;
	/** Identify buckets: shard `i` uses bucket `i % maxConcurrency`, one identify per bucket per 5 s. */
	readonly maxConcurrency: number;
}

/**
 * One identify slot handed out by {@link IdentifyThrottler.waitForIdentify}. Discord times a bucket's window from
 * when it receives IDENTIFY, not from when a throttler said yes, and the two can be far apart (a slow reply from
 * Redis, a busy event loop, a hop to a worker thread). So the shard reports what became of its slot, and the
 * throttler keeps the bucket closed from the grant until the report:
 *
 * - {@link IdentifyGrant.sent}: op 2 was written to the socket; the bucket's window starts now.
 * - {@link IdentifyGrant.notSent}: nothing reached Discord (the connection closed, or the shard was destroyed,
 *   between the grant and the send); the bucket reopens at once and the session start goes back to the budget.
 *
 * Only the first report counts. A slot reported neither way within the throttler's `sendTimeoutMs` (its process
 * died in between) is counted as sent at that moment, so a lost report delays the bucket but never overdraws it.
 * Neither method rejects: a throttler that cannot record a report (its Redis is down) falls back on that timeout.
 */
export interface IdentifyGrant {
	/** IDENTIFY was written to the socket: the bucket's window starts now. */
	sent(): Promise<void>;
	/** IDENTIFY was not sent: the bucket reopens now and the session start is given back. */
	notSent(): Promise<void>;
}

/**
 * Decides when a shard may send IDENTIFY. Swappable: the in-memory {@link SimpleIdentifyThrottler} serves one
 * process; `RedisIdentifyThrottler` (`@ovenjs/ws/redis`) shares one bot's budget across processes and machines.
 */
export interface IdentifyThrottler {
	/** Sets the limits reported by Discord; called by the manager after it fetched gateway information. */
	setLimits(limits: SessionStartLimit): void | Promise<void>;
	/**
	 * Resolves when `shardId` may identify, having taken one session start from the budget. Rejects with
	 * `signal.reason` when `signal` aborts first. Requests of one bucket are served in call order.
	 *
	 * Resolves with an {@link IdentifyGrant} when the throttler times a bucket's window from the send (both built-in
	 * throttlers do; the shard then reports the send or its absence). A throttler that resolves with nothing times
	 * windows from the grant.
	 */
	waitForIdentify(shardId: number, signal?: AbortSignal): Promise<IdentifyGrant | void>;
}
