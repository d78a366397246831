import { createTsupConfig } from '../../tools/tsup.config.base.js';

export default createTsupConfig({ index: 'src/index.ts', redis: 'src/redis.ts', internal: 'src/internal.ts' });
