import semver from 'semver';
import type { ExtensionHandler, ExtensionPointName } from '@ovenjs/types';
import { PluginError } from '../errors/PluginError.js';
import {
	PluginManifestSchema,
	type PluginManifest,
	type PluginManifestInput,
	type PluginPermission,
} from './manifest.js';
import { markClass } from '@ovenjs/types';

/** The version of the plugin API this package implements; manifests declare the range they support. */
export const PLUGIN_API_VERSION = '0.1.0';

/** The registering side of an extension-point bus (`@ovenjs/core`'s bus satisfies it). */
export interface ExtensionPointRegistrar {
	/** `label` names the plugin in `error:unhandled` reports (the host passes the plugin's name). */
	on<P extends ExtensionPointName>(
		point: P,
		handler: ExtensionHandler<P>,
		options?: { readonly priority?: number; readonly label?: string },
	): () => void;
}

/** What a plugin's `setup` receives. Everything it registers through it is removed on unload. */
export interface PluginHostContext {
	readonly manifest: PluginManifest;
	/** Registers a handler on a point the manifest declares in `hooks`. */
	hook<P extends ExtensionPointName>(
		point: P,
		handler: ExtensionHandler<P>,
		options?: { readonly priority?: number },
	): void;
	/** Whether the manifest was granted `permission`. */
	can(permission: PluginPermission): boolean;
	/** The loaded dependency plugins' public APIs, by name. */
	dependency(name: string): unknown;
}

/** A plugin of the legacy {@link PluginHost} (an inline `manifest` plus `setup`). */
export interface Plugin<Api = unknown> {
	readonly manifest: PluginManifestInput;
	/** Registers hooks; may return the plugin's public API for dependents and an optional teardown. */
	setup(context: PluginHostContext): PluginSetupResult<Api> | Promise<PluginSetupResult<Api>>;
}

/** What `setup` may return. */
export type PluginSetupResult<Api> = void | { readonly api?: Api; readonly teardown?: () => void | Promise<void> };

interface Loaded {
	readonly manifest: PluginManifest;
	readonly disposers: (() => void)[];
	readonly api: unknown;
	readonly teardown: (() => void | Promise<void>) | undefined;
}

/** Options of {@link PluginHost}. */
export interface PluginHostOptions {
	/** The bus plugins register on. */
	readonly registrar: ExtensionPointRegistrar;
	/**
	 * The plugin API version the host offers, checked against each manifest's `ovenjs` range.
	 * @defaultValue {@link PLUGIN_API_VERSION}
	 */
	readonly apiVersion?: string;
}

/**
 * The legacy host: prefer `PluginManager` (`client.plugins` in `@ovenjs/core`): package manifests, capabilities,
 * isolation, services and reload. `PluginHost` stays for code written against 0.1.
 *
 * Loads plugins: validates manifests, checks API compatibility and inter-plugin dependencies (semver), loads
 * in dependency order, allows only declared hooks, and unloads cleanly (dependents first).
 *
 * Plugins run in-process with their capabilities limited to what the manifest declares; isolation in a
 * separate V8 isolate is not provided by this version.
 */
