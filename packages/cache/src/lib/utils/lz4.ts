import type * as Lz4Napi from 'lz4-napi';
import { CacheError } from '../errors/CacheError.js';
import { lazyRequire } from './lazyRequire.js';

/**
 * LZ4 for {@link ValueCodec}: `lz4-napi` (native, loaded on first use) when its platform build loads, otherwise
 * a pure-JavaScript implementation of the same block format. Both read and write `[uncompressed length u32
 * LE][LZ4 block]` (lz4-napi's `compressSync` layout), so values written by either are read by either.
 *
 * @internal
 */

/** The longest an LZ4 block can expand: each input byte yields at most 255 output bytes. */
export const LZ4_MAX_RATIO = 255;

/** The error for a block that is not valid LZ4. */
function corrupt(reason: string, cause?: unknown): CacheError {
	return CacheError.of(
		'CACHE_SERIALIZATION_FAILED',
		['decode', `its lz4 block is corrupt: ${reason}`],
		cause === undefined ? {} : { cause },
	);
}

/** A compressor: `compress` returns `[length u32 LE][block]`; `decompress` takes that and its stated length. */
export interface Lz4 {
	readonly name: 'native' | 'js';
	compress(input: Buffer): Buffer;
	/** Decompresses `[length][block]`; `length` is the stated length, already checked against the limits. */
	decompress(framed: Buffer, length: number): Buffer;
}

type NativeLz4 = Pick<typeof Lz4Napi, 'compressSync' | 'uncompressSync'>;

function isNativeLz4(value: unknown): value is NativeLz4 {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof Reflect.get(value, 'compressSync') === 'function' &&
		typeof Reflect.get(value, 'uncompressSync') === 'function'
	);
}

const MIN_MATCH = 4;
/** The last match must start at least this many bytes before the end of the block. */
const MF_LIMIT = 12;
/** The last this many bytes of a block are always literals. */
const LAST_LITERALS = 5;
const MAX_OFFSET = 0xffff;
const HASH_BITS = 14;
const hashTable = new Int32Array(1 << HASH_BITS);

function read32(bytes: Uint8Array, at: number): number {
	return (
		((bytes[at] ?? 0) |
			((bytes[at + 1] ?? 0) << 8) |
			((bytes[at + 2] ?? 0) << 16) |
			((bytes[at + 3] ?? 0) << 24)) >>>
		0
	);
}

function hash(sequence: number): number {
	return Math.imul(sequence, 2_654_435_761) >>> (32 - HASH_BITS);
}

/** Writes a length's extension bytes (after the 15 in the token) at `at`; returns the new position. */
function writeLength(out: Buffer, at: number, length: number): number {
	let rest = length - 15;
	let position = at;
	while (rest >= 255) {
		out[position++] = 255;
		rest -= 255;
	}
	out[position++] = rest;
	return position;
}

/** One sequence: literals `input[start, end)` then (unless `matchLength` is 0) a match. */
function writeSequence(
	out: Buffer,
	at: number,
	input: Buffer,
	start: number,
	end: number,
	offset: number,
	matchLength: number,
): number {
	const literals = end - start;
	const matchCode = matchLength === 0 ? 0 : matchLength - MIN_MATCH;
	let position = at;
	out[position++] = (Math.min(literals, 15) << 4) | Math.min(matchCode, 15);
	if (literals >= 15) position = writeLength(out, position, literals);
	input.copy(out, position, start, end);
	position += literals;
	if (matchLength === 0) return position;
	out[position++] = offset & 0xff;
	out[position++] = offset >>> 8;
	if (matchCode >= 15) position = writeLength(out, position, matchCode);
	return position;
}

