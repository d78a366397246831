/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Small statistics helpers shared by the runner and the workloads.

/** The median of a list of numbers (the mean of the two middle values for an even count). */
export function median(values) {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `p`-th percentile (0–100) by nearest rank. */
export function percentile(values, p) {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

/** `{ median, min, max, runs }` of the finite values (runs = how many). */
export function summarize(values) {
	const finite = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
	if (finite.length === 0) return undefined;
	return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), runs: finite.length };
}
