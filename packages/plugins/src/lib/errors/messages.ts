/**
 * The codes of `PluginError`, the facts each one is built from and the text each one says: no imports, so a plugin's
 * worker or isolate host words its errors with the same table as the plugin manager (the isolate asks its host).
 */

/**
 * Every code of `PluginError`. New codes may be added in minor versions: keep a default branch. A code means one
 * thing; {@link PluginErrorMessages} says what, and what to fix.
 */
export const PluginErrorCodes = [
	'PLUGIN_NOT_FOUND',
	'PLUGIN_INVALID_MANIFEST',
	'PLUGIN_INVALID_DEFINITION',
	'PLUGIN_INVALID_CALL',
	'PLUGIN_ENGINE_MISMATCH',
	'PLUGIN_DEPENDENCY_MISSING',
	'PLUGIN_DEPENDENCY_CYCLE',
	'PLUGIN_VERSION_CONFLICT',
	'PLUGIN_CONFIG_INVALID',
	'PLUGIN_PERMISSION_DENIED',
	'PLUGIN_ISOLATION_UNSUPPORTED',
	'PLUGIN_SERVICE_NOT_FOUND',
	'PLUGIN_SERVICE_CONFLICT',
	'PLUGIN_TIMEOUT',
	'PLUGIN_MEMORY_LIMIT',
	'PLUGIN_CRASHED',
	'PLUGIN_HANDLER_FAILED',
	'PLUGIN_ALREADY_LOADED',
	'PLUGIN_NOT_LOADED',
	'PLUGIN_MANAGER_CLOSED',
	'PLUGIN_INVALID_OPTION',
	'PLUGIN_INTERNAL',
] as const;

/** Codes of `PluginError`. */
export type PluginErrorCode = (typeof PluginErrorCodes)[number];

const CODES: ReadonlySet<string> = new Set(PluginErrorCodes);

/** Whether `value` is a code of `PluginError`. */
export function isPluginErrorCode(value: unknown): value is PluginErrorCode {
	return typeof value === 'string' && CODES.has(value);
}

/** Something a plugin (or its runtime) threw, wrapped by `PluginError.from` under any code. */
export interface PluginFailure {
	readonly kind: 'threw';
	/** What was going on (`'setup threw'`, `'its messageCreate handler threw'`). */
	readonly what: string;
	/** The thrown value, as text (`'TypeError: x'`). */
	readonly thrown: string;
}

/** What could not be found (`PLUGIN_NOT_FOUND`). */
export type PluginNotFound =
	| { readonly kind: 'entry'; readonly dir: string | undefined }
	| { readonly kind: 'package-json'; readonly dir: string }
	| { readonly kind: 'package-name' }
	| { readonly kind: 'not-installed'; readonly specifier: string; readonly root: string }
	| { readonly kind: 'bot-package-json'; readonly file: string };

/** What is wrong with a manifest (`PLUGIN_INVALID_MANIFEST`), including the JSON Schema it gives for its config. */
export type PluginManifestProblem =
	| { readonly kind: 'missing'; readonly where: string; readonly engine: string }
	| { readonly kind: 'invalid'; readonly where: string; readonly issues: string }
	| { readonly kind: 'unreadable'; readonly why: string }
	| { readonly kind: 'config-export' }
	| { readonly kind: 'config-export-missing'; readonly exportName: string }
	| { readonly kind: 'renamed'; readonly name: string }
	| { readonly kind: 'schema'; readonly path: string }
	| { readonly kind: 'schema-keyword'; readonly path: string; readonly keyword: string };

/** What is wrong with what a plugin's module exports, or with what `load()` was given (`PLUGIN_INVALID_DEFINITION`). */
export type PluginDefinitionProblem =
	| { readonly kind: 'load-argument' }
	| { readonly kind: 'default-export'; readonly exported: string }
	| { readonly kind: 'inline-manifest' }
	| { readonly kind: 'compile'; readonly why: string };

