import type {
	ExtensionHandler,
	ExtensionPointArgs,
	ExtensionPointEmitter,
	ExtensionPointName,
	WaterfallPointName,
	WaterfallValue,
} from '@ovenjs/types';
import { CoreError } from '../errors/CoreError.js';
import type { UnhandledErrorContext } from './points.js';
import { markClass, isPromiseLike } from '@ovenjs/types';

/** Options of {@link ExtensionBus.on}. */
export interface ExtensionHandlerOptions {
	/**
	 * Handlers with a higher priority run first; equal priorities run in registration order.
	 * @defaultValue `0`
	 */
	readonly priority?: number;
	/**
	 * Remove the handler after its first call.
	 * @defaultValue `false`
	 */
	readonly once?: boolean;
	/** A name shown in `error:unhandled` reports, e.g. the plugin that registered the handler. */
	readonly label?: string;
}

/**
 * A registered handler. Declared with method syntax so handlers of every point can live in one list; the
 * typed {@link ExtensionBus.on} is the only way in, so each list only ever holds handlers of its point.
 */
interface StoredHandler {
	call(...args: readonly unknown[]): unknown;
	readonly priority: number;
	readonly once: boolean;
	readonly label: string | undefined;
	readonly original: unknown;
}

/**
 * The typed extension-point bus: the one place where core composes the packages and plugins hook in.
 *
 * - Points are declared by declaration merging on `ExtensionPoints` (see `@ovenjs/types`).
 * - Notify points ({@link ExtensionBus.emit}) call every handler; waterfall points
 *   ({@link ExtensionBus.transform}) pass a value through handlers that may return a replacement.
 * - Handlers run by priority (highest first); sync and async handlers are both accepted.
 * - A throwing or rejecting handler is isolated: the pipeline goes on and the error is reported on
 *   `error:unhandled`.
 * - A point nobody listens to costs one `Map` lookup.
 *
 * @example
 * ```ts
 * const bus = new ExtensionBus();
 * bus.on('rest:beforeRequest', (request) => ({ ...request, reason: 'audited' }), { priority: 10 });
 * ```
 */
