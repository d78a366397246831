import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { Decompress } from 'fzstd';
import { GatewayError } from '../errors/GatewayError.js';
import { requireOptional } from './moduleUrl.js';
import { isRecord } from './payload.js';

/** Transport compression: one context per connection. */
export type GatewayCompression = 'zlib-stream' | 'zstd-stream' | null;

/**
 * The decoder behind a compressed transport.
 * - `'zlib-sync'`: the `zlib-sync` native addon (an optional dependency): synchronous streaming inflate, the fastest.
 * - `'node:zlib'`: Node's zlib (inflate on every Node; zstd on Node >= 22.15), which inflates in libuv's thread
 *   pool; payloads are still delivered in order, and all of them before a close is handled.
 * - `'fzstd'`: a pure-JS synchronous zstd decoder, for `zstd-stream` on any Node.
 * - `'auto'`: `zlib-stream` → `zlib-sync` when it is installed, else `node:zlib`; `zstd-stream` → `node:zlib` where
 *   Node has zstd, else `fzstd`.
 */
export type DecompressorImplementation = 'auto' | 'zlib-sync' | 'node:zlib' | 'fzstd';

/** The decoder that runs, once `'auto'` is resolved. */
export type ResolvedDecompressor = Exclude<DecompressorImplementation, 'auto'>;

/**
 * One connection's decompression context. `push` takes each binary WebSocket message; `onMessage` receives each
 * complete payload as text, in order. Plain-text connections do not use a decompressor.
 */
export interface Decompressor {
	/** The decoder in use. */
	readonly implementation: ResolvedDecompressor;
	/** Feeds one binary WebSocket message. */
	push(data: Buffer): void;
	/**
	 * Resolves once every message pushed so far was delivered (or the context failed or closed). Immediate for
	 * the synchronous decoders; the shard waits for it before it handles a close, so no received payload is lost.
	 */
	settled(): Promise<void>;
	/** Frees the context; later output is ignored. */
	close(): void;
}

/** What {@link createDecompressor} needs besides the callbacks. */
export interface DecompressorOptions {
	readonly compression: Exclude<GatewayCompression, null>;
	readonly implementation: DecompressorImplementation;
	/** The largest payload (decompressed bytes, or characters) accepted; larger ones fail the context. */
	readonly maxMessageSize: number;
	/** The shard whose connection this is (named in its errors). */
	readonly shardId?: number;
}

const ZLIB_SUFFIX = 0x0000ffff;
/** Input up to this size goes straight to zlib-sync: it cannot inflate to more than about 66 MiB. */
const INFLATE_SLICE = 64 * 1024;
/** The deflate window: how far back a payload's back-references reach into earlier output. */
const WINDOW = 32 * 1024;

interface ZlibSyncInflate {
	push(data: Buffer, flush: number): void;
	readonly result: unknown;
	readonly err: number;
	readonly msg: unknown;
}

interface ZlibSyncModule {
	readonly Inflate: new (options: { readonly chunkSize: number; readonly to: 'string' }) => ZlibSyncInflate;
	readonly Z_SYNC_FLUSH: number;
}

function isZlibSync(value: unknown): value is ZlibSyncModule {
	return isRecord(value) && typeof value.Inflate === 'function' && typeof value.Z_SYNC_FLUSH === 'number';
}

let zlibSync: ZlibSyncModule | null | undefined;

/** `zlib-sync`, loaded on first use; `null` when it is not installed (or has no build for this platform). */
function loadZlibSync(): ZlibSyncModule | null {
	if (zlibSync === undefined) {
		const loaded = requireOptional('zlib-sync');
		zlibSync = isZlibSync(loaded) ? loaded : null;
	}
	return zlibSync;
}

type ZstdFactory = () => Transform;

/** Node's streaming zstd decoder (Node >= 22.15), or `null` on older Node. */
function nodeZstd(): ZstdFactory | null {
	const factory: unknown = Reflect.get(zlib, 'createZstdDecompress');
	if (typeof factory !== 'function') return null;
	return () => {
		const stream: unknown = Reflect.apply(factory, zlib, []);
		if (!isTransform(stream))
			throw GatewayError.of('GATEWAY_DECOMPRESSION_FAILED', [
				undefined,
				'zstd-stream (node:zlib createZstdDecompress() did not return a stream)',
			]);
		return stream;
	};
}

function isTransform(value: unknown): value is Transform {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof Reflect.get(value, 'write') === 'function' &&
		typeof Reflect.get(value, 'on') === 'function'
	);
}

