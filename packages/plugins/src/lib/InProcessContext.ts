import type { ExtensionHandler, ExtensionPointName } from '@ovenjs/types';
import type { PluginContext, PluginLogger, Remote, ServiceOf } from './definePlugin.js';
import { PluginError } from './errors/PluginError.js';
import type { IsolationLevel } from './manifest.js';
import type { HostedService, PluginGate } from './PluginGate.js';

const OBJECT_PROTOTYPE: unknown = Object.getPrototypeOf({});

/** How the manager runs a plugin's handlers (time spent, errors reported on `pluginError`). */
export type HandlerWrapper = (
	what: string,
	handler: (...args: readonly unknown[]) => unknown,
) => (...args: readonly unknown[]) => unknown;

/** The methods of a service object (own and inherited, `constructor` excepted). */
export function methodsOf(service: unknown): string[] {
	const names = new Set<string>();
	for (
		let proto: unknown = service;
		typeof proto === 'object' && proto !== null && proto !== OBJECT_PROTOTYPE;
		proto = Object.getPrototypeOf(proto)
	) {
		for (const key of Object.getOwnPropertyNames(proto))
			if (key !== 'constructor' && typeof Reflect.get(proto, key) === 'function') names.add(key);
	}
	return [...names];
}

/** A `Remote<T>` view over a hosted service: each method forwards to the provider. */
export function serviceProxy<K extends string>(hosted: HostedService): Remote<ServiceOf<K>> {
	const view: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
	for (const method of hosted.methods) view[method] = (...args) => hosted.call(method, args);
	const frozen = Object.freeze(view);
	if (!remoteOf<K>(frozen)) throw PluginError.of('PLUGIN_INTERNAL', hosted.provider, ['service view']);
	return frozen;
}

/** The object built above has a method per service method, each returning a promise: a `Remote` of the service. */

function remoteOf<K extends string>(view: object): view is Remote<ServiceOf<K>> & object {
	return typeof view === 'object';
}

function isApiView(value: object): value is PluginContext['api'] {
	return typeof value === 'object';
}

function isCacheView(value: object): value is PluginContext['cache'] {
	return typeof value === 'object';
}

/** A read-through view whose leaves call `call(resource, operation, args)`. */
export function apiProxy(
	call: (resource: string, operation: string, args: readonly unknown[]) => Promise<unknown>,
): PluginContext['api'] {
	const resources = new Map<string, object>();
	const root = new Proxy(Object.freeze({}), {
		get(_target, resource) {
			if (typeof resource !== 'string' || resource === 'then') return undefined;
			let group = resources.get(resource);
			if (group === undefined) {
				group = new Proxy(Object.freeze({}), {
					get(_inner, operation) {
						if (typeof operation !== 'string' || operation === 'then') return undefined;
						return (...args: unknown[]) => call(resource, operation, args);
					},
				});
				resources.set(resource, group);
			}
			return group;
		},
	});
	if (!isApiView(root)) throw PluginError.of('PLUGIN_INTERNAL', '(host)', ['ctx.api']);
	return root;
}

/** The `ctx` of an in-process (`'none'`) plugin: every call goes through its gate. */
export function createInProcessContext<Config>(
	gate: PluginGate,
	info: { readonly version: string; readonly isolation: IsolationLevel; readonly config: Config },
	wrap: HandlerWrapper,
): PluginContext<Config> {
	const logger: PluginLogger = {
		debug: (message, data) => {
			gate.log('debug', message, data);
		},
		info: (message, data) => {
			gate.log('info', message, data);
		},
		warn: (message, data) => {
			gate.log('warn', message, data);
		},
		error: (message, data) => {
			gate.log('error', message, data);
		},
	};
	const cacheView = new Proxy(Object.freeze({}), {
		get(_target, view) {
			if (typeof view !== 'string' || view === 'then') return undefined;
			return (...args: unknown[]) => Promise.resolve().then(() => gate.cache(view, args));
		},
	});
	if (!isCacheView(cacheView)) throw PluginError.of('PLUGIN_INTERNAL', gate.plugin, ['ctx.cache']);
	const ctx: PluginContext<Config> = {
		name: gate.plugin,
		version: info.version,
		isolation: info.isolation,
		config: info.config,
		logger,
		api: apiProxy((resource, operation, args) => gate.api(resource, operation, args)),
		rest: { request: (method, route, data) => gate.request(method, route, data) },
		cache: cacheView,
		state: {
			get: () =>
				Promise.resolve().then(() => {
					const value: unknown = gate.stateGet();
					return isStateValue<Record<string, unknown>>(value) ? value : undefined;
				}),
			set: (value) => gate.stateSet(value),
			update: async (recipe) => {
				const current: unknown = gate.stateGet();
				const draft = isStateValue<Record<string, unknown>>(current) ? current : undefined;
				const returned = recipe(draft);
				const next = returned ?? draft;
				if (next !== undefined) await gate.stateSet(next);
				return next;
			},
		},
		can: (capability) => gate.capabilities.has(capability),
		on: (event, handler) => {
			if (typeof handler !== 'function')
				throw PluginError.of('PLUGIN_INVALID_CALL', gate.plugin, [
					{ kind: 'handler', method: 'on', name: event },
				]);
			gate.on(
				event,
				wrap(`event ${event}`, (...args) => Reflect.apply(handler, undefined, args)),
			);
		},
		hook: <P extends ExtensionPointName>(
			point: P,
			handler: ExtensionHandler<P>,
			options?: { readonly priority?: number },
		) => {
			if (typeof handler !== 'function')
				throw PluginError.of('PLUGIN_INVALID_CALL', gate.plugin, [
					{ kind: 'handler', method: 'hook', name: point },
				]);
			gate.hook(
				point,
				wrap(`hook ${point}`, (...args) => Reflect.apply(handler, undefined, args)),
				options?.priority ?? 0,
			);
		},
		provide: (name, service) => {
			const methods = methodsOf(service);
			gate.provide(name, methods, async (method, args) => {
				const fn: unknown = Reflect.get(service, method);
				if (typeof fn !== 'function')
					throw PluginError.of('PLUGIN_SERVICE_NOT_FOUND', gate.plugin, [
						name,
						{ kind: 'no-method', method, methods: undefined },
					]);
				const result: unknown = await Reflect.apply(fn, service, args);
				return result;
			});
		},
		use: (name) => serviceProxy(gate.use(name)),
	};
	return ctx;
}

/** State values are whatever the plugin wrote (objects); the namespace's type is the plugin's declaration. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the state type is the plugin's declaration
function isStateValue<S extends object>(value: unknown): value is S {
	return typeof value === 'object' && value !== null;
}
