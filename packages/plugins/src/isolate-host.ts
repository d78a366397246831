/**
 * The child process that runs one `'isolate'` plugin (started by `IsolateTransport` with `--no-node-snapshot`,
 * which isolated-vm needs on Node 20+, and an empty environment: no token, no secrets). The plugin's code runs in
 * an isolated-vm isolate with a heap limit and a CPU time limit per call; inside it there is no `require`,
 * `process`, filesystem or network, only the marshalled `ctx`. A runaway isolate is disposed here; if this
 * process stops answering, the host kills it without touching the bot.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describeRemoteError, REMOTE_CONTEXT_SOURCE } from './lib/runtime/remoteContext.js';
import { serveRemote, type RemoteBridge } from './lib/runtime/RemoteEndpoint.js';
import { runtimeError } from './lib/runtime/wire.js';
import type { RemoteInit } from './lib/runtime/wire.js';

/** The part of isolated-vm this host uses (checked when loaded). */
interface IvmReference {
	apply(receiver: undefined, args: readonly unknown[], options?: object): Promise<unknown>;
	applySync(receiver: undefined, args: readonly unknown[], options?: object): unknown;
	derefInto(): unknown;
}
interface IvmModule {
	readonly namespace: IvmReference;
	instantiate(context: IvmContext, resolve: (specifier: string) => IvmModule | Promise<IvmModule>): Promise<void>;
	evaluate(options?: object): Promise<unknown>;
}
interface IvmContext {
	readonly global: {
		set(key: string, value: unknown): Promise<void>;
		get(key: string, options: { reference: true }): Promise<IvmReference>;
	};
	eval(code: string, options?: object): Promise<unknown>;
}
interface IvmIsolate {
	readonly isDisposed: boolean;
	createContext(): Promise<IvmContext>;
	compileModule(code: string, options?: { filename?: string }): Promise<IvmModule>;
	dispose(): void;
}
interface Ivm {
	readonly Isolate: new (options: {
		memoryLimit: number;
		onCatastrophicError?: (message: string) => void;
	}) => IvmIsolate;
	readonly Reference: new (value: unknown) => IvmReference;
}

function isIvm(value: unknown): value is Ivm {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof Reflect.get(value, 'Isolate') === 'function' &&
		typeof Reflect.get(value, 'Reference') === 'function'
	);
}

function here(): string {
	const url: unknown = import.meta.url;
	return typeof url === 'string' ? url : pathToFileURL(__filename).href;
}

/** The plugin this process runs (named in every error). */
let plugin = '(isolate)';

function loadIvm(): Ivm {
	let loaded: unknown;
	try {
		loaded = createRequire(here())('isolated-vm');
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		throw runtimeError(plugin, 'PLUGIN_ISOLATION_UNSUPPORTED', { kind: 'isolated-vm', why });
	}
	if (!isIvm(loaded))
		throw runtimeError(plugin, 'PLUGIN_ISOLATION_UNSUPPORTED', {
			kind: 'isolated-vm',
			why: 'the module it loaded has no Isolate and Reference',
		});
	return loaded;
}

/** Names the plugin's code finds refused inside the isolate, with the capability the denial names. */
const DENIED = [
	['process', 'node:process'],
	['require', 'node:require'],
	['module', 'node:require'],
	['Buffer', 'node:buffer'],
	['fetch', 'network'],
	['WebSocket', 'network'],
	['XMLHttpRequest', 'network'],
	['setTimeout', 'node:timers'],
	['setInterval', 'node:timers'],
] as const;

/**
 * The isolate's side: the shared remote ctx, the refused globals, and `$ovenjsStart`/`$ovenjsRun` for the host. Error
 * texts come from this process (`$ovenjsDescribe`, called synchronously), which words them with the error table.
 */
