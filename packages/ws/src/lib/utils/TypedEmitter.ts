/** A listener of an event whose arguments are `Args` (method-style, so listener lists can be stored together). */
export type Listener<Args extends readonly unknown[]> = { bivarianceHack(...args: Args): void }['bivarianceHack'];

/**
 * A minimal typed event emitter: listeners run synchronously in registration order; a throwing listener
 * does not stop the others (its error is reported through `onListenerError`).
 */
export class TypedEmitter<Events extends { [K in keyof Events]: readonly unknown[] }> {
	readonly #listeners = new Map<keyof Events, Listener<Events[keyof Events]>[]>();

	/** Adds a listener. */
	public on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		const list = this.#listeners.get(event);
		if (list === undefined) this.#listeners.set(event, [listener]);
		else list.push(listener);
		return this;
	}

	/** Adds a listener that runs once. */
	public once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		const wrapper: Listener<Events[K]> = (...args) => {
			this.off(event, wrapper);
			listener(...args);
		};
		return this.on(event, wrapper);
	}

	/** Removes a listener. */
	public off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
		const list = this.#listeners.get(event);
		if (list === undefined) return this;
		const index = list.indexOf(listener);
		if (index !== -1) list.splice(index, 1);
		if (list.length === 0) this.#listeners.delete(event);
		return this;
	}

	/** How many listeners `event` has. */
	public listenerCount(event: keyof Events): number {
		return this.#listeners.get(event)?.length ?? 0;
	}

	/** Calls every listener of `event`; returns whether there was any. */
	public emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
		const list = this.#listeners.get(event);
		if (list === undefined) return false;
		if (list.length === 1) {
			const only = list[0];
			try {
				only?.(...args);
			} catch (error) {
				this.onListenerError(error);
			}
			return true;
		}
		for (const listener of [...list]) {
			try {
				listener(...args);
			} catch (error) {
				this.onListenerError(error);
			}
		}
		return true;
	}

	/** Called with an error thrown by a listener; rethrows asynchronously by default. */
	protected onListenerError(error: unknown): void {
		queueMicrotask(() => {
			throw error;
		});
	}
}
