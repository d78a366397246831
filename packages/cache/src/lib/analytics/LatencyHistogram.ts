/**
 * A fixed-memory latency histogram over log-spaced buckets (4 per power of two, about ±9 % resolution),
 * recording nanoseconds. Recording is O(1) and allocation-free.
 */
export class LatencyHistogram {
	static readonly #BUCKETS = 4 * 48;
	readonly #counts = new Float64Array(LatencyHistogram.#BUCKETS);
	#total = 0;
	#sum = 0;
	#maxValue = 0;

	/** Records one sample, in nanoseconds. */
	public record(nanoseconds: number): void {
		const value = nanoseconds > 1 ? nanoseconds : 1;
		const index = Math.min(LatencyHistogram.#BUCKETS - 1, Math.floor(Math.log2(value) * 4));
		this.#counts[index] = (this.#counts[index] ?? 0) + 1;
		this.#total++;
		this.#sum += value;
		if (value > this.#maxValue) this.#maxValue = value;
	}

	/** The number of samples recorded. */
	public get count(): number {
		return this.#total;
	}

	/** The mean, in nanoseconds (`0` when empty). */
	public get mean(): number {
		return this.#total === 0 ? 0 : this.#sum / this.#total;
	}

	/** The largest sample, in nanoseconds. */
	public get max(): number {
		return this.#maxValue;
	}

	/** The `p`-th percentile (0–100) in nanoseconds: the upper bound of the bucket it falls in (`0` when empty). */
	public percentile(p: number): number {
		if (this.#total === 0) return 0;
		const target = Math.max(1, Math.ceil((Math.min(100, Math.max(0, p)) / 100) * this.#total));
		let seen = 0;
		for (let index = 0; index < this.#counts.length; index++) {
			seen += this.#counts[index] ?? 0;
			if (seen >= target) return Math.min(this.#maxValue, 2 ** ((index + 1) / 4));
		}
		return this.#maxValue;
	}

	/** Forgets every sample. */
	public reset(): void {
		this.#counts.fill(0);
		this.#total = 0;
		this.#sum = 0;
		this.#maxValue = 0;
	}
}
