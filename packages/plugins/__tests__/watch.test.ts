import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures, manager, message, until } from './helpers/environment.js';

// A worker starts from source: seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0).reverse()) await step();
});

describe('watch: true', () => {
	it('reloads a plugin whose files change, and the new code answers', async () => {
		const root = mkdtempSync(join(tmpdir(), 'ovenjs-watch-'));
		cleanup.push(() => {
			rmSync(root, { recursive: true, force: true });
		});
		cpSync(join(fixtures, 'ovenjs-plugin-echo'), join(root, 'ovenjs-plugin-echo'), { recursive: true });
		const { plugins, host, loads, warnings, errors } = manager({ root, isolation: 'worker', watch: true });
		cleanup.push(() => plugins.close());

		expect((await plugins.load('./ovenjs-plugin-echo')).loaded).toEqual(['ovenjs-plugin-echo']);
		host.emit('messageCreate', message('!ping'));
		await until(() => host.sent.length === 1, 'the first pong');
		expect(host.sent[0]?.content).toBe('pong from worker [ovenjs-plugin-echo]');

		const entry = join(root, 'ovenjs-plugin-echo', 'index.mjs');
		writeFileSync(
			entry,
			readFileSync(entry, 'utf8').replace('pong from ${ctx.isolation}', 'pong v2 from ${ctx.isolation}'),
		);
		await until(() => loads.includes('ovenjs-plugin-echo@worker#1'), 'the reload after the change');
		expect(warnings.some((warning) => warning.includes('files changed, reloading'))).toBe(true);

		host.emit('messageCreate', message('!ping'));
		await until(() => host.sent.length === 2, 'the second pong');
		expect(host.sent[1]?.content).toBe('pong v2 from worker [ovenjs-plugin-echo]');
		expect(errors).toEqual([]);
	});
});
