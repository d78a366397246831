/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Process-level measurements read from /proc (Linux) with portable fallbacks.
import { readFileSync } from 'node:fs';

/** Peak resident set size of this process so far (VmHWM), in bytes; falls back to the current RSS. */
export function peakRss() {
	try {
		const kb = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		if (kb !== undefined) return Number(kb) * 1024;
	} catch {
		// not Linux
	}
	return process.memoryUsage.rss();
}

/** CPU time (user + system) since `start` (a `process.cpuUsage()` snapshot), in milliseconds. */
export function cpuMs(start) {
	const usage = process.cpuUsage(start);
	return (usage.user + usage.system) / 1000;
}