/**
 * Resolves `'auto'` and checks that the chosen decoder exists here.
 * @returns the decoder, or a `GATEWAY_INVALID_OPTION` error that says what to install or choose instead.
 */
export function resolveDecompressor(
	compression: Exclude<GatewayCompression, null>,
	implementation: DecompressorImplementation,
): ResolvedDecompressor | GatewayError {
	const invalid = (fix: string): GatewayError => GatewayError.of('GATEWAY_INVALID_OPTION', ['decompressor', fix]);
	if (compression === 'zlib-stream') {
		if (implementation === 'auto') return loadZlibSync() === null ? 'node:zlib' : 'zlib-sync';
		if (implementation === 'fzstd')
			return invalid("'fzstd' decodes zstd-stream only; use 'auto', 'zlib-sync' or 'node:zlib' for zlib-stream.");
		if (implementation === 'zlib-sync' && loadZlibSync() === null)
			return invalid(
				"'zlib-sync' needs the zlib-sync package (npm install zlib-sync; it builds with node-gyp), or use 'auto' to fall back to node:zlib.",
			);
		return implementation;
	}
	if (implementation === 'auto') return nodeZstd() === null ? 'fzstd' : 'node:zlib';
	if (implementation === 'zlib-sync')
		return invalid("'zlib-sync' decodes zlib-stream only; use 'auto', 'node:zlib' or 'fzstd' for zstd-stream.");
	if (implementation === 'node:zlib' && nodeZstd() === null)
		return invalid(
			`'node:zlib' for zstd-stream needs Node >= 22.15 (this is ${process.version}); use 'auto' or 'fzstd'.`,
		);
	return implementation;
}

/**
 * Creates the decompressor of one connection.
 * @throws {@link GatewayError} `GATEWAY_INVALID_OPTION` when the chosen decoder does not exist here.
 */
export function createDecompressor(
	options: DecompressorOptions,
	onMessage: (text: string) => void,
	onError: (error: GatewayError) => void,
): Decompressor {
	const implementation = resolveDecompressor(options.compression, options.implementation);
	if (implementation instanceof GatewayError) throw implementation;
	const limit = options.maxMessageSize;
	if (implementation === 'fzstd') return new FzstdDecompressor(limit, options.shardId, onMessage, onError);
	if (implementation === 'zlib-sync') {
		const module = loadZlibSync();
		if (module !== null) return new ZlibSyncDecompressor(module, limit, options.shardId, onMessage, onError);
	}
	if (options.compression === 'zlib-stream') {
		const inflate = zlib.createInflate({ chunkSize: 64 * 1024, flush: zlib.constants.Z_SYNC_FLUSH });
		return new StreamDecompressor(inflate, 'zlib', limit, options.shardId, onMessage, onError);
	}
	const zstd = nodeZstd();
	if (zstd === null) return new FzstdDecompressor(limit, options.shardId, onMessage, onError);
	return new StreamDecompressor(zstd(), 'zstd', limit, options.shardId, onMessage, onError);
}

function tooLarge(shardId: number | undefined, size: number, limit: number, compression: string): GatewayError {
	return GatewayError.of('GATEWAY_PAYLOAD_TOO_LARGE', [shardId, compression, limit, size], { shardId });
}

function corrupt(shardId: number | undefined, compression: string, cause: unknown): GatewayError {
	return GatewayError.of('GATEWAY_DECOMPRESSION_FAILED', [shardId, compression], { shardId, cause });
}

/**
 * Collects the WebSocket messages of one zlib-stream payload until the sync-flush suffix `00 00 ff ff`.
 * Returns the whole payload, `null` while it is incomplete, or an error once the compressed input alone passes
 * the limit.
 */
class ZlibFramer {
	readonly #limit: number;
	readonly #shardId: number | undefined;
	#pending: Buffer[] = [];
	#size = 0;

	public constructor(limit: number, shardId: number | undefined) {
		this.#limit = limit;
		this.#shardId = shardId;
	}

