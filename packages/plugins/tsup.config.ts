import { createTsupConfig } from '../../tools/tsup.config.base.js';

// `worker` and `isolate-host` are the entries of a plugin's worker thread and isolate process (loaded by path, not imported).
export default createTsupConfig({
	index: 'src/index.ts',
	worker: 'src/worker.ts',
	'isolate-host': 'src/isolate-host.ts',
});