export class PluginHost {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'plugins.PluginHost');
	}

	readonly #registrar: ExtensionPointRegistrar;
	readonly #apiVersion: string;
	readonly #pending = new Map<string, { readonly plugin: Plugin; readonly manifest: PluginManifest }>();
	readonly #loaded = new Map<string, Loaded>();

	public constructor(options: PluginHostOptions) {
		this.#registrar = options.registrar;
		this.#apiVersion = options.apiVersion ?? PLUGIN_API_VERSION;
	}

	/** Validates and queues a plugin; {@link loadAll} loads it. */
	public add(plugin: Plugin): PluginManifest {
		const parsed = PluginManifestSchema.safeParse(plugin.manifest);
		const rawName: unknown = Reflect.get(plugin.manifest, 'name');
		const label = typeof rawName === 'string' ? rawName : '(unnamed)';
		if (!parsed.success) {
			const detail = parsed.error.issues
				.map((i) => `${i.path.join('.') || '(manifest)'} ${i.message}`)
				.join('; ');
			throw new PluginError('PLUGIN_INVALID_MANIFEST', label, `invalid manifest: ${detail}.`);
		}
		const manifest = parsed.data;
		if (this.#pending.has(manifest.name) || this.#loaded.has(manifest.name)) {
			throw new PluginError(
				'PLUGIN_DUPLICATE',
				manifest.name,
				'is already added; remove the duplicate or unload it first.',
			);
		}
		if (!semver.satisfies(this.#apiVersion, manifest.ovenjs, { includePrerelease: true })) {
			throw new PluginError(
				'PLUGIN_INCOMPATIBLE',
				manifest.name,
				`supports plugin API ${manifest.ovenjs}, but this host offers ${this.#apiVersion}; upgrade the plugin or OvenJS.`,
			);
		}
		this.#pending.set(manifest.name, { plugin, manifest });
		return manifest;
	}

	/** Loads every added plugin in dependency order. A failing plugin is rolled back and reported; others load. */
	public async loadAll(): Promise<{ readonly loaded: string[]; readonly failed: PluginError[] }> {
		const order = this.#order();
		const loaded: string[] = [];
		const failed: PluginError[] = [];
		for (const name of order.sorted) {
			const entry = this.#pending.get(name);
			if (entry === undefined) continue;
			this.#pending.delete(name);
			const problem = this.#dependencyProblem(entry.manifest);
			if (problem !== undefined) {
				failed.push(problem);
				continue;
			}
			try {
				await this.#load(entry.plugin, entry.manifest);
				loaded.push(name);
			} catch (error) {
				failed.push(
					error instanceof PluginError
						? error
						: new PluginError('PLUGIN_SETUP_FAILED', name, 'setup failed.', { cause: error }),
				);
			}
		}
		for (const name of order.cyclic) {
			this.#pending.delete(name);
			failed.push(
				new PluginError(
					'PLUGIN_DEPENDENCY_CYCLE',
					name,
					`is part of a dependency cycle (${order.cyclic.join(' → ')}).`,
				),
			);
		}
		return { loaded, failed };
	}

	/** Unloads a plugin and, first, every loaded plugin that depends on it. Returns the names unloaded. */
	public async unload(name: string): Promise<string[]> {
		if (!this.#loaded.has(name)) throw new PluginError('PLUGIN_NOT_LOADED', name, 'is not loaded.');
		const unloaded: string[] = [];
		for (const [other, entry] of this.#loaded) {
			if (other !== name && Object.hasOwn(entry.manifest.dependencies, name) && this.#loaded.has(other)) {
				unloaded.push(...(await this.unload(other)));
			}
		}
		const entry = this.#loaded.get(name);
		if (entry !== undefined) {
			this.#loaded.delete(name);
			for (const dispose of entry.disposers) dispose();
			await entry.teardown?.();
			unloaded.push(name);
		}
		return unloaded;
	}

	/** Names of the loaded plugins. */
	public get loaded(): readonly string[] {
		return [...this.#loaded.keys()];
	}

	async #load(plugin: Plugin, manifest: PluginManifest): Promise<void> {
		const disposers: (() => void)[] = [];
		const declared = new Set(manifest.hooks);
		const context: PluginHostContext = {
			manifest,
			hook: (point, handler, options) => {
				if (!declared.has(point)) {
					throw new PluginError(
						'PLUGIN_HOOK_NOT_DECLARED',
						manifest.name,
						`registered ${JSON.stringify(point)} without declaring it: add it to the manifest's "hooks".`,
					);
				}
				disposers.push(this.#registrar.on(point, handler, { ...options, label: manifest.name }));
			},
			can: (permission) => manifest.permissions.includes(permission),
			dependency: (dep) => {
				if (!Object.hasOwn(manifest.dependencies, dep)) {
					throw new PluginError(
						'PLUGIN_MISSING_DEPENDENCY',
						manifest.name,
						`asked for "${dep}", which its manifest does not list in "dependencies".`,
					);
				}
				return this.#loaded.get(dep)?.api;
			},
		};
		try {
			const result = await plugin.setup(context);
			this.#loaded.set(manifest.name, { manifest, disposers, api: result?.api, teardown: result?.teardown });
		} catch (error) {
			for (const dispose of disposers) dispose();
			throw error instanceof PluginError
				? error
				: new PluginError(
						'PLUGIN_SETUP_FAILED',
						manifest.name,
						`setup threw: ${error instanceof Error ? error.message : String(error)}`,
						{ cause: error },
					);
		}
	}

	#dependencyProblem(manifest: PluginManifest): PluginError | undefined {
		for (const [dep, range] of Object.entries(manifest.dependencies)) {
			const loaded = this.#loaded.get(dep);
			if (loaded === undefined) {
				return new PluginError(
					'PLUGIN_MISSING_DEPENDENCY',
					manifest.name,
					`needs "${dep}" (${range}), which is not loaded; add it or remove the dependency.`,
				);
			}
			if (!semver.satisfies(loaded.manifest.version, range, { includePrerelease: true })) {
				return new PluginError(
					'PLUGIN_DEPENDENCY_VERSION',
					manifest.name,
					`needs "${dep}" ${range}, but ${loaded.manifest.version} is loaded.`,
				);
			}
		}
		return undefined;
	}

	/** Kahn's algorithm over pending plugins; dependencies already loaded count as satisfied. */
	#order(): { sorted: string[]; cyclic: string[] } {
		const indegree = new Map<string, number>();
		const dependents = new Map<string, string[]>();
		for (const [name, { manifest }] of this.#pending) {
			let count = 0;
			for (const dep of Object.keys(manifest.dependencies)) {
				if (!this.#pending.has(dep)) continue;
				count++;
				dependents.set(dep, [...(dependents.get(dep) ?? []), name]);
			}
			indegree.set(name, count);
		}
		const ready = [...indegree].filter(([, n]) => n === 0).map(([name]) => name);
		const sorted: string[] = [];
		for (let name = ready.shift(); name !== undefined; name = ready.shift()) {
			sorted.push(name);
			for (const dependent of dependents.get(name) ?? []) {
				const left = (indegree.get(dependent) ?? 0) - 1;
				indegree.set(dependent, left);
				if (left === 0) ready.push(dependent);
			}
		}
		return { sorted, cyclic: [...indegree.keys()].filter((name) => !sorted.includes(name)) };
	}
}
