/**
 * The one place that holds OvenJS's build settings. Each package's `tsup.config.ts` names only its entries:
 *
 * ```ts
 * import { createTsupConfig } from '../../tools/tsup.config.base.js';
 * export default createTsupConfig({ index: 'src/index.ts', redis: 'src/redis.ts' });
 * ```
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const buildTsconfig = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));

export function createTsupConfig(
	entry: Record<string, string>,
	overrides: Options = {},
): ReturnType<typeof defineConfig> {
	return defineConfig({
		entry,
		format: ['esm', 'cjs'],
		// Declarations come from TypeScript 7 in tools/emit-types.mjs (the build script runs it after tsup).
		dts: false,
		tsconfig: buildTsconfig,
		target: 'node20',
		platform: 'node',
		clean: true,
		sourcemap: true,
		splitting: false,
		treeshake: true,
		shims: false,
		keepNames: true,
		outDir: 'dist',
		...overrides,
	});
}
