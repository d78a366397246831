import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../examples/demo.mjs', import.meta.url));
const cwd = fileURLToPath(new URL('..', import.meta.url));

describe('the demo bot', () => {
	it('runs the scripted !ping, the example plugins and /ping against the embedded mock and exits 0 by itself', () => {
		const env = { ...process.env };
		delete env.DISCORD_TOKEN;
		const result = spawnSync(process.execPath, ['--conditions=@ovenjs/source', '--import', 'tsx', demo], {
			cwd,
			env,
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(result.stderr).not.toMatch(/Error/);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/\[shards\]\s+1\/1 identified, 1\/1 ready/);
		expect(result.stdout).toMatch(/\[bot\]\s+said in #\S+: "pong! gateway/);
		expect(result.stdout).toMatch(/\[user\]\s+got "pong! gateway .* ms" \d+ ms after invoking \/ping/);
		// The example plugins: greetings in an isolate, welcome in a worker using greetings' service.
		expect(result.stdout).toMatch(/\[plugins\]\s+ovenjs-plugin-greetings@1\.0\.0 loaded \(isolation 'isolate'\)/);
		expect(result.stdout).toMatch(
			/\[plugins\]\s+ovenjs-plugin-welcome@1\.0\.0 loaded \(isolation 'worker', after ovenjs-plugin-greetings\)/,
		);
		expect(result.stdout).toMatch(/\[bot\]\s+said in #\S+: "Welcome, \S+!"/);
		expect(result.stdout).toMatch(/\[bot\]\s+said in #\S+: "1 greeting so far, the last for \S+\."/);
		expect(result.stdout).toContain('client destroyed, bye');
	});
});
