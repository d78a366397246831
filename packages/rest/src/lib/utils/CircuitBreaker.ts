/**
 * A consecutive-failure circuit breaker: after `threshold` failures in a row it opens and fails requests fast
 * for `cooldown` milliseconds, then lets exactly one probe through (half-open); the probe's success closes it,
 * its failure re-opens it.
 *
 * Plumbing of the REST client (from `@ovenjs/rest/internal`, not covered by semver).
 */
export class CircuitBreaker {
	#failures = 0;
	#openUntil = 0;
	#state: 'closed' | 'open' | 'half-open' = 'closed';
	#probing = false;

	readonly #threshold: number;
	readonly #cooldown: number;

	/**
	 * @param threshold - consecutive failures that open the circuit (`0` disables it); see `RestOptions.circuitBreakerThreshold`
	 * @param cooldown - milliseconds the open circuit fails fast; see `RestOptions.circuitBreakerCooldown`
	 */
	public constructor(threshold: number, cooldown: number) {
		this.#threshold = threshold;
		this.#cooldown = cooldown;
	}

	/** `'closed'` (normal), `'open'` (failing fast) or `'half-open'` (one probe allowed). */
	public get state(): 'closed' | 'open' | 'half-open' {
		return this.#state;
	}

	/** Milliseconds until an open circuit lets a probe through (0 when closed). */
	public retryIn(now = Date.now()): number {
		return this.#state === 'open' ? Math.max(0, this.#openUntil - now) : 0;
	}

	/** Whether a request may be sent now. Counts the caller as the probe when half-open. */
	public allow(now = Date.now()): boolean {
		if (this.#threshold <= 0 || this.#state === 'closed') return true;
		if (this.#state === 'open') {
			if (now < this.#openUntil) return false;
			this.#state = 'half-open';
			this.#probing = false;
		}
		if (this.#probing) return false;
		this.#probing = true;
		return true;
	}

	/** Records a success: closes the circuit. */
	public success(): void {
		this.#failures = 0;
		this.#probing = false;
		this.#state = 'closed';
	}

	/** Records a failure (5xx, network error, timeout). */
	public failure(now = Date.now()): void {
		if (this.#threshold <= 0) return;
		this.#failures++;
		if (this.#state === 'half-open' || this.#failures >= this.#threshold) {
			this.#state = 'open';
			this.#openUntil = now + this.#cooldown;
			this.#probing = false;
		}
	}

	/** Releases a half-open probe that ended without a verdict (aborted), so another may probe. */
	public release(): void {
		this.#probing = false;
	}
}
