/**
 * Capabilities: what a plugin's manifest grants it, checked on every call through `ctx` (never advisory).
 *
 * | capability | allows |
 * | --- | --- |
 * | `events:<clientEvent>`, `events:*` | `ctx.on(event, ...)` |
 * | `hook:<point>`, `hook:<prefix>:*`, `hook:*` | `ctx.hook(point, ...)` |
 * | `rest:<resource>.<operation>`, `rest:<resource>.*`, `rest:*` | `ctx.api.<resource>.<operation>(...)` |
 * | `rest:raw` (or `rest:*`) | `ctx.rest.request(method, route, data)` |
 * | `cache:read` | `ctx.cache.*` (read-only views) |
 * | `state:read`, `state:write` (implies read) | `ctx.state.get()` / `set()` / `update()` |
 */
const CAPABILITY =
	/^(?:events:(?:\*|[a-zA-Z][a-zA-Z0-9]*)|hook:(?:\*|[a-zA-Z][a-zA-Z0-9]*:(?:\*|[a-zA-Z][a-zA-Z0-9:]*))|rest:(?:\*|raw|[a-zA-Z][a-zA-Z0-9]*\.(?:\*|[a-zA-Z][a-zA-Z0-9]*))|cache:read|state:(?:read|write))$/;

/** Whether `value` is a well-formed capability. */
export function isCapability(value: string): boolean {
	return CAPABILITY.test(value);
}

/** A compiled set of granted capabilities. */
export class CapabilitySet {
	readonly #exact: ReadonlySet<string>;
	readonly #prefixes: readonly string[];

	public constructor(granted: readonly string[]) {
		this.#exact = new Set(granted);
		this.#prefixes = granted.filter((c) => c.endsWith('*')).map((c) => c.slice(0, -1));
	}

	/** Whether `capability` is granted, exactly or through a wildcard (`rest:*`, `rest:channels.*`, `hook:message:*`). */
	public has(capability: string): boolean {
		if (this.#exact.has(capability)) return true;
		if (capability === 'state:read' && this.#exact.has('state:write')) return true;
		if (capability === 'rest:raw') return this.#exact.has('rest:*');
		for (const prefix of this.#prefixes) if (capability.startsWith(prefix)) return true;
		return false;
	}

	/** The granted capabilities, as declared. */
	public list(): string[] {
		return [...this.#exact];
	}
}
