import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HostMessage } from './protocol.js';
import type { Transport, TransportExit } from './RemoteRuntime.js';

function here(): string {
	const url: unknown = import.meta.url;
	return typeof url === 'string' ? url : pathToFileURL(__filename).href;
}

/** A runtime entry next to this module: `src/<name>.ts` from source, `dist/<name>.js` when built. */
function entry(name: 'worker' | 'isolate-host'): { readonly url: URL; readonly source: boolean } {
	const self = here();
	if (self.endsWith('.ts')) return { url: new URL(`../../${name}.ts`, self), source: true };
	return { url: new URL(`./${name}.js`, self), source: false };
}

/** The ESM loader of tsx, for running the `.ts` entries from source (tests, `tsx`). */
function tsxLoader(): string {
	return pathToFileURL(
		createRequire(here())
			.resolve('tsx/esm/api')
			.replace(/\.cjs$/, '.mjs'),
	).href;
}

/** Limits of a worker-thread plugin. */
export interface WorkerLimits {
	/** Heap limit (MB): `resourceLimits.maxOldGenerationSizeMb`. */
	readonly memoryMb: number;
}

/** A `'worker'` plugin's thread: `resourceLimits`, an empty `process.env`, killed by `terminate()`. */
export class WorkerTransport implements Transport {
	readonly #worker: Worker;
	#outOfMemory = false;
	#exitListener: ((exit: TransportExit) => void) | undefined;
	#killed = false;

	public constructor(limits: WorkerLimits) {
		const { url, source } = entry('worker');
		const resourceLimits = {
			maxOldGenerationSizeMb: limits.memoryMb,
			maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(limits.memoryMb / 4))),
		};
		this.#worker = source
			? new Worker(
					`const { register } = await import(${JSON.stringify(tsxLoader())}); register(); await import(${JSON.stringify(url.href)});`,
					{
						eval: true,
						env: {},
						execArgv: ['--conditions=@ovenjs/source'],
						resourceLimits,
						stdout: false,
						stderr: false,
					},
				)
			: new Worker(fileURLToPath(url), { env: {}, resourceLimits });
		this.#worker.on('error', (error) => {
			if (Reflect.get(error, 'code') === 'ERR_WORKER_OUT_OF_MEMORY') this.#outOfMemory = true;
			else this.#exit({ code: 'PLUGIN_CRASHED', details: [{ kind: 'worker-error', message: error.message }] });
		});
		this.#worker.on('exit', (code) => {
			if (this.#killed) return;
			this.#exit(
				this.#outOfMemory
					? { code: 'PLUGIN_MEMORY_LIMIT', details: [limits.memoryMb, 'worker'] }
					: { code: 'PLUGIN_CRASHED', details: [{ kind: 'worker-exit', code }] },
			);
		});
		this.#worker.unref();
	}

	public post(message: HostMessage): void {
		this.#worker.postMessage(message);
	}

	public onMessage(listener: (message: unknown) => void): void {
		this.#worker.on('message', listener);
	}

	public onExit(listener: (exit: TransportExit) => void): void {
		this.#exitListener = listener;
	}

	public async kill(): Promise<void> {
		this.#killed = true;
		// Referenced again so the process waits for the thread to end (it is unreferenced while it runs).
		this.#worker.ref();
		await this.#worker.terminate();
	}

	#exit(exit: TransportExit): void {
		const listener = this.#exitListener;
		this.#exitListener = undefined;
		listener?.(exit);
	}
}

/** The niceness of isolate processes (0 is the bot's, 19 the lowest priority). */
const ISOLATE_NICENESS = 10;

/** An `'isolate'` plugin's child process (`--no-node-snapshot`, empty environment), killed with SIGKILL. */
export class IsolateTransport implements Transport {
	readonly #child: ChildProcess;
	#exitListener: ((exit: TransportExit) => void) | undefined;
	#killed = false;

	public constructor() {
		const { url, source } = entry('isolate-host');
		const args = source
			? [
					'--no-node-snapshot',
					'--conditions=@ovenjs/source',
					'--input-type=module',
					'-e',
					`const { register } = await import(${JSON.stringify(tsxLoader())}); register(); await import(${JSON.stringify(url.href)});`,
				]
			: ['--no-node-snapshot', fileURLToPath(url)];
		this.#child = spawn(process.execPath, args, {
			env: {},
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
			serialization: 'advanced',
		});
		let stderr = '';
		this.#child.stderr?.setEncoding('utf8');
		this.#child.stderr?.on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-2_000);
		});
		this.#child.on('exit', (code, signal) => {
			if (this.#killed) return;
			const listener = this.#exitListener;
			this.#exitListener = undefined;
			listener?.({
				code: 'PLUGIN_CRASHED',
				details: [{ kind: 'isolate-exit', how: signal ?? `code ${String(code)}`, stderr }],
			});
		});
		this.#child.on('error', () => undefined);
		// A plugin burning CPU must not starve the bot: its process runs at a lower scheduling priority.
		if (this.#child.pid !== undefined) {
			try {
				setPriority(this.#child.pid, ISOLATE_NICENESS);
			} catch {
				// Not permitted on this system: the CPU limit per call still applies.
			}
		}
		this.#child.unref();
		this.#child.channel?.unref();
	}

	public post(message: HostMessage): void {
		this.#child.send(message);
	}

	public onMessage(listener: (message: unknown) => void): void {
		this.#child.on('message', listener);
	}

	public onExit(listener: (exit: TransportExit) => void): void {
		this.#exitListener = listener;
	}

	public async kill(): Promise<void> {
		this.#killed = true;
		if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => {
			this.#child.once('exit', () => {
				resolve();
			});
		});
		// Referenced again so the process waits for the exit (the child is unreferenced while it runs).
		this.#child.ref();
		this.#child.kill('SIGKILL');
		await exited;
	}
}
