import { afterEach, describe, expect, it } from 'vitest';
import { REST } from '@discordjs/rest';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayDispatchEvents, GatewayIntentBits, Routes, type GatewayDispatchPayload } from 'discord-api-types/v10';
import { MockDiscord } from '../src/index.js';

let discord: MockDiscord | undefined;
let manager: WebSocketManager | undefined;

afterEach(async () => {
	await manager?.destroy();
	manager = undefined;
	await discord?.stop();
	discord = undefined;
});

function restFor(mock: MockDiscord): REST {
	return new REST({ api: mock.apiBase, version: '10', retries: 0 }).setToken(mock.token);
}

describe('@discordjs/ws against the mock', () => {
	it('reaches READY, receives GUILD_CREATE and MESSAGE_CREATE, and resumes after a forced close', async () => {
		discord = await MockDiscord.start({ guilds: 2, membersPerGuild: 2 });
		const mock = discord;
		manager = new WebSocketManager({
			token: mock.token,
			intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
			rest: restFor(mock),
		});
		const dispatches: GatewayDispatchPayload[] = [];
		const waitFor = (predicate: (p: GatewayDispatchPayload) => boolean): Promise<GatewayDispatchPayload> =>
			new Promise((resolve) => {
				const found = dispatches.find(predicate);
				if (found) {
					resolve(found);
					return;
				}
				const listener = (payload: GatewayDispatchPayload): void => {
					if (predicate(payload)) {
						manager!.off(WebSocketShardEvents.Dispatch, listener);
						resolve(payload);
					}
				};
				manager!.on(WebSocketShardEvents.Dispatch, listener);
			});
		manager.on(WebSocketShardEvents.Dispatch, (payload) => dispatches.push(payload));
		const ready = new Promise((resolve) => manager!.once(WebSocketShardEvents.Ready, resolve));
		await manager.connect();
		await ready;
		await waitFor((p) => p.t === GatewayDispatchEvents.GuildCreate && p.d.id === [...mock.world.guilds.keys()][1]);
		expect(dispatches.filter((p) => p.t === GatewayDispatchEvents.GuildCreate)).toHaveLength(2);

		const guild = [...mock.world.guilds.values()][0]!;
		const channelId = [...guild.channels][0]!;
		const author = [...guild.members.keys()].find((id) => id !== mock.botUser.id)!;
		mock.world.sendMessage(channelId, author, 'before close');
		await waitFor((p) => p.t === GatewayDispatchEvents.MessageCreate && p.d.content === 'before close');

		const resumed = new Promise((resolve) => manager!.once(WebSocketShardEvents.Resumed, resolve));
		mock.gateway.closeAll(4000);
		mock.world.sendMessage(channelId, author, 'missed while closed');
		await resumed;
		const missed = await waitFor(
			(p) => p.t === GatewayDispatchEvents.MessageCreate && p.d.content === 'missed while closed',
		);
		expect(missed.s).toBeGreaterThan(0);
		// The session survived: no second READY.
		expect(dispatches.filter((p) => p.t === GatewayDispatchEvents.Ready)).toHaveLength(1);
	});
});

describe('@discordjs/ws with transport compression', () => {
	it('reaches READY over zlib-stream (node:zlib inflate, as discord.js decodes it)', async () => {
		discord = await MockDiscord.start({ guilds: 1 });
		const mock = discord;
		manager = new WebSocketManager({
			token: mock.token,
			intents: GatewayIntentBits.Guilds,
			rest: restFor(mock),
			compression: CompressionMethod.ZlibNative,
		});
		const guildCreate = new Promise<GatewayDispatchPayload>((resolve) => {
			manager!.on(WebSocketShardEvents.Dispatch, (payload) => {
				if (payload.t === GatewayDispatchEvents.GuildCreate) resolve(payload);
			});
		});
		await manager.connect();
		const payload = await guildCreate;
		expect(payload.t === GatewayDispatchEvents.GuildCreate && payload.d.id).toBe([...mock.world.guilds.keys()][0]);
	});
});

describe('@discordjs/rest against the mock', () => {
	it('creates messages and honours the rate-limit headers (no 429 reaches the caller)', async () => {
		discord = await MockDiscord.start({ guilds: 1, rateLimits: { windowMs: 300, perRoute: 2 } });
		const rest = restFor(discord);
		const channelId = [...[...discord.world.guilds.values()][0]!.channels][0]!;
		const results = await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				rest.post(Routes.channelMessages(channelId), { body: { content: `m${i}` } }),
			),
		);
		expect(results).toHaveLength(5);
		const posts = discord.requests.filter('POST', '/channels/{channel_id}/messages');
		expect(posts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		const me = await rest.get(Routes.user('@me'));
		expect(me).toMatchObject({ id: discord.botUser.id });
	});

	it('retries after a 429 using Retry-After when the limiter is surprised', async () => {
		discord = await MockDiscord.start({ guilds: 1, rateLimits: { windowMs: 300, perRoute: 1 } });
		const channelId = [...[...discord.world.guilds.values()][0]!.channels][0]!;
		// Exhaust the bucket behind discord.js's back so its first request meets a 429.
		await fetch(`${discord.apiBase}/v10/channels/${channelId}/messages`, {
			method: 'POST',
			headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
			body: '{"content":"x"}',
		});
		const rest = restFor(discord);
		const message = await rest.post(Routes.channelMessages(channelId), { body: { content: 'after 429' } });
		expect(message).toMatchObject({ content: 'after 429' });
		const statuses = discord.requests.filter('POST', '/channels/{channel_id}/messages').map((r) => r.status);
		expect(statuses).toEqual([200, 429, 200]);
	});
});
