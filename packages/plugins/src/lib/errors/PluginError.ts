import { OvenError } from '@ovenjs/types';

/** Codes of {@link PluginError}. New codes may be added in minor versions. */
export type PluginErrorCode =
	| 'PLUGIN_INVALID_MANIFEST'
	| 'PLUGIN_INCOMPATIBLE'
	| 'PLUGIN_DUPLICATE'
	| 'PLUGIN_MISSING_DEPENDENCY'
	| 'PLUGIN_DEPENDENCY_VERSION'
	| 'PLUGIN_DEPENDENCY_CYCLE'
	| 'PLUGIN_HOOK_NOT_DECLARED'
	| 'PLUGIN_SETUP_FAILED'
	| 'PLUGIN_NOT_LOADED';

/** Thrown by `@ovenjs/plugins`; `plugin` names the plugin at fault. */
export class PluginError extends OvenError<PluginErrorCode> {
	public readonly plugin: string;

	public constructor(code: PluginErrorCode, plugin: string, message: string, options: { cause?: unknown } = {}) {
		super(code, `Plugin "${plugin}": ${message}`, options);
		this.plugin = plugin;
	}
}
