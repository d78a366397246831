import { describe, expect, it } from 'vitest';
import {
	asChannelId,
	asGuildId,
	asSnowflake,
	asThreadId,
	asUserId,
	compareSnowflakes,
	deconstructSnowflake,
	isSnowflake,
	shardIdForGuild,
	snowflakeDate,
	snowflakeFromDate,
	snowflakeTimestamp,
	SnowflakeKinds,
	splitSnowflake,
	sortSnowflakes,
	TypesError,
	OvenError,
	uncheckedSnowflake,
} from '@ovenjs/types';

// Discord's documented example: 175928847299117063 → 2016-04-30T11:18:25.796Z, worker 1, process 0, increment 7.
const DOC_ID = '175928847299117063';

describe('snowflake validation', () => {
	it('accepts decimal 64-bit snowflakes and bigints', () => {
		expect(asUserId(DOC_ID)).toBe(DOC_ID);
		expect(asGuildId(175928847299117063n)).toBe(DOC_ID);
		expect(asUserId('0')).toBe('0');
		expect(asUserId('18446744073709551615')).toBe('18446744073709551615');
	});

	it.each([
		['negative', '-1'],
		['too large', '18446744073709551616'],
		['leading zero', '0123'],
		['hex', '0x10'],
		['empty', ''],
		['spaces', ' 123'],
		['float', '1.5'],
		['number', 175928847299117060],
		['null', null],
		['object', {}],
		['negative bigint', -5n],
	])('rejects %s with a typed error', (_label, raw) => {
		let caught: unknown;
		try {
			asUserId(raw);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TypesError);
		expect(caught).toBeInstanceOf(OvenError);
		expect(caught).toMatchObject({ code: 'TYPES_INVALID_SNOWFLAKE', name: 'TypesError[TYPES_INVALID_SNOWFLAKE]' });
		expect((caught as Error).message).toMatch(/Expected a User ID \(a decimal 64-bit snowflake/);
	});

	it('round-trips every brand', () => {
		for (const kind of SnowflakeKinds) {
			const id = asSnowflake(kind, DOC_ID);
			expect(id).toBe(DOC_ID);
			expect(isSnowflake(id)).toBe(true);
			expect(asSnowflake(kind, BigInt(id))).toBe(id);
		}
		expect(asThreadId(DOC_ID)).toBe(DOC_ID);
		expect(asChannelId(asThreadId(DOC_ID))).toBe(DOC_ID);
		expect(uncheckedSnowflake('Message', DOC_ID)).toBe(DOC_ID);
	});
});

describe('isSnowflake', () => {
	/** The definition: decimal digits without leading zeros, at most 2^64 - 1. */
	const reference = (value: string): boolean =>
		/^(?:0|[1-9]\d{0,19})$/.test(value) && BigInt(value) <= 0xffff_ffff_ffff_ffffn;

	it('agrees with the definition on edge cases and on seeded random strings', () => {
		const edges = [
			'0',
			'00',
			'01',
			'1',
			'9',
			'',
			' 1',
			'1 ',
			'+1',
			'-1',
			'1e3',
			'1.0',
			'18446744073709551615',
			'18446744073709551616',
			'99999999999999999999',
			'100000000000000000000',
			'10000000000000000000',
			'١٢٣',
		];
		let seed = 7;
		const random = (): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 4_294_967_296;
		const alphabet = '0123456789012345678901234567890123456789a -';
		for (let i = 0; i < 5000; i++) {
			let text = '';
			const length = Math.floor(random() * 22);
			for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)] ?? '';
			edges.push(text);
		}
		for (const value of edges) expect([value, isSnowflake(value)]).toEqual([value, reference(value)]);
		expect(isSnowflake(175_928_847)).toBe(false);
		expect(isSnowflake(null)).toBe(false);
	});
});

describe('snowflake utilities', () => {
	it("deconstructs Discord's documented example", () => {
		const id = asUserId(DOC_ID);
		expect(snowflakeTimestamp(id)).toBe(1_462_015_105_796);
		expect(snowflakeDate(id).toISOString()).toBe('2016-04-30T11:18:25.796Z');
		expect(deconstructSnowflake(id)).toEqual({
			timestamp: 1_462_015_105_796,
			workerId: 1,
			processId: 0,
			increment: 7,
		});
	});

	it('builds the smallest snowflake of a date and rejects pre-epoch dates', () => {
		const id = snowflakeFromDate('Message', new Date('2016-04-30T11:18:25.796Z'));
		expect(snowflakeTimestamp(id)).toBe(1_462_015_105_796);
		expect(deconstructSnowflake(id).increment).toBe(0);
		expect(() => snowflakeFromDate('Message', new Date('2014-12-31T00:00:00Z'))).toThrow(TypesError);
	});

	it('compares and sorts numerically, not lexically', () => {
		const a = asUserId('99');
		const b = asUserId('100');
		expect(compareSnowflakes(a, b)).toBe(-1);
		expect(compareSnowflakes(b, a)).toBe(1);
		expect(compareSnowflakes(a, asUserId('99'))).toBe(0);
		expect(compareSnowflakes(asUserId('200'), asUserId('100'))).toBe(1);
		expect(sortSnowflakes([b, asUserId('5'), a])).toEqual(['5', '99', '100']);
	});

	it('computes the shard of a guild as (id >> 22) % shards', () => {
		const guild = asGuildId('41771983423143937');
		const expected = Number((41771983423143937n >> 22n) % 16n);
		expect(shardIdForGuild(guild, 16)).toBe(expected);
		expect(shardIdForGuild(guild, 1)).toBe(0);
		expect(() => shardIdForGuild(guild, 0)).toThrow(/positive integer/);
	});

	it('reads timestamp, worker, process, increment and shard from the 32-bit halves exactly as BigInt does', () => {
		let seed = 3;
		const ids = ['0', '1', '4194303', '4194304', '18446744073709551615', DOC_ID];
		for (let i = 0; i < 3_000; i++) {
			let id = '';
			const length = 1 + (i % 20);
			for (let j = 0; j < length; j++) {
				seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
				id += String(j === 0 && length > 1 ? 1 + (seed % 9) : seed % 10);
			}
			if (BigInt(id) < 1n << 64n) ids.push(id);
		}
		for (const raw of ids) {
			const value = BigInt(raw);
			const id = uncheckedSnowflake('Guild', raw);
			expect(snowflakeTimestamp(id), raw).toBe(Number((value >> 22n) + 1_420_070_400_000n));
			expect(deconstructSnowflake(id), raw).toEqual(deconstructSnowflake(value));
			for (const shards of [1, 7, 16, 1_000])
				expect(shardIdForGuild(id, shards), `${raw} / ${shards}`).toBe(Number((value >> 22n) % BigInt(shards)));
		}
		const out = new Uint32Array(2);
		expect(splitSnowflake(DOC_ID, out)).toBe(true);
		expect((BigInt(out[1] ?? 0) << 32n) | BigInt(out[0] ?? 0)).toBe(BigInt(DOC_ID));
	});
});
