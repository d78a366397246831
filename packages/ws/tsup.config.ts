import { createTsupConfig } from '../../tools/tsup.config.base.js';

// `worker` is the entry of the worker-thread sharding strategy (loaded by path, not imported).
export default createTsupConfig({ index: 'src/index.ts', redis: 'src/redis.ts', worker: 'src/worker.ts' });
