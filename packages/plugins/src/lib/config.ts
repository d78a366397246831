import { registerSecret } from '@ovenjs/types';
import { PluginError } from './errors/PluginError.js';
import type { JsonSchema } from './manifest.js';

/** Where `{ "$env": "NAME" }` and `{ "$secret": "NAME" }` references in a plugin's config are looked up. */
export interface ConfigSources {
	/** Environment variables. @defaultValue `process.env` */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** Secrets (a vault, a mounted file's contents ...); looked up before `env`. Their values are redacted from OvenJS errors and logs. */
	readonly secrets?: Readonly<Record<string, string | undefined>>;
	/** Refuses a resolved value (the client passes a check that refuses its token). */
	readonly refuse?: (value: string) => boolean;
}

const SUPPORTED = new Set([
	'type',
	'properties',
	'required',
	'additionalProperties',
	'default',
	'enum',
	'const',
	'minimum',
	'maximum',
	'exclusiveMinimum',
	'exclusiveMaximum',
	'minLength',
	'maxLength',
	'pattern',
	'items',
	'minItems',
	'maxItems',
	'description',
	'title',
	'$schema',
	'$id',
	'examples',
	'format',
	'deprecated',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ENV_STRING = /^\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** `Array.isArray` that narrows to `unknown[]` (not `any[]`). */
function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

/**
 * Replaces references with their values: `{ "$env": "NAME" }`, `{ "$secret": "NAME" }`, or the string forms
 * `"${env:NAME}"` / `"${secret:NAME}"`. Secrets are registered with `registerSecret` so OvenJS never prints them.
 * @throws {@link PluginError} `PLUGIN_CONFIG_INVALID` for an unset variable; `PLUGIN_PERMISSION_DENIED` for a refused value.
 */
export function resolveReferences(plugin: string, value: unknown, sources: ConfigSources, path = 'config'): unknown {
	const lookup = (kind: 'env' | 'secret', name: string): string => {
		const found =
			kind === 'secret'
				? (sources.secrets?.[name] ?? (sources.env ?? process.env)[name])
				: (sources.env ?? process.env)[name];
		if (found === undefined)
			throw PluginError.of('PLUGIN_CONFIG_INVALID', plugin, [{ kind: 'unset', path, source: kind, name }]);
		if (sources.refuse?.(found) === true) throw PluginError.denied(plugin, 'token', `${path} (${kind} ${name})`);
		if (kind === 'secret') registerSecret(found);
		return found;
	};
	if (typeof value === 'string') {
		const match = ENV_STRING.exec(value);
		return match === null ? value : lookup(match[1] === 'secret' ? 'secret' : 'env', match[2] ?? '');
	}
	if (isList(value)) return value.map((item, i) => resolveReferences(plugin, item, sources, `${path}[${i}]`));
	if (!isRecord(value)) return value;
	const keys = Object.keys(value);
	if (keys.length === 1 && (keys[0] === '$env' || keys[0] === '$secret')) {
		const name = value[keys[0]];
		if (typeof name !== 'string')
			throw PluginError.of('PLUGIN_CONFIG_INVALID', plugin, [{ kind: 'reference', path, key: keys[0] }]);
		return lookup(keys[0] === '$env' ? 'env' : 'secret', name);
	}
	const out: Record<string, unknown> = {};
	for (const key of keys) out[key] = resolveReferences(plugin, value[key], sources, `${path}.${key}`);
	return out;
}

/**
 * Checks that a JSON Schema only uses the keywords {@link validateConfig} implements.
 * @throws {@link PluginError} `PLUGIN_INVALID_MANIFEST` naming the unsupported keyword.
 */
export function checkSchema(plugin: string, schema: unknown, path = 'ovenjs.config'): void {
	if (!isRecord(schema)) throw PluginError.of('PLUGIN_INVALID_MANIFEST', plugin, [{ kind: 'schema', path }]);
	for (const key of Object.keys(schema)) {
		if (!SUPPORTED.has(key))
			throw PluginError.of('PLUGIN_INVALID_MANIFEST', plugin, [{ kind: 'schema-keyword', path, keyword: key }]);
	}
	if (isRecord(schema.properties))
		for (const [key, sub] of Object.entries(schema.properties))
			checkSchema(plugin, sub, `${path}.properties.${key}`);
	if (schema.items !== undefined) checkSchema(plugin, schema.items, `${path}.items`);
	if (isRecord(schema.additionalProperties))
		checkSchema(plugin, schema.additionalProperties, `${path}.additionalProperties`);
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function matchesType(value: unknown, type: unknown): boolean {
	const types = isList(type) ? type : [type];
	const actual = typeOf(value);
	return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

function walk(value: unknown, schema: JsonSchema, path: string, problems: string[]): unknown {
	let current = value === undefined && 'default' in schema ? structuredClone(schema.default) : value;
	if (current === undefined) return undefined;
	if (schema.type !== undefined && !matchesType(current, schema.type)) {
		problems.push(
			`${path} must be ${isList(schema.type) ? schema.type.map(String).join(' or ') : typeof schema.type === 'string' ? schema.type : JSON.stringify(schema.type)}, got ${typeOf(current)}`,
		);
		return current;
	}
	const allowed = schema.enum;
	if (isList(allowed) && !allowed.some((e) => Object.is(e, current)))
		problems.push(`${path} must be one of ${allowed.map((e) => JSON.stringify(e)).join(', ')}`);
	if ('const' in schema && !Object.is(schema.const, current))
		problems.push(`${path} must be ${JSON.stringify(schema.const)}`);
	if (typeof current === 'number') {
		if (typeof schema.minimum === 'number' && current < schema.minimum)
			problems.push(`${path} must be >= ${schema.minimum}`);
		if (typeof schema.maximum === 'number' && current > schema.maximum)
			problems.push(`${path} must be <= ${schema.maximum}`);
		if (typeof schema.exclusiveMinimum === 'number' && current <= schema.exclusiveMinimum)
			problems.push(`${path} must be > ${schema.exclusiveMinimum}`);
		if (typeof schema.exclusiveMaximum === 'number' && current >= schema.exclusiveMaximum)
			problems.push(`${path} must be < ${schema.exclusiveMaximum}`);
	}
	if (typeof current === 'string') {
		if (typeof schema.minLength === 'number' && current.length < schema.minLength)
			problems.push(`${path} must be at least ${schema.minLength} characters`);
		if (typeof schema.maxLength === 'number' && current.length > schema.maxLength)
			problems.push(`${path} must be at most ${schema.maxLength} characters`);
		if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(current))
			problems.push(`${path} must match /${schema.pattern}/`);
	}
	if (isList(current)) {
		const list = current;
		if (typeof schema.minItems === 'number' && list.length < schema.minItems)
			problems.push(`${path} must have at least ${schema.minItems} items`);
		if (typeof schema.maxItems === 'number' && list.length > schema.maxItems)
			problems.push(`${path} must have at most ${schema.maxItems} items`);
		const items = schema.items;
		if (isRecord(items)) current = list.map((item, i) => walk(item, items, `${path}[${i}]`, problems));
	}
	if (isRecord(current)) {
		const properties = isRecord(schema.properties) ? schema.properties : {};
		const out: Record<string, unknown> = {};
		for (const [key, sub] of Object.entries(properties)) {
			if (!isRecord(sub)) continue;
			const next = walk(current[key], sub, `${path}.${key}`, problems);
			if (next !== undefined) out[key] = next;
		}
		const required = isList(schema.required) ? schema.required : [];
		for (const key of required)
			if (typeof key === 'string' && out[key] === undefined) problems.push(`${path}.${key} is required`);
		for (const [key, item] of Object.entries(current)) {
			if (key in properties) continue;
			if (schema.additionalProperties === false) problems.push(`${path}.${key} is not a known option`);
			else
				out[key] = isRecord(schema.additionalProperties)
					? walk(item, schema.additionalProperties, `${path}.${key}`, problems)
					: item;
		}
		current = out;
	}
	return current;
}

/**
 * Validates a config against a JSON Schema (the subset: type, properties, required, additionalProperties, default,
 * enum, const, minimum/maximum (exclusive too), minLength/maxLength, pattern, items, minItems/maxItems) and
 * applies defaults.
 * @throws {@link PluginError} `PLUGIN_CONFIG_INVALID` listing every problem.
 */
export function validateConfig(plugin: string, schema: JsonSchema, value: unknown): unknown {
	const problems: string[] = [];
	const result = walk(
		value ?? (schema.type === 'object' || isRecord(schema.properties) ? {} : undefined),
		schema,
		'config',
		problems,
	);
	if (problems.length > 0)
		throw PluginError.of('PLUGIN_CONFIG_INVALID', plugin, [{ kind: 'invalid', problems, plugin }]);
	return result;
}