/** Which call a plugin made wrongly (`PLUGIN_INVALID_CALL`): a `ctx` method, or the host environment behind it. */
export type PluginInvalidCall =
	| { readonly kind: 'event-name' }
	| { readonly kind: 'handler'; readonly method: 'on' | 'hook'; readonly name: string }
	| { readonly kind: 'priority'; readonly point: string; readonly priority: number }
	| { readonly kind: 'api-operation'; readonly resource: string; readonly operation: string }
	| { readonly kind: 'rest-request'; readonly method: string; readonly route: string }
	| { readonly kind: 'cache-view'; readonly view: string; readonly views: readonly string[] }
	| { readonly kind: 'state-value' }
	| { readonly kind: 'service-name' }
	| { readonly kind: 'service-methods'; readonly name: string }
	| { readonly kind: 'http-method'; readonly value: string }
	| { readonly kind: 'client-event'; readonly event: string; readonly events: readonly string[] }
	| { readonly kind: 'extension-point'; readonly point: string };

/** Why a dependency is missing (`PLUGIN_DEPENDENCY_MISSING`). */
export type PluginDependencyProblem =
	| { readonly kind: 'absent'; readonly relation: string; readonly range: string }
	| { readonly kind: 'failed'; readonly code: PluginErrorCode }
	| { readonly kind: 'cannot-load'; readonly code: PluginErrorCode | undefined };

/** What is wrong with a plugin's config (`PLUGIN_CONFIG_INVALID`). */
export type PluginConfigProblem =
	| { readonly kind: 'unset'; readonly path: string; readonly source: 'env' | 'secret'; readonly name: string }
	| { readonly kind: 'reference'; readonly path: string; readonly key: string }
	| { readonly kind: 'invalid'; readonly problems: readonly string[]; readonly plugin: string };

/** Why the requested isolation cannot be used (`PLUGIN_ISOLATION_UNSUPPORTED`). */
export type PluginIsolationProblem =
	| { readonly kind: 'manifest'; readonly plugin: string; readonly accepts: string; readonly requested: string }
	| { readonly kind: 'inline'; readonly requested: string }
	| { readonly kind: 'isolated-vm'; readonly why: string };

/** Why a service call cannot be made (`PLUGIN_SERVICE_NOT_FOUND`). */
export type PluginServiceProblem =
	| { readonly kind: 'unprovided' }
	| { readonly kind: 'not-a-dependency'; readonly provider: string }
	| { readonly kind: 'provider-gone'; readonly provider: string }
	| { readonly kind: 'no-method'; readonly method: string; readonly methods: readonly string[] | undefined };

/** What a runtime did when its time ran out (`PLUGIN_TIMEOUT`). */
export type PluginTimeoutOutcome = 'stopped' | 'removed' | 'none';

/** How a plugin's runtime crashed (`PLUGIN_CRASHED`). */
export type PluginCrash =
	| { readonly kind: 'worker-error'; readonly message: string }
	| { readonly kind: 'worker-exit'; readonly code: number }
	| { readonly kind: 'isolate-exit'; readonly how: string; readonly stderr: string }
	| { readonly kind: 'malformed-message' }
	| { readonly kind: 'unknown-operation'; readonly op: string }
	| { readonly kind: 'malformed-answer'; readonly why: string }
	| { readonly kind: 'not-started' }
	| { readonly kind: 'unknown-dispatch'; readonly dispatch: string };

/** Why a plugin is not loaded (`PLUGIN_NOT_LOADED`); `unload` and `reload` hint at different fixes. */
export type PluginNotLoaded =
	| { readonly kind: 'unknown'; readonly operation: 'unload' | 'reload' }
	| { readonly kind: 'unloaded' }
	| { readonly kind: 'used-after-unload'; readonly action: string };

/** Where the host failed to build what a plugin sees (`PLUGIN_INTERNAL`). */
export type PluginInternalPart = 'service view' | 'ctx.api' | 'ctx.cache';

