import type { ExtensionHandler, ExtensionPointName } from '@ovenjs/types';
import type { IsolationLevel, PluginManifestBlockInput } from './manifest.js';

/**
 * Types the host side fills in by declaration merging, so `ctx` is typed end to end. `@ovenjs/core` declares:
 *
 * ```ts
 * declare module '@ovenjs/plugins' {
 *   interface PluginHostTypes {
 *     api: Api;                 // ctx.api
 *     events: PluginEventMap;   // ctx.on(event, handler)
 *     cache: PluginCacheView;   // ctx.cache
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface PluginHostTypes {}

/**
 * Services plugins offer each other, by name (declare yours so `ctx.provide` / `ctx.use` are typed):
 *
 * ```ts
 * declare module '@ovenjs/plugins' {
 *   interface PluginServices {
 *     'greetings': { greet(name: string): string };
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface PluginServices {}

type HostType<K extends string, Fallback> = PluginHostTypes extends Readonly<Record<K, infer T>> ? T : Fallback;

/** A function whose result arrives as a promise (calls through `ctx` may cross a thread or process). */
type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** An object whose methods are called remotely: every method returns a promise; other members are dropped. */
export type Remote<T> = {
	readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: Promised<T[K]>;
};

/** `ctx.api`: `client.api`, scoped by the manifest's `rest:<resource>.<operation>` capabilities. */
export type PluginApiView = HostType<
	'api',
	Readonly<Record<string, Readonly<Record<string, (...args: never[]) => Promise<unknown>>>>>
>;

/** The events a plugin can subscribe to, with their arguments as plugins receive them (plain data). */
export type PluginEventMap = HostType<'events', Readonly<Record<string, readonly unknown[]>>>;

/** An event name of {@link PluginEventMap}. */
export type PluginEventName = Extract<keyof PluginEventMap, string>;

/** The arguments of event `E`. */
export type PluginEventArgs<E extends PluginEventName> = PluginEventMap[E] extends readonly unknown[]
	? PluginEventMap[E]
	: readonly unknown[];

/** `ctx.cache`: read-only views of the entity cache (plain data copies), with `cache:read`. */
export type PluginCacheView = Remote<HostType<'cache', Readonly<Record<string, (...args: never[]) => unknown>>>>;

/** The type of service `K` (from {@link PluginServices}, else any object of functions). */
export type ServiceOf<K extends string> = K extends keyof PluginServices
	? PluginServices[K]
	: Readonly<Record<string, (...args: never[]) => unknown>>;

/** `ctx.rest`: raw REST requests, with `rest:raw` (or `rest:*`). */
export interface PluginRestView {
	/** Sends a request through the client's REST client (rate limits, retries). */
	request(
		method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
		route: string,
		data?: {
			readonly body?: unknown;
			readonly query?: Readonly<Record<string, string | number | boolean>>;
			readonly reason?: string;
		},
	): Promise<unknown>;
}

/** `ctx.state`: the plugin's own namespace of the client's `@ovenjs/state` store (kept across reloads). */
export interface PluginStateView<S extends object> {
	/** The namespace's value (`undefined` before the first write). Needs `state:read` (or `state:write`). */
	get(): Promise<S | undefined>;
	/** Replaces the namespace's value. Needs `state:write`. */
	set(value: S): Promise<void>;
	/** Reads, lets `recipe` change a copy (mutate it or return a new value) and writes it back. Needs `state:write`. */
	update(recipe: (current: S | undefined) => S | undefined | void): Promise<S | undefined>;
}

/** `ctx.logger`: lines go to the host's logger, prefixed with the plugin's name (secrets redacted). */
export interface PluginLogger {
	debug(message: string, data?: unknown): void;
	info(message: string, data?: unknown): void;
	warn(message: string, data?: unknown): void;
	error(message: string, data?: unknown): void;
}

/** Options of `ctx.hook`. */
export interface PluginHookOptions {
	/** Higher runs first. @defaultValue `0` */
	readonly priority?: number;
}

/**
 * What `setup` and `teardown` receive: the only door a plugin has to the bot. Every call is checked against the
 * manifest's capabilities and rejects with `PluginError` `PLUGIN_PERMISSION_DENIED` naming the missing one.
 * Everything registered through it is removed when the plugin unloads.
 */
export interface PluginContext<Config = unknown, State extends object = Record<string, unknown>> {
	/** The plugin's package name. */
	readonly name: string;
	/** The plugin's version. */
	readonly version: string;
	/** Where the plugin runs. */
	readonly isolation: IsolationLevel;
	/** The validated config, defaults applied and `$env` / `$secret` references resolved. */
	readonly config: Config;
	/** Logs under the plugin's name. */
	readonly logger: PluginLogger;
	/** `client.api`, scoped (`rest:<resource>.<operation>`). */
	readonly api: PluginApiView;
	/** Raw REST requests (`rest:raw`). */
	readonly rest: PluginRestView;
	/** Read-only cache views (`cache:read`). */
	readonly cache: PluginCacheView;
	/** The plugin's namespace of the client state (`state:read`, `state:write`). */
	readonly state: PluginStateView<State>;
	/** Whether the manifest grants `capability`. */
	can(capability: string): boolean;
	/** Listens to a client event (`events:<event>`); the handler receives plain data. */
	on<E extends PluginEventName>(event: E, handler: (...args: PluginEventArgs<E>) => void | Promise<void>): void;
	/** Registers a handler on an extension point (`hook:<point>`); waterfall handlers may return a replacement. */
	hook<P extends ExtensionPointName>(point: P, handler: ExtensionHandler<P>, options?: PluginHookOptions): void;
	/** Offers a service to the plugins that depend on this one (methods only; they are called with plain data). */
	provide<K extends string>(name: K, service: ServiceOf<K>): void;
	/**
	 * A service provided by this plugin's dependencies (`dependencies`, `peerDependencies`, or a present
	 * `optionalDependencies` entry, directly or through them). Calls return promises at every isolation level.
	 * @throws `PLUGIN_SERVICE_NOT_FOUND` when no plugin along the graph provides it.
	 */
	use<K extends string>(name: K): Remote<ServiceOf<K>>;
}

/** A plugin, as its module's default export. */
export interface PluginDefinition<Config = unknown, State extends object = Record<string, unknown>> {
	/** Only for definitions passed to `load` directly (packages take it from package.json). */
	readonly name?: string;
	/** Only for definitions passed to `load` directly. @defaultValue `'0.0.0'` */
	readonly version?: string;
	/** Only for definitions passed to `load` directly: the `"ovenjs"` manifest block. */
	readonly manifest?: PluginManifestBlockInput;
	/** Registers the plugin's handlers and services. Runs with a time limit (`limits.setupMs`). */
	setup(ctx: PluginContext<Config, State>): void | Promise<void>;
	/** Releases what `setup` took outside `ctx` (timers, sockets). Runs on unload and before a reload. */
	teardown?(ctx: PluginContext<Config, State>): void | Promise<void>;
}

/** Declares a plugin, typed end to end: `export default definePlugin({ setup(ctx) { ... } })`. */
export function definePlugin<Config = unknown, State extends object = Record<string, unknown>>(
	definition: PluginDefinition<Config, State>,
): PluginDefinition<Config, State> {
	return definition;
}
