import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import { CreateError } from './errors/CreateError.js';

/** The language of the generated sources. */
export type Language = 'ts' | 'js';
/** The module format of the generated project (`"type"` in its package.json). */
export type ModuleFormat = 'esm' | 'cjs';
/** Optional parts of the generated bot. */
export type Feature = 'commands' | 'plugin' | 'redis' | 'dashboard';

/** Every feature, in the order the prompt lists them. */
export const Features: readonly Feature[] = ['commands', 'plugin', 'redis', 'dashboard'];

/** What each feature adds, as the prompt and `--help` show it. */
export const FeatureDescriptions: Readonly<Record<Feature, string>> = {
	commands: 'slash commands (/ping, and a register script)',
	plugin: 'a plugin (@ovenjs/plugins) that logs every interaction',
	redis: 'a Redis-backed cache (@ovenjs/cache, memory only when REDIS_URL is unset)',
	dashboard: 'a live dashboard (@ovenjs/observability)',
};

/** The answers a project is generated from. */
export interface ProjectOptions {
	/** The npm package name (also the default folder name). */
	readonly name: string;
	/** @defaultValue `'ts'` */
	readonly language: Language;
	/** @defaultValue `'esm'` */
	readonly moduleFormat: ModuleFormat;
	/** @defaultValue `['commands']` */
	readonly features: readonly Feature[];
}

/** The defaults `--yes` takes for every question not answered by a flag. */
export const DefaultProjectOptions = {
	name: 'ovenjs-bot',
	language: 'ts',
	moduleFormat: 'esm',
	features: ['commands'],
} as const satisfies ProjectOptions;

/** What the command line said; `undefined` means "ask" (or take the default with `--yes`). */
export interface CliArgs {
	readonly directory: string | undefined;
	readonly name: string | undefined;
	readonly language: Language | undefined;
	readonly moduleFormat: ModuleFormat | undefined;
	readonly features: readonly Feature[] | undefined;
	/** Take the defaults for every question not answered by a flag (non-interactive). */
	readonly yes: boolean;
	/** Write into a folder that is not empty. */
	readonly force: boolean;
	/** Install @ovenjs packages from the `.tgz` files in this folder (unreleased builds), not the registry. */
	readonly ovenjsTarballs: string | undefined;
	readonly help: boolean;
}

const npmName = /^(?:@[a-z0-9-*~][a-z0-9-*._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/**
 * Checks an npm package name.
 * @throws {@link CreateError} `CREATE_INVALID_NAME`
 */
export function validateName(name: string): string {
	if (name.length === 0 || name.length > 214 || !npmName.test(name)) {
		throw new CreateError(
			'CREATE_INVALID_NAME',
			`"${name}" is not a valid npm package name: use lowercase letters, digits, "-", "." and "_" (at most 214 characters).`,
		);
	}
	return name;
}

/** A project name from a folder name (`My Bot!` → `my-bot`), or `undefined` when nothing usable is left. */
export function nameFromDirectory(directory: string): string | undefined {
	const candidate = basename(directory)
		.toLowerCase()
		.replace(/[^a-z0-9-._~]+/g, '-')
		.replace(/^[-._]+|-+$/g, '');
	return candidate.length > 0 && npmName.test(candidate) ? candidate : undefined;
}

function invalid(message: string): never {
	throw new CreateError('CREATE_INVALID_OPTION', message);
}

/**
 * Parses a comma-separated feature list (`'commands,redis'`; `'none'` for no feature).
 * @throws {@link CreateError} `CREATE_INVALID_OPTION` for an unknown feature
 */
export function parseFeatures(list: string): Feature[] {
	if (list.trim() === 'none' || list.trim() === '') return [];
	const features: Feature[] = [];
	for (const raw of list.split(',')) {
		const item = raw.trim();
		const feature = Features.find((f) => f === item);
		if (feature === undefined) invalid(`Unknown feature "${item}": choose from ${Features.join(', ')} (or none).`);
		if (!features.includes(feature)) features.push(feature);
	}
	return features;
}

/**
 * Parses `create-ovenjs [directory] [--name n] [--ts|--js] [--esm|--cjs] [--features a,b] [--yes] [--force]`.
 * @throws {@link CreateError} `CREATE_INVALID_OPTION` for unknown flags or values
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
	let parsed: ReturnType<typeof parseWith>;
	try {
		parsed = parseWith(argv);
	} catch (error) {
		if (error instanceof CreateError) throw error;
		invalid(`${error instanceof Error ? error.message : String(error)} (see --help).`);
	}
	const { values, positionals } = parsed;
	if (positionals.length > 1)
		invalid(`Expected one target folder, got ${positionals.length}: ${positionals.join(' ')}.`);
	if (values.ts === true && values.js === true) invalid('Pass --ts or --js, not both.');
	if (values.esm === true && values.cjs === true) invalid('Pass --esm or --cjs, not both.');
	const language = values.language ?? (values.ts === true ? 'ts' : values.js === true ? 'js' : undefined);
	if (language !== undefined && language !== 'ts' && language !== 'js')
		invalid(`--language takes ts or js, not "${language}".`);
	const moduleFormat = values.module ?? (values.esm === true ? 'esm' : values.cjs === true ? 'cjs' : undefined);
	if (moduleFormat !== undefined && moduleFormat !== 'esm' && moduleFormat !== 'cjs')
		invalid(`--module takes esm or cjs, not "${moduleFormat}".`);
	return {
		directory: positionals[0],
		name: values.name === undefined ? undefined : validateName(values.name),
		language,
		moduleFormat,
		features: values.features === undefined ? undefined : parseFeatures(values.features),
		yes: values.yes === true,
		force: values.force === true,
		ovenjsTarballs: values['ovenjs-tarballs'],
		help: values.help === true,
	};
}

function parseWith(argv: readonly string[]) {
	return parseArgs({
		args: [...argv],
		allowPositionals: true,
		strict: true,
		options: {
			name: { type: 'string' },
			language: { type: 'string' },
			module: { type: 'string' },
			ts: { type: 'boolean' },
			js: { type: 'boolean' },
			esm: { type: 'boolean' },
			cjs: { type: 'boolean' },
			features: { type: 'string' },
			yes: { type: 'boolean', short: 'y' },
			force: { type: 'boolean' },
			'ovenjs-tarballs': { type: 'string' },
			help: { type: 'boolean', short: 'h' },
		},
	});
}
