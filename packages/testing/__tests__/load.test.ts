import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { asChannelId } from '@ovenjs/types';
import { MockDiscord } from '../src/index.js';
import { GatewayFaults } from '../src/lib/faults/GatewayFaults.js';
import { RawClient } from './helpers.js';

let discord: MockDiscord | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
	for (const c of clients.splice(0)) c.close();
	await discord?.stop();
	discord = undefined;
});

describe('world generation', () => {
	it('generates 100 guilds × 1,000 members and sends large guilds without their member lists', async () => {
		discord = await MockDiscord.start({ guilds: 100, membersPerGuild: 1000, channelsPerGuild: 3 });
		expect(discord.world.guilds.size).toBe(100);
		const guild = [...discord.world.guilds.values()][42]!;
		expect(guild.members.size).toBe(1002);
		const c = new RawClient(discord.gatewayUrl);
		clients.push(c);
		c.identify(discord.token, GatewayIntentBits.Guilds);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		expect(ready.d.guilds).toHaveLength(100);
		const create = await c.dispatch(GatewayDispatchEvents.GuildCreate);
		expect(create.d).toMatchObject({ large: true, member_count: 1002 });
		expect(create.d.members.map((m) => m.user.id)).toEqual([discord.botUser.id]);
	});
});

describe('flood with backpressure', () => {
	it('pauses while the client does not read, then delivers every event in order', async () => {
		discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 1 });
		const mock = discord;
		const channelId = [...[...mock.world.guilds.values()][0]!.channels][0]!;
		const c = new RawClient(mock.gatewayUrl);
		clients.push(c);
		c.identify(mock.token, GatewayIntentBits.GuildMessages);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		c.ws.pause();
		const count = 20_000;
		let done = false;
		const flood = mock.gateway.flood(count, { channelId, content: 'x'.repeat(1500) }).then((n) => {
			done = true;
			return n;
		});
		await new Promise((resolve) => setTimeout(resolve, 300));
		// The socket is not drained: the flood must be waiting instead of buffering everything.
		expect(done).toBe(false);
		c.ws.resume();
		expect(await flood).toBe(count);
		await c.next((p) => p.op === GatewayOpcodes.Dispatch && p.s === ready.s + count, 20_000);
		const messages = c.received.filter(
			(p) => p.op === GatewayOpcodes.Dispatch && p.t === GatewayDispatchEvents.MessageCreate,
		);
		expect(messages).toHaveLength(count);
		expect(messages.every((p, i) => p.op === GatewayOpcodes.Dispatch && p.s === ready.s + 1 + i)).toBe(true);
	});

	it('rejects a negative flood size with a typed error', async () => {
		discord = await MockDiscord.start({ guilds: 1 });
		const channelId = [...[...discord.world.guilds.values()][0]!.channels][0]!;
		await expect(discord.gateway.flood(-1, { channelId })).rejects.toMatchObject({ code: 'MOCK_INVALID_OPTION' });
		await expect(discord.gateway.flood(1, { channelId: asChannelId('123456789012345678') })).rejects.toMatchObject({
			code: 'MOCK_UNKNOWN_ENTITY',
		});
	});
});

describe('seeded gateway faults', () => {
	it('repeats the same fault sequence for the same seed', () => {
		const a = new GatewayFaults(9, {
			closeRate: 0.1,
			invalidSessionRate: 0.1,
			reconnectRate: 0.1,
			closeCodes: [4000, 4009],
		});
		const b = new GatewayFaults(9, {
			closeRate: 0.1,
			invalidSessionRate: 0.1,
			reconnectRate: 0.1,
			closeCodes: [4000, 4009],
		});
		const first = Array.from({ length: 200 }, () => a.afterDispatch());
		expect(Array.from({ length: 200 }, () => b.afterDispatch())).toEqual(first);
		expect(new Set(first.map((f) => f.kind))).toEqual(new Set(['none', 'close', 'invalidSession', 'reconnect']));
	});

	it('closes the connection after a dispatch when closeRate is 1, and the session resumes', async () => {
		discord = await MockDiscord.start({
			guilds: 1,
			membersPerGuild: 1,
			gatewayFaults: { closeRate: 1, closeCodes: [4000] },
		});
		const guild = [...discord.world.guilds.values()][0]!;
		const c = new RawClient(discord.gatewayUrl);
		clients.push(c);
		c.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
		const ready = await c.dispatch(GatewayDispatchEvents.Ready);
		const author = [...guild.members.keys()].find((id) => id !== discord!.botUser.id)!;
		discord.world.sendMessage([...guild.channels][0]!, author, 'boom');
		expect((await c.closed).code).toBe(4000);
		discord.gateway.faults.configure({});
		const r = new RawClient(discord.gatewayUrl);
		clients.push(r);
		r.send({
			op: GatewayOpcodes.Resume,
			d: { token: discord.token, session_id: ready.d.session_id, seq: ready.s },
		});
		await r.dispatch(GatewayDispatchEvents.Resumed);
		expect(
			r.received.some((p) => p.op === GatewayOpcodes.Dispatch && p.t === GatewayDispatchEvents.GuildCreate),
		).toBe(true);
	});
});

