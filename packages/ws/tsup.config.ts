import { createTsupConfig } from '../../tools/tsup.config.base.js';

// `worker` is the entry of the worker-thread sharding strategy (loaded by path, not imported); `internal` is the
// plumbing subpath (`@ovenjs/ws/internal`, not covered by semver).
export default createTsupConfig({
	index: 'src/index.ts',
	redis: 'src/redis.ts',
	internal: 'src/internal.ts',
	worker: 'src/worker.ts',
});
