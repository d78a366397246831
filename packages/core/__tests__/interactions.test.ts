import { inspect } from 'node:util';
import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ComponentType,
	InteractionResponseType,
	InteractionType,
	MessageFlags,
	ChannelType,
	Locale,
	MessageType,
	type APIChatInputApplicationCommandInteraction,
	type APIInteraction,
	type APIMessage,
	type APIUser,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
	Api,
	AutocompleteInteraction,
	ChatInputCommandInteraction,
	ComponentInteraction,
	CoreError,
	EmbedBuilder,
	ExtensionBus,
	ModalBuilder,
	ModalSubmitInteraction,
	TextInputBuilder,
	createInteraction,
	type HttpMethod,
	type RequestContract,
	type RequestData,
} from '../src/index.js';

const TOKEN = 'interaction-token-secret-value';

class FakeRest implements RequestContract {
	public readonly calls: { method: HttpMethod; route: string; data: RequestData | undefined }[] = [];
	public fail = false;
	public request<T>(method: HttpMethod, route: string, data?: RequestData): Promise<T> {
		this.calls.push({ method, route, data });
		if (this.fail) return Promise.reject(new Error('network down'));
		// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- a canned response; the caller's T is a claim
		const parsed: T = JSON.parse('{"id":"999","content":"x"}');
		return Promise.resolve(parsed);
	}
}

const user: APIUser = { id: '81384788765712386', username: 'u', discriminator: '0', global_name: null, avatar: null };
const base = {
	id: '81384788765712384',
	application_id: '81384788765712385',
	token: TOKEN,
	version: 1 as const,
	app_permissions: '0',
	locale: Locale.EnglishUS,
	entitlements: [],
	authorizing_integration_owners: {},
	attachment_size_limit: 1,
	user,
	channel_id: '81384788765712387',
	channel: { id: '81384788765712387', type: ChannelType.GuildText as const },
};

function slash(): APIChatInputApplicationCommandInteraction {
	return {
		...base,
		type: InteractionType.ApplicationCommand,
		data: {
			id: '81384788765712388',
			name: 'ping',
			type: ApplicationCommandType.ChatInput,
			options: [
				{
					type: ApplicationCommandOptionType.Subcommand,
					name: 'deep',
					options: [
						{ type: ApplicationCommandOptionType.Boolean, name: 'full', value: true },
						{ type: ApplicationCommandOptionType.String, name: 'fmt', value: 'ms' },
					],
				},
			],
		},
	};
}

function setup(raw: APIInteraction = slash()): {
	rest: FakeRest;
	bus: ExtensionBus;
	interaction: ReturnType<typeof createInteraction>;
} {
	const rest = new FakeRest();
	const bus = new ExtensionBus();
	return { rest, bus, interaction: createInteraction(raw, { api: new Api(rest), bus }) };
}

