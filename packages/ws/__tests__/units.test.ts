import { describe, expect, it } from 'vitest';
import { GatewayError, GatewayCloseCodeTable, WebSocketManager, closeAction, describeCloseCode } from '../src/index.js';
import { fatalCloseError, parseGatewayInformation, peekHeader, privilegedIntentNames } from '../src/internal.js';

function fatalError(code: number, shardId: number, intents: number): GatewayError {
	const info = describeCloseCode(code);
	if (info.action !== 'fatal') throw new Error(`${code} is not fatal`);
	return fatalCloseError(info, shardId, intents);
}

describe('close codes', () => {
	it('maps every documented code to resume, identify or fatal', () => {
		for (const code of [4000, 4001, 4002, 4003, 4005, 4008, 1000, 1001, 1006])
			expect(closeAction(code)).toBe('resume');
		for (const code of [4007, 4009]) expect(closeAction(code)).toBe('identify');
		for (const code of [4004, 4010, 4011, 4012, 4013, 4014]) expect(closeAction(code)).toBe('fatal');
		for (const code of [1005, 1011, 4006, 4999]) expect(closeAction(code)).toBe('resume');
	});

	it('names every code once, with what it means', () => {
		const codes = Object.values(GatewayCloseCodeTable).map((info) => info.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect(describeCloseCode(4014)).toMatchObject({ action: 'fatal', error: 'GATEWAY_DISALLOWED_INTENTS' });
		for (const info of Object.values(GatewayCloseCodeTable)) expect(describeCloseCode(info.code)).toBe(info);
	});

	it('builds a typed error per fatal code saying what to fix', () => {
		const codes = Object.fromEntries(
			[4004, 4010, 4011, 4012, 4013, 4014].map((c) => [c, fatalError(c, 3, 1 << 8).code]),
		);
		expect(codes).toEqual({
			4004: 'GATEWAY_AUTHENTICATION_FAILED',
			4010: 'GATEWAY_INVALID_SHARD',
			4011: 'GATEWAY_SHARDING_REQUIRED',
			4012: 'GATEWAY_INVALID_API_VERSION',
			4013: 'GATEWAY_INVALID_INTENTS',
			4014: 'GATEWAY_DISALLOWED_INTENTS',
		});
		const error = fatalError(4014, 3, (1 << 1) | (1 << 8) | (1 << 15));
		expect(error).toBeInstanceOf(GatewayError);
		expect(error.name).toBe('GatewayError[GATEWAY_DISALLOWED_INTENTS]');
		expect(error.message).toContain('GuildMembers, GuildPresences, MessageContent');
		expect(error.message).toContain('Developer Portal');
		expect(error).toMatchObject({ shardId: 3, closeCode: 4014 });
		expect(privilegedIntentNames(1 | (1 << 9))).toEqual([]);
	});
});

describe('peekHeader (lazy decoding)', () => {
	it("reads Discord's t, s, op, d layout without parsing d", () => {
		expect(peekHeader('{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"nested":{"t":"X"}}}')).toEqual({
			t: 'MESSAGE_CREATE',
			s: 42,
			op: 0,
		});
		expect(peekHeader('{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}')).toEqual({
			t: null,
			s: null,
			op: 10,
		});
	});

	it('reads the op, d, s, t layout from the end', () => {
		expect(peekHeader('{"op":0,"d":{"content":"{\\"s\\":1}"},"s":7,"t":"TYPING_START"}')).toEqual({
			op: 0,
			s: 7,
			t: 'TYPING_START',
		});
	});

	it('returns null for any other layout (the caller parses in full)', () => {
		expect(peekHeader('{"d":{},"op":0,"s":1,"t":"X"}')).toBeNull();
		expect(peekHeader('{"op":0,"s":1,"t":"X","d":{"a":{"s":2,"t":"Y"}}}')).toBeNull();
		expect(peekHeader('not json')).toBeNull();
	});
});

describe('options and gateway information', () => {
	const base = { token: 'a-valid-looking-token', intents: 1, shardCount: 1 } as const;
	it.each([
		[{ token: '' }, '`token`'],
		[{ token: 'Bot abcdefghijkl' }, '"Bot "'],
		[{ intents: -1 }, '`intents`'],
		[{ shardCount: 0 }, '`shardCount`'],
		[{ shardCount: 'auto' as const }, 'needs `rest` or `fetchGatewayInformation`'],
		[{ shardIds: [0, 0] }, 'twice'],
		[{ shardIds: [1] }, 'must be in [0, 1)'],
		[{ compression: 'gzip' as never }, '`compression`'],
		[{ largeThreshold: 10 }, '`largeThreshold`'],
		[{ gatewayUrl: 'http://x' }, '`gatewayUrl`'],
		[{ reconnectBackoff: { initial: 10, max: 1 } }, '`reconnectBackoff`'],
	])('rejects %j with GATEWAY_INVALID_OPTION', (bad, message) => {
		expect(() => new WebSocketManager({ ...base, ...bad })).toThrow(
			expect.objectContaining({
				code: 'GATEWAY_INVALID_OPTION',
				message: expect.stringContaining(message) as string,
			}),
		);
	});

	it('checks GET /gateway/bot and converts it', () => {
		expect(
			parseGatewayInformation({
				url: 'wss://gateway.discord.gg',
				shards: 9,
				session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
			}),
		).toEqual({
			url: 'wss://gateway.discord.gg',
			shards: 9,
			sessionStartLimit: { total: 1000, remaining: 999, resetAfter: 14_400_000, maxConcurrency: 1 },
		});
		expect(() => parseGatewayInformation({ url: 'x', shards: 1 })).toThrow(
			expect.objectContaining({ code: 'GATEWAY_INVALID_GATEWAY_INFORMATION' }),
		);
	});

	it('refuses to send or request members before connect, with typed errors', async () => {
		const manager = new WebSocketManager(base);
		await expect(manager.send(0, { op: 3, d: {} })).rejects.toMatchObject({ code: 'GATEWAY_NOT_CONNECTED' });
		expect(() => manager.requestGuildMembers({ guildId: '81384788765712384' as never })).toThrow(
			expect.objectContaining({ code: 'GATEWAY_NOT_CONNECTED' }),
		);
		await manager.destroy();
	});
});
