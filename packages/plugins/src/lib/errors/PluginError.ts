import { OvenError, redactSecrets, type OvenErrorOptions } from '@ovenjs/types';
import {
	deniedCapability,
	isPluginErrorCode,
	PluginErrorMessages,
	type PluginErrorCode,
	type PluginErrorDetails,
	type PluginFailure,
} from './messages.js';

export * from './messages.js';

/** What a {@link PluginError} may carry besides its message. */
export interface PluginErrorOptions extends OvenErrorOptions {
	/** `PLUGIN_PERMISSION_DENIED`: the capability the manifest lacks (e.g. `'rest:channels.createMessage'`). */
	readonly capability?: string;
	/** `PLUGIN_DEPENDENCY_CYCLE`: the cycle, first plugin repeated at the end. */
	readonly cycle?: readonly string[];
}

/** The text of a thrown value, for a {@link PluginFailure}. */
function describe(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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

	/** Prefer {@link PluginError.of}; this takes a message already built (e.g. carried from a plugin's runtime). */
	public constructor(code: PluginErrorCode, plugin: string, message: string, options: PluginErrorOptions = {}) {
		super(code, redactSecrets(`Plugin "${plugin}": ${message}`), options);
		this.plugin = plugin;
		this.capability = options.capability;
		this.cycle = options.cycle;
	}

	/**
	 * Builds the error with the standard text of `code`. `capability` (`PLUGIN_PERMISSION_DENIED`) and `cycle`
	 * (`PLUGIN_DEPENDENCY_CYCLE`) are taken from the details when the options do not give them.
	 */
	public static of<C extends PluginErrorCode>(
		code: C,
		plugin: string,
		details: PluginErrorDetails[C],
		options: PluginErrorOptions = {},
	): PluginError {
		const build: (...parts: PluginErrorDetails[C]) => string = PluginErrorMessages[code];
		const [first] = details;
		const capability = deniedCapability(code, details);
		const cycle = code === 'PLUGIN_DEPENDENCY_CYCLE' && isStringArray(first) ? first : undefined;
		return new PluginError(code, plugin, build(...details), {
			...(capability === undefined ? {} : { capability }),
			...(cycle === undefined ? {} : { cycle }),
			...options,
		});
	}

	/** The standard `PLUGIN_PERMISSION_DENIED` error: names the capability and where to declare it. */
	public static denied(plugin: string, capability: string, action: string): PluginError {
		return PluginError.of('PLUGIN_PERMISSION_DENIED', plugin, [capability, action]);
	}

	/** The standard `PLUGIN_DEPENDENCY_CYCLE` error, with the cycle's path. */
	public static cycleOf(path: readonly string[]): PluginError {
		return PluginError.of('PLUGIN_DEPENDENCY_CYCLE', path[0] ?? '(unknown)', [path]);
	}

	/** Wraps anything a plugin threw into a `PluginError` (kept as is when it already is one). */
	public static from(plugin: string, error: unknown, code: PluginErrorCode, what: string): PluginError {
		if (error instanceof PluginError) return error;
		// A coded error from a plugin's runtime (a worker or an isolate, where PluginError is not loaded): its message
		// was built there, so it is kept as is.
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
		const failure: PluginFailure = { kind: 'threw', what, thrown: describe(error) };
		return PluginError.of(code, plugin, [failure], { cause: error });
	}
}

function isStringArray(value: unknown): value is readonly string[] {
	if (!isList(value)) return false;
	for (const item of value) if (typeof item !== 'string') return false;
	return true;
}

/** `Array.isArray` that narrows `unknown` to `readonly unknown[]` (not `any[]`). */
function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}