function bootstrap(): string {
	return `(() => {
	'use strict';
	const createRemoteContext = ${REMOTE_CONTEXT_SOURCE};
	const call = globalThis.$ovenjsCall;
	const post = globalThis.$ovenjsPost;
	const describeRef = globalThis.$ovenjsDescribe;
	delete globalThis.$ovenjsCall;
	delete globalThis.$ovenjsPost;
	delete globalThis.$ovenjsDescribe;
	const describe = (name, words) => JSON.parse(describeRef.applySync(undefined, [name, JSON.stringify(words)], { arguments: { copy: true } }));
	const raise = createRemoteContext.raiser(describe);
	const deny = (key, capability) => Object.defineProperty(globalThis, key, {
		configurable: false,
		get() {
			throw raise('isolate-global', key, capability);
		},
	});
	for (const [key, capability] of ${JSON.stringify(DENIED)}) deny(key, capability);
	const fail = (error) => ({ ok: false, error: { code: error && error.code, name: error && error.name, message: error && error.message !== undefined ? String(error.message) : String(error), capability: error && error.capability } });
	const bridge = {
		call: (op, args) => call.apply(undefined, [op, JSON.stringify(args === undefined ? [] : args)], { arguments: { copy: true }, result: { promise: true, copy: true } }).then((raw) => {
			const answer = JSON.parse(raw);
			if (answer.ok) return answer.value;
			const error = new Error(answer.error.message);
			error.name = answer.error.name || 'PluginError';
			error.code = answer.error.code;
			error.capability = answer.error.capability;
			throw error;
		}),
		post: (op, args) => post.applyIgnored(undefined, [op, JSON.stringify(args)], { arguments: { copy: true } }),
	};
	let definition;
	let remote;
	globalThis.$ovenjsStart = (initJson, namespace) => {
		try {
			const init = JSON.parse(initJson);
			definition = namespace.default;
			if (definition === null || typeof definition !== 'object' || typeof definition.setup !== 'function') {
				throw raise('default-export', definition === undefined ? 'missing' : definition === null ? 'null' : typeof definition);
			}
			let config = init.config;
			if (init.configExport !== undefined) {
				const schema = namespace[init.configExport];
				if (schema === null || typeof schema !== 'object' || typeof schema.safeParse !== 'function') {
					throw raise('config-export-missing', init.configExport);
				}
				const result = schema.safeParse(config === undefined ? {} : config);
				if (!result.success) {
					throw raise('config-invalid', ...result.error.issues.map((i) => 'config' + i.path.map((p) => '.' + String(p)).join('') + ' ' + i.message));
				}
				config = result.data;
			}
			remote = createRemoteContext(bridge, { ...init, config }, describe);
			return JSON.stringify({ ok: true, value: config });
		} catch (error) {
			return JSON.stringify(fail(error));
		}
	};
	globalThis.$ovenjsRun = async (kind, target, argsJson) => {
		try {
			let value;
			if (kind === 'setup') {
				await definition.setup(remote.ctx);
				await remote.settle();
			} else if (kind === 'teardown') {
				if (typeof definition.teardown === 'function') await definition.teardown(remote.ctx);
			} else value = await remote.dispatch(kind, target, JSON.parse(argsJson));
			return JSON.stringify({ ok: true, value });
		} catch (error) {
			return JSON.stringify(fail(error));
		}
	};
})();`;
}

function parseAnswer(raw: unknown): unknown {
	if (typeof raw !== 'string')
		throw runtimeError(plugin, 'PLUGIN_CRASHED', {
			kind: 'malformed-answer',
			why: 'something other than JSON text',
		});
	const answer: unknown = JSON.parse(raw);
	if (typeof answer !== 'object' || answer === null)
		throw runtimeError(plugin, 'PLUGIN_CRASHED', { kind: 'malformed-answer', why: 'JSON that is not an object' });
	if (Reflect.get(answer, 'ok') === true) return Reflect.get(answer, 'value');
	const error: unknown = Reflect.get(answer, 'error');
	const field = (key: string): string | undefined => {
		const value: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, key) : undefined;
		return typeof value === 'string' ? value : undefined;
	};
	const out = new Error(field('message') ?? 'failed');
	out.name = field('name') ?? 'Error';
	Object.assign(out, { code: field('code'), capability: field('capability') });
	throw out;
}

const PLUGINS_SHIM = 'export function definePlugin(definition) { return definition; }\n';

let isolate: IvmIsolate | undefined;
let run: IvmReference | undefined;
let cpuMs = 1_000;
let memoryMb = 128;

/** Maps isolated-vm's limit errors to plugin codes (the CPU budget per call is the manager's `limits.handlerMs`). */
function limitError(error: unknown, what: string): unknown {
	const message = error instanceof Error ? error.message : String(error);
	if (isolate?.isDisposed === true || /memory limit/i.test(message))
		return runtimeError(plugin, 'PLUGIN_MEMORY_LIMIT', memoryMb, 'isolate');
	if (/timed out/i.test(message)) return runtimeError(plugin, 'PLUGIN_TIMEOUT', what, cpuMs, 'handlerMs', 'stopped');
	return error;
}

