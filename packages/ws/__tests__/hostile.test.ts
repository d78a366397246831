/**
 * The hostile-server suite: a scripted gateway on 127.0.0.1 sends what a broken server, a proxy or a
 * misconfiguration could — decompression bombs, oversized frames, bad HELLOs, bad sequences, a READY with a
 * resume URL that is not a URL, no READY at all, a burst of compressed frames right before a session-ending
 * close. Each ends in a typed error or a documented bound; nothing crashes, every connect() settles.
 */
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import {
	type DecompressorImplementation,
	type GatewayError,
	WebSocketManager,
	type WebSocketManagerOptions,
} from '../src/index.js';
import { until } from './helpers/FakeGateway.js';
import { seeded } from '@ovenjs/test-services/seeded';

const TOKEN = 'hostile-token-0123456789';
const MiB = 1024 * 1024;

interface Conn {
	readonly ws: WebSocket;
	readonly index: number;
	readonly compress: string | null;
	/** Resolves with the next payload the client sends with this op. */
	next(op: number): Promise<{ op: number; d: unknown }>;
}

/** A gateway that runs `script` for every connection (index counts connections from 0). */
async function hostile(
	script: (conn: Conn) => void | Promise<void>,
): Promise<{ url: string; connections: () => number }> {
	const server = await new Promise<WebSocketServer>((resolve) => {
		const s = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
			resolve(s);
		});
	});
	let count = 0;
	server.on('connection', (ws, req) => {
		const compress = new URL(req.url ?? '/', 'ws://x').searchParams.get('compress');
		const waiting = new Map<number, ((payload: { op: number; d: unknown }) => void)[]>();
		ws.on('message', (data) => {
			const payload: unknown = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '{}');
			if (typeof payload !== 'object' || payload === null || !('op' in payload) || typeof payload.op !== 'number')
				return;
			const value = { op: payload.op, d: 'd' in payload ? payload.d : null };
			for (const resolve of waiting.get(value.op)?.splice(0) ?? []) resolve(value);
		});
		const conn: Conn = {
			ws,
			index: count++,
			compress,
			next: (op) =>
				new Promise((resolve) => {
					const list = waiting.get(op) ?? [];
					list.push(resolve);
					waiting.set(op, list);
				}),
		};
		void script(conn);
	});
	cleanup.push(
		() =>
			new Promise<void>((resolve) => {
				for (const client of server.clients) client.terminate();
				server.close(() => {
					resolve();
				});
			}),
	);
	const { port } = server.address() as AddressInfo;
	return { url: `ws://127.0.0.1:${port}`, connections: () => count };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

function manager(url: string, options: Partial<WebSocketManagerOptions> = {}) {
	const m = new WebSocketManager({
		token: TOKEN,
		intents: 1,
		shardCount: 1,
		gatewayUrl: url,
		reconnectBackoff: { initial: 20, max: 200 },
		identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
		...options,
	});
	cleanup.push(() => m.destroy());
	const errors: GatewayError[] = [];
	const dispatches: { t: string; s: number | null; d: unknown }[] = [];
	const lost: string[] = [];
	m.on('error', ({ error }) => errors.push(error));
	m.on('dispatch', (event) => dispatches.push({ t: event.t, s: event.s, d: event.d }));
	m.on('sessionLost', ({ reason }) => lost.push(reason));
	return { manager: m, errors, dispatches, lost };
}

const hello = (interval: unknown = 41_250): string =>
	JSON.stringify({ t: null, s: null, op: 10, d: { heartbeat_interval: interval } });
const ready = (s: number, resumeUrl = 'ws://127.0.0.1:1'): string =>
	JSON.stringify({
		t: 'READY',
		s,
		op: 0,
		d: {
			session_id: 'session-1',
			resume_gateway_url: resumeUrl,
			guilds: [],
			user: { id: '1' },
			application: { id: '1' },
		},
	});
const dispatch = (s: number, n: number): string =>
	JSON.stringify({ t: 'MESSAGE_CREATE', s, op: 0, d: { id: String(n), content: String(n) } });

/** Compresses `messages` on one deflate context (as a zlib-stream server), each sync-flushed. */
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
	return frames;
}

