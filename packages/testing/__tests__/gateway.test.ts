import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { MockDiscord } from '../src/index.js';
import { RawClient } from './helpers.js';

let discord: MockDiscord;
const clients: RawClient[] = [];
function client(...args: ConstructorParameters<typeof RawClient> extends [string, ...infer R] ? R : never): RawClient {
	const c = new RawClient(discord.gatewayUrl, ...args);
	clients.push(c);
	return c;
}

beforeEach(async () => {
	discord = await MockDiscord.start({ guilds: 2, membersPerGuild: 3, identifyIntervalMs: 0 });
});
afterEach(async () => {
	for (const c of clients.splice(0)) c.close();
	await discord.stop();
});

describe('handshake', () => {
	it('sends HELLO, ACKs heartbeats, and answers IDENTIFY with READY then GUILD_CREATE per guild', async () => {
		const c = client();
		const hello = await c.next((p) => p.op === GatewayOpcodes.Hello);
		expect(hello.op === GatewayOpcodes.Hello && hello.d.heartbeat_interval).toBe(41_250);
		c.send({ op: 1, d: null });
		await c.next((p) => p.op === GatewayOpcodes.HeartbeatAck);
		c.identify(discord.token);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		expect(ready.s).toBe(1);
		expect(ready.d.user.id).toBe(discord.botUser.id);
		expect(ready.d.session_id).toMatch(/^[0-9a-f]{32}$/);
		expect(ready.d.resume_gateway_url).toBe(discord.gatewayUrl);
		expect(ready.d.shard).toEqual([0, 1]);
		expect(ready.d.application.id).toBe(discord.application.id);
		expect(ready.d.guilds.map((g) => g.id).sort()).toEqual([...discord.world.guilds.keys()].sort());
		const first = await c.dispatch(GatewayDispatchEvents.GuildCreate);
		const second = await c.dispatch(GatewayDispatchEvents.GuildCreate);
		expect([first.d.id, second.d.id].sort()).toEqual([...discord.world.guilds.keys()].sort());
		expect(first.d.channels).toHaveLength(3);
		expect(first.d.members.length).toBe(5);
		expect(first.s).toBe(2);
	});

	it('delivers a scenario message as MESSAGE_CREATE with guild_id and member', async () => {
		const c = client();
		c.identify(
			discord.token,
			GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
		);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const guild = [...discord.world.guilds.values()][0]!;
		const channelId = [...guild.channels][0]!;
		const author = [...guild.members.keys()].find((id) => id !== discord.botUser.id)!;
		discord.world.sendMessage(channelId, author, 'hello bot');
		const message = await c.dispatch(GatewayDispatchEvents.MessageCreate);
		expect(message.d).toMatchObject({
			channel_id: channelId,
			guild_id: guild.id,
			content: 'hello bot',
			author: { id: author },
		});
		expect(message.d.member?.roles).toEqual([]);
	});

	it('strips message content without the MessageContent intent and filters by intents', async () => {
		const c = client();
		c.identify(discord.token, GatewayIntentBits.GuildMessages);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const guild = [...discord.world.guilds.values()][0]!;
		const channelId = [...guild.channels][0]!;
		discord.world.createRole(guild.id, { name: 'no-guilds-intent' });
		const author = [...guild.members.keys()].find((id) => id !== discord.botUser.id)!;
		discord.world.sendMessage(channelId, author, 'secret');
		const message = await c.dispatch(GatewayDispatchEvents.MessageCreate);
		expect(message.d.content).toBe('');
		expect(
			c.received.some(
				(p) =>
					't' in p &&
					(p.t === GatewayDispatchEvents.GuildRoleCreate || p.t === GatewayDispatchEvents.GuildCreate),
			),
		).toBe(false);
	});
});

