import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
	GatewayError,
	type GatewayDispatch,
	type GatewayErrorCode,
	GatewayErrorMessages,
	type IdentifyThrottler,
	type SessionInfo,
	type ShardStatus,
	WebSocketManager,
	type WebSocketManagerOptions,
} from '../src/index.js';
import { FakeGateway, type FakeGatewayOptions, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

const instant: IdentifyThrottler = { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() };

async function setup(gwOptions: FakeGatewayOptions = {}, options: Partial<WebSocketManagerOptions> = {}) {
	const gw = await FakeGateway.start(gwOptions);
	const manager = new WebSocketManager({
		token: gw.token,
		intents: 513,
		shardCount: 1,
		gatewayUrl: gw.url,
		reconnectBackoff: { initial: 10, max: 50 },
		identifyThrottler: instant,
		...options,
	});
	const events: GatewayDispatch[] = [];
	manager.on('dispatch', (e) => events.push(e));
	cleanup.push(() => gw.stop());
	cleanup.push(() => manager.destroy());
	return { gw, manager, events };
}

/** The `n` of every MESSAGE_CREATE received, in order. */
function numbers(events: readonly GatewayDispatch[]): number[] {
	return events.filter((e) => e.t === 'MESSAGE_CREATE').map((e) => (e.d as { n: number }).n);
}

const seq = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('WebSocketManager against an in-test gateway', () => {
	it('identifies with token, shard and intents, and delivers dispatches in order', async () => {
		const { gw, manager, events } = await setup();
		const progress: unknown[] = [];
		manager.on('progress', (p) => progress.push(p));
		await manager.connect();
		expect(gw.identifies).toEqual([{ shardId: 0, shardCount: 1, token: gw.token, intents: 513 }]);
		expect(events.map((e) => e.t).slice(0, 2)).toEqual(['READY', 'GUILD_CREATE']);
		for (let n = 0; n < 100; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => numbers(events).length === 100);
		expect(numbers(events)).toEqual(seq(0, 100));
		expect(progress.at(-1)).toEqual({ identified: 1, ready: 1, total: 1, shardCount: 1 });
		expect(inspect(manager)).not.toContain(gw.token);
	});

	it('resumes after network loss: no event lost or duplicated, even when Discord over-replays', async () => {
		const { gw, manager, events } = await setup({ overReplay: 5 });
		const resumed: number[] = [];
		manager.on('resumed', (e) => resumed.push(e.replayed));
		await manager.connect();
		for (let n = 0; n < 50; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => numbers(events).length === 50);
		gw.terminateAll();
		for (let n = 50; n < 100; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => resumed.length === 1, 10_000, 'resume');
		for (let n = 100; n < 150; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => numbers(events).length >= 150);
		expect(numbers(events)).toEqual(seq(0, 150));
		expect(gw.identifies).toHaveLength(1);
		expect(gw.resumes).toHaveLength(1);
		expect(resumed[0]).toBe(50);
		const [status] = await manager.fetchStatus();
		expect(status?.duplicates).toBe(5);
	});

	it('resumes on op 7 RECONNECT and on resumable close codes', async () => {
		const { gw, manager, events } = await setup();
		let resumes = 0;
		manager.on('resumed', () => resumes++);
		await manager.connect();
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 0 });
		gw.sendOp(7, null);
		await until(() => resumes === 1);
		for (const code of [4000, 4001, 4002, 4003, 4005, 4008]) {
			gw.closeAll(code);
			gw.dispatch(0, 'MESSAGE_CREATE', { n: resumes });
			await until(
				() => resumes === 1 + [4000, 4001, 4002, 4003, 4005, 4008].indexOf(code) + 1,
				10_000,
				`resume after ${code}`,
			);
		}
		await until(() => numbers(events).length === 7);
		expect(numbers(events)).toEqual(seq(0, 7));
		expect(gw.identifies).toHaveLength(1);
	});

	it('op 9 with d=true resumes; with d=false reports the lost session and identifies afresh after 1–5 s', async () => {
		const { gw, manager, events } = await setup();
		const lost: unknown[] = [];
		let resumes = 0;
		manager.on('sessionLost', (e) => lost.push(e));
		manager.on('resumed', () => resumes++);
		await manager.connect();
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 0 });
		await until(() => numbers(events).length === 1);
		gw.sendOp(9, true);
		await until(() => resumes === 1);
		expect(gw.identifies).toHaveLength(1);
		const before = Date.now();
		gw.sendOp(9, false);
		await until(() => gw.identifies.length === 2, 8_000, 'second identify');
		expect(Date.now() - before).toBeGreaterThanOrEqual(950);
		expect(lost).toEqual([
			{ type: 'sessionLost', shardId: 0, lastSequence: 4, reason: 'invalid session (not resumable)' },
		]);
		await until(() => events.filter((e) => e.t === 'READY').length === 2);
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 1 });
		await until(() => numbers(events).length === 2);
		expect(numbers(events)).toEqual([0, 1]);
	});

	it('4007 and 4009 start a new session (reported), not a resume', async () => {
		const { gw, manager } = await setup();
		const lost: string[] = [];
		manager.on('sessionLost', (e) => lost.push(e.reason));
		await manager.connect();
		gw.closeAll(4007);
		await until(() => gw.identifies.length === 2);
		gw.closeAll(4009);
		await until(() => gw.identifies.length === 3);
		expect(gw.resumes).toHaveLength(0);
		expect(lost).toEqual(['closed with 4007', 'closed with 4009']);
	});

	it('detects a zombie connection (no ACK) and resumes on a new connection', async () => {
		const { gw, manager, events } = await setup({ heartbeatInterval: 150 });
		const closed: number[] = [];
		manager.on('closed', (e) => {
			closed.push(e.code);
			gw.withholdAcks = false;
		});
		const latencies: number[] = [];
		manager.on('heartbeat', (e) => latencies.push(e.latency));
		await manager.connect();
		await until(() => latencies.length >= 1);
		gw.withholdAcks = true;
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 0 });
		await until(() => gw.resumes.length === 1, 5_000, 'zombie resume');
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 1 });
		await until(() => numbers(events).length === 2);
		expect(numbers(events)).toEqual([0, 1]);
		expect(closed[0]).not.toBe(1000);
		expect(gw.identifies).toHaveLength(1);
	});

	it('fails fast with typed errors on fatal close codes and never reconnects', async () => {
		const { gw, manager } = await setup({}, { token: 'wrong-token-abcdefghijklmnop' });
		const err = await manager.connect().catch((error: unknown) => error);
		expect(err).toBeInstanceOf(GatewayError);
		expect(err).toMatchObject({ code: 'GATEWAY_AUTHENTICATION_FAILED', closeCode: 4004, shardId: 0 });
		expect((err as Error).message).not.toContain('wrong-token-abcdefghijklmnop');
		await new Promise((r) => setTimeout(r, 200));
		expect(gw.identifies).toHaveLength(1);

		const second = await setup({}, { intents: (1 << 1) | (1 << 15) | 1 });
		second.gw.rejectCode = 4014;
		const errors: GatewayError[] = [];
		second.manager.on('error', (e) => errors.push(e.error));
		const disallowed = await second.manager.connect().catch((error: unknown) => error);
		expect(disallowed).toMatchObject({
			code: 'GATEWAY_DISALLOWED_INTENTS',
			privilegedIntents: ['GuildMembers', 'MessageContent'],
		});
		expect((disallowed as Error).message).toContain('GuildMembers, MessageContent');
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_DISALLOWED_INTENTS']);
		const [status] = await second.manager.fetchStatus();
		expect(status?.status).toBe('failed');
	});

	it('speaks zlib-stream (one inflate context, payloads split across messages)', async () => {
		const { gw, manager, events } = await setup({}, { compression: 'zlib-stream' });
		await manager.connect();
		for (let n = 0; n < 200; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n, content: 'x'.repeat(n * 50) });
		await until(() => numbers(events).length === 200);
		expect(numbers(events)).toEqual(seq(0, 200));
		gw.terminateAll();
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 200 });
		await until(() => numbers(events).length === 201);
		expect(numbers(events)).toEqual(seq(0, 201));
		// The resume went to resume_gateway_url with the same version, encoding and compression.
		expect(gw.paths).toEqual([
			'/?v=10&encoding=json&compress=zlib-stream',
			'/resume-here?v=10&encoding=json&compress=zlib-stream',
		]);
		expect(gw.resumes).toHaveLength(1);
	});

	it('skips unwanted events without delivering them, counting them', async () => {
		const { gw, manager, events } = await setup({}, { dispatchEvents: ['MESSAGE_CREATE'] });
		await manager.connect();
		for (let n = 0; n < 10; n++) gw.dispatch(0, 'TYPING_START', { n });
		for (let n = 0; n < 5; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => numbers(events).length === 5);
		expect(events.map((e) => e.t)).toEqual(Array(5).fill('MESSAGE_CREATE'));
		const [status] = await manager.fetchStatus();
		expect(status?.skipped).toBe(12);
		expect(status?.sequence).toBe(17);
	});

	it('asks a dispatchEvents function for every dispatch, so what is wanted can change while the shard runs', async () => {
		let typing = false;
		const { gw, manager, events } = await setup(
			{},
			{ dispatchEvents: (t: string) => t === 'MESSAGE_CREATE' || (typing && t === 'TYPING_START') },
		);
		await manager.connect();
		for (let n = 0; n < 3; n++) gw.dispatch(0, 'TYPING_START', { n });
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 3 });
		await until(() => numbers(events).length === 1);
		typing = true;
		gw.dispatch(0, 'TYPING_START', { n: 4 });
		gw.dispatch(0, 'MESSAGE_CREATE', { n: 5 });
		await until(() => events.length === 3);
		expect(events.map((e) => [e.t, (e.d as { n: number }).n])).toEqual([
			['MESSAGE_CREATE', 3],
			['TYPING_START', 4],
			['MESSAGE_CREATE', 5],
		]);
		const [status] = await manager.fetchStatus();
		// READY and GUILD_CREATE are not wanted either (the manager uses READY itself): 2 + 3 typing events skipped.
		expect(status?.skipped).toBe(5);
	});

	it('persists the session and resumes it from a new manager instead of identifying', async () => {
		const store = new Map<number, SessionInfo>();
		const hooks = {
			retrieveSessionInfo: (id: number) => store.get(id) ?? null,
			updateSessionInfo: (id: number, info: SessionInfo | null) => {
				if (info === null) store.delete(id);
				else store.set(id, info);
			},
		};
		const { gw, manager, events } = await setup({}, hooks);
		await manager.connect();
		for (let n = 0; n < 10; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		await until(() => numbers(events).length === 10);
		await manager.destroy({ keepSession: true });
		expect(store.get(0)?.sequence).toBe(12);
		for (let n = 10; n < 15; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		const next = new WebSocketManager({
			token: gw.token,
			intents: 513,
			shardCount: 1,
			gatewayUrl: gw.url,
			identifyThrottler: instant,
			...hooks,
		});
		cleanup.push(() => next.destroy());
		const later: GatewayDispatch[] = [];
		next.on('dispatch', (e) => later.push(e));
		await next.connect();
		await until(() => numbers(later).length === 5);
		expect(numbers(later)).toEqual(seq(10, 15));
		expect(gw.identifies).toHaveLength(1);
		expect(gw.resumes).toEqual([{ sessionId: store.get(0)?.sessionId, seq: 12 }]);
	});

	it('requests guild members as a promise and as an async iterator, retrying after RATE_LIMITED', async () => {
		const { gw, manager } = await setup({}, { dispatchEvents: ['MESSAGE_CREATE'] });
		await manager.connect();
		const guildId = gw.guilds[0] as never;
		const result = await manager.requestGuildMembers({ guildId, limit: 0 });
		expect(result.members).toHaveLength(3);
		expect(result.chunkCount).toBe(3);
		expect(result.notFound).toEqual(['999']);
		gw.rateLimitNextMemberRequest = true;
		const indexes: number[] = [];
		for await (const chunk of manager.requestGuildMembersIterator({ guildId, query: 'a', limit: 10 }))
			indexes.push(chunk.chunkIndex);
		expect(indexes).toEqual([0, 1, 2]);
		const requests = gw.received.filter((p) => (p as { op: number }).op === 8);
		expect(requests).toHaveLength(3);
		await expect(manager.requestGuildMembers({ guildId, nonce: 'x'.repeat(33) })).rejects.toMatchObject({
			code: 'GATEWAY_INVALID_OPTION',
		});
	});

	it('sends payloads through the queue and refuses managed opcodes', async () => {
		const { gw, manager } = await setup();
		await manager.connect();
		await manager.send(0, { op: 3, d: { since: null, activities: [], status: 'idle', afk: false } });
		await until(() => gw.received.some((p) => (p as { op: number }).op === 3));
		await expect(manager.send(0, { op: 2, d: {} })).rejects.toMatchObject({ code: 'GATEWAY_INVALID_PAYLOAD' });
		await expect(manager.send(5, { op: 3, d: {} })).rejects.toMatchObject({ code: 'GATEWAY_UNKNOWN_SHARD' });
		await expect(manager.send(0, { op: 3, d: { big: 'x'.repeat(5_000) } })).rejects.toMatchObject({
			code: 'GATEWAY_INVALID_PAYLOAD',
		});
		await expect(manager.send(0, { op: 'three' as never, d: {} })).rejects.toMatchObject({
			code: 'GATEWAY_INVALID_PAYLOAD',
		});
	});

	it('holds payloads past the send limit in the queue and rejects them, never drops them, on destroy', async () => {
		const { gw, manager } = await setup();
		let closes = 0;
		manager.on('closed', () => closes++);
		await manager.connect();
		const presence = { op: 3, d: { since: null, activities: [], status: 'online', afk: false } };
		const results = Array.from({ length: 130 }, () =>
			manager.send(0, presence).then(
				() => 'sent',
				(error: unknown) => (error as GatewayError).code,
			),
		);
		// 120 per window, 3 kept for heartbeats (41.25 s interval), 1 taken by IDENTIFY: 116 go now.
		await until(
			() => gw.received.filter((p) => (p as { op: number }).op === 3).length === 116,
			5_000,
			'116 payloads',
		);
		await new Promise((r) => setTimeout(r, 200));
		expect(gw.received.filter((p) => (p as { op: number }).op === 3)).toHaveLength(116);
		expect(closes).toBe(0);
		await manager.destroy();
		const outcome = await Promise.all(results);
		expect(outcome.filter((r) => r === 'sent')).toHaveLength(116);
		expect(outcome.filter((r) => r === 'GATEWAY_DESTROYED')).toHaveLength(14);
	});

	it.each([
		[4010, 'GATEWAY_INVALID_SHARD'],
		[4011, 'GATEWAY_SHARDING_REQUIRED'],
		[4012, 'GATEWAY_INVALID_API_VERSION'],
		[4013, 'GATEWAY_INVALID_INTENTS'],
	])('close %i is fatal: %s, no reconnect', async (code, expectedCode) => {
		const { gw, manager } = await setup();
		gw.rejectCode = code;
		const closed: boolean[] = [];
		manager.on('closed', (e) => closed.push(e.willReconnect));
		await expect(manager.connect()).rejects.toMatchObject({ code: expectedCode, closeCode: code, shardId: 0 });
		await new Promise((r) => setTimeout(r, 150));
		expect(gw.identifies).toHaveLength(1);
		expect(closed).toEqual([false]);
	});
});

