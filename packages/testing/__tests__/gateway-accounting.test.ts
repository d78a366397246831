import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
	GatewayCloseCodes,
	GatewayDispatchEvents,
	GatewayIntentBits,
	GatewayOpcodes,
	type RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import { MockDiscord, MockError } from '../src/index.js';
import { FaultInjector } from '../src/lib/faults/FaultInjector.js';
import { RawClient, call } from './helpers.js';

let discord: MockDiscord | undefined;
const clients: RawClient[] = [];
function client(mock: MockDiscord): RawClient {
	const c = new RawClient(mock.gatewayUrl);
	clients.push(c);
	return c;
}
afterEach(async () => {
	for (const c of clients.splice(0)) c.close();
	await discord?.stop();
	discord = undefined;
});

describe('identify accounting', () => {
	it('counts identifies against session_start_limit and enforces one identify per concurrency bucket per interval', async () => {
		discord = await MockDiscord.start({
			guilds: 2,
			sessionStartLimit: 3,
			maxConcurrency: 2,
			identifyIntervalMs: 60_000,
		});
		const mock = discord;
		const a = client(mock);
		a.identify(mock.token, 1, { shard: [0, 2] });
		await a.dispatch(GatewayDispatchEvents.Ready);
		const b = client(mock);
		b.identify(mock.token, 1, { shard: [1, 2] });
		await b.dispatch(GatewayDispatchEvents.Ready);
		// Shard 2 of 4 falls into bucket 0 again (2 % 2): too soon.
		const c = client(mock);
		c.identify(mock.token, 1, { shard: [2, 4] });
		expect((await c.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
		const info = await call<RESTGetAPIGatewayBotResult>(mock.apiBase, mock.token, 'GET', '/gateway/bot');
		expect(info.body.session_start_limit).toMatchObject({ total: 3, remaining: 1, max_concurrency: 2 });
		expect(mock.gateway.identify).toMatchObject({ accepted: 2, rejected: 1 });
		// The log says which IDENTIFY went where and when the gateway judged it.
		const log = mock.gateway.identifyLog;
		expect(log.map((entry) => [entry.shardId, entry.bucket, entry.accepted])).toEqual([
			[0, 0, true],
			[1, 1, true],
			[2, 0, false],
		]);
		const times = log.map((entry) => entry.at);
		expect(times).toEqual(times.toSorted((x, y) => x - y));
	});

	it('tells clients the public host it is reached at (behind a port forward), in every URL it hands out', async () => {
		discord = await MockDiscord.start({ guilds: 1, publicHost: 'localhost' });
		const port = discord.port;
		expect(discord.apiBase).toBe(`http://localhost:${port}/api`);
		expect(discord.gatewayUrl).toBe(`ws://localhost:${port}/gateway`);
		// The mock still listens on 127.0.0.1 (a forward would carry localhost's traffic there).
		const local = `127.0.0.1:${port}`;
		const info = await call<RESTGetAPIGatewayBotResult>(
			`http://${local}/api`,
			discord.token,
			'GET',
			'/gateway/bot',
		);
		expect(info.body.url).toBe(`ws://localhost:${port}/gateway`);
		const c = new RawClient(`ws://${local}/gateway`);
		clients.push(c);
		c.identify(discord.token);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		expect(ready.d.resume_gateway_url).toBe(`ws://localhost:${port}/gateway`);
	});

	it('answers INVALID_SESSION once the session start limit is used up', async () => {
		discord = await MockDiscord.start({ guilds: 1, sessionStartLimit: 1, identifyIntervalMs: 0 });
		const first = client(discord);
		first.identify(discord.token);
		await first.dispatch(GatewayDispatchEvents.Ready);
		const second = client(discord);
		second.identify(discord.token);
		expect((await second.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
	});

	it('routes guild events by shard: (guild_id >> 22) % shard_count', async () => {
		discord = await MockDiscord.start({ guilds: 6, membersPerGuild: 1, maxConcurrency: 2 });
		const mock = discord;
		const shards = [client(mock), client(mock)];
		shards.forEach((c, id) => {
			c.identify(mock.token, GatewayIntentBits.Guilds, { shard: [id, 2] });
		});
		const readies = await Promise.all(shards.map((c) => c.dispatch(GatewayDispatchEvents.Ready)));
		const ids = readies.map((r) => r.d.guilds.map((g) => g.id).sort());
		expect([...ids[0]!, ...ids[1]!].sort()).toEqual([...mock.world.guilds.keys()].sort());
		for (const [shard, list] of ids.entries()) {
			for (const id of list) expect(Number((BigInt(id) >> 22n) % 2n)).toBe(shard);
		}
	});

	it('closes with 4011 when one shard would hold too many guilds', async () => {
		discord = await MockDiscord.start({ guilds: 3, membersPerGuild: 0, maxGuildsPerShard: 2 });
		const c = client(discord);
		c.identify(discord.token);
		expect((await c.closed).code).toBe(GatewayCloseCodes.ShardingRequired);
	});

	it('closes with 4009 when the client stops heartbeating, and the session cannot be resumed', async () => {
		discord = await MockDiscord.start({ guilds: 1, heartbeatIntervalMs: 50 });
		const c = client(discord);
		c.identify(discord.token);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		expect((await c.closed).code).toBe(GatewayCloseCodes.SessionTimedOut);
		const r = client(discord);
		r.send({
			op: GatewayOpcodes.Resume,
			d: { token: discord.token, session_id: ready.d.session_id, seq: ready.s },
		});
		expect((await r.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
	});
});

describe('resume window', () => {
	it('answers INVALID_SESSION to a RESUME after resumeTimeoutMs', async () => {
		discord = await MockDiscord.start({ guilds: 1, resumeTimeoutMs: 1 });
		const c = client(discord);
		c.identify(discord.token);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		discord.gateway.closeAll(4000);
		await c.closed;
		await new Promise((resolve) => setTimeout(resolve, 20));
		const r = client(discord);
		r.send({
			op: GatewayOpcodes.Resume,
			d: { token: discord.token, session_id: ready.d.session_id, seq: ready.s },
		});
		expect((await r.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
		expect(discord.gateway.sessionsById.size).toBe(0);
	});
});

describe('member chunks and presences', () => {
	it('chunks members by 1,000 with the nonce and rate limits a repeat request within 30 s', async () => {
		discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 2500 });
		const guild = [...discord.world.guilds.values()][0]!;
		const c = client(discord);
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers);
		await c.dispatch(GatewayDispatchEvents.Ready);
		c.send({
			op: GatewayOpcodes.RequestGuildMembers,
			d: { guild_id: guild.id, query: '', limit: 0, nonce: 'n-1' },
		});
		const chunks = [];
		for (let i = 0; i < 3; i++) chunks.push(await c.dispatch(GatewayDispatchEvents.GuildMembersChunk));
		expect(chunks.map((chunk) => chunk.d.members.length)).toEqual([1000, 1000, 502]);
		expect(chunks.map((chunk) => [chunk.d.chunk_index, chunk.d.chunk_count, chunk.d.nonce])).toEqual([
			[0, 3, 'n-1'],
			[1, 3, 'n-1'],
			[2, 3, 'n-1'],
		]);
		c.send({
			op: GatewayOpcodes.RequestGuildMembers,
			d: { guild_id: guild.id, query: '', limit: 0, nonce: 'n-2' },
		});
		const limited = await c.dispatch(GatewayDispatchEvents.RateLimited);
		expect(limited.d).toMatchObject({
			opcode: GatewayOpcodes.RequestGuildMembers,
			meta: { guild_id: guild.id, nonce: 'n-2' },
		});
		expect(limited.d.retry_after).toBeGreaterThan(29);
	});

	it('looks members up by user_ids and reports not_found', async () => {
		discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 3 });
		const guild = [...discord.world.guilds.values()][0]!;
		const known = [...guild.members.keys()][0]!;
		const c = client(discord);
		c.identify(discord.token, GatewayIntentBits.Guilds);
		await c.dispatch(GatewayDispatchEvents.Ready);
		c.send({
			op: GatewayOpcodes.RequestGuildMembers,
			d: { guild_id: guild.id, user_ids: [known, '123456789012345678'] },
		});
		const chunk = await c.dispatch(GatewayDispatchEvents.GuildMembersChunk);
		expect(chunk.d.members.map((m) => m.user.id)).toEqual([known]);
		expect(chunk.d.not_found).toEqual(['123456789012345678']);
	});

	it('stores the bot presence (op 3) and dispatches member presences to GuildPresences sessions', async () => {
		discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 1 });
		const guild = [...discord.world.guilds.values()][0]!;
		const user = [...guild.members.keys()].find((id) => id !== discord!.botUser.id)!;
		const c = client(discord);
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildPresences);
		await c.dispatch(GatewayDispatchEvents.Ready);
		c.send({
			op: GatewayOpcodes.PresenceUpdate,
			d: { since: null, activities: [{ name: 'tests', type: 0 }], status: 'dnd', afk: false },
		});
		// Payloads are handled in order: once the heartbeat is ACKed, the presence was stored.
		c.send({ op: GatewayOpcodes.Heartbeat, d: null });
		await c.next((p) => p.op === GatewayOpcodes.HeartbeatAck);
		discord.world.setPresence(user, 'idle');
		const presence = await c.dispatch(GatewayDispatchEvents.PresenceUpdate);
		expect(presence.d).toMatchObject({ user: { id: user }, guild_id: guild.id, status: 'idle' });
		expect(discord.gateway.sessions[0]!.presence).toMatchObject({ status: 'dnd' });
	});
});