/** The facts each code's own message is built from. */
export interface PluginErrorFacts {
	PLUGIN_NOT_FOUND: [missing: PluginNotFound];
	PLUGIN_INVALID_MANIFEST: [problem: PluginManifestProblem];
	PLUGIN_INVALID_DEFINITION: [problem: PluginDefinitionProblem];
	PLUGIN_INVALID_CALL: [call: PluginInvalidCall];
	PLUGIN_ENGINE_MISMATCH: [supported: string, running: string];
	PLUGIN_DEPENDENCY_MISSING: [dependency: string, problem: PluginDependencyProblem];
	PLUGIN_DEPENDENCY_CYCLE: [cycle: readonly string[]];
	PLUGIN_VERSION_CONFLICT: [relation: string, dependency: string, range: string, loaded: string, dependent: string];
	PLUGIN_CONFIG_INVALID: [problem: PluginConfigProblem];
	PLUGIN_PERMISSION_DENIED: [capability: string, action: string, where?: 'isolate'];
	PLUGIN_ISOLATION_UNSUPPORTED: [problem: PluginIsolationProblem];
	PLUGIN_SERVICE_NOT_FOUND: [service: string, problem: PluginServiceProblem];
	PLUGIN_SERVICE_CONFLICT: [service: string, provider: string];
	PLUGIN_TIMEOUT: [what: string, ms: number, limit: string, outcome: PluginTimeoutOutcome];
	PLUGIN_MEMORY_LIMIT: [memoryMb: number, runtime: 'worker' | 'isolate'];
	PLUGIN_CRASHED: [crash: PluginCrash];
	PLUGIN_HANDLER_FAILED: [failure: PluginFailure];
	PLUGIN_ALREADY_LOADED: [];
	PLUGIN_NOT_LOADED: [problem: PluginNotLoaded];
	PLUGIN_MANAGER_CLOSED: [];
	PLUGIN_INVALID_OPTION: [option: string, expected: string, got: string];
	PLUGIN_INTERNAL: [part: PluginInternalPart];
}

/**
 * The details each code's message is built from: its facts, or (for any code, see `PluginError.from`) what a plugin
 * threw.
 */
export type PluginErrorDetails = {
	readonly [C in PluginErrorCode]: PluginErrorFacts[C] | [failure: PluginFailure];
};

function isFailure(value: unknown): value is PluginFailure {
	return typeof value === 'object' && value !== null && Reflect.get(value, 'kind') === 'threw';
}

function isFacts<T extends unknown[]>(details: T | [failure: PluginFailure]): details is T {
	return !(details.length === 1 && isFailure(details[0]));
}

function failed(failure: PluginFailure): string {
	return `${failure.what}: ${failure.thrown}`;
}

/** A builder for a code's facts that also words a wrapped failure. */
function orFailure<T extends unknown[]>(build: (...facts: T) => string) {
	return (...details: T | [failure: PluginFailure]): string => {
		if (isFacts(details)) return build(...details);
		const [failure] = details;
		return failed(failure);
	};
}

function notFound(missing: PluginNotFound): string {
	switch (missing.kind) {
		case 'entry':
			return missing.dir === undefined
				? 'has no entry module.'
				: `has no entry module in ${missing.dir}: set "exports", "main" or "ovenjs.main" in its package.json to the built file.`;
		case 'package-json':
			return `${missing.dir} has no package.json; a plugin is a package with an "ovenjs" manifest.`;
		case 'package-name':
			return 'is not a plugin package name (plugins are named "ovenjs-plugin-<name>" or "@scope/ovenjs-plugin-<name>"); pass a folder path for a local plugin.';
		case 'not-installed':
			return `is not installed (looked in node_modules from ${missing.root} upward); install it (npm install ${missing.specifier}).`;
		case 'bot-package-json':
			return `discover needs the bot's package.json, and ${missing.file} does not exist; set plugins.root to the bot's folder.`;
	}
}