describe('CLI', () => {
	it('starts, prints the URLs and token as JSON, serves REST and stops on SIGTERM', async () => {
		const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
		const child = spawn(
			process.execPath,
			['--conditions=@ovenjs/source', '--import', 'tsx', cli, '--json', '--guilds', '3', '--seed', '5'],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
		);
		try {
			const lines = createInterface({ input: child.stdout });
			const [line] = (await once(lines, 'line')) as [string];
			const info = JSON.parse(line) as { apiBase: string; gatewayUrl: string; token: string; guilds: number };
			expect(info.guilds).toBe(3);
			expect(info.gatewayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/gateway$/);
			const response = await fetch(`${info.apiBase}/v10/users/@me/guilds`, {
				headers: { authorization: `Bot ${info.token}` },
			});
			expect(((await response.json()) as unknown[]).length).toBe(3);
		} finally {
			child.kill('SIGTERM');
			const [code] = (await once(child, 'exit')) as [number | null];
			expect(code).toBe(0);
		}
	});
});

const contentOf = (payload: { d?: unknown }): unknown =>
	typeof payload.d === 'object' && payload.d !== null ? Reflect.get(payload.d, 'content') : undefined;

describe('prepared flood', () => {
	for (const compression of [undefined, 'zlib-stream', 'zstd-stream'] as const) {
		it(`sends pre-encoded dispatches in sequence, and frames sent while it was prepared after it (${compression ?? 'json'})`, async () => {
			discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 1 });
			const mock = discord;
			const channelId = [...[...mock.world.guilds.values()][0]!.channels][0]!;
			const c = new RawClient(mock.gatewayUrl, 'v=10&encoding=json', compression);
			clients.push(c);
			c.identify(
				mock.token,
				GatewayIntentBits.GuildMessages |
					GatewayIntentBits.GuildMessageTyping |
					GatewayIntentBits.MessageContent,
			);
			const ready = await c.dispatch(GatewayDispatchEvents.Ready);
			await mock.gateway.waitForSessions(1);
			const count = 2_000;
			const prepared = await mock.gateway.prepareFlood(count, { channelId });
			expect(prepared).toMatchObject({ count, connections: 1 });
			expect(prepared.bytes).toBeGreaterThan(0);
			// A heartbeat while the flood is held: its ACK and a later dispatch follow the flood, in order.
			c.send({ op: GatewayOpcodes.Heartbeat, d: ready.s });
			await new Promise((resolve) => setTimeout(resolve, 50));
			mock.world.sendMessage(
				channelId,
				[...[...mock.world.guilds.values()][0]!.members.keys()].find((id) => id !== mock.botUser.id)!,
				'after',
			);
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(c.received.some((p) => p.op === GatewayOpcodes.HeartbeatAck)).toBe(false);
			await prepared.send();
			const last = await c.next((p) => p.op === GatewayOpcodes.Dispatch && p.s === ready.s + count + 1, 10_000);
			expect(contentOf(last)).toBe('after');
			const dispatches = c.received.filter((p) => p.op === GatewayOpcodes.Dispatch && p.s > ready.s);
			expect(dispatches.map((p) => p.s)).toEqual(Array.from({ length: count + 1 }, (_, i) => ready.s + 1 + i));
			expect(dispatches.slice(0, count).every((p, i) => contentOf(p) === `flood ${i}`)).toBe(true);
			const ack = c.received.findIndex((p) => p.op === GatewayOpcodes.HeartbeatAck);
			expect(ack).toBeGreaterThan(c.received.indexOf(dispatches[count - 1]!));
			expect(ack).toBeLessThan(c.received.indexOf(last));
		});
	}

	it('prepares TYPING_START for sessions with the typing intent only, and rejects a bad count', async () => {
		discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 1 });
		const mock = discord;
		const channelId = [...[...mock.world.guilds.values()][0]!.channels][0]!;
		const typing = new RawClient(mock.gatewayUrl);
		const silent = new RawClient(mock.gatewayUrl);
		clients.push(typing, silent);
		typing.identify(mock.token, GatewayIntentBits.GuildMessageTyping);
		const ready = await typing.dispatch(GatewayDispatchEvents.Ready);
		await expect(mock.gateway.prepareFlood(1.5, { channelId })).rejects.toMatchObject({
			code: 'MOCK_INVALID_OPTION',
		});
		const prepared = await mock.gateway.prepareFlood(10, { channelId, event: 'TYPING_START', finalMessage: 'end' });
		expect(prepared.connections).toBe(1);
		await prepared.send();
		const last = await typing.next((p) => p.op === GatewayOpcodes.Dispatch && p.s === ready.s + 10);
		expect(last).toMatchObject({ t: GatewayDispatchEvents.TypingStart, d: { channel_id: channelId } });
		const end = await typing.next((p) => p.op === GatewayOpcodes.Dispatch && p.s === ready.s + 11);
		// Without the MessageContent intent the closing message arrives stripped, as Discord sends it.
		expect(end).toMatchObject({ t: GatewayDispatchEvents.MessageCreate, d: { content: '' } });
	});
});
