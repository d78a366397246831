import { runtimeErrorText, type CodedText } from './wire.js';

/**
 * The `ctx` of a plugin that runs in a worker or an isolate, as JavaScript source: evaluated there (a worker
 * compiles it with `new Function`, an isolate with `compileScript`), so both remote levels share one
 * implementation. It holds the plugin's handlers and turns every `ctx` call into a message to the host, where the
 * plugin's gate checks the capability again (the check here only makes denials synchronous).
 *
 * The source evaluates to `createRemoteContext(bridge, init, describe)`:
 * - `bridge.call(op, args)` → a promise of the host's answer; `bridge.post(op, args)` sends without waiting.
 * - `init`: `{ name, version, isolation, config, capabilities, services }` (`services`: name → method names
 *   reachable along the graph).
 * - `describe(name, words)` → `{ code, message, capability }`: the text of an error the ctx raises, by its name in
 *   {@link REMOTE_ERRORS} (the source cannot import the error table; a worker passes {@link describeRemoteError}
 *   itself, an isolate a synchronous call to its host process, which does).
 * - It returns `{ ctx, dispatch(kind, target, args), settle() }`: `dispatch` runs handlers for the host
 *   (`'event'`, `'hook'`, `'service'`), `settle` waits for registrations made during setup.
 *
 * `createRemoteContext.raiser(describe)` gives the `raise(name, ...words)` the ctx uses, for the isolate's bootstrap.
 */
export const REMOTE_CONTEXT_SOURCE = String.raw`(function () {
	'use strict';
	function raiser(describe) {
		return function raise(name, ...words) {
			const text = describe(name, words.map(String));
			const error = new Error(text.message);
			error.name = 'PluginError[' + text.code + ']';
			error.code = text.code;
			if (text.capability !== undefined) error.capability = text.capability;
			return error;
		};
	}
	function has(granted, capability) {
		if (granted.includes(capability)) return true;
		if (capability === 'state:read' && granted.includes('state:write')) return true;
		if (capability === 'rest:raw') return granted.includes('rest:*');
		for (const c of granted) if (c.endsWith('*') && capability.startsWith(c.slice(0, -1))) return true;
		return false;
	}
	function methodsOf(service) {
		const names = new Set();
		for (let proto = service; typeof proto === 'object' && proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
			for (const key of Object.getOwnPropertyNames(proto)) if (key !== 'constructor' && typeof proto[key] === 'function') names.add(key);
		}
		return [...names];
	}
	function createRemoteContext(bridge, init, describe) {
		const raise = raiser(describe);
		const events = new Map();
		const hooks = new Map();
		const services = new Map();
		const pending = [];
		let hookSeq = 0;
		const require = (capability, action) => {
			if (!has(init.capabilities, capability)) {
				throw raise('denied', capability, action);
			}
		};
		const track = (promise) => {
			pending.push(promise);
			promise.catch(() => undefined);
			return promise;
		};
		const group = (call) => new Proxy(Object.freeze({}), {
			get(_t, key) {
				if (typeof key !== 'string' || key === 'then') return undefined;
				return call(key);
			},
		});
		const log = (level) => (message, data) => bridge.post('log', [level, String(message), data === undefined ? undefined : JSON.parse(JSON.stringify(data))]);
		const ctx = Object.freeze({
			name: init.name,
			version: init.version,
			isolation: init.isolation,
			config: init.config,
			logger: Object.freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
			api: group((resource) => group((operation) => (...args) => {
				require('rest:' + resource + '.' + operation, 'ctx.api.' + resource + '.' + operation + '()');
				return bridge.call('api', [resource, operation, args]);
			})),
			rest: Object.freeze({
				request(method, route, data) {
					require('rest:raw', 'ctx.rest.request(' + method + ' ' + route + ')');
					return bridge.call('rest', [method, route, data]);
				},
			}),
			cache: group((view) => (...args) => {
				require('cache:read', 'ctx.cache.' + view + '()');
				return bridge.call('cache', [view, args]);
			}),
			state: Object.freeze({
				get() {
					require('state:read', 'ctx.state.get()');
					return bridge.call('state.get', []);
				},
				set(value) {
					require('state:write', 'ctx.state.set()');
					return bridge.call('state.set', [value]);
				},
				async update(recipe) {
					require('state:write', 'ctx.state.update()');
					const current = await bridge.call('state.get', []);
					const returned = recipe(current);
					const next = returned === undefined ? current : returned;
					if (next !== undefined) await bridge.call('state.set', [next]);
					return next;
				},
			}),
			can: (capability) => has(init.capabilities, capability),
			on(event, handler) {
				if (typeof handler !== 'function') throw raise('handler', 'on', event);
				require('events:' + event, 'ctx.on("' + event + '")');
				let list = events.get(event);
				if (list === undefined) {
					list = [];
					events.set(event, list);
					track(bridge.call('on', [event]));
				}
				list.push(handler);
			},
			hook(point, handler, options) {
				if (typeof handler !== 'function') throw raise('handler', 'hook', point);
				require('hook:' + point, 'ctx.hook("' + point + '")');
				const id = String(++hookSeq);
				hooks.set(id, handler);
				track(bridge.call('hook', [point, id, options === undefined || options.priority === undefined ? 0 : options.priority]));
			},
			provide(name, service) {
				const methods = methodsOf(service);
				services.set(name, service);
				track(bridge.call('provide', [name, methods]));
			},
			use(name) {
				const methods = init.services[name];
				if (methods === undefined) throw raise('unprovided', name);
				const view = {};
				for (const method of methods) view[method] = (...args) => bridge.call('use', [name, method, args]);
				return Object.freeze(view);
			},
		});
		async function dispatch(kind, target, args) {
			if (kind === 'event') {
				for (const handler of events.get(target) || []) await handler(...args);
				return undefined;
			}
			if (kind === 'hook') {
				const handler = hooks.get(target);
				return handler === undefined ? undefined : await handler(...args);
			}
			if (kind === 'service') {
				const cut = target.indexOf('\u0000');
				const service = services.get(target.slice(0, cut));
				const method = target.slice(cut + 1);
				if (service === undefined || typeof service[method] !== 'function') throw raise('no-method', target.slice(0, cut), method);
				return await service[method](...args);
			}
			throw raise('unknown-dispatch', kind);
		}
		async function settle() {
			while (pending.length > 0) await pending.shift();
		}
		return { ctx, dispatch, settle };
	}
	createRemoteContext.raiser = raiser;
	return createRemoteContext;
})()`;