function invalidManifest(problem: PluginManifestProblem): string {
	switch (problem.kind) {
		case 'missing':
			return `${problem.where} has no "ovenjs" manifest; add { "ovenjs": { "engine": "^${problem.engine}" } } to its package.json.`;
		case 'invalid':
			return `invalid manifest in ${problem.where}: ${problem.issues}.`;
		case 'unreadable':
			return `package.json could not be read: ${problem.why}`;
		case 'config-export':
			return 'names a config export, but a definition passed directly has no module; give "config" a JSON Schema.';
		case 'config-export-missing':
			return `"ovenjs.config" names the export "${problem.exportName}", but the entry module exports no zod schema by that name.`;
		case 'renamed':
			return `its package.json now names "${problem.name}"; unload it and load the renamed plugin.`;
		case 'schema':
			return `${problem.path} must be a JSON Schema object.`;
		case 'schema-keyword':
			return `${problem.path} uses "${problem.keyword}", which OvenJS's config validator does not support; use a zod schema (export it and name it in "ovenjs.config") for that.`;
	}
}

function invalidDefinition(problem: PluginDefinitionProblem): string {
	switch (problem.kind) {
		case 'load-argument':
			return 'load() takes package names, folders or definePlugin({ setup(ctx) { ... } }) objects.';
		case 'default-export':
			return `must export definePlugin({ setup(ctx) { ... } }) as its default export; its default export is ${problem.exported}.`;
		case 'inline-manifest':
			return 'exports a plugin with an inline manifest ("ovenjs", "hooks"), the form of the removed PluginHost; move the manifest to package.json ("ovenjs": { "engine": ... }) and export definePlugin({ setup(ctx) { ... } }).';
		case 'compile':
			return `its module does not compile: ${problem.why}`;
	}
}

function invalidCall(call: PluginInvalidCall): string {
	switch (call.kind) {
		case 'event-name':
			return 'ctx.on needs an event name.';
		case 'handler':
			return `ctx.${call.method}("${call.name}") needs a handler function.`;
		case 'priority':
			return `ctx.hook("${call.point}") needs a finite priority, got ${String(call.priority)}.`;
		case 'api-operation':
			return `ctx.api.${call.resource}.${call.operation} is not an operation of client.api.`;
		case 'rest-request':
			return `ctx.rest.request needs an HTTP method (GET, POST, PUT, PATCH, DELETE) and a route starting with "/", got ${call.method} ${call.route}.`;
		case 'cache-view':
			return `ctx.cache.${call.view} is not a cache view; use one of ${call.views.join(', ')}.`;
		case 'state-value':
			return 'ctx.state holds an object; pass one to set().';
		case 'service-name':
			return 'ctx.provide needs a service name.';
		case 'service-methods':
			return `ctx.provide("${call.name}") needs an object with at least one method.`;
		case 'http-method':
			return `${call.value} is not an HTTP method.`;
		case 'client-event':
			return `"${call.event}" is not a client event; use one of ${call.events.join(', ')}.`;
		case 'extension-point':
			return `"${call.point}" is not an extension point name.`;
	}
}

function dependencyMissing(dependency: string, problem: PluginDependencyProblem): string {
	switch (problem.kind) {
		case 'absent':
			return `needs the ${problem.relation} "${dependency}" ${problem.range}, which is not loaded; add it to the bot's plugins (and install it).`;
		case 'failed':
			return `depends on "${dependency}", which failed to load (${problem.code}).`;
		case 'cannot-load':
			return `depends on "${dependency}", which cannot load${problem.code === undefined ? '' : ` (${problem.code})`}.`;
	}
}

