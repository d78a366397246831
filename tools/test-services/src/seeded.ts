/**
 * mulberry32: a seeded generator of numbers in [0, 1), so a failing fuzz or chaos run replays with its seed (its own
 * module: tests that only need randomness do not load the server clients of the package's index).
 */
export function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}