describe('close codes', () => {
	const cases: [string, (c: RawClient) => void, number][] = [
		[
			'4004 on a bad token',
			(c) => {
				c.identify('not-the-token');
			},
			GatewayCloseCodes.AuthenticationFailed,
		],
		[
			'4013 on invalid intents',
			(c) => {
				c.identify(discord.token, 1 << 30);
			},
			GatewayCloseCodes.InvalidIntents,
		],
		[
			'4010 on a bad shard',
			(c) => {
				c.identify(discord.token, 1, { shard: [2, 2] });
			},
			GatewayCloseCodes.InvalidShard,
		],
		[
			'4003 before identifying',
			(c) => {
				c.send({ op: 3, d: { since: null, activities: [], status: 'online', afk: false } });
			},
			GatewayCloseCodes.NotAuthenticated,
		],
		[
			'4001 on an unknown opcode',
			(c) => {
				c.send({ op: 42, d: null });
			},
			GatewayCloseCodes.UnknownOpcode,
		],
		[
			'4002 on invalid JSON',
			(c) => {
				c.sendRaw('{nope');
			},
			GatewayCloseCodes.DecodeError,
		],
		[
			'4002 on a payload over 4096 bytes',
			(c) => {
				c.send({ op: 1, d: null, pad: 'x'.repeat(5000) });
			},
			GatewayCloseCodes.DecodeError,
		],
	];
	for (const [name, act, code] of cases) {
		it(name, async () => {
			const c = client();
			await c.next((p) => p.op === GatewayOpcodes.Hello);
			act(c);
			expect((await c.closed).code).toBe(code);
		});
	}

	it('4014 on privileged intents the application lacks', async () => {
		await discord.stop();
		discord = await MockDiscord.start({ guilds: 1, privilegedIntents: 0 });
		const c = client();
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent);
		expect((await c.closed).code).toBe(GatewayCloseCodes.DisallowedIntents);
	});

	it('4005 when identifying twice', async () => {
		const c = client();
		c.identify(discord.token);
		await c.dispatch(GatewayDispatchEvents.Ready);
		c.identify(discord.token);
		expect((await c.closed).code).toBe(GatewayCloseCodes.AlreadyAuthenticated);
	});

	it('4012 on an unsupported API version', async () => {
		const c = client('v=3&encoding=json');
		expect((await c.closed).code).toBe(GatewayCloseCodes.InvalidAPIVersion);
	});

	it('closeAll closes every connection with the given code', async () => {
		const c = client();
		c.identify(discord.token);
		await c.dispatch(GatewayDispatchEvents.Ready);
		expect(discord.gateway.closeAll(4000)).toBe(1);
		expect((await c.closed).code).toBe(4000);
	});
});