async function runInIsolate(kind: string, target: string, args: readonly unknown[]): Promise<unknown> {
	if (run === undefined) throw runtimeError(plugin, 'PLUGIN_CRASHED', { kind: 'not-started' });
	try {
		const raw = await run.apply(undefined, [kind, target, JSON.stringify(args)], {
			timeout: cpuMs,
			arguments: { copy: true },
			result: { promise: true, copy: true },
		});
		return parseAnswer(raw);
	} catch (error) {
		throw limitError(error, kind === 'setup' || kind === 'teardown' ? kind : `${kind} ${target}`);
	}
}

async function init(options: RemoteInit, bridge: RemoteBridge): Promise<unknown> {
	plugin = options.name;
	const ivm = loadIvm();
	cpuMs = options.cpuMs;
	memoryMb = Math.max(8, options.memoryMb);
	isolate = new ivm.Isolate({
		memoryLimit: memoryMb,
		onCatastrophicError: () => {
			process.exit(70);
		},
	});
	const context = await isolate.createContext();
	await context.global.set(
		'$ovenjsCall',
		new ivm.Reference(async (op: unknown, argsJson: unknown) => {
			try {
				const parsed: unknown = typeof argsJson === 'string' ? JSON.parse(argsJson) : [];
				const value = await bridge.call(String(op), Array.isArray(parsed) ? parsed : []);
				return JSON.stringify({ ok: true, value });
			} catch (error) {
				const field = (key: string): unknown =>
					typeof error === 'object' && error !== null ? Reflect.get(error, key) : undefined;
				return JSON.stringify({
					ok: false,
					error: {
						code: field('code'),
						name: field('name'),
						message: String(field('message') ?? error),
						capability: field('capability'),
					},
				});
			}
		}),
	);
	await context.global.set(
		'$ovenjsPost',
		new ivm.Reference((op: unknown, argsJson: unknown) => {
			const parsed: unknown = typeof argsJson === 'string' ? JSON.parse(argsJson) : [];
			bridge.post(String(op), Array.isArray(parsed) ? parsed : []);
		}),
	);
	await context.global.set(
		'$ovenjsDescribe',
		new ivm.Reference((name: unknown, wordsJson: unknown) => {
			const words: unknown = typeof wordsJson === 'string' ? JSON.parse(wordsJson) : [];
			return JSON.stringify(describeRemoteError(plugin, name, words));
		}),
	);
	await context.eval(bootstrap(), { timeout: cpuMs });
	const shim = await isolate.compileModule(PLUGINS_SHIM, { filename: '@ovenjs/plugins' });
	let entry: IvmModule;
	try {
		entry = await isolate.compileModule(options.entry, { filename: `${options.name}.mjs` });
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		throw runtimeError(plugin, 'PLUGIN_INVALID_DEFINITION', { kind: 'compile', why });
	}
	await entry.instantiate(context, (specifier) => {
		if (specifier === '@ovenjs/plugins') return shim;
		throw runtimeError(
			plugin,
			'PLUGIN_PERMISSION_DENIED',
			`import:${specifier}`,
			`importing "${specifier}"`,
			'isolate',
		);
	});
	try {
		await entry.evaluate({ timeout: cpuMs });
	} catch (error) {
		throw limitError(error, 'evaluating the module');
	}
	const start = await context.global.get('$ovenjsStart', { reference: true });
	const started = await start.apply(
		undefined,
		[JSON.stringify({ ...options, entry: '' }), entry.namespace.derefInto()],
		{ timeout: cpuMs, result: { copy: true } },
	);
	const config = parseAnswer(started);
	run = await context.global.get('$ovenjsRun', { reference: true });
	return config;
}

if (typeof process.send !== 'function')
	throw new Error('@ovenjs/plugins/isolate-host runs as a child process started by the plugin manager.');
serveRemote(
	(message) => {
		process.send?.(message);
	},
	(listener) => {
		process.on('message', listener);
	},
	{
		init,
		setup: async () => {
			await runInIsolate('setup', '', []);
		},
		teardown: async () => {
			await runInIsolate('teardown', '', []);
		},
		dispatch: (kind, target, args) => runInIsolate(kind, target, args),
	},
);
process.on('disconnect', () => {
	isolate?.dispose();
	process.exit(0);
});
