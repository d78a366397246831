import { constants, createDeflate, type Deflate } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';

/** Transport compression a client asked for with `?compress=`. */
export type TransportCompression = 'zlib-stream' | 'zstd-stream' | 'none';

let zstdReady: Promise<void> | undefined;

/** Loads the zstd WebAssembly module once per process (on the first `zstd-stream` connection). */
export function loadZstd(): Promise<void> {
	zstdReady ??= zstdInit();
	return zstdReady;
}

/** Compresses outgoing gateway messages of one connection. `encode` preserves order. */
export interface Compressor {
	encode(text: string): Promise<Buffer>;
	close(): void;
}

/**
 * `zlib-stream`: one deflate context for the whole connection; every message is flushed with `Z_SYNC_FLUSH`,
 * so each one ends with `00 00 ff ff` as Discord's do.
 */
export class ZlibStreamCompressor implements Compressor {
	readonly #deflate: Deflate = createDeflate({ level: 6 });
	#chunks: Buffer[] = [];
	#chain: Promise<unknown> = Promise.resolve();

	public constructor() {
		this.#deflate.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
		this.#deflate.on('error', () => undefined);
	}

	public encode(text: string): Promise<Buffer> {
		const next = this.#chain.then(
			() =>
				new Promise<Buffer>((resolve) => {
					this.#deflate.write(text);
					this.#deflate.flush(constants.Z_SYNC_FLUSH, () => {
						const out = Buffer.concat(this.#chunks);
						this.#chunks = [];
						resolve(out);
					});
				}),
		);
		this.#chain = next;
		return next;
	}

	public close(): void {
		this.#deflate.close();
	}
}

/**
 * `zstd-stream`: every message is emitted as its own complete zstd frame on the connection (the WebAssembly
 * build used here has no flushable streaming context). Streaming decoders decode a sequence of frames.
 */
export class ZstdStreamCompressor implements Compressor {
	#chain: Promise<unknown> = loadZstd();

	public encode(text: string): Promise<Buffer> {
		// The WebAssembly module loads on the first zstd connection (keeps start-up fast); the chain keeps order.
		const next = this.#chain.then(() => Buffer.from(zstdCompress(Buffer.from(text), 3)));
		this.#chain = next;
		return next;
	}

	public close(): void {
		// Nothing to release: each frame is independent.
	}
}
