/** Config validation with a plugin's exported zod schema; dependency-free (it runs in workers too). */
import { runtimeError } from './wire.js';

/** The shape of a zod schema (any version) as far as config validation needs it. */
interface SafeParser {
	safeParse(
		value: unknown,
	):
		| { success: true; data: unknown }
		| { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

function isSafeParser(value: unknown): value is SafeParser {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'safeParse') === 'function';
}

/**
 * Validates a config with the zod schema a plugin module exports under `exportName`.
 * @throws errors coded `PLUGIN_INVALID_MANIFEST` (no such export) or `PLUGIN_CONFIG_INVALID` listing every issue.
 */
export function validateWithExport(
	plugin: string,
	namespace: Readonly<Record<string, unknown>>,
	exportName: string,
	value: unknown,
): unknown {
	const schema = namespace[exportName];
	if (!isSafeParser(schema))
		throw runtimeError(plugin, 'PLUGIN_INVALID_MANIFEST', { kind: 'config-export-missing', exportName });
	const result = schema.safeParse(value ?? {});
	if (result.success) return result.data;
	const problems = result.error.issues.map(
		(i) => `config${i.path.map((p) => `.${String(p)}`).join('')} ${i.message}`,
	);
	throw runtimeError(plugin, 'PLUGIN_CONFIG_INVALID', { kind: 'invalid', problems, plugin });
}
