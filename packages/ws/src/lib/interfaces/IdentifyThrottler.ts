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
 * Decides when a shard may send IDENTIFY. Swappable: the in-memory {@link SimpleIdentifyThrottler} serves one
 * process; `RedisIdentifyThrottler` (`@ovenjs/ws/redis`) shares one bot's budget across processes and machines.
 */
export interface IdentifyThrottler {
	/** Sets the limits reported by Discord; called by the manager after it fetched gateway information. */
	setLimits(limits: SessionStartLimit): void | Promise<void>;
	/**
	 * Resolves when `shardId` may identify, having taken one session start from the budget. Rejects with
	 * `signal.reason` when `signal` aborts first. Requests of one bucket are served in call order.
	 */
	waitForIdentify(shardId: number, signal?: AbortSignal): Promise<void>;
}