/** Pure-JavaScript LZ4 block compression (greedy, one hash table), output `[length u32 LE][block]`. */
export function compressJs(input: Buffer): Buffer {
	const length = input.length;
	const out = Buffer.allocUnsafe(4 + length + Math.floor(length / 255) + 16);
	out.writeUInt32LE(length, 0);
	let position = 4;
	let anchor = 0;
	if (length > MF_LIMIT) {
		hashTable.fill(-1);
		const matchLimit = length - LAST_LITERALS;
		let at = 0;
		while (at < length - MF_LIMIT) {
			const sequence = read32(input, at);
			const slot = hash(sequence);
			const candidate = hashTable[slot] ?? -1;
			hashTable[slot] = at;
			if (candidate < 0 || at - candidate > MAX_OFFSET || read32(input, candidate) !== sequence) {
				at++;
				continue;
			}
			let matchLength = MIN_MATCH;
			while (at + matchLength < matchLimit && input[candidate + matchLength] === input[at + matchLength])
				matchLength++;
			position = writeSequence(out, position, input, anchor, at, at - candidate, matchLength);
			at += matchLength;
			anchor = at;
		}
	}
	position = writeSequence(out, position, input, anchor, length, 0, 0);
	return out.subarray(0, position);
}

/** Reads a length's extension bytes from `block` at `at`; returns `[length, position]`. */
function readLength(block: Uint8Array, at: number, base: number): [number, number] {
	let length = base;
	let position = at;
	let byte: number;
	do {
		if (position >= block.length) throw corrupt('the block ends inside a length');
		byte = block[position++] ?? 0;
		length += byte;
	} while (byte === 255);
	return [length, position];
}

/**
 * Pure-JavaScript LZ4 block decompression into exactly `length` bytes; throws `CACHE_SERIALIZATION_FAILED` for a block
 * that reads out of bounds, refers before the start of the output, or does not produce exactly `length` bytes.
 */
export function decompressJs(framed: Buffer, length: number): Buffer {
	const block = framed.subarray(4);
	const out = Buffer.allocUnsafe(length);
	let at = 0;
	let written = 0;
	while (at < block.length) {
		const token = block[at++] ?? 0;
		let literals = token >>> 4;
		if (literals === 15) [literals, at] = readLength(block, at, 15);
		if (at + literals > block.length || written + literals > length)
			throw corrupt('literals run past the end of the block or the output');
		block.copy(out, written, at, at + literals);
		at += literals;
		written += literals;
		if (at === block.length) break;
		if (at + 2 > block.length) throw corrupt('the block ends inside a match offset');
		const offset = (block[at] ?? 0) | ((block[at + 1] ?? 0) << 8);
		at += 2;
		if (offset === 0 || offset > written)
			throw corrupt(`a match refers ${offset} bytes back from position ${written}`);
		let matchLength = token & 15;
		if (matchLength === 15) [matchLength, at] = readLength(block, at, 15);
		matchLength += MIN_MATCH;
		if (written + matchLength > length) throw corrupt('a match runs past the end of the output');
		const from = written - offset;
		if (offset >= matchLength) out.copyWithin(written, from, from + matchLength);
		else for (let i = 0; i < matchLength; i++) out[written + i] = out[from + i] ?? 0;
		written += matchLength;
	}
	if (written !== length) throw corrupt(`the block decodes to ${written} bytes, not the ${length} it states`);
	return out;
}

/** The pure-JavaScript implementation, used when lz4-napi does not load. */
export const lz4Js: Lz4 = { name: 'js', compress: compressJs, decompress: decompressJs };

let selected: Lz4 | undefined;

/** The LZ4 implementation in use: `lz4-napi` if it loads (tried once, on first call), else {@link lz4Js}. */
export function lz4(): Lz4 {
	if (selected !== undefined) return selected;
	let native: unknown;
	try {
		native = lazyRequire('lz4-napi');
	} catch {
		native = undefined;
	}
	selected = isNativeLz4(native) ? nativeLz4(native) : lz4Js;
	return selected;
}

function nativeLz4(native: NativeLz4): Lz4 {
	return {
		name: 'native',
		compress: (input) => native.compressSync(input),
		decompress(framed, length) {
			let out: Buffer;
			try {
				out = native.uncompressSync(framed);
			} catch (error) {
				throw corrupt(error instanceof Error ? error.message : String(error), error);
			}
			// lz4-napi returns a short buffer for some truncated blocks instead of failing.
			if (out.length !== length)
				throw corrupt(`the block decodes to ${out.length} bytes, not the ${length} it states`);
			return out;
		},
	};
}