export class ExtensionBus implements ExtensionPointEmitter {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ExtensionBus');
	}

	readonly #handlers = new Map<string, StoredHandler[]>();
	#revision = 0;

	/**
	 * Changes whenever a handler is added or removed. What is derived from handlers once and reused on a hot path
	 * (the `Client` wraps each listener through `client:listener` once, not per call) is cached against it.
	 */
	public get revision(): number {
		return this.#revision;
	}

	/** Whether any handler is registered for `point`. */
	public has(point: ExtensionPointName): boolean {
		return this.#handlers.has(point);
	}

	/** The number of handlers registered for `point`. */
	public count(point: ExtensionPointName): number {
		return this.#handlers.get(point)?.length ?? 0;
	}

	/** The points that currently have at least one handler. */
	public points(): ExtensionPointName[] {
		const out: ExtensionPointName[] = [];
		for (const key of this.#handlers.keys()) if (isPointName(key)) out.push(key);
		return out;
	}

	/**
	 * Registers `handler` for `point` and returns a function that removes it.
	 * @throws {@link CoreError} `CORE_INVALID_HANDLER` when `handler` is not a function or the priority is not finite.
	 */
	public on<P extends ExtensionPointName>(
		point: P,
		handler: ExtensionHandler<P>,
		options: ExtensionHandlerOptions = {},
	): () => void {
		if (typeof handler !== 'function') {
			throw CoreError.of('CORE_INVALID_HANDLER', [point, `it must be a function, received ${typeof handler}`]);
		}
		const priority = options.priority ?? 0;
		if (!Number.isFinite(priority)) {
			throw CoreError.of('CORE_INVALID_HANDLER', [
				point,
				`its priority must be a finite number, received ${String(priority)}`,
			]);
		}
		const stored: StoredHandler = {
			call: handler,
			priority,
			once: options.once ?? false,
			label: options.label,
			original: handler,
		};
		this.#revision++;
		const list = this.#handlers.get(point);
		if (list === undefined) {
			this.#handlers.set(point, [stored]);
		} else {
			// Copy on write: a dispatch in progress keeps iterating the list it started with.
			const next = [...list];
			let index = next.length;
			while (index > 0 && (next[index - 1]?.priority ?? 0) < priority) index--;
			next.splice(index, 0, stored);
			this.#handlers.set(point, next);
		}
		return () => {
			this.#remove(point, stored);
		};
	}

	/** Registers a handler that runs once. Shorthand for `on(point, handler, { ...options, once: true })`. */
	public once<P extends ExtensionPointName>(
		point: P,
		handler: ExtensionHandler<P>,
		options: ExtensionHandlerOptions = {},
	): () => void {
		return this.on(point, handler, { ...options, once: true });
	}

	/** Removes `handler` from `point`. Returns whether it was registered. */
	public off<P extends ExtensionPointName>(point: P, handler: ExtensionHandler<P>): boolean {
		const stored = this.#handlers.get(point)?.find((entry) => entry.original === handler);
		if (stored === undefined) return false;
		this.#remove(point, stored);
		return true;
	}

	/** Removes every handler of `point`, or of every point when called without one. */
	public clear(point?: ExtensionPointName): void {
		this.#revision++;
		if (point === undefined) this.#handlers.clear();
		else this.#handlers.delete(point);
	}

	/**
	 * Calls every handler of a notify point, highest priority first. Does not wait for async handlers; their
	 * rejections are reported on `error:unhandled`. Use {@link ExtensionBus.emitAsync} to wait.
	 */
	public emit<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>): void {
		const list = this.#handlers.get(point);
		if (list === undefined) return;
		for (const entry of list) {
			if (entry.once) this.#remove(point, entry);
			try {
				const result = entry.call(...args);
				if (isPromiseLike(result)) {
					result.then(undefined, (error: unknown) => {
						this.#report(error, point, entry, 'async');
					});
				}
			} catch (error) {
				this.#report(error, point, entry, 'sync');
			}
		}
	}

	/** Calls every handler of a notify point in priority order, awaiting each one. Never rejects. */
	public async emitAsync<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>): Promise<void> {
		const list = this.#handlers.get(point);
		if (list === undefined) return;
		for (const entry of list) {
			if (entry.once) this.#remove(point, entry);
			try {
				await entry.call(...args);
			} catch (error) {
				this.#report(error, point, entry, 'async');
			}
		}
	}

	/**
	 * Runs a waterfall point: each handler receives the current value (and the point's other arguments) and
	 * may return a replacement; `undefined` keeps the value. A failing handler is skipped and reported.
	 */
	public async transform<P extends WaterfallPointName>(
		point: P,
		...args: ExtensionPointArgs<P>
	): Promise<WaterfallValue<P>> {
		const [initial, ...rest] = args;
		let value: unknown = initial;
		const list = this.#handlers.get(point);
		if (list === undefined) {
			holdsWaterfallValue(point, initial);
			return initial;
		}
		for (const entry of list) {
			if (entry.once) this.#remove(point, entry);
			try {
				const result = await entry.call(value, ...rest);
				if (result !== undefined) value = result;
			} catch (error) {
				this.#report(error, point, entry, 'async');
			}
		}
		holdsWaterfallValue(point, value);
		return value;
	}

	/**
	 * Synchronous waterfall for hot paths: like {@link ExtensionBus.transform}, but handlers returning a promise
	 * are not awaited (the promise is ignored, its rejection reported) and the value is returned directly.
	 */
	public transformSync<P extends WaterfallPointName>(point: P, ...args: ExtensionPointArgs<P>): WaterfallValue<P> {
		const [initial, ...rest] = args;
		const list = this.#handlers.get(point);
		if (list === undefined) {
			holdsWaterfallValue(point, initial);
			return initial;
		}
		let value: unknown = initial;
		for (const entry of list) {
			if (entry.once) this.#remove(point, entry);
			try {
				const result = entry.call(value, ...rest);
				if (isPromiseLike(result)) {
					result.then(undefined, (error: unknown) => {
						this.#report(error, point, entry, 'async');
					});
				} else if (result !== undefined) {
					value = result;
				}
			} catch (error) {
				this.#report(error, point, entry, 'sync');
			}
		}
		holdsWaterfallValue(point, value);
		return value;
	}

	#remove(point: string, stored: StoredHandler): void {
		const list = this.#handlers.get(point);
		if (list === undefined) return;
		this.#revision++;
		const next = list.filter((entry) => entry !== stored);
		if (next.length === 0) this.#handlers.delete(point);
		else this.#handlers.set(point, next);
	}

	#report(error: unknown, point: string, entry: StoredHandler, phase: 'sync' | 'async'): void {
		const context: UnhandledErrorContext = { point, label: entry.label, phase };
		if (point === 'error:unhandled' || !this.#handlers.has('error:unhandled')) {
			// Nobody to tell (or the reporter itself failed): surface it without breaking the pipeline.
			process.emitWarning(`An extension handler for "${point}" failed: ${describe(error)}`, {
				code: 'OVENJS_EXTENSION_HANDLER',
			});
			return;
		}
		this.emit('error:unhandled', error, context);
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function isPointName(key: string): key is ExtensionPointName {
	return key.length > 0;
}

/**
 * Records an invariant for the compiler: handlers of a waterfall point are typed (`ExtensionHandlerResult`) to
 * return the point's value or `undefined`, `undefined` results are skipped, and the value starts as the point's
 * first argument, so the running value always has the point's value type.
 */
function holdsWaterfallValue<P extends WaterfallPointName>(
	_point: P,
	_value: unknown,
): asserts _value is WaterfallValue<P> {
	// Nothing to check at run time: the invariant is enforced by the typed `on()`.
}
