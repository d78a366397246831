/**
 * tools/check-defaults.mjs: README options tables must state the defaults the code uses. Run on a small package
 * tree: how a table is matched to its `Default*Options` object, how literals compare (`15_000` == 15000,
 * 'x' == "x"), and what a mismatch report says.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tool = join(import.meta.dirname, '..', '..', 'check-defaults.mjs');
const dirs: string[] = [];

const readme = `# thing

## Client options

| Option | Default | Meaning |
| --- | --- | --- |
| \`token\` | — | not in the object: not compared |
| \`timeout\` | \`15_000\` | ms |
| \`api\` | \`"https://example.com"\` | either quotes |
| \`retry\` | \`true\` (on) | text after the literal is fine |
| \`backoffBase\` / \`backoffMax\` | \`250\` / \`5_000\` | two options in one row |
| \`maxResponseSize\` | \`10_485_760\` (10 MiB) | |

| \`OtherStore\` option | Default | |
| --- | --- | --- |
| \`timeout\` | \`1_000\` | the header names the object |
| \`prefix\` | \`'p'\` | |
`;

/** A repository with one built package `thing` exporting two defaults objects, and `text` as its README. */
function tree(text: string): string {
	const root = mkdtempSync(join(tmpdir(), 'check-defaults-'));
	dirs.push(root);
	const dir = join(root, 'packages', 'thing');
	mkdirSync(join(dir, 'dist'), { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({ name: 'thing', type: 'module', exports: { '.': { import: { default: './dist/index.js' } } } }),
	);
	writeFileSync(
		join(dir, 'dist', 'index.js'),
		"export const DefaultThingOptions = { timeout: 15000, api: 'https://example.com', retry: true, backoffBase: 250, backoffMax: 5000, maxResponseSize: 10485760 };\n" +
			"export const DefaultOtherStoreOptions = { timeout: 1000, prefix: 'p' };\n",
	);
	writeFileSync(join(dir, 'README.md'), text);
	return root;
}

function run(root: string): { status: number | null; out: string; err: string } {
	const result = spawnSync(process.execPath, [tool, '--root', root], { encoding: 'utf8' });
	return { status: result.status, out: result.stdout, err: result.stderr };
}

afterAll(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('tools/check-defaults.mjs', () => {
	it('accepts a README that agrees, matching each table to the object it documents', () => {
		const result = run(tree(readme));
		expect(result.err).toBe('');
		expect(result.status).toBe(0);
		expect(result.out).toContain('check-defaults: 8 documented defaults in 1 packages agree');
	});

	it('reports each disagreement with file:line and the text to write, and fails', () => {
		const wrong = readme
			.replace('`15_000` | ms', '`15_001` | ms')
			.replace('`250` / `5_000`', '`250` / `6_000`')
			.replace("`'p'`", '`q`');
		const result = run(tree(wrong));
		expect(result.status).toBe(1);
		expect(result.err.trim().split('\n')).toEqual([
			'packages/thing/README.md:8: `timeout` shows `15_001` but DefaultThingOptions.timeout is 15_000; write `15_000` in its Default cell (or change DefaultThingOptions).',
			'packages/thing/README.md:11: `backoffMax` shows `6_000` but DefaultThingOptions.backoffMax is 5_000; write `5_000` in its Default cell (or change DefaultThingOptions).',
			"packages/thing/README.md:17: `prefix` shows `q` but DefaultOtherStoreOptions.prefix is 'p'; write `'p'` in its Default cell (or change DefaultOtherStoreOptions).",
			'check-defaults: 3 README default(s) disagree with the code (see above).',
		]);
	});

	it('says when the package is not built', () => {
		const root = tree(readme);
		rmSync(join(root, 'packages', 'thing', 'dist'), { recursive: true });
		const result = run(root);
		expect(result.status).toBe(1);
		expect(result.err).toContain('packages/thing/dist/index.js is missing; run `pnpm run build` first.');
	});
});