describe('resume', () => {
	it('replays the events missed after the client sequence, then RESUMED', async () => {
		const c = client();
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		await c.dispatch(GatewayDispatchEvents.GuildCreate);
		const last = await c.dispatch(GatewayDispatchEvents.GuildCreate);
		discord.gateway.closeAll(4000);
		await c.closed;
		const guild = [...discord.world.guilds.values()][0]!;
		const channelId = [...guild.channels][0]!;
		const author = [...guild.members.keys()].find((id) => id !== discord.botUser.id)!;
		discord.world.sendMessage(channelId, author, 'while you were away');
		const r = client();
		r.send({ op: 6, d: { token: discord.token, session_id: ready.d.session_id, seq: last.s } });
		const missed = await r.dispatch(GatewayDispatchEvents.MessageCreate);
		expect(missed.s).toBe(last.s + 1);
		const resumed = await r.dispatch(GatewayDispatchEvents.Resumed);
		expect(resumed.s).toBe(last.s + 2);
	});

	it('answers INVALID_SESSION (false) for an unknown session and 4007 for a future sequence', async () => {
		const c = client();
		c.send({ op: 6, d: { token: discord.token, session_id: 'nope', seq: 1 } });
		expect((await c.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
		const a = client();
		a.identify(discord.token);
		const ready = await a.dispatch(GatewayDispatchEvents.Ready);
		a.close(4000);
		await a.closed;
		const b = client();
		b.send({ op: 6, d: { token: discord.token, session_id: ready.d.session_id, seq: 999 } });
		expect((await b.closed).code).toBe(GatewayCloseCodes.InvalidSeq);
	});

	it('does not resume a session the client closed with 1000', async () => {
		const a = client();
		a.identify(discord.token);
		const ready = await a.dispatch(GatewayDispatchEvents.Ready);
		a.close(1000);
		await a.closed;
		const b = client();
		b.send({ op: 6, d: { token: discord.token, session_id: ready.d.session_id, seq: 1 } });
		expect((await b.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(false);
	});
});

describe('faults', () => {
	it('sends INVALID_SESSION and RECONNECT on demand and can withhold ACKs', async () => {
		const c = client();
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildMembers);
		await c.dispatch(GatewayDispatchEvents.Ready);
		expect(discord.gateway.invalidateSession(true)).toBe(1);
		expect((await c.next((p) => p.op === GatewayOpcodes.InvalidSession)).d).toBe(true);
		discord.gateway.reconnect(10_000);
		await c.next((p) => p.op === GatewayOpcodes.Reconnect);
		discord.gateway.withholdAcks(true);
		c.send({ op: 1, d: 1 });
		// A members request is answered after the heartbeat was processed (payloads are handled in order).
		c.send({ op: 8, d: { guild_id: [...discord.world.guilds.keys()][0], query: '', limit: 0 } });
		await c.dispatch(GatewayDispatchEvents.GuildMembersChunk);
		discord.gateway.withholdAcks(false);
		c.send({ op: 1, d: 1 });
		await c.next((p) => p.op === GatewayOpcodes.HeartbeatAck);
		expect(c.received.filter((p) => p.op === GatewayOpcodes.HeartbeatAck)).toHaveLength(1);
	});

	it('closes with 4008 when a client sends more payloads than allowed', async () => {
		await discord.stop();
		discord = await MockDiscord.start({ guilds: 0, payloadLimit: 5 });
		const c = client();
		await c.next((p) => p.op === GatewayOpcodes.Hello);
		for (let i = 0; i < 6; i++) c.send({ op: 1, d: null });
		expect((await c.closed).code).toBe(GatewayCloseCodes.RateLimited);
	});
});

describe('transport compression', () => {
	for (const compression of ['zlib-stream', 'zstd-stream'] as const) {
		it(`speaks ${compression}`, async () => {
			const c = client('v=10&encoding=json', compression);
			await c.next((p) => p.op === GatewayOpcodes.Hello);
			c.identify(discord.token);
			const ready = await c.dispatch(GatewayDispatchEvents.Ready);
			expect(ready.d.user.id).toBe(discord.botUser.id);
			await c.dispatch(GatewayDispatchEvents.GuildCreate);
			// The smallest payload (a heartbeat ACK) decodes as soon as it arrives.
			c.send({ op: 1, d: ready.s });
			expect(await c.next((p) => p.op === GatewayOpcodes.HeartbeatAck)).toEqual({
				t: null,
				s: null,
				op: GatewayOpcodes.HeartbeatAck,
				d: null,
			});
		});
	}

	it('ends every zlib-stream message with the Z_SYNC_FLUSH suffix', async () => {
		const c = client('v=10&encoding=json', 'zlib-stream');
		const frames: Buffer[] = [];
		c.ws.on('message', (data: Buffer) => frames.push(data));
		await c.next((p) => p.op === GatewayOpcodes.Hello);
		c.identify(discord.token);
		await c.dispatch(GatewayDispatchEvents.Ready);
		expect(frames.length).toBeGreaterThan(0);
		for (const frame of frames) expect(frame.subarray(-4).toString('hex')).toBe('0000ffff');
	});
});
