// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import ovenjs from '@ovenjs/eslint-plugin';

export default tseslint.config(
	{
		ignores: [
			'**/dist/**',
			'**/.tsbuild/**',
			'**/node_modules/**',
			'**/.turbo/**',
			'benchmarks/results/**',
			'docs/**/*.js',
			'docs/.snippets/**',
		],
	},
	js.configs.recommended,
	...tseslint.configs.strictTypeChecked,
	...tseslint.configs.stylisticTypeChecked,
	{
		languageOptions: {
			parserOptions: {
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
			},
		},
		plugins: { '@ovenjs': ovenjs },
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/explicit-module-boundary-types': 'error',
			'@typescript-eslint/no-unsafe-argument': 'error',
			'@typescript-eslint/no-unsafe-assignment': 'error',
			'@typescript-eslint/no-unsafe-call': 'error',
			'@typescript-eslint/no-unsafe-member-access': 'error',
			'@typescript-eslint/no-unsafe-return': 'error',
			'@typescript-eslint/no-unsafe-declaration-merging': 'error',
			'@typescript-eslint/no-unsafe-enum-comparison': 'error',
			'@typescript-eslint/no-unsafe-function-type': 'error',
			'@typescript-eslint/no-unsafe-unary-minus': 'error',
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/consistent-type-exports': 'error',
			'@typescript-eslint/no-import-type-side-effects': 'error',
			'@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
			],
			'@typescript-eslint/consistent-type-definitions': 'off',
			'@typescript-eslint/no-invalid-void-type': 'off',
			'@typescript-eslint/prefer-literal-enum-member': 'off',
			'@ovenjs/prefer-brand-types': 'error',
		},
	},
	{
		// Tests may poke at internals and assert on shapes; the safety rules on `unknown` still apply.
		files: ['**/__tests__/**'],
		rules: {
			'@typescript-eslint/explicit-module-boundary-types': 'off',
			'@typescript-eslint/no-non-null-assertion': 'off',
			'@typescript-eslint/no-unnecessary-condition': 'off',
			'@typescript-eslint/no-empty-function': 'off',
			'@ovenjs/prefer-brand-types': 'off',
		},
	},
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		...tseslint.configs.disableTypeChecked,
		languageOptions: {
			...tseslint.configs.disableTypeChecked.languageOptions,
			globals: Object.fromEntries(
				[
					'process',
					'console',
					'URL',
					'URLSearchParams',
					'setTimeout',
					'clearTimeout',
					'setInterval',
					'clearInterval',
					'setImmediate',
					'queueMicrotask',
					'structuredClone',
					'AbortController',
					'TextEncoder',
					'TextDecoder',
					'Buffer',
					'performance',
					'globalThis',
					'gc',
				].map((name) => [name, 'readonly']),
			),
		},
	},
);
