import { TypesError } from './errors/TypesError.js';
import { isPromiseLike, isRecord } from './guards.js';
import { redactSecrets } from './redact.js';

/**
 * A listener of an event whose arguments are `Args`. It may be async: a rejection is reported like a throw.
 * (Method-style, so listeners of different events can be stored in one list.)
 */
export type Listener<Args extends readonly unknown[]> = { bivarianceHack(...args: Args): unknown }['bivarianceHack'];

/** The event map an {@link Emitter} is typed by: event name → argument tuple. */
export type EventMap<Events> = { [K in keyof Events]: readonly unknown[] };

/** Where a failed listener failed: it threw (`'sync'`) or the promise it returned rejected (`'async'`). */
export type ListenerFailurePhase = 'sync' | 'async';

/** Options of {@link Emitter.waitFor}. */
export interface WaitForOptions<Args extends readonly unknown[]> {
	/**
	 * Rejects with a `TypesError` `TYPES_EVENT_TIMEOUT` after this many milliseconds without a matching event.
	 * @defaultValue no timeout
	 */
	readonly timeout?: number;
	/** Rejects with the signal's reason when it aborts (the listener is removed either way). */
	readonly signal?: AbortSignal;
	/** Only an event whose arguments pass this resolves the wait. */
	readonly filter?: (...args: Args) => boolean;
}

/** The reason an aborted signal gives, as an Error (the default reason is a `DOMException` `AbortError`). */
function abortReason(signal: { readonly reason: unknown }): Error {
	const { reason } = signal;
	return reason instanceof Error ? reason : new DOMException(String(reason), 'AbortError');
}

interface Entry {
	readonly listener: Listener<readonly unknown[]>;
	readonly once: boolean;
	/** What a call runs: the listener, or the owner's wrapper of it (see {@link Emitter.wrapListener}). */
	call: Listener<readonly unknown[]>;
	/** The {@link Emitter.wrapRevision} `call` was made for. */
	revision: number;
}

/**
 * The one typed event emitter of OvenJS (the REST client, the gateway, the cache and the `Client` all use it).
 *
 * - Listeners run synchronously, in registration order. A listener that throws, or returns a promise that
 *   rejects, never stops the others nor the emitter's owner: the failure goes to {@link Emitter.onListenerError}
 *   (by default a process warning with secrets redacted; owners route it where their users look).
 * - `hasListeners(event)` is one `Map` lookup, so an owner skips building a payload nobody listens to.
 * - Listener lists are copied on write: a listener added or removed during an emit takes effect from the next emit.
 */
export class Emitter<Events extends EventMap<Events>> {
	readonly #listeners = new Map<keyof Events, readonly Entry[]>();

