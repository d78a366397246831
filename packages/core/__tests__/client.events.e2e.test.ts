import {
	ApplicationCommandType,
	GatewayDispatchEvents,
	GatewayIntentBits,
	InteractionResponseType,
	InteractionType,
	PermissionFlagsBits,
} from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { asMessageId, asUserId, uncheckedSnowflake, type ChannelId, type UserId } from '@ovenjs/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	AutocompleteInteraction,
	ChatInputCommandInteraction,
	Client,
	ExtensionBus,
	ModalBuilder,
	TextInputBuilder,
	type MessageDelete,
	type MessageUpdate,
} from '../src/index.js';

const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent;
let discord: MockDiscord;
let channelId: ChannelId;
let userId: UserId;
const clients: Client[] = [];

function client(bus?: ExtensionBus): Client {
	const created = new Client({
		token: discord.token,
		intents,
		rest: { api: discord.apiBase },
		...(bus === undefined ? {} : { bus }),
	});
	clients.push(created);
	return created;
}

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 1, heartbeatIntervalMs: 500, identifyIntervalMs: 10 });
	const guild = [...discord.world.guilds.values()][0];
	const first = guild === undefined ? undefined : [...guild.channels][0];
	if (guild === undefined || first === undefined) throw new Error('the mock world is empty');
	channelId = first;
	userId = asUserId(discord.world.addMember(guild.id).user.id);
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((bot) => bot.destroy()));
});

afterAll(async () => {
	await discord.stop();
});

