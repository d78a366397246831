import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Loading of the encoding dependencies (`msgpackr`, `lz4-napi`) on first use, so importing `@ovenjs/cache` (or
 * `@ovenjs/core`) loads no native addon: a memory-only bot never calls these.
 *
 * @internal
 */

/** This module's URL, in the ESM build (`import.meta.url`) and in the CJS build (`__filename`) alike. */
function moduleUrl(): string {
	const url: unknown = import.meta.url;
	return typeof url === 'string' ? url : pathToFileURL(__filename).href;
}

let requireHere: NodeJS.Require | undefined;

/**
 * Loads `specifier` synchronously, resolved from this package (not from the application's working directory).
 * Throws whatever Node throws (not installed, native part missing).
 */
export function lazyRequire(specifier: string): unknown {
	requireHere ??= createRequire(moduleUrl());
	const loaded: unknown = requireHere(specifier);
	return loaded;
}
