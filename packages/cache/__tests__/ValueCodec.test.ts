import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { compressSync, uncompressSync } from 'lz4-napi';
import { Redis } from 'ioredis';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import {
	CacheError,
	DefaultValueCodecOptions,
	MemoryTier,
	MultiTierCache,
	SerializerRegistry,
	ValueCodec,
	jsonSerializer,
	msgpackSerializer,
	type Serializer,
} from '@ovenjs/cache';
import { seededRandom } from '../src/lib/analytics/Trace.js';
import { RedisTier } from '@ovenjs/cache/redis';
import { compressJs, decompressJs, lz4 } from '../src/lib/utils/lz4.js';
import { hasReplacedPrototype } from '../src/lib/utils/prototypes.js';

/** Runs `fn` and returns the CacheError it throws (failing the test if it returns or throws anything else). */
function cacheError(fn: () => unknown): CacheError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(CacheError);
		if (error instanceof CacheError) return error;
	}
	throw new Error('expected a CacheError');
}

/** `value[key]` for any value (undefined for primitives). */
function prop(value: unknown, key: string): unknown {
	return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/** An object whose prototype is a plain object, as a `__proto__` assignment leaves it. */
function polluted(): object {
	const object = { a: 1 };
	Object.setPrototypeOf(object, { polluted: true });
	return object;
}

/** A self-referencing object (msgpackr's structured clone writes references for it). */
function cyclic(): object {
	const node: { self?: unknown } = {};
	node.self = node;
	return node;
}

/** `[flags][version][stated u32][lz4 prefix u32][block]` */
function compressedValue(stated: number, prefix: number, block: readonly number[]): Buffer {
	const bytes = Buffer.alloc(10 + block.length);
	bytes[0] = 0x81;
	bytes.writeUInt32LE(stated, 2);
	bytes.writeUInt32LE(prefix, 6);
	Buffer.from(block).copy(bytes, 10);
	return bytes;
}

/** A byte stream with runs and repeats, so LZ4 finds matches of every length. */
function sample(random: () => number, length: number): Buffer {
	const bytes = Buffer.allocUnsafe(length);
	const alphabet = 1 + Math.floor(random() * 255);
	const repeat = random();
	for (let i = 0; i < length; i++) {
		bytes[i] =
			i > 0 && random() < repeat
				? bytes[i - 1 - Math.floor(random() * Math.min(i, 70_000))]!
				: Math.floor(random() * alphabet);
	}
	return bytes;
}

describe('ValueCodec: the stored format', () => {
	it('reads values written before this release (old lz4 and plain msgpack bytes)', () => {
		const codec = new ValueCodec();
		const compressed = Buffer.from(
			'gQD0BwAA9AcAAP8N1HJAlKJpZKR0ZXh0oW6jYmlnoTHaB9BvdmVuIAUA/////////7/QkwECA9MAAAAAAAAADA==',
			'base64',
		);
		expect(codec.decode(compressed)).toEqual({ id: '1', text: 'oven '.repeat(400), n: [1, 2, 3], big: 12n });
		expect(codec.decode(Buffer.from('AQDUckCSomlkpHRhZ3OhMpGhYQ==', 'base64'))).toEqual({ id: '2', tags: ['a'] });
		// The pure-JavaScript LZ4 reads the same block.
		expect(
			decompressJs(compressed.subarray(6), compressed.readUInt32LE(2)).equals(
				Buffer.from(uncompressSync(compressed.subarray(6))),
			),
		).toBe(true);
	});

	it('writes the same layout as before: [id|0x80][version][length][lz4-napi block]', () => {
		const codec = new ValueCodec();
		const value = { text: 'x'.repeat(5_000) };
		const bytes = codec.encode(value);
		expect(bytes[0]).toBe(0x81);
		const payload = new Packr({ useRecords: true, moreTypes: true }).pack(value);
		expect(bytes.readUInt32LE(2)).toBe(payload.length);
		expect(uncompressSync(bytes.subarray(6)).equals(payload)).toBe(true);
		expect(codec.decode(bytes)).toEqual(value);
	});

	it('the JavaScript LZ4 and lz4-napi read each other’s blocks', () => {
		const random = seededRandom(4);
		for (let round = 0; round < 60; round++) {
			const input = sample(random, Math.floor(random() ** 2 * 150_000));
			const ours = compressJs(input);
			expect(ours.readUInt32LE(0)).toBe(input.length);
			expect(Buffer.from(uncompressSync(ours)).equals(input)).toBe(true);
			expect(decompressJs(compressSync(input), input.length).equals(input)).toBe(true);
			expect(decompressJs(ours, input.length).equals(input)).toBe(true);
		}
		expect(compressJs(Buffer.alloc(100_000)).length).toBeLessThan(500);
	});

	it('loads lz4-napi here (the prebuild is installed) and falls back to JavaScript without it (see native-free.test.ts)', () => {
		expect(lz4().name).toBe('native');
	});
});

describe('ValueCodec: lz4 headers are claims, checked before allocating', () => {
	it('refuses a 16-byte value claiming 4 GiB with CACHE_VALUE_TOO_LARGE, allocating nothing for it', () => {
		const codec = new ValueCodec();
		const before = process.memoryUsage().arrayBuffers;
		const error = cacheError(() =>
			codec.decode(compressedValue(0xff_ff_ff_ff, 0xff_ff_ff_ff, [0x10, 0x41, 0, 0, 0, 0])),
		);
		expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
		expect(error.code).toBe('CACHE_VALUE_TOO_LARGE');
		expect(error.message).toContain('4294967295 bytes');
		expect(error.message).toContain(`maxValueSize of ${DefaultValueCodecOptions.maxValueSize}`);
	});

	it('refuses claims lz4 cannot reach (more than 255× the block) and headers that disagree', () => {
		const codec = new ValueCodec();
		const ratio = cacheError(() => codec.decode(compressedValue(1 << 24, 1 << 24, [0x10, 0x41])));
		expect(ratio.code).toBe('CACHE_SERIALIZATION_FAILED');
		expect(ratio.message).toContain('at most 255 times');
		const mismatch = cacheError(() => codec.decode(compressedValue(10, 11, [0x10, 0x41])));
		expect(mismatch.code).toBe('CACHE_SERIALIZATION_FAILED');
		expect(cacheError(() => codec.decode(Buffer.from([0x81, 0, 1, 0, 0]))).message).toContain(
			'shorter than the 10-byte header',
		);
	});

	it('refuses blocks that decode to another length or point outside the output (native and JavaScript)', () => {
		const codec = new ValueCodec();
		// Stated 40 bytes, the block yields one literal.
		expect(cacheError(() => codec.decode(compressedValue(40, 40, [0x10, 0x41]))).code).toBe(
			'CACHE_SERIALIZATION_FAILED',
		);
		expect(() => decompressJs(Buffer.from([40, 0, 0, 0, 0x10, 0x41]), 40)).toThrow(
			expect.objectContaining({ code: 'CACHE_SERIALIZATION_FAILED' }),
		);
		// A match 5 bytes back after 1 byte of output.
		expect(() => decompressJs(Buffer.from([20, 0, 0, 0, 0x1f, 0x41, 5, 0, 0]), 20)).toThrow(/refers 5 bytes back/);
		// A length that never ends.
		expect(() => decompressJs(Buffer.from([20, 0, 0, 0, 0xf0, 255, 255]), 20)).toThrow(/ends inside a length/);
	});

	it('maxValueSize bounds encode and decode; its range is checked', () => {
		const small = new ValueCodec({ maxValueSize: 1_000 });
		const encode = cacheError(() => small.encode({ text: 'x'.repeat(2_000) }));
		expect(encode.code).toBe('CACHE_VALUE_TOO_LARGE');
		expect(encode.message).toContain('more than the codec');
		const big = new ValueCodec().encode({ text: 'x'.repeat(2_000) });
		expect(cacheError(() => small.decode(big)).code).toBe('CACHE_VALUE_TOO_LARGE');
		expect(
			cacheError(() =>
				small.decode(new ValueCodec({ compressThreshold: -1 }).encode({ text: 'x'.repeat(2_000) })),
			).code,
		).toBe('CACHE_VALUE_TOO_LARGE');
		expect(small.decode(small.encode({ text: 'x'.repeat(900) }))).toEqual({ text: 'x'.repeat(900) });
		for (const maxValueSize of [0, 1.5, 2 ** 32, Number.NaN]) {
			expect(cacheError(() => new ValueCodec({ maxValueSize })).code).toBe('CACHE_INVALID_OPTION');
		}
		expect(new ValueCodec().maxValueSize).toBe(64 * 1024 * 1024);
	});

	it('a migration that throws is CACHE_MIGRATION_FAILED', () => {
		const old = new ValueCodec().encode({ v: 0 });
		const codec = new ValueCodec({
			schemaVersion: 1,
			migrations: {
				0: () => {
					throw new TypeError('nope');
				},
			},
		});
		const error = cacheError(() => codec.decode(old));
		expect(error.code).toBe('CACHE_MIGRATION_FAILED');
		expect(error.cause).toBeInstanceOf(TypeError);
	});
});

describe('ValueCodec: decoded objects keep their prototypes', () => {
	const codec = new ValueCodec();
	const stored = (packed: Buffer): Buffer => Buffer.concat([Buffer.from([1, 0]), packed]);
	const evil = (): unknown => JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');

	it('a "__proto__" key in a msgpack record never becomes the prototype (plain and compiled record readers)', () => {
		const packr = new Packr({ useRecords: true, moreTypes: true });
		const one = codec.decode(stored(packr.pack(evil())));
		const many = codec.decode(stored(packr.pack(Array.from({ length: 20 }, evil))));
		const list: unknown[] = Array.isArray(many) ? many : [];
		for (const value of [one, ...list]) {
			expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
			expect(prop(value, 'polluted')).toBeUndefined();
			expect(prop(value, 'a')).toBe(1);
		}
		expect(Array.isArray(many) && many.length).toBe(20);
		expect(Reflect.get({}, 'polluted')).toBeUndefined();
	});

	it('a "__proto__" key in a plain msgpack map stays a key', () => {
		const key = Buffer.from('__proto__');
		const inner = Buffer.from('polluted');
		const map = Buffer.concat([
			Buffer.from([0x81, 0xa0 | key.length]),
			key,
			Buffer.from([0x81, 0xa0 | inner.length]),
			inner,
			Buffer.from([0xc3]),
		]);
		const value = codec.decode(stored(map));
		expect(value).toBeInstanceOf(Map);
		expect(value instanceof Map && value.get('__proto__') instanceof Map).toBe(true);
		expect(Reflect.get({}, 'polluted')).toBeUndefined();
	});

	it('refuses structured-clone references (never written by this serializer)', () => {
		const packed = new Packr({ structuredClone: true, useRecords: true }).pack(cyclic());
		expect(cacheError(() => codec.decode(stored(packed))).code).toBe('CACHE_SERIALIZATION_FAILED');
	});

	it('"constructor" and "prototype" keys are own data properties; JSON "__proto__" too', () => {
		const packr = new Packr({ useRecords: true, moreTypes: true });
		const value = codec.decode(stored(packr.pack({ constructor: { prototype: { x: 1 } }, prototype: 2 })));
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.keys(value ?? {})).toEqual(['constructor', 'prototype']);
		expect(prop(value, 'prototype')).toBe(2);
		const json = new ValueCodec({ serializer: 2 });
		const fromJson = json.decode(json.encode(evil()));
		expect(Object.getPrototypeOf(fromJson)).toBe(Object.prototype);
		expect(Object.getOwnPropertyDescriptor(fromJson, '__proto__')?.value).toEqual({ polluted: true });
		const text = codec.decode(Buffer.from('{"__proto__":{"polluted":true}}'));
		expect(Object.getPrototypeOf(text)).toBe(Object.prototype);
	});

	it('refuses a value from any serializer holding an object whose prototype was replaced', () => {
		const array: unknown[] = [];
		Object.setPrototypeOf(array, []);
		const cases: unknown[] = [
			polluted(),
			[1, { deep: [polluted()] }],
			new Map([['k', polluted()]]),
			new Map([[polluted(), 1]]),
			new Set([polluted()]),
			array,
		];
		for (const result of cases) {
			const naive: Serializer = { id: 9, name: 'naive', encode: () => Buffer.from([0]), decode: () => result };
			const custom = new ValueCodec({
				registry: new SerializerRegistry([msgpackSerializer(), jsonSerializer(), naive]),
				serializer: 9,
			});
			const error = cacheError(() => custom.decode(Buffer.from([9, 0, 0])));
			expect(error.code).toBe('CACHE_SERIALIZATION_FAILED');
			expect(error.message).toContain('prototype was replaced');
		}
	});

	it('accepts what decoders legitimately build, deep or cyclic', () => {
		class Point {
			public constructor(public readonly x: number) {}
		}
		let deep: unknown = 'leaf';
		for (let i = 0; i < 200_000; i++) deep = [deep];
		const fine: unknown[] = [
			new Point(1),
			Object.create(null),
			new Date(),
			/x/,
			new Uint8Array(3),
			Buffer.from('x'),
			new Map([[1, new Set([2])]]),
			new TypeError('t', { cause: { a: 1 } }),
			cyclic(),
			deep,
			12n,
			null,
		];
		for (const value of fine) expect(hasReplacedPrototype(value)).toBe(false);
		expect(hasReplacedPrototype(new TypeError('t', { cause: polluted() }))).toBe(true);
	});
});

