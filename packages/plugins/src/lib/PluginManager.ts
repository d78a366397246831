import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { availableParallelism } from 'node:os';
import { markClass } from '@ovenjs/types';
import { checkSchema, resolveReferences, validateConfig, type ConfigSources } from './config.js';
import { validateWithExport } from './runtime/configExport.js';
import type { PluginContext, PluginDefinition } from './definePlugin.js';
import { discoverPlugins, locatePlugin, readEntrySource, type PluginPackage } from './discovery.js';
import type { PluginEnvironment, PluginLogEntry } from './environment.js';
import { PluginError } from './errors/PluginError.js';
import { dependentsOf, resolveGraph } from './graph.js';
import { createInProcessContext, type HandlerWrapper } from './InProcessContext.js';
import {
	checkEngine,
	compareIsolation,
	IsolationLevels,
	parseInlineManifest,
	type IsolationLevel,
	type ResolvedManifest,
} from './manifest.js';
import { PluginGate, type HostedService } from './PluginGate.js';
import { definitionOf, isDefinition } from './runtime/definition.js';
import { RemoteRuntime } from './runtime/RemoteRuntime.js';
import { IsolateTransport, WorkerTransport } from './runtime/transports.js';

/** Time and memory limits of plugins. */
export interface PluginLimits {
	/** How long `setup` (and loading the module) may take, ms. @defaultValue `10_000` */
	readonly setupMs: number;
	/** How long `teardown` may take, ms. @defaultValue `5_000` */
	readonly teardownMs: number;
	/**
	 * How long one handler call (an event, a hook, a service method) may take in a `'worker'` or `'isolate'` plugin,
	 * ms; a handler over budget stops its plugin (`PLUGIN_TIMEOUT`). Inside an isolate it is also the CPU limit per
	 * call. In-process (`'none'`) handlers cannot be interrupted. @defaultValue `2_000`
	 */
	readonly handlerMs: number;
	/** Heap limit of a `'worker'` or `'isolate'` plugin, MB (`PLUGIN_MEMORY_LIMIT`). @defaultValue `128` */
	readonly memoryMb: number;
}

/** The defaults of {@link PluginLimits}. */
export const DefaultPluginLimits = {
	setupMs: 10_000,
	teardownMs: 5_000,
	handlerMs: 2_000,
	memoryMb: 128,
} as const satisfies PluginLimits;

/** What `load` accepts: a package name, a folder (path or file URL), or a definition (runs in-process). */
export type PluginSource = string | URL | PluginDefinition;

/** A failed plugin, as `pluginError` reports it. */
export interface PluginErrorReport {
	readonly plugin: string;
	readonly error: PluginError;
}

/** A plugin, as `list()` and `get()` describe it. */
export interface PluginInfo {
	readonly name: string;
	readonly version: string;
	readonly isolation: IsolationLevel;
	/** `'loaded'`, or `'stopped'` after a crash, a timeout or a memory limit (reload it to start it again). */
	readonly status: 'loaded' | 'stopped';
	/** Why it stopped. */
	readonly error: PluginError | undefined;
	/** The plugins it loads after (required, peer, and present optional dependencies). */
	readonly dependencies: readonly string[];
	/** The capabilities its manifest grants. */
	readonly permissions: readonly string[];
	/** The folder it was loaded from (`undefined` for a definition passed directly). */
	readonly dir: string | undefined;
	/** How many times it was reloaded. */
	readonly reloads: number;
}

/** The result of `load`. */
export interface PluginLoadResult {
	/** Plugins loaded, in load order. */
	readonly loaded: readonly string[];
	/** Plugins that did not load (each also reported on `pluginError`). */
	readonly failed: readonly PluginError[];
}

