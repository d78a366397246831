/**
 * The longest delay `setTimeout` honours: 2³¹ − 1 ms (about 24.8 days). A longer one fires after 1 ms, which
 * would turn a hostile `X-RateLimit-Reset-After: 1e9` into a busy loop.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Clamps a delay to what `setTimeout` honours: `NaN` and negatives become 0, anything over {@link MAX_TIMER_MS} becomes it. */
export function clampDelay(ms: number): number {
	if (!(ms > 0)) return 0;
	return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}
