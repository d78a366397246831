import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { DispatchEnvelope } from '../bus/points.js';
import type { ExtensionBus } from '../bus/ExtensionBus.js';
import { CoreError } from '../errors/CoreError.js';
import { markClass } from '@ovenjs/types';

/** A filter: return `false` to drop the dispatch before the cache and listeners see it. */
export type DispatchFilter = (event: DispatchEnvelope) => boolean;

/** A transformer: return a replacement dispatch, or `undefined` to keep it. */
export type DispatchTransformer = (event: DispatchEnvelope) => DispatchEnvelope | undefined;

/** Options of {@link EventPipeline.batch}. */
export interface BatchOptions {
	/**
	 * Deliver when this many events are buffered.
	 * @defaultValue {@link DefaultBatchOptions.size} (`100`)
	 */
	readonly size?: number;
	/**
	 * Deliver at least this often (ms) while events are buffered.
	 * @defaultValue {@link DefaultBatchOptions.intervalMs} (`1000`)
	 */
	readonly intervalMs?: number;
}

/** The defaults of {@link BatchOptions}, in one place. */
export const DefaultBatchOptions = {
	size: 100,
	intervalMs: 1000,
} as const satisfies Required<BatchOptions>;

/** A running batch subscription. */
export interface BatchHandle {
	/** Delivers what is buffered now. */
	flush(): Promise<void>;
	/** Flushes and stops batching. */
	stop(): Promise<void>;
}

/** One recorded dispatch (a JSON line in a recording file). */
export interface RecordedDispatch extends DispatchEnvelope {
	/** Milliseconds since the recording started. */
	readonly at: number;
}

interface Ordered<T> {
	readonly fn: T;
	readonly priority: number;
}

function insert<T>(list: Ordered<T>[], entry: Ordered<T>): Ordered<T>[] {
	const next = [...list];
	let index = next.length;
	while (index > 0 && (next[index - 1]?.priority ?? 0) < entry.priority) index--;
	next.splice(index, 0, entry);
	return next;
}

function isRecordedDispatch(value: unknown): value is RecordedDispatch {
	if (typeof value !== 'object' || value === null) return false;
	return (
		typeof Reflect.get(value, 't') === 'string' &&
		typeof Reflect.get(value, 'shardId') === 'number' &&
		typeof Reflect.get(value, 's') === 'number' &&
		typeof Reflect.get(value, 'at') === 'number' &&
		'd' in value
	);
}

/**
 * The client's gateway event pipeline: filters and transformers (priority ordered, highest first), batching
 * of chosen events, and record/replay of dispatches for debugging and tests. Every dispatch passes
 * `record → filters → transformers (and the 'gateway:beforeDispatch' point) → cache → events → batches`.
 */