describe('the shard lifecycle', () => {
	it('walks connecting → waiting-identify → identifying → ready, and reconnecting → connecting → resuming → ready after network loss', async () => {
		const { gw, manager } = await setup();
		const statuses: ShardStatus[] = [];
		manager.on('status', ({ status }) => statuses.push(status));
		await manager.connect();
		expect(statuses).toEqual(['connecting', 'waiting-identify', 'identifying', 'ready']);
		statuses.length = 0;
		gw.terminateAll();
		await until(() => statuses.at(-1) === 'ready', 5_000, 'resumed');
		expect(statuses).toEqual(['reconnecting', 'connecting', 'resuming', 'ready']);
		statuses.length = 0;
		await manager.destroy();
		expect(statuses).toEqual(['destroyed']);
		expect((await manager.fetchStatus()).map((s) => s.status)).toEqual(['destroyed']);
	});
});

describe('GatewayError codes: one meaning each', () => {
	function errorsOf(manager: WebSocketManager): { code: GatewayErrorCode; fatal: boolean; message: string }[] {
		const errors: { code: GatewayErrorCode; fatal: boolean; message: string }[] = [];
		manager.on('error', ({ error, fatal }) => errors.push({ code: error.code, fatal, message: error.message }));
		return errors;
	}

	it('builds every code from its one message', () => {
		const error = GatewayError.of('GATEWAY_READY_TIMEOUT', [2, true, 15_000], { shardId: 2 });
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({
			code: 'GATEWAY_READY_TIMEOUT',
			name: 'GatewayError[GATEWAY_READY_TIMEOUT]',
			shardId: 2,
		});
		expect(error.message).toBe(GatewayErrorMessages.GATEWAY_READY_TIMEOUT(2, true, 15_000));
		expect(error.message).toContain('readyTimeout');
	});

	it('refuses a second connect() with GATEWAY_ALREADY_CONNECTED, not an option error', async () => {
		const { manager } = await setup();
		const first = manager.connect();
		await expect(manager.connect()).rejects.toMatchObject({ code: 'GATEWAY_ALREADY_CONNECTED' });
		await first;
	});

	it('reports a throwing session hook as GATEWAY_HOOK_FAILED and still connects', async () => {
		const { manager } = await setup(
			{},
			{
				retrieveSessionInfo: () => {
					throw new Error('store down');
				},
				updateSessionInfo: () => Promise.reject(new Error('store down')),
			},
		);
		const errors = errorsOf(manager);
		await manager.connect();
		await until(() => errors.length >= 2, 5_000, 'both hooks reported');
		expect(errors.every((e) => e.code === 'GATEWAY_HOOK_FAILED' && !e.fatal)).toBe(true);
		expect(errors.some((e) => e.message.includes('retrieveSessionInfo'))).toBe(true);
		expect(errors.some((e) => e.message.includes('updateSessionInfo'))).toBe(true);
	});

	it('reports a failing identify throttler as GATEWAY_IDENTIFY_THROTTLER_FAILED and retries', async () => {
		let calls = 0;
		const throttler: IdentifyThrottler = {
			setLimits: () => undefined,
			waitForIdentify: () => (++calls === 1 ? Promise.reject(new Error('throttler down')) : Promise.resolve()),
		};
		const { gw, manager } = await setup({}, { identifyThrottler: throttler });
		const errors = errorsOf(manager);
		await manager.connect();
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_IDENTIFY_THROTTLER_FAILED']);
		expect(calls).toBe(2);
		expect(gw.identifies).toHaveLength(1);
	});
});
