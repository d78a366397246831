import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../examples/demo.mjs', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('the demo bot', () => {
	it('runs the scripted !ping and /ping against the embedded mock and exits 0 by itself', () => {
		const env = { ...process.env };
		delete env.DISCORD_TOKEN;
		const result = spawnSync(process.execPath, ['--conditions=@ovenjs/source', '--import', 'tsx', demo], { cwd, env, encoding: 'utf8', timeout: 60_000 });
		expect(result.stderr).not.toMatch(/Error/);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/\[shards\]\s+1\/1 identified, 1\/1 ready/);
		expect(result.stdout).toMatch(/\[bot\]\s+said in #\S+: "pong! gateway/);
		expect(result.stdout).toMatch(/\[user\]\s+got "pong! gateway .* ms" \d+ ms after invoking \/ping/);
		expect(result.stdout).toContain('client destroyed, bye');
	});
});
