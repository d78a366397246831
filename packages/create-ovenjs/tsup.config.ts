import { createTsupConfig } from '../../tools/tsup.config.base.js';

export default createTsupConfig({ index: 'src/index.ts', cli: 'src/cli.ts' });
