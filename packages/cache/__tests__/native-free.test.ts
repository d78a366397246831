/**
 * A memory-only cache loads no native addon, and the codec works where lz4-napi and msgpackr-extract have no
 * build (their binaries made unresolvable by fixtures/native-guard.mjs in a child process).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValueCodec } from '@ovenjs/cache';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function runChild(env: Record<string, string>): {
	memoryOnly: { read: unknown; afterPattern: unknown; dlopened: string[] };
	codec: { compressed: boolean; roundTrip: string; fromParent: unknown; dlopened: string[] };
} {
	const out = execFileSync(
		process.execPath,
		[
			'--conditions=@ovenjs/source',
			'--import',
			`${fixtures}native-guard.mjs`,
			'--import',
			'tsx',
			`${fixtures}memory-only-bot.ts`,
		],
		{
			cwd: fileURLToPath(new URL('..', import.meta.url)),
			env: { ...process.env, ...env },
			encoding: 'utf8',
			timeout: 60_000,
		},
	);
	return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ReturnType<typeof runChild>;
}

describe('no native code unless a remote tier needs it', () => {
	it('runs a memory-only cache and a codec round trip with the native addons unresolvable', () => {
		const value = { text: 'oven '.repeat(2_000), n: [1, 2, 3] };
		const fromParent = new ValueCodec().encode(value);
		const result = runChild({ OVENJS_BLOCK_NATIVE: '1', OVENJS_ENCODED: fromParent.toString('base64') });
		expect(result.memoryOnly).toEqual({ read: { name: 'Oven' }, afterPattern: null, dlopened: [] });
		expect(result.codec.compressed).toBe(true);
		expect(result.codec.dlopened).toEqual([]);
		// A value written with the native lz4 in this process is read by the pure-JS fallback there.
		expect(result.codec.fromParent).toEqual(value);
	}, 90_000);
});
