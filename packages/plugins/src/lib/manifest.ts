import semver from 'semver';
import { z } from 'zod';
import { PluginError } from './errors/PluginError.js';
import { isCapability } from './capabilities.js';

/** The version of `@ovenjs/plugins` manifests' `engine` ranges are checked against. */
export const PLUGINS_ENGINE_VERSION = '0.2.0';

/** How strongly a plugin is separated from the bot, weakest first. */
export const IsolationLevels = ['none', 'worker', 'isolate'] as const;
/** `'none'`: in-process (trusted code). `'worker'`: a worker thread with resource limits. `'isolate'`: an isolated-vm isolate in a child process. */
export type IsolationLevel = (typeof IsolationLevels)[number];

/** The pattern of a plugin's npm name: `ovenjs-plugin-<name>` or `@scope/ovenjs-plugin-<name>`. */
export const PLUGIN_NAME_PATTERN = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?ovenjs-plugin-[a-z0-9-._~]+$/;

const range = z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range such as "^1.0.0"');
const pluginName = z
	.string()
	.regex(
		PLUGIN_NAME_PATTERN,
		'must be a plugin package name ("ovenjs-plugin-<name>" or "@scope/ovenjs-plugin-<name>")',
	);
const dependencyMap = z.record(pluginName, range).default({});

/** A JSON Schema (the subset {@link validateConfig} understands: see the docs) or the name of an exported zod schema. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The `"ovenjs"` block of a plugin's package.json. */
export const PluginManifestBlockSchema = z.strictObject({
	/** The range of `@ovenjs/plugins` versions the plugin supports. */
	engine: range,
	/** Plugins that must be loaded first (name → semver range). */
	dependencies: dependencyMap,
	/** Plugins used when present; a missing one is skipped with a warning. */
	optionalDependencies: dependencyMap,
	/** Plugins the bot must load as well (this plugin does not bring them), loaded first. */
	peerDependencies: dependencyMap,
	/** Capabilities (`events:messageCreate`, `rest:channels.createMessage`, `rest:*`, `cache:read`, `state:write`, `hook:message:beforeSend` ...). */
	permissions: z
		.array(
			z
				.string()
				.refine(
					isCapability,
					'must be a capability such as "events:messageCreate", "rest:channels.createMessage", "rest:*", "cache:read", "state:read", "state:write" or "hook:<point>"',
				),
		)
		.default([]),
	/** The strongest isolation the plugin works under. */
	isolation: z.enum(IsolationLevels).default('none'),
	/** A JSON Schema of the plugin's config, or the name of a zod schema the entry module exports. */
	config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
	/** The entry module, relative to the package (default: the package's `exports["."]` / `module` / `main`). */
	main: z.string().min(1).optional(),
});

/** The `"ovenjs"` block as written in package.json (before defaults). */
export type PluginManifestBlockInput = z.input<typeof PluginManifestBlockSchema>;

/** A validated plugin manifest: the package's name and version plus its `"ovenjs"` block with defaults. */
export interface ResolvedManifest extends z.output<typeof PluginManifestBlockSchema> {
	readonly name: string;
	readonly version: string;
	readonly description?: string | undefined;
}

const PackageJsonSchema = z.looseObject({
	name: pluginName,
	version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semver version such as "1.2.0"'),
	description: z.string().optional(),
	ovenjs: PluginManifestBlockSchema,
});

function issues(error: z.ZodError): string {
	return error.issues.map((i) => `${i.path.join('.') || '(manifest)'} ${i.message}`).join('; ');
}

/**
 * Validates a plugin's package.json (its `name`, `version` and `"ovenjs"` block).
 * @throws {@link PluginError} `PLUGIN_INVALID_MANIFEST` listing every problem.
 */
export function parseManifest(packageJson: unknown, where: string): ResolvedManifest {
	const name: unknown =
		typeof packageJson === 'object' && packageJson !== null ? Reflect.get(packageJson, 'name') : undefined;
	const label = typeof name === 'string' ? name : where;
	if (typeof packageJson === 'object' && packageJson !== null && !('ovenjs' in packageJson)) {
		throw PluginError.of('PLUGIN_INVALID_MANIFEST', label, [
			{ kind: 'missing', where, engine: PLUGINS_ENGINE_VERSION },
		]);
	}
	const parsed = PackageJsonSchema.safeParse(packageJson);
	if (!parsed.success)
		throw PluginError.of('PLUGIN_INVALID_MANIFEST', label, [
			{ kind: 'invalid', where, issues: issues(parsed.error) },
		]);
	const { name: pkgName, version, description, ovenjs } = parsed.data;
	return { ...ovenjs, name: pkgName, version, description };
}

/**
 * Validates an inline manifest (a definition passed to `load` without a package.json).
 * @throws {@link PluginError} `PLUGIN_INVALID_MANIFEST`.
 */
export function parseInlineManifest(name: unknown, version: unknown, block: unknown): ResolvedManifest {
	return parseManifest(
		{ name, version: version ?? '0.0.0', ovenjs: block ?? { engine: '*' } },
		`the definition of ${typeof name === 'string' ? name : '(unnamed plugin)'}`,
	);
}

/**
 * Checks the manifest's `engine` range against this package's version.
 * @throws {@link PluginError} `PLUGIN_ENGINE_MISMATCH`.
 */
export function checkEngine(manifest: ResolvedManifest, engineVersion: string = PLUGINS_ENGINE_VERSION): void {
	if (!semver.satisfies(engineVersion, manifest.engine, { includePrerelease: true })) {
		throw PluginError.of('PLUGIN_ENGINE_MISMATCH', manifest.name, [manifest.engine, engineVersion]);
	}
}

/** Compares isolation levels: negative when `a` is weaker than `b`. */
export function compareIsolation(a: IsolationLevel, b: IsolationLevel): number {
	return IsolationLevels.indexOf(a) - IsolationLevels.indexOf(b);
}