/** What the manager tells its host. */
export interface PluginManagerEvents {
	load?(info: PluginInfo): void;
	unload?(info: PluginInfo): void;
	error?(report: PluginErrorReport): void;
	warn?(message: string): void;
	log?(entry: PluginLogEntry): void;
}

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions extends ConfigSources {
	/** The host's doors (the Client builds it). */
	readonly environment: PluginEnvironment;
	/** The bot's folder: package names resolve from its `node_modules`, `discover` reads its package.json. @defaultValue `process.cwd()` */
	readonly root?: string;
	/**
	 * The isolation to run plugins at, for all or per plugin name. It may not be stronger than what a plugin's
	 * manifest accepts (`PLUGIN_ISOLATION_UNSUPPORTED`). @defaultValue each manifest's `isolation`
	 */
	readonly isolation?: IsolationLevel | Readonly<Record<string, IsolationLevel>>;
	/** Each plugin's config, by plugin name; `{ "$env": "NAME" }` / `{ "$secret": "NAME" }` references are resolved. */
	readonly config?: Readonly<Record<string, unknown>>;
	/** Limits. @defaultValue {@link DefaultPluginLimits} */
	readonly limits?: Partial<PluginLimits>;
	/** Reload a plugin when its folder changes (development). @defaultValue `false` */
	readonly watch?: boolean;
	/** Where loads, unloads, errors, warnings and plugin log lines go. */
	readonly events?: PluginManagerEvents;
	/** The `@ovenjs/plugins` version manifests' `engine` ranges are checked against. @defaultValue {@link PLUGINS_ENGINE_VERSION} */
	readonly engineVersion?: string;
}

interface Candidate {
	readonly manifest: ResolvedManifest;
	readonly pkg: PluginPackage | undefined;
	readonly definition: PluginDefinition | undefined;
}

type Runtime =
	| { readonly kind: 'local'; readonly definition: PluginDefinition; readonly ctx: PluginContext }
	| { readonly kind: 'remote'; readonly remote: RemoteRuntime };

interface Entry {
	readonly candidate: Candidate;
	readonly isolation: IsolationLevel;
	readonly gate: PluginGate;
	readonly runtime: Runtime;
	status: 'loaded' | 'stopped';
	error: PluginError | undefined;
	reloads: number;
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => PluginError): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(onTimeout());
		}, ms);
	});
	return Promise.race([work, timeout]).finally(() => {
		clearTimeout(timer);
	});
}

/** At most `size` holders at a time. */
class Semaphore {
	readonly #waiting: (() => void)[] = [];
	#free: number;

	public constructor(size: number) {
		this.#free = size;
	}

	public async acquire(): Promise<void> {
		if (this.#free > 0) {
			this.#free--;
			return;
		}
		await new Promise<void>((resolve) => {
			this.#waiting.push(resolve);
		});
	}

	public release(): void {
		const next = this.#waiting.shift();
		if (next === undefined) this.#free++;
		else next();
	}
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

/**
 * The plugin system: finds plugins (package names, folders, `discover`), validates their manifests and configs,
 * orders them along their dependency graph, runs each at its isolation level behind a gate that enforces its
 * capabilities, and unloads, reloads and watches them. `@ovenjs/core` composes one as `client.plugins`.
 */
export class PluginManager {
	static {
		markClass(this, 'plugins.PluginManager');
	}

	readonly #options: PluginManagerOptions;
	readonly #limits: PluginLimits;
	readonly #root: string;
	readonly #entries = new Map<string, Entry>();
	readonly #edges = new Map<string, readonly string[]>();
	readonly #order: string[] = [];
	readonly #services = new Map<string, HostedService>();
	readonly #watchers = new Map<string, FSWatcher>();
	#importSeq = 0;
	#queue: Promise<unknown> = Promise.resolve();
	#closed = false;