describe.each<DecompressorImplementation>(['zlib-sync', 'node:zlib'])('zlib-stream on %s', (decompressor) => {
	it.each(['close 4009', 'op 9 d=false'])(
		'delivers a burst of frames that arrived right before a session-ending %s',
		async (end) => {
			const BURST = 500;
			const invalid = JSON.stringify({ t: null, s: null, op: 9, d: false });
			const frames = await zlibFrames([
				hello(),
				ready(1),
				...Array.from({ length: BURST }, (_, i) => dispatch(i + 2, i)),
				invalid,
			]);
			const helloFrame = frames[0];
			const readyFrame = frames[1];
			const burst = frames.slice(2, 2 + BURST);
			const invalidFrame = frames[2 + BURST];
			const server = await hostile(async (conn) => {
				conn.ws.send(helloFrame ?? Buffer.alloc(0));
				if (conn.index > 0) return;
				await conn.next(2);
				conn.ws.send(readyFrame ?? Buffer.alloc(0));
				for (const frame of burst) conn.ws.send(frame);
				if (end === 'close 4009') conn.ws.close(4009, 'Session timed out');
				else conn.ws.send(invalidFrame ?? Buffer.alloc(0));
			});
			const { manager: m, dispatches, lost } = manager(server.url, { compression: 'zlib-stream', decompressor });
			await m.connect();
			await until(() => lost.length === 1, 10_000, 'session lost');
			const numbers = dispatches
				.filter((e) => e.t === 'MESSAGE_CREATE')
				.map((e) => Number((e.d as { content: string }).content));
			expect(numbers).toEqual(Array.from({ length: BURST }, (_, i) => i));
		},
	);

	it('stops a 1 MB message that inflates to 256 MiB with GATEWAY_PAYLOAD_TOO_LARGE and reconnects', async () => {
		const [helloFrame, bomb] = await zlibFrames([hello(), Buffer.alloc(256 * MiB, 0x20)]);
		const server = await hostile(async (conn) => {
			conn.ws.send(helloFrame ?? Buffer.alloc(0));
			await conn.next(2);
			conn.ws.send(bomb ?? Buffer.alloc(0));
		});
		const { manager: m, errors } = manager(server.url, {
			compression: 'zlib-stream',
			decompressor,
			readyTimeout: 60_000,
		});
		const connecting = m.connect().catch((error: unknown) => error);
		await until(() => errors.some((e) => e.code === 'GATEWAY_PAYLOAD_TOO_LARGE'), 20_000, 'payload too large');
		await until(() => server.connections() >= 2, 10_000, 'reconnect');
		await m.destroy();
		expect(await connecting).toMatchObject({ code: 'GATEWAY_DESTROYED' });
	});
});