const redis = await redisAvailable('ValueCodec Redis tests');

describe.skipIf(!redis.available)('ValueCodec behind a RedisTier (real Redis)', () => {
	let client: Redis;
	const prefix = uniquePrefix('cache-codec');
	beforeAll(() => {
		client = new Redis(redis.url);
	});
	afterAll(async () => {
		const keys = await client.keys(`${prefix}*`);
		if (keys.length > 0) await client.del(...keys);
		await client.quit();
	});

	it('a stored lz4 bomb or structured-clone value reads as a miss; the tier stays up and counts the error', async () => {
		const tier = new RedisTier({ client, prefix });
		const cache = new MultiTierCache({ tiers: [new MemoryTier(), tier] });
		try {
			await client.set(
				`${prefix}v:bomb`,
				compressedValue(0xff_ff_ff_ff, 0xff_ff_ff_ff, [0x10, 0x41, 0, 0, 0, 0]),
			);
			await client.set(
				`${prefix}v:clone`,
				Buffer.concat([Buffer.from([1, 0]), new Packr({ structuredClone: true }).pack(cyclic())]),
			);
			expect(await cache.get('bomb')).toBeUndefined();
			expect(await cache.get('clone')).toBeUndefined();
			await cache.set('fine', { n: 1 });
			cache.getSync('fine');
			const stats = cache.stats().tiers[1];
			expect(stats?.errors).toBe(2);
			expect(stats?.up).toBe(true);
			const tooBig = new MultiTierCache({
				tiers: [new MemoryTier(), new RedisTier({ client, prefix, codec: { maxValueSize: 100 } })],
			});
			try {
				await expect(tooBig.set('big', { text: 'x'.repeat(1_000) })).rejects.toMatchObject({
					code: 'CACHE_VALUE_TOO_LARGE',
				});
				expect(tooBig.stats().tiers[1]?.up).toBe(true);
			} finally {
				await tooBig.close();
			}
		} finally {
			await cache.close();
		}
	});
});
