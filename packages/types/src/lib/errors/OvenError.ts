/**
 * The one error model every OvenJS package follows.
 *
 * - Each package has a base class (`RestError`, `GatewayError`, `CacheError`, ...) extending {@link OvenError}
 *   with a string `code` union. New codes may be added in minor versions: match on the codes you handle and
 *   keep a default branch.
 * - `name` is `` `${Class.name}[${code}]` `` so stack traces say what went wrong at a glance.
 * - `instanceof` keeps working when two copies of a package are installed: classes are matched by a
 *   `Symbol.for('ovenjs.error.<Class>')` marker rather than by prototype identity.
 * - Messages never contain the bot token: pass user-supplied text through {@link redactSecrets} first.
 */
const markerKey = Symbol.for('ovenjs.error.markers');

function markersOf(value: unknown): ReadonlySet<unknown> | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const markers: unknown = Reflect.get(value, markerKey);
	return markers instanceof Set ? markers : undefined;
}

/** Options accepted by every OvenJS error. */
export interface OvenErrorOptions {
	/** The underlying error, kept on `error.cause`. */
	readonly cause?: unknown;
}

/** Base class of every error OvenJS throws. `Code` is the package's stable string union. */
export class OvenError<Code extends string = string> extends Error {
	/** A stable, machine-readable code such as `'REST_TIMEOUT'`. */
	public readonly code: Code;

	public constructor(code: Code, message: string, options: OvenErrorOptions = {}) {
		super(message, 'cause' in options ? { cause: options.cause } : undefined);
		this.code = code;
		this.name = `${new.target.name}[${code}]`;
		const markers = new Set<symbol>();
		for (
			let proto: unknown = new.target;
			typeof proto === 'function' && proto !== Error;
			proto = Object.getPrototypeOf(proto)
		) {
			markers.add(Symbol.for(`ovenjs.error.${proto.name}`));
		}
		Object.defineProperty(this, markerKey, { value: markers, enumerable: false });
	}

	/** `instanceof` that works across duplicated installs of a package (matched by class name marker). */
	public static override [Symbol.hasInstance](instance: unknown): boolean {
		const markers = markersOf(instance);
		if (markers === undefined) return false;
		return markers.has(Symbol.for(`ovenjs.error.${this.name}`));
	}
}
