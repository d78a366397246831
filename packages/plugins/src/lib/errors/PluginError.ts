import { OvenError, redactSecrets, type OvenErrorOptions } from '@ovenjs/types';

/** Every code of {@link PluginError}. New codes may be added in minor versions: keep a default branch. */
export const PluginErrorCodes = [
	'PLUGIN_NOT_FOUND',
	'PLUGIN_INVALID_MANIFEST',
	'PLUGIN_INVALID_DEFINITION',
	'PLUGIN_ENGINE_MISMATCH',
	'PLUGIN_DEPENDENCY_MISSING',
	'PLUGIN_DEPENDENCY_CYCLE',
	'PLUGIN_VERSION_CONFLICT',
	'PLUGIN_CONFIG_INVALID',
	'PLUGIN_PERMISSION_DENIED',
	'PLUGIN_ISOLATION_UNSUPPORTED',
	'PLUGIN_SERVICE_NOT_FOUND',
	'PLUGIN_TIMEOUT',
	'PLUGIN_MEMORY_LIMIT',
	'PLUGIN_CRASHED',
	'PLUGIN_HANDLER_FAILED',
	'PLUGIN_ALREADY_LOADED',
	'PLUGIN_NOT_LOADED',
	'PLUGIN_INVALID_OPTION',
] as const;

/** Codes of {@link PluginError}. */
export type PluginErrorCode = (typeof PluginErrorCodes)[number];

const CODES: ReadonlySet<string> = new Set(PluginErrorCodes);

/** Whether `value` is a code of {@link PluginError}. */
export function isPluginErrorCode(value: unknown): value is PluginErrorCode {
	return typeof value === 'string' && CODES.has(value);
}

/** What a {@link PluginError} may carry besides its message. */
export interface PluginErrorOptions extends OvenErrorOptions {
	/** `PLUGIN_PERMISSION_DENIED`: the capability the manifest lacks (e.g. `'rest:channels.createMessage'`). */
	readonly capability?: string;
	/** `PLUGIN_DEPENDENCY_CYCLE`: the cycle, first plugin repeated at the end. */
	readonly cycle?: readonly string[];
}

/**
 * Thrown (and reported on the client's `pluginError` event) by `@ovenjs/plugins`; `plugin` names the plugin at
 * fault. Messages never contain the bot token.
 */
export class PluginError extends OvenError<PluginErrorCode> {
	/** The plugin at fault. */
	public readonly plugin: string;
	/** The missing capability, for `PLUGIN_PERMISSION_DENIED`. */
	public readonly capability: string | undefined;
	/** The dependency cycle, for `PLUGIN_DEPENDENCY_CYCLE` (`['a', 'b', 'a']`). */
	public readonly cycle: readonly string[] | undefined;

	public constructor(code: PluginErrorCode, plugin: string, message: string, options: PluginErrorOptions = {}) {
		super(code, redactSecrets(`Plugin "${plugin}": ${message}`), options);
		this.plugin = plugin;
		this.capability = options.capability;
		this.cycle = options.cycle;
	}

	/** The standard `PLUGIN_PERMISSION_DENIED` error: names the capability and where to declare it. */
	public static denied(plugin: string, capability: string, action: string): PluginError {
		return new PluginError(
			'PLUGIN_PERMISSION_DENIED',
			plugin,
			`${action} needs the capability "${capability}", which the manifest does not grant; add it to "ovenjs.permissions" in the plugin's package.json.`,
			{ capability },
		);
	}

	/** The standard `PLUGIN_DEPENDENCY_CYCLE` error, with the cycle's path. */
	public static cycleOf(path: readonly string[]): PluginError {
		return new PluginError(
			'PLUGIN_DEPENDENCY_CYCLE',
			path[0] ?? '(unknown)',
			`is part of a dependency cycle: ${path.join(' → ')}; break the cycle (make one edge an optionalDependency or move the shared part into a third plugin).`,
			{ cycle: path },
		);
	}

	/** Wraps anything a plugin threw into a `PluginError` (kept as is when it already is one). */
	public static from(plugin: string, error: unknown, code: PluginErrorCode, what: string): PluginError {
		if (error instanceof PluginError) return error;
		// A coded error from a plugin's runtime (a worker or an isolate, where PluginError is not loaded): kept as is.
		const carried: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
		if (error instanceof Error && isPluginErrorCode(carried)) {
			const capability: unknown = Reflect.get(error, 'capability');
			return new PluginError(
				carried,
				plugin,
				error.message.replace(/^Plugin "[^"]*": /, ''),
				typeof capability === 'string' ? { capability, cause: error } : { cause: error },
			);
		}
		const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		return new PluginError(code, plugin, `${what}: ${detail}`, { cause: error });
	}
}
