import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateError } from './errors/CreateError.js';
import { validateName, type ProjectOptions } from './options.js';
import { projectFiles, type OvenjsSource } from './templates.js';

/** Options of {@link scaffold}. */
export interface ScaffoldOptions extends ProjectOptions {
	/** The folder to write into (created when missing). */
	readonly directory: string;
	/** Write even when the folder has files (existing files with the same names are overwritten). @defaultValue `false` */
	readonly force?: boolean;
	/** Take `@ovenjs/*` from the `.tgz` files in this folder instead of the registry (unreleased builds). */
	readonly ovenjsTarballs?: string | undefined;
	/** Called once per file written, with its path relative to `directory`. */
	readonly onFile?: (path: string) => void;
}

/** What {@link scaffold} wrote. */
export interface ScaffoldResult {
	/** The absolute project folder. */
	readonly directory: string;
	/** The files written, relative to `directory`. */
	readonly files: readonly string[];
}

/** The version of this package, which every `@ovenjs/*` package of the same release shares (changesets `fixed`). */
export function ovenjsVersion(): string {
	for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (existsSync(manifest)) {
			const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
			if (typeof parsed === 'object' && parsed !== null && Reflect.get(parsed, 'name') === 'create-ovenjs') {
				const version: unknown = Reflect.get(parsed, 'version');
				if (typeof version === 'string') return version;
			}
		}
		if (dirname(dir) === dir) return '0.1.0';
	}
}

/** `@ovenjs/<name>` → `file:` URL of its tarball, for every `ovenjs-<name>-<version>.tgz` in `folder`. */
export function tarballSource(folder: string): OvenjsSource {
	const absolute = resolve(folder);
	if (!existsSync(absolute))
		throw new CreateError('CREATE_INVALID_OPTION', `--ovenjs-tarballs: ${absolute} does not exist.`);
	const tarballs: Record<string, string> = {};
	for (const file of readdirSync(absolute)) {
		const match = /^ovenjs-([a-z0-9-]+?)-\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\.tgz$/.exec(file);
		if (match?.[1] !== undefined) tarballs[`@ovenjs/${match[1]}`] = `file:${join(absolute, file)}`;
	}
	if (Object.keys(tarballs).length === 0)
		throw new CreateError(
			'CREATE_INVALID_OPTION',
			`No @ovenjs tarballs (ovenjs-<name>-<version>.tgz) in ${absolute}.`,
		);
	return { tarballs };
}

/**
 * Writes a new bot project into `options.directory`.
 * @throws {@link CreateError} `CREATE_TARGET_NOT_EMPTY` when the folder has files and `force` is not set;
 * `CREATE_INVALID_NAME` for a name npm refuses
 */
export function scaffold(options: ScaffoldOptions): ScaffoldResult {
	validateName(options.name);
	const directory = resolve(options.directory);
	if (existsSync(directory) && readdirSync(directory).some((entry) => entry !== '.git') && options.force !== true) {
		throw new CreateError(
			'CREATE_TARGET_NOT_EMPTY',
			`${directory} is not empty: choose another folder, empty it, or pass --force.`,
		);
	}
	const source: OvenjsSource =
		options.ovenjsTarballs === undefined ? { range: `^${ovenjsVersion()}` } : tarballSource(options.ovenjsTarballs);
	const written: string[] = [];
	for (const file of projectFiles(options, source)) {
		const target = join(directory, file.path);
		mkdirSync(dirname(target), { recursive: true });
		writeFileSync(target, file.contents);
		written.push(file.path);
		options.onFile?.(file.path);
	}
	return { directory, files: written };
}

/** The folder name shown in "next steps" (`.` when scaffolding into the current folder). */
export function displayDirectory(directory: string, cwd: string = process.cwd()): string {
	const absolute = resolve(directory);
	if (absolute === resolve(cwd)) return '.';
	return absolute.startsWith(`${resolve(cwd)}/`)
		? absolute.slice(resolve(cwd).length + 1)
		: absolute || basename(absolute);
}