/** The errors the remote ctx (and an isolate's bootstrap) raises, by name: its words (strings) → a coded text. */
const REMOTE_ERRORS: Readonly<Record<string, (plugin: string, words: readonly string[]) => CodedText>> = {
	denied: (plugin, [capability = '', action = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_PERMISSION_DENIED', capability, action),
	'isolate-global': (plugin, [key = '', capability = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_PERMISSION_DENIED', capability, `reading "${key}"`, 'isolate'),
	handler: (plugin, [method = '', name = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_INVALID_CALL', {
			kind: 'handler',
			method: method === 'hook' ? 'hook' : 'on',
			name,
		}),
	unprovided: (plugin, [service = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_SERVICE_NOT_FOUND', service, { kind: 'unprovided' }),
	'no-method': (plugin, [service = '', method = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_SERVICE_NOT_FOUND', service, {
			kind: 'no-method',
			method,
			methods: undefined,
		}),
	'unknown-dispatch': (plugin, [dispatch = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_CRASHED', { kind: 'unknown-dispatch', dispatch }),
	'default-export': (plugin, [exported = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_INVALID_DEFINITION', { kind: 'default-export', exported }),
	'config-export-missing': (plugin, [exportName = '']) =>
		runtimeErrorText(plugin, 'PLUGIN_INVALID_MANIFEST', { kind: 'config-export-missing', exportName }),
	'config-invalid': (plugin, problems) =>
		runtimeErrorText(plugin, 'PLUGIN_CONFIG_INVALID', { kind: 'invalid', problems, plugin }),
};

/** `Array.isArray` that narrows `unknown` to `readonly unknown[]` (not `any[]`). */
function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isWords(value: unknown): value is readonly string[] {
	if (!isList(value)) return false;
	for (const word of value) if (typeof word !== 'string') return false;
	return true;
}

/**
 * The code and text of an error the remote ctx raises by `name` (see {@link REMOTE_CONTEXT_SOURCE}), worded by the
 * error table; a name it does not know is reported as the runtime asking for an unknown operation.
 */
export function describeRemoteError(plugin: string, name: unknown, words: unknown): CodedText {
	const build = typeof name === 'string' && Object.hasOwn(REMOTE_ERRORS, name) ? REMOTE_ERRORS[name] : undefined;
	if (build === undefined || !isWords(words))
		return runtimeErrorText(plugin, 'PLUGIN_CRASHED', { kind: 'unknown-operation', op: `raise ${String(name)}` });
	return build(plugin, words);
}