function configInvalid(problem: PluginConfigProblem): string {
	switch (problem.kind) {
		case 'unset':
			return `${problem.path} refers to the ${problem.source === 'env' ? 'environment variable' : 'secret'} ${problem.name}, which is not set; set it or give the value directly.`;
		case 'reference':
			return `${problem.path}.${problem.key} must be a variable name.`;
		case 'invalid':
			return `invalid config: ${problem.problems.join('; ')}. Fix it in the client's plugins.config["${problem.plugin}"].`;
	}
}

function isolationUnsupported(problem: PluginIsolationProblem): string {
	switch (problem.kind) {
		case 'manifest':
			return `accepts isolation up to '${problem.accepts}' (its manifest), but the bot asks for '${problem.requested}'; run it at '${problem.accepts}' (plugins.isolation: { '${problem.plugin}': '${problem.accepts}' }) or ask its author to support '${problem.requested}'.`;
		case 'inline':
			return `is a definition passed to load() directly, which can only run in-process; load it from its package folder to run it at '${problem.requested}'.`;
		case 'isolated-vm':
			return `isolation 'isolate' needs the optional dependency isolated-vm, which is not installed, did not build or did not load here (${problem.why}); install it (npm install isolated-vm) or run the plugin with isolation 'worker'.`;
	}
}

function serviceNotFound(service: string, problem: PluginServiceProblem): string {
	switch (problem.kind) {
		case 'unprovided':
			return `asked for the service "${service}", which no loaded plugin provides; add the plugin providing it to "ovenjs.dependencies".`;
		case 'not-a-dependency':
			return `asked for the service "${service}" of "${problem.provider}", which is not among its dependencies; add "${problem.provider}" to "ovenjs.dependencies".`;
		case 'provider-gone':
			return `called the service "${service}", whose provider "${problem.provider}" is no longer loaded.`;
		case 'no-method':
			return problem.methods === undefined
				? `the service "${service}" has no method ${problem.method}.`
				: `called "${service}".${problem.method}(), which the service does not have (it has ${problem.methods.join(', ')}).`;
	}
}

function timeout(what: string, ms: number, limit: string, outcome: PluginTimeoutOutcome): string {
	switch (outcome) {
		case 'stopped':
			return `${what} did not finish within ${ms} ms, so its runtime was stopped (raise limits.${limit} if it needs longer).`;
		case 'removed':
			return `${what} did not finish within ${ms} ms (limits.${limit}); what it registered was removed.`;
		case 'none':
			return `${what} did not finish within ${ms} ms (limits.${limit}).`;
	}
}

function crashed(crash: PluginCrash): string {
	switch (crash.kind) {
		case 'worker-error':
			return `its worker crashed: ${crash.message}`;
		case 'worker-exit':
			return `its worker exited (code ${crash.code}).`;
		case 'isolate-exit':
			return `its isolate process exited (${crash.how})${crash.stderr === '' ? '' : `: ${crash.stderr.trim().split('\n').slice(-3).join(' | ')}`}.`;
		case 'malformed-message':
			return 'its runtime sent a malformed message; it was stopped.';
		case 'unknown-operation':
			return `asked for an unknown operation "${crash.op}".`;
		case 'malformed-answer':
			return `its isolate answered with ${crash.why}.`;
		case 'not-started':
			return 'its runtime was asked to run the plugin before loading it.';
		case 'unknown-dispatch':
			return `its runtime was asked to run an unknown kind of handler "${crash.dispatch}".`;
	}
}

function notLoaded(problem: PluginNotLoaded): string {
	switch (problem.kind) {
		case 'unknown':
			return problem.operation === 'unload'
				? 'is not loaded; see client.plugins.list().'
				: 'is not loaded; load it first.';
		case 'unloaded':
			return 'was unloaded.';
		case 'used-after-unload':
			return `${problem.action} after the plugin was unloaded; keep no references to ctx past teardown.`;
	}
}

/**
 * What each code means, in one place (the text of an error lives with its kind). Each builder returns the text after
 * the `Plugin "<name>": ` prefix; every one also words a wrapped {@link PluginFailure}.
 */