	public constructor(options: PluginManagerOptions) {
		this.#options = options;
		this.#root = options.root ?? process.cwd();
		this.#limits = { ...DefaultPluginLimits, ...options.limits };
		for (const key of ['setupMs', 'teardownMs', 'handlerMs', 'memoryMb'] as const) {
			const value: unknown = this.#limits[key];
			if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
				throw PluginError.of('PLUGIN_INVALID_OPTION', '(options)', [
					`limits.${key}`,
					'a positive number',
					String(value),
				]);
			}
		}
		const isolation = options.isolation;
		const levels = typeof isolation === 'string' ? [isolation] : Object.values(isolation ?? {});
		for (const level of levels) {
			if (!IsolationLevels.includes(level))
				throw PluginError.of('PLUGIN_INVALID_OPTION', '(options)', [
					'isolation',
					"'none', 'worker' or 'isolate'",
					JSON.stringify(level),
				]);
		}
	}

	/** Names of the loaded plugins, in load order. */
	public get loaded(): readonly string[] {
		return this.#order.filter((name) => this.#entries.get(name)?.status === 'loaded');
	}

	/** Every plugin the manager holds (loaded or stopped), in load order. */
	public list(): PluginInfo[] {
		return this.#order.flatMap((name) => {
			const info = this.get(name);
			return info === undefined ? [] : [info];
		});
	}

	/** One plugin, by name. */
	public get(name: string): PluginInfo | undefined {
		const entry = this.#entries.get(name);
		if (entry === undefined) return undefined;
		const { manifest } = entry.candidate;
		return {
			name,
			version: manifest.version,
			isolation: entry.isolation,
			status: entry.status,
			error: entry.error,
			dependencies: this.#edges.get(name) ?? [],
			permissions: manifest.permissions,
			dir: entry.candidate.pkg?.dir,
			reloads: entry.reloads,
		};
	}

	/** The `ovenjs-plugin-*` packages the bot's package.json depends on. */
	public discover(): string[] {
		return discoverPlugins(this.#root);
	}

	/**
	 * Loads plugins in dependency order. Each plugin that cannot load is reported on `pluginError` and in
	 * `failed`; the others load. Operations (load, unload, reload) run one at a time.
	 */
	public load(...sources: readonly PluginSource[]): Promise<PluginLoadResult> {
		return this.#serial(() => this.#load(sources));
	}

	/**
	 * Unloads a plugin, and first every plugin that depends on it (last loaded first): their handlers and services
	 * are removed, `teardown` runs, workers and isolates are stopped. Resolves with the names unloaded.
	 * @throws {@link PluginError} `PLUGIN_NOT_LOADED`.
	 */
	public unload(name: string): Promise<string[]> {
		return this.#serial(async () => {
			if (!this.#entries.has(name))
				throw PluginError.of('PLUGIN_NOT_LOADED', name, [{ kind: 'unknown', operation: 'unload' }]);
			const names = [...dependentsOf(name, this.#edges, this.#order).reverse(), name];
			for (const each of names) await this.#unloadOne(each);
			return names;
		});
	}

	/**
	 * Replaces a plugin with a fresh copy of its code (a new worker or isolate; a re-import for `'none'`, see the
	 * docs), handing its `ctx.state` over, then reloads its dependents in order. When the new version fails to load,
	 * the old one is set up again and the error is thrown. Resolves with the names reloaded.
	 * @throws {@link PluginError} `PLUGIN_NOT_LOADED`, or the new version's error.
	 */
	public reload(name: string): Promise<string[]> {
		return this.#serial(() => this.#reload(name));
	}

	/** Unloads every plugin (dependents first) and stops watching. */
	public close(): Promise<void> {
		return this.#serial(async () => {
			this.#closed = true;
			for (const watcher of this.#watchers.values()) watcher.close();
			this.#watchers.clear();
			for (const name of [...this.#order].reverse()) await this.#unloadOne(name);
		});
	}

	#serial<T>(work: () => Promise<T>): Promise<T> {
		const run = this.#queue.then(work, work);
		this.#queue = run.then(
			() => undefined,
			() => undefined,
		);
		return run;
	}

	#report(error: PluginError): void {
		this.#options.events?.error?.({ plugin: error.plugin, error });
	}

	#candidate(source: PluginSource): Candidate {
		if (typeof source === 'string' || source instanceof URL) {
			const pkg = locatePlugin(source, this.#root);
			return { manifest: pkg.manifest, pkg, definition: undefined };
		}
		if (!isDefinition(source))
			throw PluginError.of('PLUGIN_INVALID_DEFINITION', '(definition)', [{ kind: 'load-argument' }]);
		const manifest = parseInlineManifest(source.name, source.version, source.manifest);
		return { manifest, pkg: undefined, definition: source };
	}

	#isolationOf(candidate: Candidate): IsolationLevel {
		const { manifest } = candidate;
		const option = this.#options.isolation;
		const requested = typeof option === 'string' ? option : (option?.[manifest.name] ?? manifest.isolation);
		if (compareIsolation(requested, manifest.isolation) > 0) {
			throw PluginError.of('PLUGIN_ISOLATION_UNSUPPORTED', manifest.name, [
				{ kind: 'manifest', plugin: manifest.name, accepts: manifest.isolation, requested },
			]);
		}
		if (requested !== 'none' && candidate.pkg === undefined) {
			throw PluginError.of('PLUGIN_ISOLATION_UNSUPPORTED', manifest.name, [{ kind: 'inline', requested }]);
		}
		return requested;
	}

	async #load(sources: readonly PluginSource[]): Promise<PluginLoadResult> {
		if (this.#closed) throw PluginError.of('PLUGIN_MANAGER_CLOSED', '(manager)', []);
		const failed: PluginError[] = [];
		const candidates = new Map<string, Candidate>();
		for (const source of sources) {
			try {
				const candidate = this.#candidate(source);
				const { name } = candidate.manifest;
				if (this.#entries.has(name) || candidates.has(name))
					throw PluginError.of('PLUGIN_ALREADY_LOADED', name, []);
				checkEngine(candidate.manifest, this.#options.engineVersion);
				candidates.set(name, candidate);
			} catch (error) {
				failed.push(
					PluginError.from(
						typeof source === 'string' ? source : source instanceof URL ? source.href : '(definition)',
						error,
						'PLUGIN_INVALID_DEFINITION',
						'could not be read',
					),
				);
			}
		}
		const available = [...this.#entries.values()]
			.filter((e) => e.status === 'loaded')
			.map((e) => e.candidate.manifest);
		const graph = resolveGraph(
			[...candidates.values()].map((c) => c.manifest),
			available,
		);
		for (const warning of graph.warnings) this.#options.events?.warn?.(warning);
		for (const error of graph.failed.values()) failed.push(error);
		// Plugins start as soon as their dependencies are up (independent ones in parallel: a worker or an isolate
		// takes a while to start), at most `parallel` at a time; results are recorded in graph order.
		const started = new Map<string, Promise<Entry | PluginError>>();
		const slots = new Semaphore(Math.max(2, availableParallelism()));
		for (const name of graph.order) {
			const candidate = candidates.get(name);
			if (candidate === undefined) continue;
			const edges = graph.edges.get(name) ?? [];
			this.#edges.set(name, edges);
			started.set(
				name,
				(async (): Promise<Entry | PluginError> => {
					for (const dep of edges) {
						const result = await started.get(dep);
						if (result instanceof PluginError)
							return PluginError.of(
								'PLUGIN_DEPENDENCY_MISSING',
								name,
								[dep, { kind: 'failed', code: result.code }],
								{ cause: result },
							);
					}
					await slots.acquire();
					try {
						const entry = await this.#start(candidate, 0);
						this.#entries.set(name, entry);
						return entry;
					} catch (error) {
						return PluginError.from(name, error, 'PLUGIN_CRASHED', 'failed to load');
					} finally {
						slots.release();
					}
				})(),
			);
		}
		const loaded: string[] = [];
		for (const [name, pending] of started) {
			const result = await pending;
			if (result instanceof PluginError) {
				this.#edges.delete(name);
				failed.push(result);
				continue;
			}
			if (!this.#order.includes(name)) this.#order.push(name);
			loaded.push(name);
			this.#watch(name);
			const info = this.get(name);
			if (info !== undefined) this.#options.events?.load?.(info);
		}
		for (const error of failed) this.#report(error);
		return { loaded, failed };
	}

	#gateHost(): ConstructorParameters<typeof PluginGate>[2] {
		return {
			environment: this.#options.environment,
			services: this.#services,
			reachable: (plugin) => this.#reachable(plugin),
			log: (entry) => this.#options.events?.log?.(entry),
		};
	}

	#reachable(plugin: string): ReadonlySet<string> {
		const seen = new Set<string>();
		const stack = [...(this.#edges.get(plugin) ?? [])];
		for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
			if (seen.has(next)) continue;
			seen.add(next);
			stack.push(...(this.#edges.get(next) ?? []));
		}
		return seen;
	}

	#config(manifest: ResolvedManifest): { readonly value: unknown; readonly exportName: string | undefined } {
		const raw = this.#options.config?.[manifest.name];
		const { env, secrets, environment } = this.#options;
		const resolved = resolveReferences(manifest.name, raw, {
			...(env === undefined ? {} : { env }),
			...(secrets === undefined ? {} : { secrets }),
			refuse: (value) => environment.refuse?.(value) === true,
		});
		const schema = manifest.config;
		if (schema === undefined) return { value: resolved, exportName: undefined };
		if (typeof schema === 'string') return { value: resolved, exportName: schema };
		checkSchema(manifest.name, schema);
		return { value: validateConfig(manifest.name, schema, resolved), exportName: undefined };
	}

	#wrap(plugin: string): HandlerWrapper {
		return (what, handler) =>
			(...args) => {
				const fail = (error: unknown): undefined => {
					this.#report(PluginError.from(plugin, error, 'PLUGIN_HANDLER_FAILED', `its ${what} handler threw`));
					return undefined;
				};
				try {
					const result = handler(...args);
					return isPromiseLike(result) ? Promise.resolve(result).then(undefined, fail) : result;
				} catch (error) {
					fail(error);
					return;
				}
			};
	}

	async #start(candidate: Candidate, reloads: number): Promise<Entry> {
		const { manifest } = candidate;
		const isolation = this.#isolationOf(candidate);
		const config = this.#config(manifest);
		const gate = new PluginGate(manifest.name, manifest.permissions, this.#gateHost());
		const setupTimeout = (what: string) => () =>
			PluginError.of('PLUGIN_TIMEOUT', manifest.name, [what, this.#limits.setupMs, 'setupMs', 'none']);
		if (isolation === 'none') {
			let definition = candidate.definition;
			let value = config.value;
			if (definition === undefined) {
				const entryUrl = candidate.pkg?.entry;
				if (entryUrl === undefined)
					throw PluginError.of('PLUGIN_NOT_FOUND', manifest.name, [{ kind: 'entry', dir: undefined }]);
				// A reload needs a new module instance: ESM caches by URL, so the URL changes (the old one stays in memory).
				const url = reloads === 0 ? entryUrl.href : `${entryUrl.href}?ovenjs-reload=${++this.#importSeq}`;
				const namespace: unknown = await withTimeout(
					import(url),
					this.#limits.setupMs,
					setupTimeout('importing the module'),
				);
				definition = definitionOf(manifest.name, namespace);
				if (config.exportName !== undefined) {
					const record =
						typeof namespace === 'object' && namespace !== null
							? Object.fromEntries(Object.entries(namespace))
							: {};
					value = validateWithExport(manifest.name, record, config.exportName, value);
				}
			} else if (config.exportName !== undefined) {
				throw PluginError.of('PLUGIN_INVALID_MANIFEST', manifest.name, [{ kind: 'config-export' }]);
			}
			const ctx = createInProcessContext(
				gate,
				{ version: manifest.version, isolation, config: value },
				this.#wrap(manifest.name),
			);
			const entry: Entry = {
				candidate,
				isolation,
				gate,
				runtime: { kind: 'local', definition, ctx },
				status: 'loaded',
				error: undefined,
				reloads,
			};
			await this.#setup(entry);
			return entry;
		}
		const transport =
			isolation === 'worker' ? new WorkerTransport({ memoryMb: this.#limits.memoryMb }) : new IsolateTransport();
		const holder: { entry: Entry | undefined } = { entry: undefined };
		const remote = new RemoteRuntime(
			transport,
			gate,
			this.#limits,
			(error) => {
				if (holder.entry !== undefined) this.#stopped(holder.entry, error);
			},
			(error) => {
				this.#report(error);
			},
		);
		const entry: Entry = {
			candidate,
			isolation,
			gate,
			runtime: { kind: 'remote', remote },
			status: 'loaded',
			error: undefined,
			reloads,
		};
		holder.entry = entry;
		try {
			const pkg = candidate.pkg;
			if (pkg === undefined)
				throw PluginError.of('PLUGIN_NOT_FOUND', manifest.name, [{ kind: 'entry', dir: undefined }]);
			await remote.init({
				name: manifest.name,
				version: manifest.version,
				isolation,
				entry:
					isolation === 'isolate'
						? await readEntrySource(pkg.entry)
						: `${pkg.entry.href}${reloads === 0 ? '' : `?ovenjs-reload=${++this.#importSeq}`}`,
				config: config.value,
				configExport: config.exportName,
				capabilities: manifest.permissions,
				services: gate.reachableServices(),
				cpuMs: this.#limits.handlerMs,
				memoryMb: this.#limits.memoryMb,
			});
			await this.#setup(entry);
		} catch (error) {
			gate.close();
			await remote.kill();
			throw error;
		}
		return entry;
	}

	async #setup(entry: Entry): Promise<void> {
		const { gate, runtime } = entry;
		const name = gate.plugin;
		try {
			if (runtime.kind === 'local') {
				await withTimeout(Promise.resolve(runtime.definition.setup(runtime.ctx)), this.#limits.setupMs, () =>
					PluginError.of('PLUGIN_TIMEOUT', name, ['setup', this.#limits.setupMs, 'setupMs', 'removed']),
				);
			} else await runtime.remote.setup();
			gate.reopen();
		} catch (error) {
			gate.close();
			throw PluginError.from(name, error, 'PLUGIN_CRASHED', 'setup threw');
		}
	}

	async #teardown(entry: Entry): Promise<void> {
		const { gate, runtime } = entry;
		const name = gate.plugin;
		try {
			if (runtime.kind === 'local') {
				if (runtime.definition.teardown !== undefined)
					await withTimeout(
						Promise.resolve(runtime.definition.teardown(runtime.ctx)),
						this.#limits.teardownMs,
						() =>
							PluginError.of('PLUGIN_TIMEOUT', name, [
								'teardown',
								this.#limits.teardownMs,
								'teardownMs',
								'none',
							]),
					);
			} else if (!runtime.remote.dead) await runtime.remote.teardown();
		} catch (error) {
			this.#report(PluginError.from(name, error, 'PLUGIN_CRASHED', 'teardown threw'));
		} finally {
			gate.close();
		}
	}

	#stopped(entry: Entry, error: PluginError): void {
		if (entry.status === 'stopped' || this.#entries.get(entry.gate.plugin) !== entry) return;
		entry.status = 'stopped';
		entry.error = error;
		entry.gate.close();
		if (entry.runtime.kind === 'remote') void entry.runtime.remote.kill();
		this.#report(error);
	}

	async #unloadOne(name: string): Promise<void> {
		const entry = this.#entries.get(name);
		if (entry === undefined) return;
		if (entry.status === 'loaded') await this.#teardown(entry);
		else entry.gate.close();
		if (entry.runtime.kind === 'remote') await entry.runtime.remote.kill();
		this.#entries.delete(name);
		this.#edges.delete(name);
		this.#order.splice(this.#order.indexOf(name), 1);
		this.#watchers.get(name)?.close();
		this.#watchers.delete(name);
		const { manifest } = entry.candidate;
		this.#options.events?.unload?.({
			name,
			version: manifest.version,
			isolation: entry.isolation,
			status: entry.status,
			error: entry.error,
			dependencies: [],
			permissions: manifest.permissions,
			dir: entry.candidate.pkg?.dir,
			reloads: entry.reloads,
		});
	}

	async #reload(name: string): Promise<string[]> {
		const old = this.#entries.get(name);
		if (old === undefined)
			throw PluginError.of('PLUGIN_NOT_LOADED', name, [{ kind: 'unknown', operation: 'reload' }]);
		const dependents = dependentsOf(name, this.#edges, this.#order);
		// The new version's package (it may have changed on disk), checked before anything stops.
		const candidate = old.candidate.pkg === undefined ? old.candidate : this.#candidate(old.candidate.pkg.dir);
		if (candidate.manifest.name !== name)
			throw PluginError.of('PLUGIN_INVALID_MANIFEST', name, [{ kind: 'renamed', name: candidate.manifest.name }]);
		checkEngine(candidate.manifest, this.#options.engineVersion);
		const stack = [...dependents].reverse();
		for (const each of stack) {
			const entry = this.#entries.get(each);
			if (entry?.status === 'loaded') await this.#teardown(entry);
		}
		if (old.status === 'loaded') await this.#teardown(old);
		let fresh: Entry;
		try {
			fresh = await this.#start(candidate, old.reloads + 1);
		} catch (error) {
			const failure = PluginError.from(name, error, 'PLUGIN_CRASHED', 'the new version failed to load');
			// Keep the old version: set it up again (same module, same worker or isolate), then its dependents.
			if (old.status === 'loaded')
				await this.#setup(old).catch((again: unknown) => {
					this.#stopped(
						old,
						PluginError.from(name, again, 'PLUGIN_CRASHED', 'the old version failed to set up again'),
					);
				});
			for (const each of dependents) {
				const entry = this.#entries.get(each);
				if (entry?.status === 'loaded')
					await this.#setup(entry).catch((again: unknown) => {
						this.#stopped(entry, PluginError.from(each, again, 'PLUGIN_CRASHED', 'failed to set up again'));
					});
			}
			this.#report(failure);
			throw failure;
		}
		if (old.runtime.kind === 'remote') await old.runtime.remote.kill();
		this.#entries.set(name, fresh);
		const reloaded = [name];
		// Dependents: a fresh copy each, in order (their services and handlers bind to the new provider).
		for (const each of dependents) {
			const entry = this.#entries.get(each);
			if (entry === undefined) continue;
			try {
				const next = await this.#start(
					entry.candidate.pkg === undefined ? entry.candidate : this.#candidate(entry.candidate.pkg.dir),
					entry.reloads + 1,
				);
				if (entry.runtime.kind === 'remote') await entry.runtime.remote.kill();
				this.#entries.set(each, next);
				reloaded.push(each);
			} catch (error) {
				this.#stopped(
					entry,
					PluginError.from(
						each,
						error,
						'PLUGIN_CRASHED',
						`failed to load again after "${name}" was reloaded`,
					),
				);
			}
		}
		for (const each of reloaded) {
			const info = this.get(each);
			if (info !== undefined) this.#options.events?.load?.(info);
		}
		return reloaded;
	}

	#watch(name: string): void {
		if (this.#options.watch !== true || this.#watchers.has(name)) return;
		const dir = this.#entries.get(name)?.candidate.pkg?.dir;
		if (dir === undefined) return;
		let timer: NodeJS.Timeout | undefined;
		const watcher = watchFiles(dir, { recursive: true }, (_event, file) => {
			if (typeof file === 'string' && (file.includes('node_modules') || file.startsWith('.'))) return;
			clearTimeout(timer);
			timer = setTimeout(() => {
				this.#options.events?.warn?.(`Plugin "${name}": files changed, reloading.`);
				this.reload(name).catch(() => undefined);
			}, 100);
		});
		watcher.unref();
		this.#watchers.set(name, watcher);
	}
}