export class EventPipeline {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.EventPipeline');
	}

	#filters: Ordered<DispatchFilter>[] = [];
	#transformers: Ordered<DispatchTransformer>[] = [];
	readonly #batches = new Map<string, Set<(event: DispatchEnvelope) => void>>();
	readonly #handles = new Set<BatchHandle>();
	readonly #bus: ExtensionBus;
	#recording: { stream: WriteStream; startedAt: number; count: number } | undefined;
	#dropped = 0;

	public constructor(bus: ExtensionBus) {
		this.#bus = bus;
	}

	/** How many dispatches filters dropped. */
	public get dropped(): number {
		return this.#dropped;
	}

	/** Adds a filter; returns a function that removes it. */
	public filter(fn: DispatchFilter, options: { readonly priority?: number } = {}): () => void {
		const entry = { fn, priority: options.priority ?? 0 };
		this.#filters = insert(this.#filters, entry);
		return () => {
			this.#filters = this.#filters.filter((item) => item !== entry);
		};
	}

	/** Adds a transformer; returns a function that removes it. */
	public transform(fn: DispatchTransformer, options: { readonly priority?: number } = {}): () => void {
		const entry = { fn, priority: options.priority ?? 0 };
		this.#transformers = insert(this.#transformers, entry);
		return () => {
			this.#transformers = this.#transformers.filter((item) => item !== entry);
		};
	}

	/**
	 * Buffers dispatches named `t` (`'MESSAGE_CREATE'`, or `'*'` for all) and delivers them in arrays.
	 * Buffered events are delivered on `stop()`, `flush()` and when the client is destroyed: none is dropped.
	 * @throws {@link CoreError} `CORE_INVALID_OPTION` for a non-positive size or interval.
	 */
	public batch(
		t: string,
		handler: (events: DispatchEnvelope[]) => void | Promise<void>,
		options: BatchOptions = {},
	): BatchHandle {
		const size = options.size ?? DefaultBatchOptions.size;
		const intervalMs = options.intervalMs ?? DefaultBatchOptions.intervalMs;
		if (!Number.isInteger(size) || size < 1)
			throw CoreError.of('CORE_INVALID_OPTION', ['batch() options.size', 'a positive integer', String(size)]);
		if (!Number.isFinite(intervalMs) || intervalMs <= 0)
			throw CoreError.of('CORE_INVALID_OPTION', [
				'batch() options.intervalMs',
				'a positive number',
				String(intervalMs),
			]);
		let buffer: DispatchEnvelope[] = [];
		let timer: ReturnType<typeof setTimeout> | undefined;
		let chain: Promise<void> = Promise.resolve();
		const deliver = (): Promise<void> => {
			if (timer !== undefined) clearTimeout(timer);
			timer = undefined;
			if (buffer.length === 0) return chain;
			const events = buffer;
			buffer = [];
			chain = chain.then(async () => {
				try {
					await handler(events);
				} catch (error) {
					this.#bus.emit('error:unhandled', error, {
						point: `pipeline:batch:${t}`,
						label: undefined,
						phase: 'async',
					});
				}
			});
			return chain;
		};
		const listener = (event: DispatchEnvelope): void => {
			buffer.push(event);
			if (buffer.length >= size) void deliver();
			else timer ??= setTimeout(() => void deliver(), intervalMs);
		};
		let listeners = this.#batches.get(t);
		if (listeners === undefined) {
			listeners = new Set();
			this.#batches.set(t, listeners);
		}
		listeners.add(listener);
		const handle: BatchHandle = {
			flush: deliver,
			stop: async () => {
				this.#batches.get(t)?.delete(listener);
				this.#handles.delete(handle);
				await deliver();
			},
		};
		this.#handles.add(handle);
		return handle;
	}

	/**
	 * Starts recording every incoming dispatch (before filters) to `path` as JSON lines.
	 * @throws {@link CoreError} `CORE_RECORDING_RUNNING` when a recording is already running.
	 */
	public async record(path: string): Promise<void> {
		if (this.#recording !== undefined) throw CoreError.of('CORE_RECORDING_RUNNING', []);
		const stream = createWriteStream(path, { flags: 'w' });
		await once(stream, 'open');
		this.#recording = { stream, startedAt: Date.now(), count: 0 };
	}

	/** Stops the recording and resolves with the number of dispatches written once the file is flushed. */
	public async stopRecording(): Promise<number> {
		const recording = this.#recording;
		if (recording === undefined) return 0;
		this.#recording = undefined;
		recording.stream.end();
		await once(recording.stream, 'finish');
		return recording.count;
	}

	/** Whether anything here sees every dispatch: a recording, a filter, a transformer or a batch. */
	public get active(): boolean {
		return (
			this.#recording !== undefined ||
			this.#filters.length > 0 ||
			this.#transformers.length > 0 ||
			this.#handles.size > 0
		);
	}

	/** Whether a recording is running. */
	public get recording(): boolean {
		return this.#recording !== undefined;
	}

	/**
	 * Reads a recording written by {@link EventPipeline.record}.
	 * @throws {@link CoreError} `CORE_RECORDING_INVALID` naming the first bad line.
	 */
	public static async readRecording(path: string): Promise<RecordedDispatch[]> {
		const text = await readFile(path, 'utf8');
		const out: RecordedDispatch[] = [];
		const lines = text.split('\n');
		for (const [index, line] of lines.entries()) {
			if (line.trim() === '') continue;
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch (error) {
				throw CoreError.of('CORE_RECORDING_INVALID', [path, index + 1, 'not JSON'], { cause: error });
			}
			if (!isRecordedDispatch(value))
				throw CoreError.of('CORE_RECORDING_INVALID', [
					path,
					index + 1,
					'not a recorded dispatch ({ t, d, s, shardId, at })',
				]);
			out.push(value);
		}
		return out;
	}

	/** Runs recording, filters and transformers; returns the dispatch to handle, or `undefined` when dropped. */
	public process(event: DispatchEnvelope): DispatchEnvelope | undefined {
		const recording = this.#recording;
		if (recording !== undefined) {
			recording.count++;
			recording.stream.write(
				`${JSON.stringify({ t: event.t, d: event.d, s: event.s, shardId: event.shardId, at: Date.now() - recording.startedAt })}\n`,
			);
		}
		for (const { fn } of this.#filters) {
			let keep = true;
			try {
				keep = fn(event);
			} catch (error) {
				this.#bus.emit('error:unhandled', error, { point: 'pipeline:filter', label: undefined, phase: 'sync' });
			}
			if (!keep) {
				this.#dropped++;
				return undefined;
			}
		}
		let current = event;
		for (const { fn } of this.#transformers) {
			try {
				current = fn(current) ?? current;
			} catch (error) {
				this.#bus.emit('error:unhandled', error, {
					point: 'pipeline:transform',
					label: undefined,
					phase: 'sync',
				});
			}
		}
		return this.#bus.has('gateway:beforeDispatch')
			? this.#bus.transformSync('gateway:beforeDispatch', current)
			: current;
	}

	/** Hands a handled dispatch to the batches that want it. */
	public deliver(event: DispatchEnvelope): void {
		if (this.#batches.size === 0) return;
		for (const listener of this.#batches.get(event.t) ?? []) listener(event);
		for (const listener of this.#batches.get('*') ?? []) listener(event);
	}

	/** Flushes and stops every batch and the recording (called by `client.destroy()`). */
	public async close(): Promise<void> {
		await Promise.all([...this.#handles].map((handle) => handle.stop()));
		await this.stopRecording();
	}
}
