/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// The process boundary: the runner forks every measured run into a fresh Node process (with --expose-gc) and
// receives one JSON result over IPC. Workload scripts use `reportResult` / `reportUnavailable` to answer.
import { fork } from 'node:child_process';
import Module from 'node:module';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `script` (relative to benchmarks/src) in a fresh process and resolves with the message it reports.
 * A crash or a timeout resolves with `{ status: 'error', reason }` so one broken workload never stops the run.
 */
export function runChild(script, args, { timeoutMs = 300_000, onMessage, env } = {}) {
	return new Promise((resolve) => {
		const child = fork(`${here}${script}`, args, {
			// BENCH_CHILD_ARGS adds Node flags to measured processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
			execArgv: [
				'--expose-gc',
				'--max-old-space-size=2048',
				...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? []),
			],
			stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
			env: mergeEnv(env),
		});
		let stderr = '';
		let settled = false;
		let result;
		child.stderr.on('data', (chunk) => {
			stderr = (stderr + chunk).slice(-4000);
		});
		const finish = (value) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(value);
		};
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			finish({ status: 'error', reason: `timed out after ${Math.round(timeoutMs / 1000)} s` });
		}, timeoutMs);
		child.on('message', (message) => {
			if (message !== null && typeof message === 'object' && message.type === 'result') {
				result = message.result;
				return;
			}
			onMessage?.(message, child);
		});
		child.on('exit', (code, signal) => {
			if (result !== undefined) finish(result);
			else
				finish({
					status: 'error',
					reason: `exited with ${signal ?? code} before reporting: ${lastLine(stderr)}`,
				});
		});
	});
}

/** A child handle whose messages can be awaited (used for the mock host process). */
export function forkService(script, args, env) {
	const child = fork(`${here}${script}`, args, {
		execArgv: ['--max-old-space-size=4096'],
		stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
		env: { ...process.env, ...env },
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => {
		stderr = (stderr + chunk).slice(-4000);
	});
	const waiters = [];
	const pending = [];
	child.on('message', (message) => {
		const waiter = waiters.shift();
		if (waiter === undefined) pending.push(message);
		else waiter.resolve(message);
	});
	child.on('exit', (code, signal) => {
		for (const waiter of waiters.splice(0))
			waiter.reject(new Error(`service exited with ${signal ?? code}: ${lastLine(stderr)}`));
	});
	return {
		child,
		/** The next message from the service. */
		next(timeoutMs = 120_000) {
			if (pending.length > 0) return Promise.resolve(pending.shift());
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`service gave no answer in ${timeoutMs} ms: ${lastLine(stderr)}`)),
					timeoutMs,
				);
				waiters.push({
					resolve: (value) => {
						clearTimeout(timer);
						resolve(value);
					},
					reject: (error) => {
						clearTimeout(timer);
						reject(error);
					},
				});
			});
		},
		/** Sends a command and waits for the reply. */
		async request(message, timeoutMs) {
			child.send(message);
			return this.next(timeoutMs);
		},
		stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		},
	};
}

/** The runner's environment with `env` on top; a key set to `undefined` is removed (e.g. NODE_ENV). */
function mergeEnv(env = {}) {
	return Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
}

function lastLine(text) {
	const lines = text
		.trim()
		.split('\n')
		.filter((line) => line.trim() !== '');
	return lines.slice(-3).join(' | ').slice(0, 600) || '(no output)';
}

/** Child side: sends the result to the runner and exits. */
export function reportResult(result) {
	process.send?.({ type: 'result', result: { status: 'ok', ...result } }, () => process.exit(0));
	if (process.send === undefined) {
		console.log(JSON.stringify(result, null, 2));
		process.exit(0);
	}
}

/** Child side: this side of the comparison does not exist (yet); says why. */
export function reportUnavailable(reason) {
	process.send?.({ type: 'result', result: { status: 'unavailable', reason } }, () => process.exit(0));
	if (process.send === undefined) {
		console.log(`unavailable: ${reason}`);
		process.exit(0);
	}
}

/** Full GC (the runner always passes --expose-gc) then heap used, ArrayBuffers, external and RSS in bytes. */
export function memoryAfterGc() {
	for (let i = 0; i < 3; i++) globalThis.gc?.();
	const usage = process.memoryUsage();
	return { heapUsed: usage.heapUsed, arrayBuffers: usage.arrayBuffers, external: usage.external, rss: usage.rss };
}

/** Imports an @ovenjs package from its built dist, or returns why it cannot. */
export async function importOven(name) {
	try {
		return { module: await import(name) };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return { reason: `${name} cannot be loaded from its build (${message.split('\n')[0].slice(0, 200)})` };
	}
}

/**
 * Makes `require(name)` fail in this process, as if the package were not installed. The discord.js Client turns
 * zlib-stream on by itself whenever zlib-sync resolves; rows that compare uncompressed gateways hide it.
 */
export function hideModule(name) {
	const resolve = Module._resolveFilename;
	Module._resolveFilename = function (request, ...rest) {
		if (request === name)
			throw Object.assign(new Error(`${name} is hidden by the benchmark`), { code: 'MODULE_NOT_FOUND' });
		return resolve.call(this, request, ...rest);
	};
}
