import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginError } from './errors/PluginError.js';
import { parseManifest, PLUGIN_NAME_PATTERN, type ResolvedManifest } from './manifest.js';

/** A plugin package found on disk. */
export interface PluginPackage {
	readonly manifest: ResolvedManifest;
	/** The package's folder. */
	readonly dir: string;
	/** The entry module's file URL. */
	readonly entry: URL;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): unknown {
	try {
		const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
		return parsed;
	} catch (error) {
		throw PluginError.of(
			'PLUGIN_INVALID_MANIFEST',
			file,
			[{ kind: 'unreadable', why: error instanceof Error ? error.message : String(error) }],
			{ cause: error },
		);
	}
}

/** The ESM entry of an `exports` target (`"./x.js"`, `{ import, node, default }`, nested). */
function exportTarget(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (!isRecord(value)) return undefined;
	for (const key of ['import', 'node', 'default']) {
		const found = exportTarget(value[key]);
		if (found !== undefined) return found;
	}
	return undefined;
}

function entryOf(dir: string, pkg: Record<string, unknown>, manifest: ResolvedManifest): URL {
	const exportsField = pkg.exports;
	const fromExports =
		isRecord(exportsField) && '.' in exportsField ? exportTarget(exportsField['.']) : exportTarget(exportsField);
	const candidates = [
		manifest.main,
		fromExports,
		typeof pkg.module === 'string' ? pkg.module : undefined,
		typeof pkg.main === 'string' ? pkg.main : undefined,
		'index.js',
	];
	for (const candidate of candidates) {
		if (candidate === undefined) continue;
		const file = resolve(dir, candidate);
		if (existsSync(file)) return pathToFileURL(file);
	}
	throw PluginError.of('PLUGIN_NOT_FOUND', manifest.name, [{ kind: 'entry', dir }]);
}

/** Reads a plugin package from its folder. */
export function readPluginPackage(dir: string): PluginPackage {
	const file = join(dir, 'package.json');
	if (!existsSync(file)) throw PluginError.of('PLUGIN_NOT_FOUND', dir, [{ kind: 'package-json', dir }]);
	const pkg = readJson(file);
	const manifest = parseManifest(pkg, file);
	return { manifest, dir, entry: entryOf(dir, isRecord(pkg) ? pkg : {}, manifest) };
}

/** Whether `specifier` names a folder (relative, absolute or a file URL) rather than a package. */
function isPath(specifier: string): boolean {
	return specifier.startsWith('.') || specifier.startsWith('file:') || isAbsolute(specifier);
}

/**
 * Finds a plugin by package name (in `node_modules` from `root` upward) or by folder.
 * @throws {@link PluginError} `PLUGIN_NOT_FOUND` saying where it looked.
 */
export function locatePlugin(specifier: string | URL, root: string): PluginPackage {
	if (specifier instanceof URL || specifier.startsWith('file:')) return readPluginPackage(fileURLToPath(specifier));
	if (isPath(specifier)) return readPluginPackage(resolve(root, specifier));
	if (!PLUGIN_NAME_PATTERN.test(specifier)) {
		throw PluginError.of('PLUGIN_NOT_FOUND', specifier, [{ kind: 'package-name' }]);
	}
	for (let dir = resolve(root); ; dir = dirname(dir)) {
		const candidate = join(dir, 'node_modules', specifier);
		if (existsSync(join(candidate, 'package.json'))) return readPluginPackage(candidate);
		if (dirname(dir) === dir) break;
	}
	throw PluginError.of('PLUGIN_NOT_FOUND', specifier, [{ kind: 'not-installed', specifier, root }]);
}

/** The `ovenjs-plugin-*` packages the bot's package.json (in `root`) depends on. */
export function discoverPlugins(root: string): string[] {
	const file = join(root, 'package.json');
	if (!existsSync(file)) throw PluginError.of('PLUGIN_NOT_FOUND', '(discover)', [{ kind: 'bot-package-json', file }]);
	const pkg = readJson(file);
	if (!isRecord(pkg)) return [];
	const names = new Set<string>();
	for (const field of ['dependencies', 'optionalDependencies']) {
		const deps = pkg[field];
		if (isRecord(deps)) for (const name of Object.keys(deps)) if (PLUGIN_NAME_PATTERN.test(name)) names.add(name);
	}
	return [...names].sort();
}

/** The entry module's source text (an isolate compiles it from text). */
export async function readEntrySource(entry: URL): Promise<string> {
	return readFile(entry, 'utf8');
}
