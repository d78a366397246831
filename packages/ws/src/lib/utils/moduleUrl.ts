import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** This module's URL, in the ESM build (`import.meta.url`) and in the CJS build (`__filename`) alike. */
export function moduleUrl(): string {
	const url: unknown = import.meta.url;
	return typeof url === 'string' ? url : pathToFileURL(__filename).href;
}

/**
 * Loads an optional dependency synchronously, resolved from this package (not from the application's working
 * directory); `undefined` when it is not installed or its native part failed to load.
 */
export function requireOptional(specifier: string): unknown {
	try {
		const loaded: unknown = createRequire(moduleUrl())(specifier);
		return loaded;
	} catch {
		return undefined;
	}
}
