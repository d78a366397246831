import semver from 'semver';
import { z } from 'zod';

/** What a plugin may do beyond registering its declared hooks. */
export const PluginPermissions = ['rest', 'gateway:send', 'cache:read', 'cache:write', 'state', 'network'] as const;
export type PluginPermission = (typeof PluginPermissions)[number];

const NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?ovenjs-plugin-[a-z0-9-._~]+$/;

/** The zod schema of a plugin manifest (usually the `ovenjs` block of the plugin's package.json plus name/version). */
export const PluginManifestSchema = z.strictObject({
	name: z
		.string()
		.regex(NAME, 'must be an npm package name of the form "ovenjs-plugin-<name>" or "@scope/ovenjs-plugin-<name>"'),
	version: z.string().refine((v) => semver.valid(v) !== null, 'must be a valid semver version such as "1.2.0"'),
	description: z.string().max(300).optional(),
	/** The range of `@ovenjs/plugins` API versions the plugin works with, e.g. `"^0.1.0"`. */
	ovenjs: z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range such as "^0.1.0"'),
	/** Extension points the plugin registers handlers on. Registering an undeclared point is refused. */
	hooks: z
		.array(z.string().regex(/^[a-zA-Z]+:[a-zA-Z]+$/, 'must be an extension point name such as "message:create"'))
		.default([]),
	permissions: z.array(z.enum(PluginPermissions)).default([]),
	/** Other plugins this one needs, by name → semver range. They are loaded first. */
	dependencies: z
		.record(
			z.string(),
			z.string().refine((v) => semver.validRange(v) !== null, 'must be a semver range'),
		)
		.default({}),
});

/** A validated plugin manifest. */
export type PluginManifest = z.output<typeof PluginManifestSchema>;
/** A manifest as a plugin author writes it (defaults not yet applied). */
export type PluginManifestInput = z.input<typeof PluginManifestSchema>;