describe('Client events and composition', () => {
	it('decodes a dispatch nobody uses only once something wants it (a raw listener added while running)', async () => {
		const bot = new Client({
			token: discord.token,
			intents: intents | GatewayIntentBits.GuildMessageTyping,
			rest: { api: discord.apiBase },
		});
		clients.push(bot);
		await bot.login();
		const guildId = bot.cache.guildIds()[0]!;
		const typing = (): Promise<number> =>
			discord.gateway.dispatch(
				GatewayDispatchEvents.TypingStart,
				{ channel_id: channelId, guild_id: guildId, user_id: userId, timestamp: 1 },
				{ guildId },
			);
		const shardStatus = async (): Promise<{ skipped: number }> => (await bot.gateway!.fetchStatus())[0]!;
		const skippedBefore = (await shardStatus()).skipped;
		expect(await typing()).toBe(1);
		await expect.poll(async () => (await shardStatus()).skipped).toBe(skippedBefore + 1);
		const seen: string[] = [];
		const onRaw = (event: { t: string }): void => void seen.push(event.t);
		bot.on('raw', onRaw);
		expect(await typing()).toBe(1);
		await expect.poll(() => seen).toEqual([GatewayDispatchEvents.TypingStart]);
		bot.off('raw', onRaw);
		expect(await typing()).toBe(1);
		discord.world.sendMessage(channelId, userId, 'after');
		await expect.poll(async () => (await shardStatus()).skipped).toBe(skippedBefore + 2);
		expect(seen).toEqual([GatewayDispatchEvents.TypingStart]);
	});

	it('routes rest:* and ws:* points of the composed packages through the one bus', async () => {
		const bus = new ExtensionBus();
		const seen = new Set<string>();
		bus.on('rest:beforeRequest', (request) => {
			seen.add(`rest:${request.method} ${request.route}`);
		});
		bus.on('ws:afterConnect', () => void seen.add('ws:afterConnect'));
		bus.on('metrics:counter', (sample) => void seen.add(`metric:${sample.name}`));
		bus.on('cache:afterSet', (key) => void seen.add(`cache:set ${key.split(':')[0] ?? key}`));
		bus.on('cache:afterGet', (key, hit) => void seen.add(`cache:get ${key} ${hit}`));
		const bot = client(bus);
		await bot.login();
		const guildId = bot.cache.guildIds()[0]!;
		expect(bot.cache.guild(guildId)).toBeDefined();
		expect([...seen]).toEqual(
			expect.arrayContaining([
				'rest:GET /users/@me',
				'rest:GET /gateway/bot',
				'ws:afterConnect',
				'metric:ovenjs.gateway.dispatch',
				'cache:set guild',
				`cache:get guild:${guildId} true`,
			]),
		);
	});

	it('emits messageUpdate, messageDelete and guildCreate for changes made elsewhere', async () => {
		const bot = client();
		await bot.login();
		const sent = await bot.send(channelId, 'first');
		const updated = bot.waitFor('messageUpdate');
		await bot.api.channels.updateMessage(channelId, asMessageId(sent.id), { content: 'edited' });
		const [update]: [MessageUpdate] = await updated;
		expect(update).toMatchObject({ id: sent.id, content: 'edited' });
		const deleted = bot.waitFor('messageDelete');
		await bot.api.channels.deleteMessage(channelId, asMessageId(sent.id));
		const [removal]: [MessageDelete] = await deleted;
		expect(removal).toMatchObject({ id: sent.id, channel_id: channelId });
		const joined = bot.waitFor('guildCreate');
		const created = discord.world.createGuild({ name: 'Late guild' });
		const [guildId, cached] = await joined;
		expect(guildId).toBe(created.id);
		expect(cached?.name).toBe('Late guild');
	});

	it('defers, edits the reply and follows up through the webhook routes', async () => {
		const bot = client();
		const done = new Promise<string[]>((resolve, reject) => {
			bot.on('interactionCreate', async (interaction) => {
				try {
					if (!(interaction instanceof ChatInputCommandInteraction)) return;
					await interaction.defer({ ephemeral: true });
					const edited = await interaction.editReply('thought about it');
					const follow = await interaction.followUp({ content: 'one more thing' });
					resolve([edited.content, follow.content]);
				} catch (error) {
					reject(error instanceof Error ? error : new Error(String(error)));
				}
			});
		});
		await bot.login();
		const response = await discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommand,
			data: { id: uncheckedSnowflake('Command', '1'), name: 'think', type: ApplicationCommandType.ChatInput },
			channelId,
			userId,
		});
		expect(response.type).toBe(5);
		expect(await done).toEqual(['thought about it', 'one more thing']);
	});

	it('reports a failing listener on error and error:unhandled without stopping other listeners', async () => {
		const bus = new ExtensionBus();
		const reported: string[] = [];
		bus.on('error:unhandled', (_error, context) => void reported.push(context.point));
		const bot = client(bus);
		const errors: unknown[] = [];
		bot.on('error', (error) => void errors.push(error));
		const contents: string[] = [];
		bot.on('messageCreate', () => Promise.reject(new Error('listener broke')));
		bot.on('messageCreate', (message) => void contents.push(message.content));
		await bot.login();
		discord.world.sendMessage(channelId, userId, 'still delivered');
		for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(contents).toContain('still delivered');
		expect(String(errors[0])).toContain('listener broke');
		expect(reported).toContain('client:event:messageCreate');
	});

	it('computes permissions from the cache like the mock does and reports security:permissionCheck', async () => {
		const bus = new ExtensionBus();
		const checks: boolean[] = [];
		bus.on('security:permissionCheck', (check) => void checks.push(check.allowed));
		const bot = client(bus);
		await bot.login();
		const previous = discord.world.botPermissions;
		discord.world.botPermissions = String(PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
		const joined = bot.waitFor('guildCreate');
		const guild = discord.world.createGuild({ name: 'Limited' });
		discord.world.botPermissions = previous;
		await joined;
		const channel = [...guild.channels][0];
		if (channel === undefined || bot.userId === undefined) throw new Error('no channel');
		const botId = bot.userId;
		const results: boolean[] = [];
		for (const permission of ['SendMessages', 'ManageGuild', 'BanMembers'] as const) {
			const allowed = bot.can(guild.id, botId, permission, channel);
			expect(allowed, permission).toBe(discord.world.botCan(guild.id, permission, channel));
			results.push(allowed === true);
		}
		expect(results).toEqual([true, false, false]);
		expect(checks).toHaveLength(3);
		expect(bot.can(guild.id, asUserId('81384788765712390'), 'SendMessages')).toBeUndefined();
	});

	it('emits channelCreate and guildMemberAdd with validated, branded payloads', async () => {
		const bot = new Client({
			token: discord.token,
			intents: intents | GatewayIntentBits.GuildMembers,
			rest: { api: discord.apiBase },
		});
		clients.push(bot);
		await bot.login();
		const guild = [...discord.world.guilds.values()][0];
		if (guild === undefined) throw new Error('no guild');
		const channelCreated = bot.waitFor('channelCreate');
		const created = discord.world.createChannel(guild.id, { name: 'fresh' });
		const [channel] = await channelCreated;
		expect(channel).toMatchObject({ id: created.id, name: 'fresh', guild_id: guild.id });
		const memberAdded = bot.waitFor('guildMemberAdd');
		const member = discord.world.addMember(guild.id);
		const [added] = await memberAdded;
		expect(added.guild_id).toBe(guild.id);
		expect(added.user.id).toBe(member.user.id);
	});

	it('answers autocomplete and shows a modal through the mock callback route', async () => {
		const bot = client();
		bot.on('interactionCreate', async (interaction) => {
			if (interaction instanceof AutocompleteInteraction)
				await interaction.respond([{ name: `${interaction.focused?.value ?? ''}!`, value: 'x' }]);
			else if (interaction instanceof ChatInputCommandInteraction)
				await interaction.showModal(
					new ModalBuilder('m', 'Tell me').addInputs(new TextInputBuilder('t').setLabel('Text')),
				);
		});
		await bot.login();
		const auto = await discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommandAutocomplete,
			data: {
				id: '1',
				name: 'search',
				type: ApplicationCommandType.ChatInput,
				options: [{ type: 3, name: 'q', value: 'ab', focused: true }],
			},
			channelId,
			userId,
		});
		expect(auto.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
		expect(JSON.stringify(auto.data)).toBe('{"choices":[{"name":"ab!","value":"x"}]}');
		const modal = await discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommand,
			data: { id: '1', name: 'feedback', type: ApplicationCommandType.ChatInput },
			channelId,
			userId,
		});
		expect(modal.type).toBe(InteractionResponseType.Modal);
		expect(JSON.stringify(modal.data)).toContain('"title":"Tell me"');
	});
});
