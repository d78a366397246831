/**
 * Transport decompression, for every decoder that exists on this Node: round trips, corrupt input, size limits
 * (decompression bombs) and a seeded fuzz of each decoder. A decoder only ever reports typed GatewayErrors.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/index.js';
import {
	createDecompressor,
	resolveDecompressor,
	type DecompressorImplementation,
} from '../src/lib/utils/decompression.js';
import { seeded } from '@ovenjs/test-services/seeded';

const hasNodeZstd = typeof Reflect.get(zlib, 'createZstdDecompress') === 'function';
const ZLIB: DecompressorImplementation[] = ['zlib-sync', 'node:zlib'];
const ZSTD: DecompressorImplementation[] = hasNodeZstd ? ['fzstd', 'node:zlib'] : ['fzstd'];
const MiB = 1024 * 1024;

function collect(
	compression: 'zlib-stream' | 'zstd-stream',
	implementation: DecompressorImplementation,
	maxMessageSize = 64 * MiB,
) {
	const out: string[] = [];
	const errors: GatewayError[] = [];
	const decompressor = createDecompressor(
		{ compression, implementation, maxMessageSize },
		(text) => out.push(text),
		(error) => errors.push(error),
	);
	return { out, errors, decompressor };
}

/** Deflates messages on one context, each sync-flushed, and resolves each message's bytes. */
async function zlibFrames(messages: readonly (string | Buffer)[]): Promise<Buffer[]> {
	const deflate = zlib.createDeflate();
	const chunks: Buffer[] = [];
	deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
	const frames: Buffer[] = [];
	for (const message of messages) {
		deflate.write(message);
		await new Promise<void>((resolve) => {
			deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
				resolve();
			});
		});
		frames.push(Buffer.concat(chunks.splice(0)));
	}
	deflate.close();
	return frames;
}

/** A zstd frame header (window 2 MiB, no content size) followed by raw or RLE blocks, as a flushed stream sends. */
const zstdHeader = (): Buffer => Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]);
function zstdBlock(type: 'raw' | 'rle', body: Buffer, size = body.length, last = false): Buffer {
	const header = (size << 3) | ((type === 'raw' ? 0 : 1) << 1) | (last ? 1 : 0);
	return Buffer.concat([
		Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]),
		type === 'raw' ? body : body.subarray(0, 1),
	]);
}

/** Settles a decompressor whose decoding may run in the thread pool. */
async function settle(decompressor: { settled(): Promise<void> }): Promise<void> {
	await decompressor.settled();
	await new Promise((resolve) => setImmediate(resolve));
}

describe('decoder selection', () => {
	it("'auto' prefers zlib-sync for zlib-stream and node:zlib's zstd where Node has it", () => {
		expect(resolveDecompressor('zlib-stream', 'auto')).toBe('zlib-sync');
		expect(resolveDecompressor('zstd-stream', 'auto')).toBe(hasNodeZstd ? 'node:zlib' : 'fzstd');
	});

	it('refuses a decoder that cannot decode the transport, saying what to use', () => {
		expect(resolveDecompressor('zlib-stream', 'fzstd')).toMatchObject({
			code: 'GATEWAY_INVALID_OPTION',
			message: expect.stringContaining("'auto'") as string,
		});
		expect(resolveDecompressor('zstd-stream', 'zlib-sync')).toMatchObject({ code: 'GATEWAY_INVALID_OPTION' });
		if (!hasNodeZstd)
			expect(resolveDecompressor('zstd-stream', 'node:zlib')).toMatchObject({
				code: 'GATEWAY_INVALID_OPTION',
				message: expect.stringContaining('22.15') as string,
			});
	});
});

