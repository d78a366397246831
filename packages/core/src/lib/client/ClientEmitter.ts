import type { ExtensionBus } from '../bus/ExtensionBus.js';

/** A listener; may be async (a rejection is reported, never unhandled). */
export type ClientListener<Args extends readonly unknown[]> = (...args: Args) => void | Promise<void>;

interface StoredListener {
	call(...args: readonly unknown[]): unknown;
	readonly original: unknown;
	readonly once: boolean;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

/**
 * A typed event emitter whose listeners may be async: a throwing or rejecting listener is reported on the
 * bus's `error:unhandled` point (and the `error` event) and never breaks the other listeners.
 */
export class ClientEmitter<Events extends { [K in keyof Events]: readonly unknown[] }> {
	readonly #listeners = new Map<keyof Events, StoredListener[]>();
	protected readonly bus: ExtensionBus;

	public constructor(bus: ExtensionBus) {
		this.bus = bus;
	}

	/** Adds a listener. */
	public on<K extends keyof Events>(event: K, listener: ClientListener<Events[K]>): this {
		this.#add(event, { call: listener, original: listener, once: false });
		return this;
	}

	/** Adds a listener that runs once. */
	public once<K extends keyof Events>(event: K, listener: ClientListener<Events[K]>): this {
		this.#add(event, { call: listener, original: listener, once: true });
		return this;
	}

	/** Removes a listener. */
	public off<K extends keyof Events>(event: K, listener: ClientListener<Events[K]>): this {
		const list = this.#listeners.get(event);
		if (list === undefined) return this;
		const next = list.filter((entry) => entry.original !== listener);
		if (next.length === 0) this.#listeners.delete(event);
		else this.#listeners.set(event, next);
		return this;
	}

	/** The number of listeners of `event`. */
	public listenerCount(event: keyof Events): number {
		return this.#listeners.get(event)?.length ?? 0;
	}

	/** Resolves with the arguments of the next `event`. */
	public waitFor<K extends keyof Events>(event: K): Promise<Events[K]> {
		return new Promise((resolve) => {
			this.once(event, (...args) => {
				resolve(args);
			});
		});
	}

	/** Calls the listeners of `event`; returns whether there were any. */
	public emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
		const list = this.#listeners.get(event);
		if (list === undefined) return false;
		// Instrumentation (timing, tracing) wraps each call; nobody hooked costs one Map lookup per emit.
		const wrapped = this.bus.has('client:listener');
		for (const entry of list) {
			if (entry.once) this.#remove(event, entry);
			try {
				// eslint-disable-next-line @typescript-eslint/unbound-method -- stored listeners are plain functions, called without `this`
				const result = wrapped ? this.bus.transformSync('client:listener', entry.call, String(event))(...args) : entry.call(...args);
				if (isPromiseLike(result)) {
					result.then(undefined, (error: unknown) => {
						this.#report(event, error, 'async');
					});
				}
			} catch (error) {
				this.#report(event, error, 'sync');
			}
		}
		return true;
	}

	#add(event: keyof Events, entry: StoredListener): void {
		this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), entry]);
	}

	#remove(event: keyof Events, entry: StoredListener): void {
		const next = (this.#listeners.get(event) ?? []).filter((item) => item !== entry);
		if (next.length === 0) this.#listeners.delete(event);
		else this.#listeners.set(event, next);
	}

	#report(event: keyof Events, error: unknown, phase: 'sync' | 'async'): void {
		const point = `client:event:${String(event)}`;
		if (this.bus.has('error:unhandled')) this.bus.emit('error:unhandled', error, { point, label: undefined, phase });
		if (!this.onListenerError(event, error) && !this.bus.has('error:unhandled')) {
			process.emitWarning(`A "${String(event)}" listener failed: ${error instanceof Error ? error.message : String(error)}`, { code: 'OVENJS_LISTENER' });
		}
	}

	/** Called when a listener of `event` fails; returns whether the error was delivered somewhere. */
	protected onListenerError(_event: keyof Events, _error: unknown): boolean {
		return false;
	}
}
