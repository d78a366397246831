/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// A replayable access trace for the hit-ratio measurement: deterministic (seeded), with the two patterns a
// predictive cache can learn — a drifting set of hot guilds and co-access (a member read is usually followed by
// its user) — and a long tail of one-off reads.

/** Mulberry32: small, fast, seeded. */
export function seeded(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * `length` reads over `guilds` × `membersPerGuild` members (keys `member:g:u` and `user:u`). Every `phase`
 * reads the hot guilds change; 80 % of reads go to the hot guilds, 20 % anywhere.
 */
export function makeTrace({ length, guilds = 200, membersPerGuild = 100, hotGuilds = 4, phase = 10_000, seed = 42 }) {
	const random = seeded(seed);
	const trace = [];
	let hot = [];
	while (trace.length < length) {
		if (trace.length % phase === 0 || hot.length === 0)
			hot = Array.from({ length: hotGuilds }, () => Math.floor(random() * guilds));
		const guild = random() < 0.8 ? hot[Math.floor(random() * hot.length)] : Math.floor(random() * guilds);
		// Popularity inside a guild is skewed: a few members are read far more often.
		const member = Math.floor(membersPerGuild * random() ** 3);
		const user = guild * membersPerGuild + member;
		trace.push(`member:${guild}:${user}`);
		if (random() < 0.7 && trace.length < length) trace.push(`user:${user}`);
	}
	return { trace, keys: allKeys(guilds, membersPerGuild) };
}

function allKeys(guilds, membersPerGuild) {
	const keys = [];
	for (let g = 0; g < guilds; g++) {
		for (let m = 0; m < membersPerGuild; m++) {
			const user = g * membersPerGuild + m;
			keys.push(`member:${g}:${user}`, `user:${user}`);
		}
	}
	return keys;
}