describe.each(ZLIB)('zlib-stream on %s', (implementation) => {
	it('keeps one context across messages and buffers until 00 00 ff ff', async () => {
		const { out, errors, decompressor } = collect('zlib-stream', implementation);
		expect(decompressor.implementation).toBe(implementation);
		const messages = ['{"op":10}', 'x'.repeat(100_000), '{"op":11}'];
		for (const frame of await zlibFrames(messages)) {
			decompressor.push(frame.subarray(0, 3));
			decompressor.push(frame.subarray(3));
		}
		await settle(decompressor);
		expect(errors).toEqual([]);
		expect(out).toEqual(messages);
		decompressor.close();
	});

	it('inflates a payload whose compressed size spans many slices exactly', async () => {
		const { out, errors, decompressor } = collect('zlib-stream', implementation);
		const big = randomBytes(400_000).toString('base64');
		const messages = ['{"op":10}', big, '{"op":11}'];
		for (const frame of await zlibFrames(messages)) decompressor.push(frame);
		await settle(decompressor);
		expect(errors).toEqual([]);
		expect(out).toEqual(messages);
	});

	it('measures a large payload that refers back to earlier ones exactly: just under the limit passes, just over fails', async () => {
		const base = randomBytes(30_000).toString('base64');
		const big = base + randomBytes(400_000).toString('base64') + base;
		for (const [limit, expected] of [
			[big.length + 10, 'delivered'],
			[big.length - 10, 'GATEWAY_PAYLOAD_TOO_LARGE'],
		] as const) {
			const { out, errors, decompressor } = collect('zlib-stream', implementation, limit);
			for (const frame of await zlibFrames([base, big])) decompressor.push(frame);
			await settle(decompressor);
			expect(errors.length === 0 && out[1] === big ? 'delivered' : errors[0]?.code).toBe(expected);
		}
	});

	it('reports corrupt input as GATEWAY_DECOMPRESSION_FAILED', async () => {
		const { errors, decompressor } = collect('zlib-stream', implementation);
		decompressor.push(Buffer.from([1, 2, 3, 4, 5, 0, 0, 0xff, 0xff]));
		await settle(decompressor);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_DECOMPRESSION_FAILED']);
	});

	it('stops a small bomb at the limit with GATEWAY_PAYLOAD_TOO_LARGE', async () => {
		const { out, errors, decompressor } = collect('zlib-stream', implementation, MiB);
		const [frame] = await zlibFrames([Buffer.alloc(32 * MiB, 0x61)]);
		expect(frame?.length).toBeLessThan(64 * 1024);
		decompressor.push(frame ?? Buffer.alloc(0));
		await settle(decompressor);
		expect(out).toEqual([]);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_PAYLOAD_TOO_LARGE']);
		expect(errors[0]?.message).toContain('maxPayloadSize');
	});

	it('stops a bomb hidden behind incompressible bytes before inflating it whole', async () => {
		const { out, errors, decompressor } = collect('zlib-stream', implementation, 2 * MiB);
		const [frame] = await zlibFrames([Buffer.concat([randomBytes(200_000), Buffer.alloc(64 * MiB)])]);
		expect(frame?.length).toBeGreaterThan(64 * 1024);
		decompressor.push(frame ?? Buffer.alloc(0));
		await settle(decompressor);
		expect(out).toEqual([]);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_PAYLOAD_TOO_LARGE']);
	});

	it('refuses a payload whose compressed parts alone pass the limit without waiting for its end', async () => {
		const { errors, decompressor } = collect('zlib-stream', implementation, 1024);
		decompressor.push(Buffer.alloc(2048, 1));
		await settle(decompressor);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_PAYLOAD_TOO_LARGE']);
	});

	it('fuzz: random and mutated input only ever yields payloads or typed errors', async () => {
		const random = seeded(0x2f_0e_9a);
		const frames = await zlibFrames([
			'{"op":10,"d":{"heartbeat_interval":41250}}',
			'{"op":0,"t":"MESSAGE_CREATE","s":1,"d":{"content":"hi"}}',
			'y'.repeat(5_000),
		]);
		for (let round = 0; round < 200; round++) {
			const { errors, decompressor } = collect('zlib-stream', implementation, 256 * 1024);
			for (const frame of frames) {
				const copy = Buffer.from(frame);
				const flips = Math.floor(random() * 4);
				for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
				if (random() < 0.3) copy.set(randomBytes(Math.min(8, copy.length)), 0);
				expect(() => {
					decompressor.push(copy);
				}).not.toThrow();
			}
			await settle(decompressor);
			for (const error of errors) expect(error).toBeInstanceOf(GatewayError);
			decompressor.close();
		}
	});
});

describe.each(ZSTD)('zstd-stream on %s', (implementation) => {
	it('decodes one frame for the connection, one flushed block per message', async () => {
		const { out, errors, decompressor } = collect('zstd-stream', implementation);
		const first = '{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}';
		decompressor.push(Buffer.concat([zstdHeader(), zstdBlock('raw', Buffer.from(first))]));
		await settle(decompressor);
		decompressor.push(zstdBlock('raw', Buffer.from('{"op":11,"d":null}')));
		await settle(decompressor);
		decompressor.push(zstdBlock('raw', Buffer.from('y'.repeat(70_000))));
		await settle(decompressor);
		expect(errors).toEqual([]);
		expect(out).toEqual([first, '{"op":11,"d":null}', 'y'.repeat(70_000)]);
	});

	it('reports corrupt input as GATEWAY_DECOMPRESSION_FAILED', async () => {
		const { errors, decompressor } = collect('zstd-stream', implementation);
		decompressor.push(Buffer.alloc(40, 7));
		await settle(decompressor);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_DECOMPRESSION_FAILED']);
	});

	it('stops a 19 KB frame that expands to 600 MiB at the limit', async () => {
		const { out, errors, decompressor } = collect('zstd-stream', implementation, 4 * MiB);
		const blocks = Array.from({ length: 4_800 }, () => zstdBlock('rle', Buffer.from('a'), 128 * 1024));
		const bomb = Buffer.concat([zstdHeader(), ...blocks]);
		expect(bomb.length).toBeLessThan(20_000);
		decompressor.push(bomb);
		await settle(decompressor);
		expect(out).toEqual([]);
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_PAYLOAD_TOO_LARGE']);
	});

	it('fuzz: random and mutated input only ever yields payloads or typed errors', async () => {
		const random = seeded(0x5eed);
		const valid = [
			Buffer.concat([zstdHeader(), zstdBlock('raw', Buffer.from('{"op":10}'))]),
			zstdBlock('rle', Buffer.from('z'), 1000),
			zstdBlock('raw', Buffer.from('{"op":11}')),
		];
		for (let round = 0; round < 200; round++) {
			const { errors, decompressor } = collect('zstd-stream', implementation, 256 * 1024);
			for (const frame of valid) {
				const copy = Buffer.from(frame);
				const flips = Math.floor(random() * 3);
				for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
				expect(() => {
					decompressor.push(random() < 0.2 ? randomBytes(1 + Math.floor(random() * 64)) : copy);
				}).not.toThrow();
			}
			await settle(decompressor);
			for (const error of errors) expect(error).toBeInstanceOf(GatewayError);
			decompressor.close();
		}
	});
});

describe('node:zlib (thread pool) decoding', () => {
	it('settled() resolves only after every pushed payload was delivered', async () => {
		const { out, decompressor } = collect('zlib-stream', 'node:zlib');
		const messages = Array.from({ length: 50 }, (_, i) => `{"op":0,"s":${i + 1}}`);
		for (const frame of await zlibFrames(messages)) decompressor.push(frame);
		expect(out.length).toBeLessThan(50);
		await decompressor.settled();
		expect(out).toEqual(messages);
	});
});