	/** Adds a listener. */
	public on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		this.#add(event, { listener, once: false, call: listener, revision: 0 });
		return this;
	}

	/** Adds a listener that runs at most once. */
	public once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		this.#add(event, { listener, once: true, call: listener, revision: 0 });
		return this;
	}

	/** Removes a listener (added with `on` or `once`); removing one that is not there does nothing. */
	public off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		const list = this.#listeners.get(event);
		if (list === undefined) return this;
		const index = list.findIndex((entry) => entry.listener === listener);
		if (index === -1) return this;
		this.#set(event, list.toSpliced(index, 1));
		return this;
	}

	/** Removes every listener of `event`, or of every event. */
	public removeAllListeners(event?: keyof Events): this {
		if (event === undefined) this.#listeners.clear();
		else this.#listeners.delete(event);
		return this;
	}

	/** Whether `event` has a listener (named so that a map-like owner keeps `has(key)` for itself). */
	public hasListeners(event: keyof Events): boolean {
		return this.#listeners.has(event);
	}

	/** How many listeners `event` has. */
	public listenerCount(event: keyof Events): number {
		return this.#listeners.get(event)?.length ?? 0;
	}

	/**
	 * Resolves with the arguments of the next `event` (that passes `options.filter`); rejects on `options.timeout`
	 * or `options.signal`. The listener is removed in every outcome.
	 */
	public waitFor<K extends keyof Events>(event: K, options: WaitForOptions<Events[K]> = {}): Promise<Events[K]> {
		const { timeout, signal, filter } = options;
		if (timeout !== undefined && (!Number.isFinite(timeout) || timeout < 0)) {
			return Promise.reject(
				TypesError.of('TYPES_INVALID_OPTION', [
					"waitFor's timeout",
					'a finite number of milliseconds ≥ 0',
					String(timeout),
				]),
			);
		}
		if (signal?.aborted === true) return Promise.reject(abortReason(signal));
		return new Promise((resolve, reject) => {
			let timer: ReturnType<typeof setTimeout> | undefined;
			const settle = (): void => {
				this.off(event, listener);
				if (timer !== undefined) clearTimeout(timer);
				signal?.removeEventListener('abort', onAbort);
			};
			const listener: Listener<Events[K]> = (...args) => {
				if (filter !== undefined && !filter(...args)) return;
				settle();
				resolve(args);
			};
			const onAbort = (): void => {
				settle();
				if (signal !== undefined) reject(abortReason(signal));
			};
			this.on(event, listener);
			signal?.addEventListener('abort', onAbort, { once: true });
			if (timeout !== undefined) {
				timer = setTimeout(() => {
					settle();
					reject(TypesError.of('TYPES_EVENT_TIMEOUT', [String(event), timeout]));
				}, timeout);
			}
		});
	}

	/** Calls the listeners of `event` with `args`; returns whether there was any. */
	public emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
		const list = this.#listeners.get(event);
		if (list === undefined) return false;
		const revision = this.wrapRevision();
		for (const entry of list) {
			if (entry.once) this.#remove(event, entry);
			let result: unknown;
			try {
				// Wrapping runs the owner's hooks: a failure there is reported like the listener's own.
				if (entry.revision !== revision) {
					entry.call = revision === 0 ? entry.listener : this.wrapListener(event, entry.listener);
					entry.revision = revision;
				}
				result = entry.call(...args);
			} catch (error) {
				this.onListenerError(error, event, 'sync');
				continue;
			}
			if (isPromiseLike(result)) {
				result.then(undefined, (error: unknown) => {
					this.onListenerError(error, event, 'async');
				});
			}
		}
		return true;
	}

	/**
	 * Which wrappers listeners run in: 0 (the default) calls each listener directly; any other number calls
	 * {@link Emitter.wrapListener} once per listener and reuses its wrapper until the number changes. Owners
	 * that wrap calls (timing, tracing) return a new number whenever the wrapping changes.
	 */
	protected wrapRevision(): number {
		return 0;
	}

	/** The call that runs `listener` for `event` under the current {@link Emitter.wrapRevision}. */
	protected wrapListener(_event: keyof Events, listener: Listener<readonly unknown[]>): Listener<readonly unknown[]> {
		return listener;
	}

	/**
	 * Receives the error of a listener that threw or rejected. The default emits a process warning (code
	 * `OVENJS_LISTENER`) with every registered secret redacted; owners override it to report where users look.
	 */
	protected onListenerError(error: unknown, event: keyof Events, phase: ListenerFailurePhase): void {
		const text = redactSecrets(
			`A "${String(event)}" listener ${phase === 'sync' ? 'threw' : 'rejected'}: ${error instanceof Error ? error.message : String(error)}`,
		);
		const host: unknown = Reflect.get(globalThis, 'process');
		const emitWarning: unknown = isRecord(host) ? host.emitWarning : undefined;
		if (typeof emitWarning === 'function') Reflect.apply(emitWarning, host, [text, { code: 'OVENJS_LISTENER' }]);
		else console.warn(text);
	}

	#add(event: keyof Events, entry: Entry): void {
		const list = this.#listeners.get(event);
		this.#set(event, list === undefined ? [entry] : [...list, entry]);
	}

	#remove(event: keyof Events, entry: Entry): void {
		const list = this.#listeners.get(event);
		if (list === undefined) return;
		const index = list.indexOf(entry);
		if (index !== -1) this.#set(event, list.toSpliced(index, 1));
	}

	#set(event: keyof Events, list: readonly Entry[]): void {
		if (list.length === 0) this.#listeners.delete(event);
		else this.#listeners.set(event, list);
	}
}
