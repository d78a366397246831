import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const scripts = fileURLToPath(new URL('../scripts/', import.meta.url));
const specPath = fileURLToPath(new URL('../../../../shared/discord/openapi.json', import.meta.url));
const hasSpec = existsSync(specPath);
if (!hasSpec)
	console.warn(
		`[generated] Discord's OpenAPI spec is absent (${specPath}): the client.api freshness check is skipped.`,
	);

function check(script: string): { status: number | null; output: string } {
	const result = spawnSync(process.execPath, [`${scripts}${script}`, '--check'], {
		encoding: 'utf8',
		timeout: 60_000,
	});
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('generated files are up to date', () => {
	it('docs/extension-points.md matches the ExtensionPoints declarations', () => {
		const result = check('generate-points-table.mjs');
		expect(result.output).toMatch(/up to date \(\d+ points\)/);
		expect(result.status).toBe(0);
	});

	it.skipIf(!hasSpec)('src/lib/api/generated matches the OpenAPI spec and discord-api-types', () => {
		const result = check('generate-api.mjs');
		expect(result.output).toMatch(/Checked 242 operations/);
		expect(result.status).toBe(0);
	});
});
