import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

describe('undici, one module at a time', () => {
	it("a REST client loads undici's Pool and request, not its entry point (fetch, WebSocket, mocks)", () => {
		for (const [kind, entry] of [
			['cjs', 'index.cjs'],
			['esm', 'index.js'],
		] as const) {
			const script = `
				const { createRequire } = require('node:module');
				(async () => {
					const rest = ${kind === 'cjs' ? `require(${JSON.stringify(dist + entry)})` : `await import(${JSON.stringify(`file://${dist}${entry}`)})`};
					new rest.REST({ token: 'x'.repeat(30) });
					const loaded = Object.keys(require.cache).filter((file) => file.includes('undici'));
					console.log(JSON.stringify({
						entry: loaded.some((file) => /undici[\\\\/]index\\.js$/.test(file)),
						pool: loaded.some((file) => /dispatcher[\\\\/]pool\\.js$/.test(file)),
						request: loaded.some((file) => /api[\\\\/]api-request\\.js$/.test(file)),
					}));
				})();`;
			const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
			expect(JSON.parse(out), kind).toEqual({ entry: false, pool: true, request: true });
		}
	});
});