describe('hostile gateway input', () => {
	it('stops a 19 KB zstd frame that decompresses to 600 MiB', async () => {
		const rle = (size: number): Buffer => {
			const header = (size << 3) | (1 << 1);
			return Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x20]);
		};
		const server = await hostile(async (conn) => {
			const raw = Buffer.from(hello());
			const header = (raw.length << 3) | 0;
			conn.ws.send(
				Buffer.concat([
					Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]),
					Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff]),
					raw,
				]),
			);
			await conn.next(2);
			conn.ws.send(Buffer.concat(Array.from({ length: 4_800 }, () => rle(128 * 1024))));
		});
		const { manager: m, errors } = manager(server.url, { compression: 'zstd-stream' });
		void m.connect().catch(() => undefined);
		await until(() => errors.some((e) => e.code === 'GATEWAY_PAYLOAD_TOO_LARGE'), 20_000, 'payload too large');
	});

	it('resets a connection whose frame passes maxPayloadSize, with GATEWAY_PAYLOAD_TOO_LARGE', async () => {
		const server = await hostile(async (conn) => {
			conn.ws.send(hello());
			await conn.next(2);
			conn.ws.send(JSON.stringify({ t: 'X', s: 1, op: 0, d: 'x'.repeat(2 * MiB) }));
		});
		const { manager: m, errors } = manager(server.url, { maxPayloadSize: MiB });
		void m.connect().catch(() => undefined);
		await until(() => errors.some((e) => e.code === 'GATEWAY_PAYLOAD_TOO_LARGE'), 10_000, 'frame too large');
		await until(() => server.connections() >= 2, 10_000, 'reconnect');
	});

	it.each([0, -5, 'soon', 1e12])(
		'refuses HELLO with heartbeat_interval %j: typed error and backoff, no busy loop',
		async (interval) => {
			const server = await hostile((conn) => {
				conn.ws.send(hello(interval));
			});
			const { manager: m, errors } = manager(server.url, { reconnectBackoff: { initial: 100, max: 400 } });
			void m.connect().catch(() => undefined);
			await until(() => errors.length >= 2, 10_000, 'two errors');
			expect(errors[0]).toMatchObject({
				code: 'GATEWAY_INVALID_PAYLOAD',
				message: expect.stringContaining('heartbeat_interval') as string,
			});
			await new Promise((resolve) => setTimeout(resolve, 500));
			// Backoff doubles from 100 ms: far fewer than the hundreds of reconnects a loop would make.
			expect(server.connections()).toBeLessThan(10);
		},
	);

	it('survives READY with a resume_gateway_url that is not a URL, then a resumable close', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown): void => {
			unhandled.push(reason);
		};
		process.on('unhandledRejection', onUnhandled);
		cleanup.push(() => {
			process.off('unhandledRejection', onUnhandled);
			return Promise.resolve();
		});
		const server = await hostile(async (conn) => {
			conn.ws.send(hello());
			await conn.next(2);
			conn.ws.send(ready(1, conn.index === 0 ? 'not a url' : server.url));
			if (conn.index === 0)
				setTimeout(() => {
					conn.ws.close(4000);
				}, 20);
		});
		const { manager: m, errors } = manager(server.url);
		await m.connect();
		await until(() => server.connections() >= 2, 10_000, 'second connection');
		expect(errors.map((e) => e.code)).toContain('GATEWAY_INVALID_PAYLOAD');
		expect(unhandled).toEqual([]);
	});

	it('ignores a dispatch with sequence 1e20 and keeps delivering the next ones', async () => {
		const server = await hostile(async (conn) => {
			conn.ws.send(hello());
			await conn.next(2);
			conn.ws.send(ready(1));
			conn.ws.send(JSON.stringify({ t: 'MESSAGE_CREATE', s: 1e20, op: 0, d: { content: 'bad' } }));
			conn.ws.send(dispatch(2, 2));
			conn.ws.send(dispatch(3, 3));
		});
		const { manager: m, errors, dispatches } = manager(server.url);
		await m.connect();
		await until(() => dispatches.filter((e) => e.t === 'MESSAGE_CREATE').length === 2, 5_000, 'two dispatches');
		expect(dispatches.filter((e) => e.t === 'MESSAGE_CREATE').map((e) => e.s)).toEqual([2, 3]);
		expect(errors.map((e) => e.code)).toContain('GATEWAY_INVALID_PAYLOAD');
	});

	it('rejects connect() with GATEWAY_READY_TIMEOUT when READY never comes', async () => {
		const server = await hostile((conn) => {
			conn.ws.send(hello());
		});
		const { manager: m } = manager(server.url, { readyTimeout: 300 });
		await expect(m.connect()).rejects.toMatchObject({
			code: 'GATEWAY_READY_TIMEOUT',
			message: expect.stringContaining('readyTimeout') as string,
		});
	});

	it('refuses a recommended shard count the session start limit cannot identify, before opening a socket', async () => {
		const server = await hostile(() => {
			/* never reached: connect() must refuse before opening a socket */
		});
		const m = new WebSocketManager({
			token: TOKEN,
			intents: 1,
			fetchGatewayInformation: () =>
				Promise.resolve({
					url: server.url,
					shards: 5_000,
					session_start_limit: { total: 1_000, remaining: 1_000, reset_after: 3_600_000, max_concurrency: 1 },
				}),
		});
		cleanup.push(() => m.destroy());
		await expect(m.connect()).rejects.toMatchObject({
			code: 'GATEWAY_SESSION_START_LIMIT',
			message: expect.stringContaining('1000 of 1000 left') as string,
		});
		expect(server.connections()).toBe(0);
		const capped = new WebSocketManager({
			token: TOKEN,
			intents: 1,
			maxShards: 16,
			fetchGatewayInformation: () =>
				Promise.resolve({
					url: server.url,
					shards: 100,
					session_start_limit: { total: 1_000, remaining: 1_000, reset_after: 1, max_concurrency: 1 },
				}),
		});
		cleanup.push(() => capped.destroy());
		await expect(capped.connect()).rejects.toMatchObject({
			code: 'GATEWAY_INVALID_OPTION',
			message: expect.stringContaining('maxShards') as string,
		});
	});

	it('rejects GET /gateway/bot whose url is not a ws(s) URL', async () => {
		const m = new WebSocketManager({
			token: TOKEN,
			intents: 1,
			fetchGatewayInformation: () =>
				Promise.resolve({
					url: 'not a url',
					shards: 1,
					session_start_limit: { total: 1, remaining: 1, reset_after: 1, max_concurrency: 1 },
				}),
		});
		cleanup.push(() => m.destroy());
		await expect(m.connect()).rejects.toMatchObject({ code: 'GATEWAY_INVALID_GATEWAY_INFORMATION' });
	});
});

