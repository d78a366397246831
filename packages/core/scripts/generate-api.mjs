#!/usr/bin/env node
// Generates `src/lib/api/generated/*` — one typed method per operation of Discord's OpenAPI spec — from
// ../shared/discord/openapi.json (read, never copied into the repo). Types come from discord-api-types where it
// has them (matched through its `Routes` documentation plus the curated table in api-overrides.mjs); the few
// operations discord-api-types does not describe get types emitted from the spec's own schemas
// (generated/spec-types.ts). One class per resource, one file each (generated/<resource>.ts), whatever its length.
// Run: `node packages/core/scripts/generate-api.mjs` (then commit the output); `--check` fails when the output is stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAG_RESULT_OVERLOADS, PARAM_TYPES, TYPE_PREFIX_OVERRIDES } from './api-overrides.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, '..');
const specPath = join(pkgRoot, '../../../shared/discord/openapi.json');
const outDir = join(pkgRoot, 'src/lib/api/generated');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

if (!existsSync(specPath)) {
	console.error(`Discord's OpenAPI spec was not found at ${specPath}; nothing generated.`);
	process.exit(1);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8'));

// --- discord-api-types: exported REST type names and the Routes documentation ---------------------------
const require = createRequire(join(pkgRoot, 'package.json'));
const datRest = dirname(require.resolve('discord-api-types/rest/v10'));
const typeNames = new Set();
for (const file of readdirSync(datRest)) {
	if (!file.endsWith('.d.ts')) continue;
	for (const m of readFileSync(join(datRest, file), 'utf8').matchAll(/export (?:type|interface) (REST\w+)/g))
		typeNames.add(m[1]);
}
const normalize = (path) =>
	path
		.replace(/\{[^}]+\}/g, '{}')
		.replace(/\/@(me|original)/g, '/{}')
		.replace(/\/$/, '');
