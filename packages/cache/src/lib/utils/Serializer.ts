import { Packr } from 'msgpackr';
import { compressSync, uncompressSync } from 'lz4-napi';
import { CacheError } from '../errors/CacheError.js';

/** Encodes values to bytes and back. Register custom ones on a {@link SerializerRegistry}. */
export interface Serializer {
	/** Stored in each value's header (1–127); must never change for a given format. */
	readonly id: number;
	readonly name: string;
	encode(value: unknown): Buffer;
	decode(bytes: Buffer): unknown;
}

/** msgpackr with records (repeated object shapes are encoded once per value): the default serializer. */
export function msgpackSerializer(): Serializer {
	const packr = new Packr({ useRecords: true, moreTypes: true });
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
	private readonly byId = new Map<number, Serializer>();

	/** A registry holding msgpack (id 1) and JSON (id 2). */
	public constructor(serializers: readonly Serializer[] = [msgpackSerializer(), jsonSerializer()]) {
		for (const serializer of serializers) this.register(serializer);
	}

	/** Adds a serializer; throws `CACHE_INVALID_OPTION` for an id outside 1–127 or one already taken. */
	public register(serializer: Serializer): this {
		if (!Number.isInteger(serializer.id) || serializer.id < 1 || serializer.id > 127) {
			throw new CacheError('CACHE_INVALID_OPTION', `Serializer ids must be integers 1–127, got ${serializer.id} for "${serializer.name}".`);
		}
		const existing = this.byId.get(serializer.id);
		if (existing !== undefined && existing !== serializer) {
			throw new CacheError('CACHE_INVALID_OPTION', `Serializer id ${serializer.id} is already taken by "${existing.name}".`);
		}
		this.byId.set(serializer.id, serializer);
		return this;
	}

	/** Whether a serializer with `id` is registered. */
	public has(id: number): boolean {
		return this.byId.has(id);
	}

	/** The serializer with `id`; throws `CACHE_UNKNOWN_SERIALIZER` if none. */
	public get(id: number): Serializer {
		const serializer = this.byId.get(id);
		if (serializer === undefined) {
			throw new CacheError('CACHE_UNKNOWN_SERIALIZER', `A stored value uses serializer id ${id}, which is not registered; register it on the SerializerRegistry.`);
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
	/** Encoded values larger than this many bytes are lz4-compressed; `-1` disables it. @defaultValue `1024` */
	readonly compressThreshold?: number;
	/** The current schema version (0–255), written in each value's header. @defaultValue `0` */
	readonly schemaVersion?: number;
	/**
	 * `migrations[v]` turns a value stored under version `v` into version `v + 1`; values with an older version
	 * are migrated on read. @defaultValue `{}`
	 */
	readonly migrations?: Readonly<Record<number, Migration>>;
}

const COMPRESSED = 0x80;

/**
 * The byte format of values in remote tiers: `[flags|serializerId][schemaVersion][uncompressed length u32 if
 * compressed][payload]`. The high bit of byte 0 marks lz4 compression.
 */
export class ValueCodec {
	private readonly registry: SerializerRegistry;
	private readonly writer: Serializer;
	private readonly threshold: number;
	/** The schema version written in new values. */
	public readonly schemaVersion: number;
	private readonly migrations: Readonly<Record<number, Migration>>;

	public constructor(options: ValueCodecOptions = {}) {
		this.registry = options.registry ?? new SerializerRegistry();
		this.writer = this.registry.get(options.serializer ?? 1);
		this.threshold = options.compressThreshold ?? 1024;
		const version = options.schemaVersion ?? 0;
		if (!Number.isInteger(version) || version < 0 || version > 255) {
			throw new CacheError('CACHE_INVALID_OPTION', `Option "schemaVersion" must be an integer 0–255, got ${version}.`);
		}
		this.schemaVersion = version;
		this.migrations = options.migrations ?? {};
	}

	/** Encodes `value`; throws `CACHE_SERIALIZATION_FAILED` if the serializer cannot. */
	public encode(value: unknown): Buffer {
		let payload: Buffer;
		try {
			payload = this.writer.encode(value);
		} catch (error) {
			throw new CacheError('CACHE_SERIALIZATION_FAILED', `The ${this.writer.name} serializer could not encode the value: ${String(error)}.`, { cause: error });
		}
		if (this.threshold >= 0 && payload.length > this.threshold) {
			const compressed = compressSync(payload);
			if (compressed.length < payload.length) {
				const header = Buffer.allocUnsafe(6);
				header[0] = this.writer.id | COMPRESSED;
				header[1] = this.schemaVersion;
				header.writeUInt32LE(payload.length, 2);
				return Buffer.concat([header, compressed]);
			}
		}
		const header = Buffer.from([this.writer.id, this.schemaVersion]);
		return Buffer.concat([header, payload]);
	}

	private decodeJsonText(bytes: Buffer): unknown {
		try {
			return JSON.parse(bytes.toString('utf8'));
		} catch (error) {
			throw new CacheError('CACHE_SERIALIZATION_FAILED', `A stored value looks like JSON text but does not parse: ${String(error)}.`, { cause: error });
		}
	}

	/** Decodes bytes written by {@link encode} (or plain JSON text), migrating older schema versions. */
	public decode(bytes: Buffer): unknown {
		if (bytes.length < 2) throw new CacheError('CACHE_SERIALIZATION_FAILED', `A stored value is ${bytes.length} bytes long; at least 2 header bytes are required.`);
		const flags = bytes[0] ?? 0;
		const version = bytes[1] ?? 0;
		// JSON fallback: a value written as plain JSON text by another client (`{`, `[` or `"` first) is read as JSON.
		if ((flags === 0x7b || flags === 0x5b || flags === 0x22) && !this.registry.has(flags & ~COMPRESSED)) return this.decodeJsonText(bytes);
		if (version > this.schemaVersion) {
			throw new CacheError('CACHE_MIGRATION_FAILED', `A stored value has schema version ${version}, newer than this codec's ${this.schemaVersion}; upgrade this process.`);
		}
		const serializer = this.registry.get(flags & ~COMPRESSED);
		let payload = bytes.subarray(2);
		let value: unknown;
		try {
			if ((flags & COMPRESSED) !== 0) payload = uncompressSync(payload.subarray(4));
			value = serializer.decode(payload);
		} catch (error) {
			throw new CacheError('CACHE_SERIALIZATION_FAILED', `A stored value could not be decoded with ${serializer.name}: ${String(error)}.`, { cause: error });
		}
		for (let v = version; v < this.schemaVersion; v++) {
			const migrate = this.migrations[v];
			if (migrate === undefined) {
				throw new CacheError('CACHE_MIGRATION_FAILED', `A stored value has schema version ${version} but no migration from ${v} to ${v + 1} is registered.`);
			}
			value = migrate(value);
		}
		return value;
	}
}
