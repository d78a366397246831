/** Identify accounting, as `/gateway/bot` reports it and tests read it. */
export interface IdentifyCounts {
	/** `session_start_limit.total`. */
	readonly total: number;
	/** IDENTIFYs left until {@link IdentifyCounts.resetAt}. */
	readonly remaining: number;
	/** When `remaining` is refilled (ms since 1970). */
	readonly resetAt: number;
	/** IDENTIFYs answered with READY. */
	readonly accepted: number;
	/** IDENTIFYs answered with op 9 INVALID_SESSION (budget spent, or too soon for their concurrency bucket). */
	readonly rejected: number;
	/** Valid IDENTIFYs left unanswered while READY is withheld. */
	readonly withheld: number;
}

/** One IDENTIFY as the gateway judged it (see `GatewayServer.identifyLog`). */
export interface IdentifyRecord {
	/** The `shard[0]` of the IDENTIFY. */
	readonly shardId: number;
	/** `shardId % max_concurrency`. */
	readonly bucket: number;
	/** When the gateway judged it (ms since 1970, the mock's clock). */
	readonly at: number;
	/** `true` when it got READY's way, `false` when it got op 9 (budget spent, or too soon for its bucket). */
	readonly accepted: boolean;
}

/** How many {@link IdentifyRecord}s the gateway keeps (the oldest go first). */
export const IDENTIFY_LOG_SIZE = 10_000;

/** The settings the budget follows (see `GatewayOptions`). */
export interface IdentifyBudgetSettings {
	readonly sessionStartLimit: number;
	readonly maxConcurrency: number;
	readonly identifyIntervalMs: number;
}

const DAY_MS = 86_400_000;

/**
 * Discord's identify rules: `session_start_limit.total` IDENTIFYs per day, and at most one per
 * `shard_id % max_concurrency` bucket every `identifyIntervalMs`.
 * @see {@link https://discord.com/developers/docs/events/gateway#session-start-limit-object}
 */
export class IdentifyBudget {
	readonly #counts: {
		total: number;
		remaining: number;
		resetAt: number;
		accepted: number;
		rejected: number;
		withheld: number;
	};
	readonly #lastByBucket = new Map<number, number>();
	readonly #log: IdentifyRecord[] = [];
	readonly #settings: IdentifyBudgetSettings;

	public constructor(settings: IdentifyBudgetSettings) {
		this.#settings = settings;
		this.#counts = {
			total: settings.sessionStartLimit,
			remaining: settings.sessionStartLimit,
			resetAt: Date.now() + DAY_MS,
			accepted: 0,
			rejected: 0,
			withheld: 0,
		};
	}

	/** The counters (live: they change as clients identify). */
	public get counts(): IdentifyCounts {
		return this.#counts;
	}

	/** Every IDENTIFY judged, oldest first (the last {@link IDENTIFY_LOG_SIZE}). */
	public get log(): readonly IdentifyRecord[] {
		return this.#log;
	}

	/** `session_start_limit` as `/gateway/bot` returns it. */
	public sessionStartLimit(): { total: number; remaining: number; reset_after: number; max_concurrency: number } {
		this.#refresh();
		const counts = this.#counts;
		return {
			total: counts.total,
			remaining: counts.remaining,
			reset_after: Math.max(0, counts.resetAt - Date.now()),
			max_concurrency: this.#settings.maxConcurrency,
		};
	}

	/** Spends one IDENTIFY of shard `shardId`: `true` when it may get READY, `false` when it gets op 9 (counted as rejected). */
	public take(shardId: number): boolean {
		this.#refresh();
		const bucket = shardId % this.#settings.maxConcurrency;
		const last = this.#lastByBucket.get(bucket);
		const now = Date.now();
		const accepted =
			this.#counts.remaining > 0 && (last === undefined || now - last >= this.#settings.identifyIntervalMs);
		if (this.#log.length >= IDENTIFY_LOG_SIZE) this.#log.shift();
		this.#log.push({ shardId, bucket, at: now, accepted });
		if (!accepted) {
			this.#counts.rejected++;
			return false;
		}
		this.#lastByBucket.set(bucket, now);
		this.#counts.remaining--;
		this.#counts.accepted++;
		return true;
	}

	/** Counts a valid IDENTIFY left unanswered (READY withheld); the budget is not spent. */
	public withhold(): void {
		this.#counts.withheld++;
	}

	#refresh(): void {
		if (Date.now() < this.#counts.resetAt) return;
		this.#counts.remaining = this.#counts.total;
		this.#counts.resetAt = Date.now() + DAY_MS;
	}
}
