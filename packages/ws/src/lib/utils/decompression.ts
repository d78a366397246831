import { constants as zlibConstants, createInflate, type Inflate } from 'node:zlib';
import { Decompress } from 'fzstd';
import { GatewayError } from '../errors/GatewayError.js';

/** Transport compression: one context per connection. */
export type GatewayCompression = 'zlib-stream' | 'zstd-stream' | null;

/**
 * One connection's decompression context. `push` takes each binary WebSocket message; `onMessage` receives each
 * complete payload as text, in order. Plain-text connections do not use a decompressor.
 */
export interface Decompressor {
	/** Feeds one binary WebSocket message. */
	push(data: Buffer): void;
	/** Frees the context; later output is ignored. */
	close(): void;
}

const ZLIB_SUFFIX = 0x0000ffff;

/** Creates the decompressor for `compression` (or `null` when the transport is uncompressed). */
export function createDecompressor(
	compression: GatewayCompression,
	onMessage: (text: string) => void,
	onError: (error: GatewayError) => void,
): Decompressor | null {
	if (compression === 'zlib-stream') return new ZlibStreamDecompressor(onMessage, onError);
	if (compression === 'zstd-stream') return new ZstdStreamDecompressor(onMessage, onError);
	return null;
}

/**
 * `zlib-stream`: one inflate context per connection; a payload ends with `00 00 ff ff` (a sync flush), and may
 * span several WebSocket messages. Inflation runs in libuv's pool; write callbacks (in order) mark where each
 * payload's output ends.
 */
class ZlibStreamDecompressor implements Decompressor {
	readonly #inflate: Inflate;
	#pending: Buffer[] = [];
	#output: Buffer[] = [];
	#closed = false;
	readonly #onMessage: (text: string) => void;

	public constructor(onMessage: (text: string) => void, onError: (error: GatewayError) => void) {
		this.#onMessage = onMessage;
		// Every write is sync-flushed, so one write (one trip to the thread pool) yields one whole payload.
		this.#inflate = createInflate({ chunkSize: 64 * 1024, flush: zlibConstants.Z_SYNC_FLUSH });
		this.#inflate.on('data', (chunk: Buffer) => {
			this.#output.push(chunk);
		});
		this.#inflate.on('error', (error) => {
			if (!this.#closed) onError(new GatewayError('GATEWAY_DECOMPRESSION_FAILED', 'The zlib-stream payload could not be inflated; the connection will be reset.', { cause: error }));
		});
	}

	public push(data: Buffer): void {
		if (this.#closed) return;
		const ends = data.length >= 4 && data.readUInt32BE(data.length - 4) === ZLIB_SUFFIX;
		if (!ends) {
			this.#pending.push(data);
			return;
		}
		let input = data;
		if (this.#pending.length > 0) {
			this.#pending.push(data);
			input = Buffer.concat(this.#pending);
			this.#pending = [];
		}
		this.#inflate.write(input, (error) => {
			if (this.#closed || error instanceof Error) return;
			const out = this.#output.length === 1 ? this.#output[0] : Buffer.concat(this.#output);
			this.#output = [];
			if (out !== undefined) this.#onMessage(out.toString('utf8'));
		});
	}

	public close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#inflate.close();
	}
}

const textDecoder = new TextDecoder();

/** `zstd-stream`: one zstd frame for the whole connection, flushed after every payload (fzstd, pure JS). */
class ZstdStreamDecompressor implements Decompressor {
	readonly #decompress: Decompress;
	#output: Uint8Array[] = [];
	#closed = false;
	readonly #onMessage: (text: string) => void;
	readonly #onError: (error: GatewayError) => void;

	public constructor(onMessage: (text: string) => void, onError: (error: GatewayError) => void) {
		this.#onMessage = onMessage;
		this.#onError = onError;
		this.#decompress = new Decompress((chunk) => {
			this.#output.push(chunk);
		});
	}

	public push(data: Buffer): void {
		if (this.#closed) return;
		try {
			this.#decompress.push(data);
		} catch (error) {
			this.#onError(new GatewayError('GATEWAY_DECOMPRESSION_FAILED', 'The zstd-stream payload could not be decompressed; the connection will be reset.', { cause: error }));
			return;
		}
		if (this.#output.length === 0) return;
		const parts = this.#output;
		this.#output = [];
		const first = parts[0];
		if (parts.length === 1 && first !== undefined) {
			this.#onMessage(textDecoder.decode(first));
			return;
		}
		this.#onMessage(Buffer.concat(parts).toString('utf8'));
	}

	public close(): void {
		this.#closed = true;
		this.#output = [];
	}
}
