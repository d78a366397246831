import type { PluginDefinition } from '../definePlugin.js';
import { pluginError } from './wire.js';

/** Whether `value` has the shape of a plugin definition (an object with a `setup` function). */
export function isDefinition(value: unknown): value is PluginDefinition {
	if (typeof value !== 'object' || value === null) return false;
	const setup: unknown = Reflect.get(value, 'setup');
	const teardown: unknown = Reflect.get(value, 'teardown');
	return typeof setup === 'function' && (teardown === undefined || typeof teardown === 'function');
}

/**
 * The plugin definition a module exports by default.
 * @throws an error coded `PLUGIN_INVALID_DEFINITION` saying what the module exports instead (dependency-free: workers load it).
 */
export function definitionOf(plugin: string, namespace: unknown): PluginDefinition {
	const exported: unknown =
		typeof namespace === 'object' && namespace !== null ? Reflect.get(namespace, 'default') : undefined;
	if (isDefinition(exported)) return exported;
	const manifest: unknown =
		typeof exported === 'object' && exported !== null ? Reflect.get(exported, 'manifest') : undefined;
	if (typeof manifest === 'object' && manifest !== null && 'ovenjs' in manifest) {
		throw pluginError(
			'PLUGIN_INVALID_DEFINITION',
			`Plugin "${plugin}": exports a plugin with an inline manifest ("ovenjs", "hooks"), the form of the removed PluginHost; move the manifest to package.json ("ovenjs": { "engine": ... }) and export definePlugin({ setup(ctx) { ... } }).`,
		);
	}
	throw pluginError(
		'PLUGIN_INVALID_DEFINITION',
		`Plugin "${plugin}": must export definePlugin({ setup(ctx) { ... } }) as its default export; its default export is ${exported === undefined ? 'missing' : typeof exported}.`,
	);
}