	public add(data: Buffer): Buffer | null | GatewayError {
		const ends = data.length >= 4 && data.readUInt32BE(data.length - 4) === ZLIB_SUFFIX;
		if (!ends) {
			this.#pending.push(data);
			this.#size += data.length;
			return this.#size > this.#limit ? tooLarge(this.#shardId, this.#size, this.#limit, 'zlib-stream') : null;
		}
		if (this.#pending.length === 0) return data;
		this.#pending.push(data);
		const whole = Buffer.concat(this.#pending);
		this.#pending = [];
		this.#size = 0;
		return whole;
	}
}

const settledNow = Promise.resolve();

/**
 * `zlib-stream` on `zlib-sync`: inflates each payload synchronously, in the `message` callback, so a payload is
 * delivered before the next socket event (a close) is even seen. Output is decoded to a string by the addon.
 *
 * Bombs: a payload of at most 64 KiB of input inflates to at most about 66 MiB (deflate's ~1032:1 ceiling) and is
 * measured after. A larger one is first inflated on its own by `node:zlib` with `maxOutputLength` (seeded with the
 * connection's last 32 KiB of output as the dictionary, which is what its back-references can reach), so one that
 * would pass the limit is refused before zlib-sync inflates it.
 */
class ZlibSyncDecompressor implements Decompressor {
	public readonly implementation = 'zlib-sync';
	readonly #flush: number;
	readonly #inflate: ZlibSyncInflate;
	readonly #framer: ZlibFramer;
	readonly #limit: number;
	readonly #shardId: number | undefined;
	readonly #onMessage: (text: string) => void;
	readonly #onError: (error: GatewayError) => void;
	/** The latest payloads, together at least 32 KiB (the deflate window) when the connection has sent that much. */
	readonly #recent: string[] = [];
	#recentLength = 0;
	#started = false;
	#closed = false;

	public constructor(
		module: ZlibSyncModule,
		limit: number,
		shardId: number | undefined,
		onMessage: (text: string) => void,
		onError: (error: GatewayError) => void,
	) {
		this.#flush = module.Z_SYNC_FLUSH;
		this.#inflate = new module.Inflate({ chunkSize: 64 * 1024, to: 'string' });
		this.#framer = new ZlibFramer(limit, shardId);
		this.#limit = limit;
		this.#shardId = shardId;
		this.#onMessage = onMessage;
		this.#onError = onError;
	}

	public push(data: Buffer): void {
		if (this.#closed) return;
		const input = this.#framer.add(data);
		if (input === null) return;
		if (input instanceof GatewayError) {
			this.#fail(input);
			return;
		}
		if (input.length > INFLATE_SLICE) {
			const size = this.#measure(input);
			if (size instanceof GatewayError) {
				this.#fail(size);
				return;
			}
		}
		const first = !this.#started;
		this.#started = true;
		const inflate = this.#inflate;
		inflate.push(input, this.#flush);
		const text = inflate.result;
		if (inflate.err < 0 || typeof text !== 'string') {
			this.#fail(
				corrupt(this.#shardId, 'zlib-stream', new Error(`zlib-sync: ${String(inflate.msg)} (${inflate.err})`)),
			);
			return;
		}
		if (text.length > this.#limit) {
			this.#fail(tooLarge(this.#shardId, text.length, this.#limit, 'zlib-stream'));
			return;
		}
		this.#remember(text, first);
		this.#onMessage(text);
	}

	#remember(text: string, first: boolean): void {
		if (first) this.#recent.length = 0;
		this.#recent.push(text);
		this.#recentLength += text.length;
		while (this.#recent.length > 1 && this.#recentLength - (this.#recent[0]?.length ?? 0) >= WINDOW)
			this.#recentLength -= this.#recent.shift()?.length ?? 0;
	}

	/** Inflates a large payload with node:zlib under the limit; a corrupt one is left for zlib-sync to report. */
	#measure(input: Buffer): number | GatewayError {
		const options = { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: this.#limit };
		try {
			if (!this.#started) return zlib.inflateSync(input, options).length;
			const window = Buffer.from(this.#recent.join(''), 'utf8');
			return zlib.inflateRawSync(input, {
				...options,
				dictionary: window.subarray(Math.max(0, window.length - WINDOW)),
			}).length;
		} catch (error) {
			if (Reflect.get(Object(error), 'code') === 'ERR_BUFFER_TOO_LARGE')
				return tooLarge(this.#shardId, this.#limit + 1, this.#limit, 'zlib-stream');
			return 0;
		}
	}

	#fail(error: GatewayError): void {
		this.#closed = true;
		this.#onError(error);
	}

	public settled(): Promise<void> {
		return settledNow;
	}

	public close(): void {
		this.#closed = true;
	}
}

/**
 * A Node zlib stream (inflate, or zstd on Node >= 22.15): decoding runs in libuv's thread pool. Write callbacks
 * come in order and each marks where one payload's output ends; the output of a payload is counted as it comes,
 * so a bomb fails the context at the limit instead of filling memory.
 */
class StreamDecompressor implements Decompressor {
	public readonly implementation = 'node:zlib';
	readonly #stream: Transform;
	readonly #framer: ZlibFramer | null;
	readonly #name: string;
	readonly #limit: number;
	readonly #shardId: number | undefined;
	readonly #onMessage: (text: string) => void;
	readonly #onError: (error: GatewayError) => void;
	#output: Buffer[] = [];
	#size = 0;
	#inFlight = 0;
	#waiters: (() => void)[] = [];
	#closed = false;

	public constructor(
		stream: Transform,
		kind: 'zlib' | 'zstd',
		limit: number,
		shardId: number | undefined,
		onMessage: (text: string) => void,
		onError: (error: GatewayError) => void,
	) {
		this.#stream = stream;
		this.#framer = kind === 'zlib' ? new ZlibFramer(limit, shardId) : null;
		this.#name = kind === 'zlib' ? 'zlib-stream' : 'zstd-stream';
		this.#limit = limit;
		this.#shardId = shardId;
		this.#onMessage = onMessage;
		this.#onError = onError;
		stream.on('data', (chunk: Buffer) => {
			if (this.#closed) return;
			this.#size += chunk.length;
			if (this.#size > this.#limit) this.#fail(tooLarge(this.#shardId, this.#size, this.#limit, this.#name));
			else this.#output.push(chunk);
		});
		stream.on('error', (error) => {
			if (!this.#closed) this.#fail(corrupt(this.#shardId, this.#name, error));
		});
	}

	public push(data: Buffer): void {
		if (this.#closed) return;
		const input = this.#framer === null ? data : this.#framer.add(data);
		if (input === null) return;
		if (input instanceof GatewayError) {
			this.#fail(input);
			return;
		}
		this.#inFlight++;
		this.#stream.write(input, (error) => {
			this.#inFlight--;
			if (!this.#closed && !(error instanceof Error)) {
				const out = this.#output.length === 1 ? this.#output[0] : Buffer.concat(this.#output);
				this.#output = [];
				this.#size = 0;
				if (out !== undefined && out.length > 0) this.#onMessage(out.toString('utf8'));
			}
			if (this.#inFlight === 0) this.#wake();
		});
	}

	public settled(): Promise<void> {
		if (this.#inFlight === 0 || this.#closed) return settledNow;
		return new Promise((resolve) => {
			this.#waiters.push(resolve);
		});
	}

	#wake(): void {
		for (const resolve of this.#waiters.splice(0)) resolve();
	}

	#fail(error: GatewayError): void {
		this.close();
		this.#onError(error);
	}

	public close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#output = [];
		this.#stream.destroy();
		this.#wake();
	}
}

const textDecoder = new TextDecoder();

/** `zstd-stream` on fzstd (pure JS, synchronous): one zstd frame for the whole connection, flushed per payload. */
class FzstdDecompressor implements Decompressor {
	public readonly implementation = 'fzstd';
	readonly #decompress: Decompress;
	readonly #limit: number;
	readonly #shardId: number | undefined;
	readonly #onMessage: (text: string) => void;
	readonly #onError: (error: GatewayError) => void;
	#output: Uint8Array[] = [];
	#size = 0;
	#closed = false;

	public constructor(
		limit: number,
		shardId: number | undefined,
		onMessage: (text: string) => void,
		onError: (error: GatewayError) => void,
	) {
		this.#limit = limit;
		this.#shardId = shardId;
		this.#onMessage = onMessage;
		this.#onError = onError;
		this.#decompress = new Decompress((chunk) => {
			this.#size += chunk.length;
			// Thrown out of fzstd's push, which stops decoding the rest of the block.
			if (this.#size > this.#limit) throw tooLarge(this.#shardId, this.#size, this.#limit, 'zstd-stream');
			this.#output.push(chunk);
		});
	}

	public push(data: Buffer): void {
		if (this.#closed) return;
		try {
			this.#decompress.push(data);
		} catch (error) {
			this.#closed = true;
			this.#output = [];
			this.#onError(error instanceof GatewayError ? error : corrupt(this.#shardId, 'zstd-stream', error));
			return;
		}
		const parts = this.#output;
		if (parts.length === 0) return;
		this.#output = [];
		this.#size = 0;
		const first = parts[0];
		this.#onMessage(
			parts.length === 1 && first !== undefined
				? textDecoder.decode(first)
				: Buffer.concat(parts).toString('utf8'),
		);
	}

	public settled(): Promise<void> {
		return settledNow;
	}

	public close(): void {
		this.#closed = true;
		this.#output = [];
	}
}
