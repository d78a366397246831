import { redactSecrets } from '@ovenjs/types';

/** A listener of event `E` in map `M`. */
export type Listener<M, E extends keyof M> = M[E] extends readonly unknown[] ? (...args: M[E]) => void : never;

/**
 * A minimal typed event emitter: `has(event)` is one property read, so the client skips building a payload
 * when nobody listens. Listener errors are reported with `process.emitWarning` and never break a request.
 */
export class TypedEmitter<M extends { [K in keyof M]: readonly unknown[] }> {
	readonly #listeners = new Map<keyof M, ((...args: never) => void)[]>();

	/** Adds a listener. */
	public on<E extends keyof M>(event: E, listener: (...args: M[E]) => void): this {
		const list = this.#listeners.get(event);
		if (list === undefined) this.#listeners.set(event, [listener]);
		else list.push(listener);
		return this;
	}

	/** Adds a listener called at most once. */
	public once<E extends keyof M>(event: E, listener: (...args: M[E]) => void): this {
		const wrapper = (...args: M[E]): void => {
			this.off(event, wrapper);
			listener(...args);
		};
		return this.on(event, wrapper);
	}

	/** Removes a listener. */
	public off<E extends keyof M>(event: E, listener: (...args: M[E]) => void): this {
		const list = this.#listeners.get(event);
		if (list === undefined) return this;
		const index = list.indexOf(listener);
		if (index !== -1) list.splice(index, 1);
		if (list.length === 0) this.#listeners.delete(event);
		return this;
	}

	/** Whether `event` has listeners. */
	public has(event: keyof M): boolean {
		return this.#listeners.has(event);
	}

	/** Calls the listeners of `event`. */
	public emit<E extends keyof M>(event: E, ...args: M[E]): void {
		const list = this.#listeners.get(event);
		if (list === undefined) return;
		for (const listener of [...list]) {
			try {
				Reflect.apply(listener, undefined, args);
			} catch (error) {
				process.emitWarning(redactSecrets(`@ovenjs/rest: a "${String(event)}" listener threw: ${String(error)}`));
			}
		}
	}

	/** Removes every listener. */
	public removeAllListeners(): this {
		this.#listeners.clear();
		return this;
	}
}