describe('waiting helpers', () => {
	it('waits for sessions and for a request, and times out with a typed error', async () => {
		discord = await MockDiscord.start({ guilds: 1 });
		const mock = discord;
		const sessions = mock.gateway.waitForSessions(1);
		const c = client(mock);
		c.identify(mock.token);
		expect((await sessions)[0]!.shardId).toBe(0);
		const request = mock.requests.waitFor('GET', '/users/@me');
		await call(mock.apiBase, mock.token, 'GET', '/users/@me');
		expect((await request).status).toBe(200);
		await expect(mock.requests.waitFor('POST', '/nope', 20)).rejects.toMatchObject({ code: 'MOCK_WAIT_TIMEOUT' });
		await expect(mock.gateway.waitForSessions(2, 20)).rejects.toMatchObject({ code: 'MOCK_WAIT_TIMEOUT' });
	});
});

describe('safety', () => {
	it('never prints the token and rejects bad options with typed errors', async () => {
		discord = await MockDiscord.start({ guilds: 0 });
		expect(inspect(discord)).not.toContain(discord.token);
		expect(inspect(discord)).toContain('[REDACTED]');
		await expect(MockDiscord.start({ port: -1 })).rejects.toBeInstanceOf(MockError);
		await expect(MockDiscord.start({ faults: { serverErrorRate: 2 } })).rejects.toMatchObject({
			code: 'MOCK_INVALID_OPTION',
		});
		await expect(MockDiscord.start({ gatewayFaults: { closeCodes: [1006] } })).rejects.toMatchObject({
			code: 'MOCK_INVALID_OPTION',
		});
		await expect(MockDiscord.start({ publicHost: 'a host/with a path' })).rejects.toMatchObject({
			code: 'MOCK_INVALID_OPTION',
		});
		expect(() => discord!.world.createChannel('123456789012345678' as never)).toThrow(MockError);
	});

	it('draws REST latency within the configured range, repeatably per seed', () => {
		const a = new FaultInjector(3, { latencyMs: [5, 10] });
		const b = new FaultInjector(3, { latencyMs: [5, 10] });
		const draws = Array.from({ length: 50 }, () => a.latency());
		expect(draws.every((ms) => ms >= 5 && ms <= 10)).toBe(true);
		expect(new Set(draws).size).toBeGreaterThan(1);
		expect(Array.from({ length: 50 }, () => b.latency())).toEqual(draws);
		expect(new FaultInjector(3, { latencyMs: 7 }).latency()).toBe(7);
	});

	it('resets connections when asked (seeded)', async () => {
		discord = await MockDiscord.start({ guilds: 0, faults: { connectionResetRate: 1 } });
		await expect(
			fetch(`${discord.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${discord.token}` } }),
		).rejects.toThrow();
		expect(discord.requests.last()).toMatchObject({ route: '/users/@me', status: 0 });
	});
});