export const PluginErrorMessages: {
	readonly [C in PluginErrorCode]: (...details: PluginErrorDetails[C]) => string;
} = {
	PLUGIN_NOT_FOUND: orFailure(notFound),
	PLUGIN_INVALID_MANIFEST: orFailure(invalidManifest),
	PLUGIN_INVALID_DEFINITION: orFailure(invalidDefinition),
	PLUGIN_INVALID_CALL: orFailure(invalidCall),
	PLUGIN_ENGINE_MISMATCH: orFailure(
		(supported: string, running: string) =>
			`supports @ovenjs/plugins ${supported}, but this bot runs ${running}; upgrade the plugin (or pin @ovenjs/plugins to a version it supports).`,
	),
	PLUGIN_DEPENDENCY_MISSING: orFailure(dependencyMissing),
	PLUGIN_DEPENDENCY_CYCLE: orFailure(
		(cycle: readonly string[]) =>
			`is part of a dependency cycle: ${cycle.join(' → ')}; break the cycle (make one edge an optionalDependency or move the shared part into a third plugin).`,
	),
	PLUGIN_VERSION_CONFLICT: orFailure(
		(relation: string, dependency: string, range: string, loaded: string, dependent: string) =>
			`needs the ${relation} "${dependency}" ${range}, but ${loaded} is loaded; install a version in range or update "${dependent}".`,
	),
	PLUGIN_CONFIG_INVALID: orFailure(configInvalid),
	PLUGIN_PERMISSION_DENIED: orFailure((capability: string, action: string, where?: 'isolate') =>
		where === 'isolate'
			? `${action} is not possible inside an isolate (the capability "${capability}" cannot be granted there): an isolated plugin sees only ctx and imports only "@ovenjs/plugins"; bundle what it needs into one file (esbuild --bundle), or run it with isolation "worker".`
			: `${action} needs the capability "${capability}", which the manifest does not grant; add it to "ovenjs.permissions" in the plugin's package.json.`,
	),
	PLUGIN_ISOLATION_UNSUPPORTED: orFailure(isolationUnsupported),
	PLUGIN_SERVICE_NOT_FOUND: orFailure(serviceNotFound),
	PLUGIN_SERVICE_CONFLICT: orFailure(
		(service: string, provider: string) =>
			`provides the service "${service}", which "${provider}" already provides; one service name has one provider.`,
	),
	PLUGIN_TIMEOUT: orFailure(timeout),
	PLUGIN_MEMORY_LIMIT: orFailure(
		(memoryMb: number, runtime: 'worker' | 'isolate') =>
			`went over its heap limit of ${memoryMb} MB; its ${runtime} was stopped (raise limits.memoryMb if it needs more).`,
	),
	PLUGIN_CRASHED: orFailure(crashed),
	PLUGIN_HANDLER_FAILED: orFailure(failed),
	PLUGIN_ALREADY_LOADED: orFailure(
		() => 'is already loaded (or listed twice); unload it first, or reload(name) for a new version.',
	),
	PLUGIN_NOT_LOADED: orFailure(notLoaded),
	PLUGIN_MANAGER_CLOSED: orFailure(() => 'the plugin manager was closed.'),
	PLUGIN_INVALID_OPTION: orFailure(
		(option: string, expected: string, got: string) => `${option} must be ${expected}, got ${got}.`,
	),
	PLUGIN_INTERNAL: orFailure((part: PluginInternalPart) => `could not build ${part}.`),
};

/**
 * The capability a `PLUGIN_PERMISSION_DENIED` error names (its first fact; not a wrapped failure), else `undefined`:
 * what `PluginError.of` and a runtime's errors both carry as `capability`.
 */
export function deniedCapability(code: PluginErrorCode, details: readonly unknown[]): string | undefined {
	const [first, second] = details;
	return code === 'PLUGIN_PERMISSION_DENIED' && typeof first === 'string' && typeof second === 'string'
		? first
		: undefined;
}
