/** How far back identifies of one shard are remembered. */
export const IDENTIFY_HISTORY_MS = 10 * 60_000;
/** Identifies per shard within {@link IDENTIFY_HISTORY_MS} allowed without delay. */
export const IDENTIFY_FREE_ATTEMPTS = 3;
/** The longest delay before an identify. */
export const IDENTIFY_MAX_DELAY_MS = 10 * 60_000;

/**
 * Guards the daily identify budget against a reconnect loop (a session that keeps getting invalidated right
 * after READY): the first {@link IDENTIFY_FREE_ATTEMPTS} identifies of a shard within ten minutes go at once,
 * each later one waits twice as long as the previous (30 s, 60 s, ... up to ten minutes).
 *
 * @param history - timestamps of the shard's recent identifies (pruned in place)
 * @returns the milliseconds to wait before the next identify
 */
export function identifyDelay(history: number[], now = Date.now()): number {
	while (history.length > 0 && (history[0] ?? now) < now - IDENTIFY_HISTORY_MS) history.shift();
	const excess = history.length - IDENTIFY_FREE_ATTEMPTS;
	if (excess < 0) return 0;
	return Math.min(IDENTIFY_MAX_DELAY_MS, 30_000 * 2 ** excess);
}
