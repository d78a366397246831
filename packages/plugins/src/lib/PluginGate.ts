import { redactSecrets } from '@ovenjs/types';
import { CapabilitySet } from './capabilities.js';
import type { PluginEnvironment, PluginLogEntry } from './environment.js';
import { PluginError } from './errors/PluginError.js';

/** A service as the host holds it: its methods, called with plain arguments. */
export interface HostedService {
	readonly provider: string;
	readonly methods: readonly string[];
	call(method: string, args: readonly unknown[]): Promise<unknown>;
}

/** What a gate needs from the manager. */
export interface GateHost {
	readonly environment: PluginEnvironment;
	readonly services: Map<string, HostedService>;
	/** The plugins `plugin` may use services of (its dependency closure). */
	reachable(plugin: string): ReadonlySet<string>;
	log(entry: PluginLogEntry): void;
}

/** The state namespace of a plugin in the client store. */
export function stateKey(plugin: string): string {
	return `plugin:${plugin}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The host side of one plugin's `ctx`: every door checks the manifest's capabilities here (for every isolation
 * level: in-process contexts call it directly, workers and isolates through messages), and every registration is
 * remembered so unloading removes it.
 */
export class PluginGate {
	public readonly plugin: string;
	public readonly capabilities: CapabilitySet;
	readonly #host: GateHost;
	readonly #disposers: (() => void)[] = [];
	readonly #provided: string[] = [];
	#closed = false;

	public constructor(plugin: string, granted: readonly string[], host: GateHost) {
		this.plugin = plugin;
		this.capabilities = new CapabilitySet(granted);
		this.#host = host;
	}

	/** @throws {@link PluginError} `PLUGIN_PERMISSION_DENIED` unless `capability` is granted. */
	public require(capability: string, action: string): void {
		if (!this.capabilities.has(capability)) throw PluginError.denied(this.plugin, capability, action);
	}

	#live(action: string): void {
		if (this.#closed)
			throw PluginError.of('PLUGIN_NOT_LOADED', this.plugin, [{ kind: 'used-after-unload', action }]);
	}

	/** `ctx.on`: `listener` receives plain data. */
	public on(event: string, listener: (...args: readonly unknown[]) => unknown): void {
		this.#live(`ctx.on("${event}")`);
		if (typeof event !== 'string' || event === '')
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'event-name' }]);
		this.require(`events:${event}`, `ctx.on("${event}")`);
		this.#disposers.push(this.#host.environment.on(event, listener));
	}

	/** `ctx.hook`. */
	public hook(point: string, handler: (...args: readonly unknown[]) => unknown, priority: number): void {
		this.#live(`ctx.hook("${point}")`);
		this.require(`hook:${point}`, `ctx.hook("${point}")`);
		if (!Number.isFinite(priority))
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'priority', point, priority }]);
		this.#disposers.push(this.#host.environment.hook(point, handler, { priority, label: this.plugin }));
	}

	/** `ctx.api.<resource>.<operation>(...args)`. */
	public async api(resource: string, operation: string, args: readonly unknown[]): Promise<unknown> {
		this.#live(`ctx.api.${resource}.${operation}()`);
		this.require(`rest:${resource}.${operation}`, `ctx.api.${resource}.${operation}()`);
		const group: unknown = Reflect.get(this.#host.environment.api, resource);
		const method: unknown = isRecord(group) ? Reflect.get(group, operation) : undefined;
		if (!isRecord(group) || typeof method !== 'function')
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'api-operation', resource, operation }]);
		const result: unknown = await Reflect.apply(method, group, args);
		return result;
	}

	/** `ctx.rest.request`. */
	public async request(method: string, route: string, data: unknown): Promise<unknown> {
		this.#live('ctx.rest.request()');
		this.require('rest:raw', `ctx.rest.request(${method} ${route})`);
		if (!HTTP_METHODS.has(method) || typeof route !== 'string' || !route.startsWith('/')) {
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'rest-request', method, route }]);
		}
		const options = isRecord(data) ? data : {};
		const query = options.query;
		return this.#host.environment.request(method, route, {
			body: options.body,
			...(isRecord(query)
				? {
						query: Object.fromEntries(
							Object.entries(query).filter((e): e is [string, string | number | boolean] =>
								['string', 'number', 'boolean'].includes(typeof e[1]),
							),
						),
					}
				: {}),
			...(typeof options.reason === 'string' ? { reason: options.reason } : {}),
		});
	}

	/** `ctx.cache.<view>(...args)`: a plain copy. */
	public cache(view: string, args: readonly unknown[]): unknown {
		this.#live(`ctx.cache.${view}()`);
		this.require('cache:read', `ctx.cache.${view}()`);
		const read = Object.hasOwn(this.#host.environment.cache, view) ? this.#host.environment.cache[view] : undefined;
		if (read === undefined)
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [
				{ kind: 'cache-view', view, views: Object.keys(this.#host.environment.cache) },
			]);
		const value = read(...args);
		return value === undefined ? undefined : structuredClone(value);
	}

	/** `ctx.state.get()`. */
	public stateGet(): unknown {
		this.#live('ctx.state.get()');
		this.require('state:read', 'ctx.state.get()');
		const value = this.#host.environment.state.read(stateKey(this.plugin));
		return value === undefined ? undefined : structuredClone(value);
	}

	/** `ctx.state.set(value)`. */
	public async stateSet(value: unknown): Promise<void> {
		this.#live('ctx.state.set()');
		this.require('state:write', 'ctx.state.set()');
		if (typeof value !== 'object' || value === null)
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'state-value' }]);
		await this.#host.environment.state.write(stateKey(this.plugin), structuredClone(value), this.plugin);
	}

	/** `ctx.provide`. */
	public provide(
		name: string,
		methods: readonly string[],
		call: (method: string, args: readonly unknown[]) => Promise<unknown>,
	): void {
		this.#live(`ctx.provide("${name}")`);
		if (typeof name !== 'string' || name === '')
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'service-name' }]);
		const existing = this.#host.services.get(name);
		if (existing !== undefined && existing.provider !== this.plugin) {
			throw PluginError.of('PLUGIN_SERVICE_CONFLICT', this.plugin, [name, existing.provider]);
		}
		if (methods.length === 0)
			throw PluginError.of('PLUGIN_INVALID_CALL', this.plugin, [{ kind: 'service-methods', name }]);
		this.#host.services.set(name, { provider: this.plugin, methods: [...methods], call });
		this.#provided.push(name);
	}

	/** `ctx.use`: the service, if a plugin along the graph provides it. */
	public use(name: string): HostedService {
		this.#live(`ctx.use("${name}")`);
		const service = this.#host.services.get(name);
		if (service === undefined) {
			throw PluginError.of('PLUGIN_SERVICE_NOT_FOUND', this.plugin, [name, { kind: 'unprovided' }]);
		}
		if (service.provider !== this.plugin && !this.#host.reachable(this.plugin).has(service.provider)) {
			throw PluginError.of('PLUGIN_SERVICE_NOT_FOUND', this.plugin, [
				name,
				{ kind: 'not-a-dependency', provider: service.provider },
			]);
		}
		const provider = service.provider;
		// Resolved per call: a reloaded provider's new implementation answers.
		return {
			provider,
			methods: service.methods,
			call: (method, args) => {
				const current = this.#host.services.get(name);
				if (current === undefined)
					return Promise.reject(
						PluginError.of('PLUGIN_SERVICE_NOT_FOUND', this.plugin, [
							name,
							{ kind: 'provider-gone', provider },
						]),
					);
				if (!current.methods.includes(method))
					return Promise.reject(
						PluginError.of('PLUGIN_SERVICE_NOT_FOUND', this.plugin, [
							name,
							{ kind: 'no-method', method, methods: current.methods },
						]),
					);
				return current.call(method, args);
			},
		};
	}

	/** `ctx.logger.*`. */
	public log(level: PluginLogEntry['level'], message: unknown, data?: unknown): void {
		this.#host.log({
			plugin: this.plugin,
			level,
			message: redactSecrets(String(message)),
			...(data === undefined ? {} : { data }),
		});
	}

	/** The service names this plugin's dependency closure provides, with their methods (sent to remote runtimes). */
	public reachableServices(): Record<string, readonly string[]> {
		const reachable = this.#host.reachable(this.plugin);
		const out: Record<string, readonly string[]> = {};
		for (const [name, service] of this.#host.services)
			if (reachable.has(service.provider)) out[name] = service.methods;
		return out;
	}

	/** Removes every handler and service the plugin registered. Safe to call twice. */
	public close(): void {
		this.#closed = true;
		for (const dispose of this.#disposers.splice(0)) dispose();
		for (const name of this.#provided.splice(0))
			if (this.#host.services.get(name)?.provider === this.plugin) this.#host.services.delete(name);
	}

	/** Re-opens a closed gate (a failed reload puts the old version back). */
	public reopen(): void {
		this.#closed = false;
	}
}
