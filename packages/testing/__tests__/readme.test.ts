// The bot test shown in README.md, run as written (keep the two in sync).
import { REST } from '@discordjs/rest';
import { WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import {
	GatewayDispatchEvents,
	GatewayIntentBits,
	InteractionResponseType,
	InteractionType,
	Routes,
} from 'discord-api-types/v10';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MockDiscord } from '../src/index.js';

// A tiny bot: replies "pong" to "!ping" and answers the /ping command.
async function startBot(options: { token: string; api: string }): Promise<{ stop: () => Promise<void> }> {
	const rest = new REST({ api: options.api }).setToken(options.token);
	const gateway = new WebSocketManager({
		token: options.token,
		intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
		rest,
	});
	gateway.on(WebSocketShardEvents.Dispatch, (payload) => {
		if (payload.t === GatewayDispatchEvents.MessageCreate && payload.d.content === '!ping') {
			void rest.post(Routes.channelMessages(payload.d.channel_id), {
				body: { content: 'pong', message_reference: { message_id: payload.d.id } },
			});
		}
		if (
			payload.t === GatewayDispatchEvents.InteractionCreate &&
			payload.d.type === InteractionType.ApplicationCommand
		) {
			void rest.post(Routes.interactionCallback(payload.d.id, payload.d.token), {
				body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'pong!' } },
			});
		}
	});
	const ready = new Promise((resolve) => gateway.once(WebSocketShardEvents.Ready, resolve));
	await gateway.connect();
	await ready;
	return {
		stop: async () => {
			await gateway.destroy();
		},
	};
}

let discord: MockDiscord;
beforeEach(async () => {
	discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 5 });
});
afterEach(async () => {
	await discord.stop();
});

it('replies pong to !ping', async () => {
	const bot = await startBot({ token: discord.token, api: discord.apiBase });
	const guild = [...discord.world.guilds.values()][0]!;
	const channelId = [...guild.channels][0]!;
	const user = discord.world.addMember(guild.id).user;

	const reply = discord.requests.waitFor('POST', '/channels/{channel_id}/messages');
	const sent = discord.world.sendMessage(channelId, user.id, '!ping');

	expect((await reply).body).toMatchObject({ content: 'pong', message_reference: { message_id: sent.id } });
	await bot.stop();
});

it('answers the /ping command', async () => {
	const bot = await startBot({ token: discord.token, api: discord.apiBase });
	const guild = [...discord.world.guilds.values()][0]!;
	const member = discord.world.addMember(guild.id);

	const response = await discord.world.triggerInteraction({
		channelId: [...guild.channels][0]!,
		userId: member.user.id,
		data: { id: '1', name: 'ping', type: 1 },
	});

	expect(response).toMatchObject({
		type: InteractionResponseType.ChannelMessageWithSource,
		data: { content: 'pong!' },
	});
	await bot.stop();
});
