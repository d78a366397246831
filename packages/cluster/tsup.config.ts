import { createTsupConfig } from '../../tools/tsup.config.base.js';

// `cli` is the entry of the `ovenjs-cluster` bin (bin/ovenjs-cluster.js imports it).
export default createTsupConfig({
	index: 'src/index.ts',
	redis: 'src/redis.ts',
	jetstream: 'src/jetstream.ts',
	cli: 'src/cli.ts',
});