describe('interactions', () => {
	it('wraps a slash command with typed options and replies through the callback route without the bot token', async () => {
		const { rest, interaction } = setup();
		expect(interaction).toBeInstanceOf(ChatInputCommandInteraction);
		if (!(interaction instanceof ChatInputCommandInteraction)) return;
		expect(interaction.commandName).toBe('ping');
		expect(interaction.options.subcommand).toBe('deep');
		expect(interaction.options.getBoolean('full')).toBe(true);
		expect(interaction.options.getString('fmt')).toBe('ms');
		expect(interaction.options.getString('full')).toBeUndefined();
		expect(interaction.userId).toBe('81384788765712386');
		expect(interaction.channelId).toBe('81384788765712387');
		await interaction.reply({ content: 'pong', embeds: [new EmbedBuilder().setTitle('t')], ephemeral: true });
		expect(rest.calls[0]).toEqual({
			method: 'POST',
			route: `/interactions/81384788765712384/${TOKEN}/callback`,
			data: {
				auth: false,
				body: {
					type: InteractionResponseType.ChannelMessageWithSource,
					data: { content: 'pong', embeds: [{ title: 't' }], flags: MessageFlags.Ephemeral },
				},
			},
		});
		expect(interaction.replied).toBe(true);
	});

	it('enforces the reply order with typed errors', async () => {
		const { rest, interaction } = setup();
		if (interaction === undefined) throw new Error('no interaction');
		await expect(interaction.editReply('x')).rejects.toMatchObject({ code: 'CORE_INTERACTION_NOT_REPLIED' });
		await expect(interaction.followUp('x')).rejects.toBeInstanceOf(CoreError);
		await interaction.defer();
		expect(interaction.deferred).toBe(true);
		await expect(interaction.reply('again')).rejects.toMatchObject({ code: 'CORE_INTERACTION_ALREADY_REPLIED' });
		await interaction.editReply('done');
		await interaction.followUp('more');
		expect(rest.calls.map((call) => `${call.method} ${call.route}`)).toEqual([
			`POST /interactions/81384788765712384/${TOKEN}/callback`,
			`PATCH /webhooks/81384788765712385/${TOKEN}/messages/@original`,
			`POST /webhooks/81384788765712385/${TOKEN}`,
		]);
		expect(rest.calls[2]?.data?.query).toEqual({ wait: true });
	});

	it('runs interaction:beforeReply / afterReply and reports failures on interaction:error, allowing a retry', async () => {
		const { rest, bus, interaction } = setup();
		if (interaction === undefined) throw new Error('no interaction');
		const seen: string[] = [];
		bus.on('interaction:beforeReply', (response) =>
			response.type === InteractionResponseType.ChannelMessageWithSource
				? { ...response, data: { ...response.data, content: 'rewritten' } }
				: undefined,
		);
		bus.on('interaction:afterReply', (response) => void seen.push(`after:${response.type}`));
		bus.on('interaction:error', (error) => void seen.push(`error:${String(error)}`));
		rest.fail = true;
		await expect(interaction.reply('original')).rejects.toThrow('network down');
		expect(interaction.replied).toBe(false);
		rest.fail = false;
		await interaction.reply('original');
		expect(rest.calls[1]?.data?.body).toEqual({ type: 4, data: { content: 'rewritten' } });
		expect(seen).toEqual(['error:Error: network down', 'after:4']);
	});

	it('shows modals, reads modal submissions, handles components and autocomplete', async () => {
		const { rest, interaction } = setup();
		if (!(interaction instanceof ChatInputCommandInteraction)) throw new Error('wrong type');
		await interaction.showModal(
			new ModalBuilder('m', 'Title').addInputs(new TextInputBuilder('t').setLabel('Text')),
		);
		expect(rest.calls[0]?.data?.body).toMatchObject({
			type: InteractionResponseType.Modal,
			data: { custom_id: 'm', title: 'Title' },
		});

		const modal = setup({
			...base,
			type: InteractionType.ModalSubmit,
			data: {
				custom_id: 'm',
				components: [
					{
						type: ComponentType.Label,
						component: { type: ComponentType.TextInput, custom_id: 't', value: 'typed' },
					},
				],
			},
		});
		expect(modal.interaction).toBeInstanceOf(ModalSubmitInteraction);
		if (modal.interaction instanceof ModalSubmitInteraction) {
			expect(modal.interaction.getTextInput('t')).toBe('typed');
			expect(modal.interaction.fieldIds).toEqual(['t']);
		}

		const message: APIMessage = {
			id: '81384788765712389',
			channel_id: '81384788765712387',
			content: '',
			timestamp: '',
			edited_timestamp: null,
			tts: false,
			mention_everyone: false,
			mentions: [],
			mention_roles: [],
			attachments: [],
			embeds: [],
			pinned: false,
			type: MessageType.Default,
			author: user,
		};
		const button = setup({
			...base,
			type: InteractionType.MessageComponent,
			message,
			data: { custom_id: 'ok', component_type: ComponentType.Button },
		});
		if (!(button.interaction instanceof ComponentInteraction)) throw new Error('wrong type');
		expect(button.interaction.isButton()).toBe(true);
		await button.interaction.update('updated');
		expect(button.rest.calls[0]?.data?.body).toEqual({
			type: InteractionResponseType.UpdateMessage,
			data: { content: 'updated' },
		});

		const auto = setup({
			...base,
			type: InteractionType.ApplicationCommandAutocomplete,
			data: {
				id: '1',
				name: 'search',
				type: ApplicationCommandType.ChatInput,
				options: [{ type: ApplicationCommandOptionType.String, name: 'q', value: 'ab', focused: true }],
			},
		});
		if (!(auto.interaction instanceof AutocompleteInteraction)) throw new Error('wrong type');
		expect(auto.interaction.focused).toEqual({ name: 'q', value: 'ab' });
		await expect(
			auto.interaction.respond(Array.from({ length: 26 }, (_, i) => ({ name: `${i}`, value: `${i}` }))),
		).rejects.toMatchObject({ code: 'CORE_AUTOCOMPLETE_CHOICES' });
		await auto.interaction.respond([{ name: 'abc', value: 'abc' }]);
		expect(auto.rest.calls[0]?.data?.body).toEqual({
			type: InteractionResponseType.ApplicationCommandAutocompleteResult,
			data: { choices: [{ name: 'abc', value: 'abc' }] },
		});
	});

	it('never prints the interaction token', () => {
		const { interaction } = setup();
		expect(inspect(interaction)).not.toContain(TOKEN);
		expect(JSON.stringify(interaction)).not.toContain(TOKEN);
		expect(
			createInteraction(
				{ ...base, type: InteractionType.Ping },
				{ api: new Api(new FakeRest()), bus: new ExtensionBus() },
			),
		).toBeUndefined();
	});
});
