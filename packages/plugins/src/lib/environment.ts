/**
 * What a host (the `@ovenjs/core` Client) gives the plugin manager: the doors `ctx` opens, unscoped. The manager
 * scopes them per plugin (capabilities, ownership, cleanup); plugins never see this object.
 */
export interface PluginEnvironment {
	/** Subscribes to a client event; `listener` receives the event's arguments as plain data. Returns the unsubscribe. */
	on(event: string, listener: (...args: readonly unknown[]) => unknown): () => void;
	/** Registers a handler on an extension point. Returns the removal. */
	hook(
		point: string,
		handler: (...args: readonly unknown[]) => unknown,
		options: { readonly priority: number; readonly label: string },
	): () => void;
	/** `client.api` (resources of operations). */
	readonly api: object;
	/** Raw REST requests. */
	request(
		method: string,
		route: string,
		data: {
			readonly body?: unknown;
			readonly query?: Readonly<Record<string, string | number | boolean>>;
			readonly reason?: string;
		},
	): Promise<unknown>;
	/** Read-only cache views by name; each returns plain data. */
	readonly cache: Readonly<Record<string, (...args: readonly unknown[]) => unknown>>;
	/** The store plugins' state namespaces live in. */
	readonly state: PluginStateBackend;
	/** A value plugins must never receive (the client refuses its token). */
	refuse?(value: string): boolean;
}

/** The part of an `@ovenjs/state` store plugin namespaces need. */
export interface PluginStateBackend {
	/** The value under `key` (`undefined` when unset). */
	read(key: string): unknown;
	/** Replaces the value under `key`. */
	write(key: string, value: unknown, source: string): Promise<void>;
}

/** A log line of a plugin. */
export interface PluginLogEntry {
	readonly plugin: string;
	readonly level: 'debug' | 'info' | 'warn' | 'error';
	readonly message: string;
	readonly data?: unknown;
}
