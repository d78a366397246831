// Types of undici modules imported one by one (undici ships declarations for its entry point only).
declare module 'undici/lib/dispatcher/pool.js' {
	import type { Pool } from 'undici';

	const PoolClass: typeof Pool;
	export default PoolClass;
}

// Types of undici's `request` (what its entry point installs as `Dispatcher.prototype.request`), called on a Pool.
declare module 'undici/lib/api/api-request.js' {
	import type { Dispatcher } from 'undici';

	function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
	export default request;
}