describe('fuzz (seeded): a gateway interleaving garbage with a session', () => {
	/** One hostile frame that must not end the session: broken JSON, wrong envelope types, bad sequences, junk ops. */
	function garbage(random: () => number): string | Buffer {
		const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
		const valid = dispatch(2, 0);
		const kinds: (() => string | Buffer)[] = [
			() => valid.slice(0, Math.floor(random() * valid.length)),
			() => Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256))),
			() =>
				pick([
					'',
					' ',
					'null',
					'[]',
					'"x"',
					'1',
					'true',
					'{}',
					'{"op":null}',
					'{"op":"0","d":{}}',
					'{"__proto__":{"op":0}}',
				]),
			() =>
				JSON.stringify({
					t: pick([null, 5, 'MESSAGE_CREATE', '', 'x'.repeat(500)]),
					s: pick([1e20, -1, 1.5, '7', Number.MAX_SAFE_INTEGER + 2]),
					op: 0,
					d: { content: 'bad' },
				}),
			() =>
				JSON.stringify({
					op: pick([11, 12, 13, 42, -1, 1e9, 3.5]),
					d: pick([null, 1, 'x', [], { a: 1 }]),
					s: null,
					t: null,
				}),
			() =>
				JSON.stringify({
					t: 'MESSAGE_CREATE',
					s: pick([null, 0, 1]),
					op: 0,
					d: pick([null, 5, 'x', [1, 2], { content: 'replayed' }]),
				}),
			() => `{"t":"MESSAGE_CREATE","s":${'9'.repeat(Math.floor(random() * 40) + 17)},"op":0,"d":{}}`,
			() => `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
			() => `{"op":0,"d":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)},"s":null,"t":"X"}`,
			() => JSON.stringify({ t: 'MESSAGE_CREATE', s: 2, op: 0, d: {} }).replace('"op":0', '"op":0,"op":0'),
		];
		return pick(kinds)();
	}

	it.each([7, 1919])(
		'seed %i: 400 garbage frames between 300 dispatches: every dispatch once and in order, only typed errors, no crash',
		async (seed) => {
			const random = seeded(seed);
			const unhandled: unknown[] = [];
			const onUnhandled = (reason: unknown): void => {
				unhandled.push(reason);
			};
			process.on('unhandledRejection', onUnhandled);
			process.on('uncaughtException', onUnhandled);
			cleanup.push(() => {
				process.off('unhandledRejection', onUnhandled);
				process.off('uncaughtException', onUnhandled);
				return Promise.resolve();
			});
			const DISPATCHES = 300;
			const frames: (string | Buffer)[] = [];
			for (let n = 0; n < DISPATCHES; n++) {
				while (random() < 0.57) frames.push(garbage(random));
				frames.push(dispatch(n + 2, n));
			}
			const server = await hostile(async (conn) => {
				conn.ws.send(hello());
				if (conn.index > 0) return;
				await conn.next(2);
				conn.ws.send(ready(1));
				for (const frame of frames) conn.ws.send(frame);
			});
			const { manager: m, errors, dispatches } = manager(server.url);
			await m.connect();
			await until(
				() =>
					dispatches.filter((e) => e.t === 'MESSAGE_CREATE' && typeof e.s === 'number' && e.s >= 2).length >=
					DISPATCHES,
				20_000,
				'every dispatch',
			);
			const delivered = dispatches.filter(
				(e) => e.t === 'MESSAGE_CREATE' && typeof e.s === 'number' && e.s >= 2 && e.s <= DISPATCHES + 1,
			);
			expect(delivered.map((e) => e.s)).toEqual(Array.from({ length: DISPATCHES }, (_, n) => n + 2));
			expect(server.connections()).toBe(1);
			for (const error of errors) expect(error.code).toBe('GATEWAY_INVALID_PAYLOAD');
			expect(unhandled).toEqual([]);
		},
	);
});
