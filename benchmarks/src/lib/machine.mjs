/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Machine facts recorded with every run: CPU, cores, memory, Node, load average.
import { cpus, loadavg, totalmem, freemem, platform, release, arch } from 'node:os';

/** A snapshot of the load average (1, 5, 15 minutes), rounded. */
export function load() {
	return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** CPU model, core count, memory, OS and Node version. */
export function machineFacts() {
	const list = cpus();
	return {
		cpu: list[0]?.model ?? 'unknown',
		cores: list.length,
		memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		freeMemoryGb: Math.round((freemem() / 1024 ** 3) * 10) / 10,
		os: `${platform()} ${release()} ${arch()}`,
		node: process.version,
		v8: process.versions.v8,
	};
}