const routeFns = new Map();
const routesJs = readFileSync(join(datRest, 'index.js'), 'utf8');
for (const m of routesJs.matchAll(/Route for:\n((?:\s*\*\s*-\s*\w+\s+`[^`]+`[^\n]*\n)+)\s*\*\/\n\s*(\w+)\(/g)) {
	for (const line of m[1].split('\n')) {
		const route = /-\s*(\w+)\s+`([^`]+)`/.exec(line);
		if (route) routeFns.set(`${route[1].toUpperCase()} ${normalize(route[2].split('?')[0])}`, m[2]);
	}
}

// --- helpers -----------------------------------------------------------------------------------------------
const camel = (snake) => snake.replace(/[-_](\w)/g, (_, c) => c.toUpperCase());
const pascal = (snake) => {
	const c = camel(snake);
	return c[0].toUpperCase() + c.slice(1);
};
const resourceKey = (path) => camel(path.split('/')[1]);
const deref = (schema) => {
	if (schema && schema.$ref) return spec.components.schemas[schema.$ref.split('/').pop()] ?? schema;
	return schema;
};

// --- spec schema → TypeScript, for operations discord-api-types does not describe -------------------------
const specTypes = new Map(); // component name → TS source
const specQueue = [];
function specTypeName(ref) {
	const name = ref.split('/').pop();
	const ts = `Spec${name}`;
	if (!specTypes.has(name)) {
		specTypes.set(name, null);
		specQueue.push(name);
	}
	return ts;
}
function tsOf(schema, depth = 0) {
	if (schema === undefined || schema === null) return 'unknown';
	if (schema.$ref) {
		if (schema.$ref.endsWith('/SnowflakeType')) return 'string';
		return specTypeName(schema.$ref);
	}
	if ('const' in schema) return JSON.stringify(schema.const);
	if (schema.oneOf || schema.anyOf)
		return [...new Set((schema.oneOf ?? schema.anyOf).map((s) => tsOf(s, depth)))].join(' | ') || 'unknown';
	if (schema.allOf) return schema.allOf.map((s) => tsOf(s, depth)).join(' & ') || 'unknown';
	const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
	if (types.length === 0) return schema.properties ? objectOf(schema, depth) : 'unknown';
	return [
		...new Set(
			types.map((type) => {
				switch (type) {
					case 'null':
						return 'null';
					case 'boolean':
						return 'boolean';
					case 'integer':
					case 'number':
						return schema.enum ? schema.enum.map(String).join(' | ') : 'number';
					case 'string':
						return schema.enum ? schema.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
					case 'array':
						return `readonly (${tsOf(schema.items, depth)})[]`;
					case 'object':
						return objectOf(schema, depth);
					default:
						return 'unknown';
				}
			}),
		),
	].join(' | ');
}
function objectOf(schema, depth) {
	const props = Object.entries(schema.properties ?? {});
	const required = new Set(schema.required ?? []);
	const indent = '\t'.repeat(depth + 1);
	const lines = props.map(
		([key, value]) =>
			`${indent}readonly ${/^[a-z_]\w*$/i.test(key) ? key : JSON.stringify(key)}${required.has(key) ? '' : '?'}: ${tsOf(value, depth + 1)};`,
	);
	if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
		lines.push(`${indent}readonly [key: string]: ${tsOf(schema.additionalProperties, depth + 1)};`);
	if (props.length === 0)
		return schema.additionalProperties && typeof schema.additionalProperties === 'object'
			? `Readonly<Record<string, ${tsOf(schema.additionalProperties, depth)}>>`
			: 'Readonly<Record<string, unknown>>';
	return `{\n${lines.join('\n')}\n${'\t'.repeat(depth)}}`;
}

// --- operations ----------------------------------------------------------------------------------------------
const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
	for (const method of METHODS) {
		const op = item[method];
		if (!op) continue;
		const M = pascal(method);
		const fn = routeFns.get(`${method.toUpperCase()} ${normalize(path)}`);
		let prefix = TYPE_PREFIX_OVERRIDES[op.operationId];
		if (prefix === undefined && fn !== undefined) {
			const base = fn[0].toUpperCase() + fn.slice(1);
			for (const candidate of [base, base.replace(/s$/, '')]) {
				if (
					typeNames.has(`REST${M}API${candidate}Result`) ||
					typeNames.has(`REST${M}API${candidate}JSONBody`)
				) {
					prefix = `REST${M}API${candidate}`;
					break;
				}
			}
		}
		const has = (suffix) => prefix !== undefined && typeNames.has(`${prefix}${suffix}`);
		const ok = Object.keys(op.responses ?? {}).filter((code) => /^2/.test(code));
		const noContent = ok.length > 0 && ok.every((code) => code === '204');
		const okSchema = ok.map((code) => op.responses[code]?.content?.['application/json']?.schema).find(Boolean);
		let result;
		const datTypes = [];
		if (noContent) result = 'void';
		else if (has('Result')) {
			result = `${prefix}Result`;
			datTypes.push(result);
		} else result = okSchema ? tsOf(okSchema) : 'unknown';
		const rb = op.requestBody;
		let body;
		if (rb) {
			const content = rb.content['application/json'] ?? Object.values(rb.content)[0];
			if (has('JSONBody')) {
				body = `${prefix}JSONBody`;
				datTypes.push(body);
			} else if (has('FormDataBody')) {
				body = `${prefix}FormDataBody`;
				datTypes.push(body);
			} else body = tsOf(content?.schema);
		}
		const overload = FLAG_RESULT_OVERLOADS[op.operationId];
		if (overload !== undefined) {
			if (!typeNames.has(overload.result))
				throw new Error(`${overload.result} is not exported by discord-api-types`);
			datTypes.push(overload.result);
		}
		const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
		const queryParams = [...(item.parameters ?? []), ...(op.parameters ?? [])].filter((p) => p.in === 'query');
		const multipart = rb !== undefined && rb.content['multipart/form-data'] !== undefined;
		operations.push({
			queryTypeSource: queryParams.length > 0 ? queryType(queryParams) : undefined,
			id: op.operationId,
			method: method.toUpperCase(),
			path,
			resource: resourceKey(path),
			name: camel(op.operationId),
			overload,
			result,
			body,
			bodyRequired: rb?.required === true,
			pathParams,
			queryParams,
			multipart,
			datTypes,
			prefix,
			deprecated: op.deprecated === true || op.operationId.startsWith('deprecated_'),
			auth:
				!(op.security ?? []).some((s) => Object.keys(s).length === 0) || (op.security ?? []).length === 0
					? true
					: false,
		});
	}
}
while (specQueue.length > 0) {
	const name = specQueue.shift();
	specTypes.set(name, tsOf(deref({ $ref: `#/components/schemas/${name}` })));
}

// --- emit ------------------------------------------------------------------------------------------------------
const header =
	"// Generated by packages/core/scripts/generate-api.mjs from Discord's OpenAPI spec. Do not edit by hand.\n";
const files = new Map(); // file name → content

// One file for every spec type: they refer to each other freely, so splitting them would make imports run in a
// circle (a generated file may be as long as it needs).
const specNames = [...specTypes.keys()].sort();
const SPEC_FILE = 'spec-types';
files.set(
	`${SPEC_FILE}.ts`,
	`${header}${specNames.map((name) => `/** \`${name}\` from Discord's OpenAPI spec (discord-api-types has no type for it). */\nexport type Spec${name} = ${specTypes.get(name)};\n`).join('\n')}`,
);

function paramType(name) {
	const type = PARAM_TYPES[name];
	if (type === undefined) throw new Error(`No type for path parameter ${name}: add it to PARAM_TYPES.`);
	return type;
}
function queryType(params) {
	const lines = params.map((p) => {
		let t = tsOf(p.schema, 1);
		if (p.schema?.$ref?.endsWith('/SnowflakeType') || /_ids?$/.test(p.name))
			t = t.replace(/\bstring\b/g, 'Snowflake');
		t = t.replace(/null \| |\s?\| null/g, '');
		return `\treadonly ${p.name}?: ${t};`;
	});
	return `{\n${lines.join('\n')}\n}`;
}
function methodSource(op) {
	const args = op.pathParams.map((p) => `${camel(p)}: ${paramType(p)}`);
	const route = op.path.replace(/\{(\w+)\}/g, (_, p) => `\${param(${camel(p)}, '${camel(p)}')}`);
	if (op.body !== undefined) args.push(`body${op.bodyRequired ? '' : '?'}: ${op.body}`);
	const optionsType =
		op.queryTypeSource !== undefined
			? `ApiRequestOptions & { readonly query?: ${pascal(op.id)}Query }`
			: 'ApiRequestOptions';
	args.push(`options?: ${optionsType}`);
	const data = ['...options'];
	if (/\{(interaction|webhook)_token\}/.test(op.path)) data.push('auth: false');
	if (op.body !== undefined) data.push('body');
	const lines = [
		'\t/**',
		`\t * \`${op.method} ${op.path}\` (\`${op.id}\`).`,
		...(op.multipart ? ['\t * Accepts `options.files` (sent as multipart/form-data).'] : []),
		...(/\{(interaction|webhook)_token\}/.test(op.path)
			? ['\t * Authenticated by the token in the route: the bot token is not sent.']
			: []),
		...(op.deprecated ? ['\t * @deprecated Discord marks this operation as deprecated.'] : []),
		'\t */',
		...(op.overload === undefined
			? [
					`\tpublic ${op.name}(${args.join(', ')}): Promise<${op.result}> {`,
					`\t\treturn this.rest.request<${op.result}>('${op.method}', \`${route}\`, { ${data.join(', ')} });`,
				]
			: [
					`\tpublic ${op.name}(${[...args.slice(0, -1), `options: ApiRequestOptions & { readonly query: ${pascal(op.id)}Query & { readonly ${op.overload.flag}: true } }`].join(', ')}): Promise<${op.overload.result}>;`,
					`\tpublic ${op.name}(${args.join(', ')}): Promise<${op.result}>;`,
					`\tpublic ${op.name}(${args.join(', ')}): Promise<${op.result} | ${op.overload.result}> {`,
					`\t\treturn this.rest.request<${op.result} | ${op.overload.result}>('${op.method}', \`${route}\`, { ${data.join(', ')} });`,
				]),
		'\t}',
	];
	return lines.join('\n');
}

const byResource = new Map();
for (const op of operations) {
	if (!byResource.has(op.resource)) byResource.set(op.resource, []);
	byResource.get(op.resource).push(op);
}
const resourceClasses = [];
const queryExports = [];
for (const [resource, ops] of [...byResource].sort(([a], [b]) => a.localeCompare(b))) {
	// One class per resource in one file, however many operations it has.
	const className = `${pascal(resource)}Api`;
	const file = resource;
	const srcMethods = ops.map(methodSource).join('\n\n');
	const queries = ops
		.filter((op) => op.queryTypeSource !== undefined)
		.map(
			(op) =>
				`/** Query parameters of \`${op.id}\` (\`client.api.${resource}.${op.name}\`). */\nexport type ${pascal(op.id)}Query = ${op.queryTypeSource};\n`,
		)
		.join('\n');
	for (const op of ops)
		if (op.queryTypeSource !== undefined) queryExports.push({ name: `${pascal(op.id)}Query`, file });
	const usesParam = ops.some((op) => op.pathParams.length > 0);
	const usesDeprecated = ops.some((op) => op.deprecated);
	const dat = [...new Set(ops.flatMap((op) => op.datTypes))].sort();
	const brands = [
		...new Set(
			ops
				.flatMap((op) => op.pathParams.map(paramType))
				.flatMap((t) => t.split(' | '))
				.filter((t) => /^[A-Z]/.test(t)),
		),
	];
	if (/\bSnowflake\b/.test(`${srcMethods}\n${queries}`)) brands.push('Snowflake');
	const specUsed = new Set();
	for (const m of `${srcMethods}\n${queries}`.matchAll(/\bSpec(\w+)\b/g))
		if (specTypes.has(m[1])) specUsed.add(`Spec${m[1]}`);
	const imports = [
		dat.length > 0 ? `import type {\n${dat.map((t) => `\t${t},`).join('\n')}\n} from 'discord-api-types/v10';` : '',
		brands.length > 0 ? `import type { ${[...new Set(brands)].sort().join(', ')} } from '@ovenjs/types';` : '',
		specUsed.size > 0 ? `import type { ${[...specUsed].sort().join(', ')} } from './${SPEC_FILE}.js';` : '',
		`import { ${['ApiResource', usesParam ? 'param' : '', 'type ApiRequestOptions'].filter(Boolean).join(', ')} } from '../ApiResource.js';`,
	]
		.filter(Boolean)
		.join('\n');
	const doc = `/** \`client.api.${resource}\`: the ${ops.length} operations under \`/${ops[0].path.split('/')[1]}\`. */`;
	const disable = usesDeprecated
		? '/* eslint-disable @typescript-eslint/no-deprecated -- mirrors operations Discord marks as deprecated */\n'
		: '';
	files.set(
		`${file}.ts`,
		`${header}${disable}${imports}\n\n${queries}${queries ? '\n' : ''}${doc}\nexport class ${className} extends ApiResource {\n${srcMethods}\n}\n`,
	);
	resourceClasses.push({ resource, className });
}

// The aggregate and the operation table.
const apiSrc = `${header}import type { RequestContract } from '../ApiResource.js';
${resourceClasses.map(({ resource, className }) => `import { ${className} } from './${resource}.js';`).join('\n')}

/**
 * \`client.api\`: one typed method per operation of Discord's HTTP API, grouped by the first path segment
 * (\`client.api.channels.createMessage(channelId, body)\`).
 */
export class Api {
${resourceClasses.map(({ resource, className }) => `\t/** Operations under \`/${byResource.get(resource)[0].path.split('/')[1]}\`. */\n\tpublic readonly ${resource}: ${className};`).join('\n')}

	public constructor(rest: RequestContract) {
${resourceClasses.map(({ resource, className }) => `\t\tthis.${resource} = new ${className}(rest);`).join('\n')}
	}
}
`;
files.set('Api.ts', apiSrc);

const tableSrc = `${header}/** One operation of Discord's HTTP API and the \`client.api\` method that performs it. */
export interface ApiOperation {
	/** Discord's operation ID (from the OpenAPI spec). */
	readonly id: string;
	/** The HTTP method. */
	readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/** The route template. */
	readonly path: string;
	/** The \`client.api\` resource. */
	readonly resource: string;
	/** The method name on the resource. */
	readonly name: string;
	/** Whether the result and body types come from discord-api-types (\`true\`) or the spec's own schemas. */
	readonly typedByDiscordApiTypes: boolean;
}

/** Every operation \`client.api\` implements. */
export const ApiOperations: readonly ApiOperation[] = [
${operations.map((op) => `\t{ id: '${op.id}', method: '${op.method}', path: '${op.path}', resource: '${op.resource}', name: '${op.name}', typedByDiscordApiTypes: ${op.result === 'void' || op.datTypes.length > 0} },`).join('\n')}
];
`;
files.set('operations.ts', tableSrc);

const barrel = `${header}export { Api } from './Api.js';
export { ApiOperations } from './operations.js';
export type { ApiOperation } from './operations.js';
${resourceClasses.map(({ resource, className }) => `export { ${className} } from './${resource}.js';`).join('\n')}
${[...new Set(queryExports.map((q) => q.file))]
	.map(
		(file) =>
			`export type { ${queryExports
				.filter((q) => q.file === file)
				.map((q) => q.name)
				.join(', ')} } from './${file}.js';`,
	)
	.join('\n')}
export type { ${specNames.map((name) => `Spec${name}`).join(', ')} } from './${SPEC_FILE}.js';
`;
files.set('index.ts', barrel);
const check = process.argv.includes('--check');
if (check) {
	const existing = existsSync(outDir) ? readdirSync(outDir).filter((file) => file.endsWith('.ts')) : [];
	const stale = [...files]
		.filter(([file, content]) => !existing.includes(file) || readFileSync(join(outDir, file), 'utf8') !== content)
		.map(([file]) => file);
	const extra = existing.filter((file) => !files.has(file));
	if (stale.length > 0 || extra.length > 0) {
		console.error(
			`src/lib/api/generated is stale (changed: ${stale.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}). Run: node packages/core/scripts/generate-api.mjs`,
		);
		process.exit(1);
	}
} else {
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });
	for (const [file, content] of files) writeFileSync(join(outDir, file), content);
}
const typed = operations.filter((op) => op.result === 'void' || op.datTypes.length > 0).length;
console.log(
	`${check ? 'Checked' : 'Generated'} ${operations.length} operations in ${resourceClasses.length} resources; ${typed} typed by discord-api-types, ${operations.length - typed} by spec schemas (${specTypes.size} spec types).`,
);
