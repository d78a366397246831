import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import type { Dispatcher, Pool } from 'undici';

/**
 * undici's `Pool` and `request`, loaded one module each: `import { Pool } from 'undici'` also loads fetch,
 * WebSocket, every other dispatcher, its cache and mock agent (3.2 MB of heap and 50–70 ms at start-up here) for a
 * client that uses one Pool. Each module is checked when loaded; should a future undici move one, the entry point is
 * loaded instead, so an upgrade costs memory, never a broken client.
 */
const requireHere = createRequire(import.meta.url);

/** undici's `request` called on a dispatcher (what its entry point installs as `Dispatcher.prototype.request`). */
export type RequestOn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

function isUndici(value: unknown): value is typeof Undici {
	return typeof value === 'object' && value !== null && isPoolClass(Reflect.get(value, 'Pool'));
}

function isPoolClass(value: unknown): value is typeof Pool {
	return typeof value === 'function' && value.name === 'Pool';
}

function isRequestOn(value: unknown): value is RequestOn {
	return typeof value === 'function' && value.name === 'request';
}

function loadModule<T>(path: string, check: (value: unknown) => value is T): T | undefined {
	try {
		const loaded: unknown = requireHere(path);
		return check(loaded) ? loaded : undefined;
	} catch {
		return undefined;
	}
}

/** undici's entry point: the fallback, and what installs `Dispatcher.prototype.request` on every dispatcher. */
function wholeUndici(): typeof Undici {
	const loaded: unknown = requireHere('undici');
	if (!isUndici(loaded)) throw new TypeError('undici did not export a Pool class');
	return loaded;
}

export const PoolClass: typeof Pool = loadModule('undici/lib/dispatcher/pool.js', isPoolClass) ?? wholeUndici().Pool;

export const requestOn: RequestOn =
	loadModule('undici/lib/api/api-request.js', isRequestOn) ??
	(wholeUndici(),
	function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
		return this.request(options);
	});
