import type * as Msgpackr from 'msgpackr';
import { CacheError } from '../errors/CacheError.js';
import { lazyRequire } from './lazyRequire.js';
import { LZ4_MAX_RATIO, lz4 } from './lz4.js';
import { assertNumberOption } from './keys.js';
import { hasReplacedPrototype } from './prototypes.js';

/** Encodes values to bytes and back. Register custom ones on a {@link SerializerRegistry}. */
export interface Serializer {
	/** Stored in each value's header (1–127); must never change for a given format. */
	readonly id: number;
	readonly name: string;
	encode(value: unknown): Buffer;
	decode(bytes: Buffer): unknown;
}

function isMsgpackr(value: unknown): value is Pick<typeof Msgpackr, 'Packr'> {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'Packr') === 'function';
}

/** Loads msgpackr (pure JavaScript; its optional native string accelerator, msgpackr-extract, loads with it). */
function loadMsgpackr(): Pick<typeof Msgpackr, 'Packr'> {
	let loaded: unknown;
	try {
		loaded = lazyRequire('msgpackr');
	} catch (error) {
		throw CacheError.of(
			'CACHE_DEPENDENCY_MISSING',
			[
				'The msgpack serializer (or use jsonSerializer())',
				'msgpackr',
				`it could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
			],
			{ cause: error },
		);
	}
	if (!isMsgpackr(loaded))
		throw CacheError.of('CACHE_DEPENDENCY_MISSING', [
			'The msgpack serializer',
			'msgpackr@>=1.11',
			'the version that loaded has no Packr export',
		]);
	return loaded;
}

/**
 * msgpackr with records (repeated object shapes are encoded once per value): the default serializer. Loads
 * msgpackr when called (not when `@ovenjs/cache` is imported); throws `CACHE_DEPENDENCY_MISSING` if it is not
 * installed. Structured-clone references are refused on read (this serializer never writes them).
 */
export function msgpackSerializer(): Serializer {
	const { Packr } = loadMsgpackr();
	const packr = new Packr({ useRecords: true, moreTypes: true, structuredClone: false });
	return {
		id: 1,
		name: 'msgpack',
		encode: (value) => packr.pack(value),
		decode: (bytes): unknown => packr.unpack(bytes),
	};
}

/** JSON: slower and larger than msgpack, but readable with any Redis/PostgreSQL client. */
export function jsonSerializer(): Serializer {
	return {
		id: 2,
		name: 'json',
		encode: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
		decode: (bytes): unknown => JSON.parse(bytes.toString('utf8')),
	};
}

/** A set of serializers by id, so values written with any registered format can be read back. */
export class SerializerRegistry {
	readonly #byId = new Map<number, Serializer>();

	/** A registry holding msgpack (id 1) and JSON (id 2). */
	public constructor(serializers: readonly Serializer[] = [msgpackSerializer(), jsonSerializer()]) {
		for (const serializer of serializers) this.register(serializer);
	}

	/** Adds a serializer; throws `CACHE_INVALID_OPTION` for an id outside 1–127, `CACHE_SERIALIZER_ID_TAKEN` for one already taken. */
	public register(serializer: Serializer): this {
		if (!Number.isInteger(serializer.id) || serializer.id < 1 || serializer.id > 127) {
			throw CacheError.of('CACHE_INVALID_OPTION', [
				`id of serializer "${serializer.name}"`,
				'an integer 1–127',
				String(serializer.id),
			]);
		}
		const existing = this.#byId.get(serializer.id);
		if (existing !== undefined && existing !== serializer) {
			throw CacheError.of('CACHE_SERIALIZER_ID_TAKEN', [serializer.id, existing.name]);
		}
		this.#byId.set(serializer.id, serializer);
		return this;
	}

	/** Whether a serializer with `id` is registered. */
	public has(id: number): boolean {
		return this.#byId.has(id);
	}

	/** The serializer with `id`; throws `CACHE_UNKNOWN_SERIALIZER` if none. */
	public get(id: number): Serializer {
		const serializer = this.#byId.get(id);
		if (serializer === undefined) {
			throw CacheError.of('CACHE_UNKNOWN_SERIALIZER', [id]);
		}
		return serializer;
	}
}

/** Migrates a value stored under schema version `from` to `from + 1`. */
export type Migration = (value: unknown) => unknown;

/** Options of a {@link ValueCodec}. */
export interface ValueCodecOptions {
	/** The serializers values can be read with. @defaultValue msgpack (1) and JSON (2) */
	readonly registry?: SerializerRegistry;
	/** The id of the serializer new values are written with. @defaultValue `1` (msgpack) */
	readonly serializer?: number;
	/**
	 * Encoded values larger than this many bytes are lz4-compressed; `-1` disables it. lz4-napi is used when its
	 * platform build loads (on first use), a pure-JavaScript LZ4 otherwise; both write the same bytes format.
	 * @defaultValue `1024`
	 */
	readonly compressThreshold?: number;
	/**
	 * The largest value, in encoded bytes before compression, the codec writes or reads back. Larger values
	 * throw `CACHE_VALUE_TOO_LARGE` on `encode`; a stored value whose header claims more is refused before
	 * anything is allocated for it (an lz4 header is only a claim). At most 4 GiB − 1 (the header is a u32).
	 * @defaultValue `67_108_864` (64 MiB)
	 */
	readonly maxValueSize?: number;
	/** The current schema version (0–255), written in each value's header. @defaultValue `0` */
	readonly schemaVersion?: number;
	/**
	 * `migrations[v]` turns a value stored under version `v` into version `v + 1`; values with an older version
	 * are migrated on read. @defaultValue `{}`
	 */
	readonly migrations?: Readonly<Record<number, Migration>>;
}

/** Defaults of {@link ValueCodecOptions}. */
export const DefaultValueCodecOptions = {
	serializer: 1,
	compressThreshold: 1024,
	maxValueSize: 64 * 1024 * 1024,
	schemaVersion: 0,
} as const satisfies Required<
	Pick<ValueCodecOptions, 'serializer' | 'compressThreshold' | 'maxValueSize' | 'schemaVersion'>
>;

const COMPRESSED = 0x80;
/** Flags, schema version, uncompressed length (u32), then lz4's own length prefix (u32). */
const COMPRESSED_HEADER = 10;

/**
 * The byte format of values in remote tiers: `[flags|serializerId][schemaVersion][payload]`, or, with the high
 * bit of byte 0 set (lz4), `[flags|serializerId][schemaVersion][length u32 LE][length u32 LE][lz4 block]`
 * (the second length is lz4-napi's own prefix; both must agree).
 */
export class ValueCodec {
	readonly #registry: SerializerRegistry;
	readonly #writer: Serializer;
	readonly #threshold: number;
	/** The largest value, in encoded bytes, this codec writes or reads. */
	public readonly maxValueSize: number;
	/** The schema version written in new values. */
	public readonly schemaVersion: number;
	readonly #migrations: Readonly<Record<number, Migration>>;

	public constructor(options: ValueCodecOptions = {}) {
		this.#registry = options.registry ?? new SerializerRegistry();
		this.#writer = this.#registry.get(options.serializer ?? DefaultValueCodecOptions.serializer);
		this.#threshold = options.compressThreshold ?? DefaultValueCodecOptions.compressThreshold;
		assertNumberOption('maxValueSize', options.maxValueSize, 1);
		const max = options.maxValueSize ?? DefaultValueCodecOptions.maxValueSize;
		if (!Number.isInteger(max) || max > 0xff_ff_ff_ff) {
			throw CacheError.of('CACHE_INVALID_OPTION', [
				'maxValueSize',
				'an integer from 1 to 4294967295 (the header stores a u32)',
				String(max),
			]);
		}
		this.maxValueSize = max;
		const version = options.schemaVersion ?? DefaultValueCodecOptions.schemaVersion;
		if (!Number.isInteger(version) || version < 0 || version > 255) {
			throw CacheError.of('CACHE_INVALID_OPTION', ['schemaVersion', 'an integer 0–255', String(version)]);
		}
		this.schemaVersion = version;
		this.#migrations = options.migrations ?? {};
	}

	/**
	 * Encodes `value`; throws `CACHE_SERIALIZATION_FAILED` if the serializer cannot, `CACHE_VALUE_TOO_LARGE` if it
	 * encodes to more than {@link maxValueSize} bytes.
	 */
	public encode(value: unknown): Buffer {
		let payload: Buffer;
		try {
			payload = this.#writer.encode(value);
		} catch (error) {
			throw CacheError.of(
				'CACHE_SERIALIZATION_FAILED',
				['encode', `the ${this.#writer.name} serializer threw ${String(error)}`],
				{ cause: error },
			);
		}
		if (payload.length > this.maxValueSize) {
			throw CacheError.of('CACHE_VALUE_TOO_LARGE', [
				`The value encoded with ${this.#writer.name}`,
				payload.length,
				this.maxValueSize,
			]);
		}
		if (this.#threshold >= 0 && payload.length > this.#threshold) {
			let framed: Buffer;
			try {
				framed = lz4().compress(payload);
			} catch (error) {
				throw CacheError.of(
					'CACHE_SERIALIZATION_FAILED',
					['encode', `lz4 could not compress its ${payload.length} bytes: ${String(error)}`],
					{ cause: error },
				);
			}
			if (framed.length < payload.length) {
				const header = Buffer.allocUnsafe(6);
				header[0] = this.#writer.id | COMPRESSED;
				header[1] = this.schemaVersion;
				header.writeUInt32LE(payload.length, 2);
				return Buffer.concat([header, framed]);
			}
		}
		const header = Buffer.from([this.#writer.id, this.schemaVersion]);
		return Buffer.concat([header, payload]);
	}

	/** The decompressed payload of a value marked compressed, after checking what its header claims. */
	#decompress(bytes: Buffer, serializer: Serializer): Buffer {
		if (bytes.length < COMPRESSED_HEADER) {
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', [
				'decode',
				`it is marked lz4-compressed but is ${bytes.length} bytes long, shorter than the ${COMPRESSED_HEADER}-byte header`,
			]);
		}
		const stated = bytes.readUInt32LE(2);
		const prefix = bytes.readUInt32LE(6);
		if (stated !== prefix) {
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', [
				'decode',
				`its lz4 header is corrupt: it states ${stated} bytes, and its lz4 block ${prefix}`,
			]);
		}
		if (stated > this.maxValueSize) {
			throw CacheError.of('CACHE_VALUE_TOO_LARGE', [
				`A stored ${serializer.name} value, decompressed (refused before allocating),`,
				stated,
				this.maxValueSize,
			]);
		}
		const blockLength = bytes.length - COMPRESSED_HEADER;
		if (stated > blockLength * LZ4_MAX_RATIO) {
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', [
				'decode',
				`it claims to decompress to ${stated} bytes from a ${blockLength}-byte lz4 block, which can expand at most ${LZ4_MAX_RATIO} times; it is corrupt`,
			]);
		}
		return lz4().decompress(bytes.subarray(6), stated);
	}

	#decodeJsonText(bytes: Buffer): unknown {
		try {
			return JSON.parse(bytes.toString('utf8'));
		} catch (error) {
			throw CacheError.of(
				'CACHE_SERIALIZATION_FAILED',
				['decode', `it looks like JSON text but does not parse: ${String(error)}`],
				{ cause: error },
			);
		}
	}

	/**
	 * Decodes bytes written by {@link encode} (or plain JSON text), migrating older schema versions. Throws only
	 * {@link CacheError}s: `CACHE_SERIALIZATION_FAILED` (corrupt bytes, or a decoded object whose prototype was
	 * replaced — a `__proto__` key a decoder assigned instead of defining), `CACHE_VALUE_TOO_LARGE`,
	 * `CACHE_UNKNOWN_SERIALIZER` and `CACHE_MIGRATION_FAILED`.
	 */
	public decode(bytes: Buffer): unknown {
		if (bytes.length < 2)
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', [
				'decode',
				`it is ${bytes.length} bytes long; at least 2 header bytes are required`,
			]);
		const flags = bytes[0] ?? 0;
		const version = bytes[1] ?? 0;
		// JSON fallback: a value written as plain JSON text by another client (`{`, `[` or `"` first) is read as JSON.
		if ((flags === 0x7b || flags === 0x5b || flags === 0x22) && !this.#registry.has(flags & ~COMPRESSED))
			return this.#decodeJsonText(bytes);
		if (version > this.schemaVersion) {
			throw CacheError.of('CACHE_MIGRATION_FAILED', [
				`it has schema version ${version}, newer than this codec's ${this.schemaVersion}; upgrade this process`,
			]);
		}
		const serializer = this.#registry.get(flags & ~COMPRESSED);
		let payload: Buffer;
		if ((flags & COMPRESSED) !== 0) {
			payload = this.#decompress(bytes, serializer);
		} else {
			payload = bytes.subarray(2);
			if (payload.length > this.maxValueSize) {
				throw CacheError.of('CACHE_VALUE_TOO_LARGE', [
					`A stored ${serializer.name} value`,
					payload.length,
					this.maxValueSize,
				]);
			}
		}
		let value: unknown;
		try {
			value = serializer.decode(payload);
		} catch (error) {
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', ['decode', `${serializer.name} threw ${String(error)}`], {
				cause: error,
			});
		}
		if (hasReplacedPrototype(value)) {
			throw CacheError.of('CACHE_SERIALIZATION_FAILED', [
				'decode',
				`decoded with ${serializer.name}, it holds an object whose prototype was replaced (a "__proto__" key assigned instead of defined); it was refused`,
			]);
		}
		for (let v = version; v < this.schemaVersion; v++) {
			const migrate = this.#migrations[v];
			if (migrate === undefined) {
				throw CacheError.of('CACHE_MIGRATION_FAILED', [
					`it has schema version ${version} but no migration from ${v} to ${v + 1} is registered`,
				]);
			}
			try {
				value = migrate(value);
			} catch (error) {
				throw CacheError.of(
					'CACHE_MIGRATION_FAILED',
					[`the migration from schema version ${v} to ${v + 1} threw ${String(error)}`],
					{ cause: error },
				);
			}
		}
		return value;
	}
}
