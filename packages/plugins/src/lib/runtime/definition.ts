import type { PluginDefinition } from '../definePlugin.js';
import { runtimeError } from './wire.js';

/** Whether `value` has the shape of a plugin definition (an object with a `setup` function). */
export function isDefinition(value: unknown): value is PluginDefinition {
	if (typeof value !== 'object' || value === null) return false;
	const setup: unknown = Reflect.get(value, 'setup');
	const teardown: unknown = Reflect.get(value, 'teardown');
	return typeof setup === 'function' && (teardown === undefined || typeof teardown === 'function');
}

/** How a wrong default export is named in the error (`'missing'`, `'object'`, `'function'`, ...). */
export function exportedKind(exported: unknown): string {
	return exported === undefined ? 'missing' : exported === null ? 'null' : typeof exported;
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
		throw runtimeError(plugin, 'PLUGIN_INVALID_DEFINITION', { kind: 'inline-manifest' });
	}
	throw runtimeError(plugin, 'PLUGIN_INVALID_DEFINITION', {
		kind: 'default-export',
		exported: exportedKind(exported),
	});
}
