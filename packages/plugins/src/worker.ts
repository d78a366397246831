/**
 * The entry of a `'worker'` plugin's thread (loaded by path by `WorkerTransport`, never imported). It imports the
 * plugin's module, validates its config with the exported zod schema when the manifest names one, and runs the
 * plugin with the shared remote `ctx`. The thread starts with an empty `process.env` and never sees the token.
 */
import { parentPort } from 'node:worker_threads';
import { validateWithExport } from './lib/runtime/configExport.js';
import type { PluginDefinition } from './lib/definePlugin.js';
import { definitionOf } from './lib/runtime/definition.js';
import { describeRemoteError, REMOTE_CONTEXT_SOURCE } from './lib/runtime/remoteContext.js';
import { serveRemote, type RemoteBridge } from './lib/runtime/RemoteEndpoint.js';
import { runtimeError, type RemoteInit } from './lib/runtime/wire.js';

interface RemoteContext {
	readonly ctx: Parameters<PluginDefinition['setup']>[0];
	dispatch(kind: string, target: string, args: readonly unknown[]): Promise<unknown>;
	settle(): Promise<void>;
}

type RemoteFactory = (
	bridge: RemoteBridge,
	init: object,
	describe: (name: unknown, words: unknown) => object,
) => RemoteContext;

function isFactory(value: unknown): value is RemoteFactory {
	return typeof value === 'function';
}

const port = parentPort;
if (port === null) throw new Error('@ovenjs/plugins/worker runs inside a worker thread started by the plugin manager.');

// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the shared remote ctx is source text (see remoteContext.ts)
const factory: unknown = Reflect.apply(new Function(`return ${REMOTE_CONTEXT_SOURCE}`), undefined, []);
if (!isFactory(factory)) throw new Error('the remote context source did not evaluate to a function.');

let plugin = '(worker)';
let definition: PluginDefinition | undefined;
let remote: RemoteContext | undefined;

function loaded(): { definition: PluginDefinition; remote: RemoteContext } {
	if (definition === undefined || remote === undefined)
		throw runtimeError(plugin, 'PLUGIN_CRASHED', { kind: 'not-started' });
	return { definition, remote };
}

serveRemote(
	(message) => {
		port.postMessage(message);
	},
	(listener) => {
		port.on('message', listener);
	},
	{
		async init(init: RemoteInit, bridge) {
			plugin = init.name;
			const namespace: unknown = await import(init.entry);
			definition = definitionOf(init.name, namespace);
			const record =
				typeof namespace === 'object' && namespace !== null
					? Object.fromEntries(Object.entries(namespace))
					: {};
			const config =
				init.configExport === undefined
					? init.config
					: validateWithExport(init.name, record, init.configExport, init.config);
			remote = factory(bridge, { ...init, config }, (name, words) => describeRemoteError(init.name, name, words));
			return config;
		},
		async setup() {
			const current = loaded();
			await current.definition.setup(current.remote.ctx);
			await current.remote.settle();
		},
		async teardown() {
			const current = loaded();
			await current.definition.teardown?.(current.remote.ctx);
		},
		dispatch: (kind, target, args) => loaded().remote.dispatch(kind, target, args),
	},
);
