import { ApplicationCommandType, ButtonStyle, ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
	ActionRowBuilder,
	BuilderValidationError,
	ButtonBuilder,
	ContextMenuCommandBuilder,
	CoreError,
	EmbedBuilder,
	ModalBuilder,
	SlashCommandBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
} from '../src/index.js';

function issuesOf(fn: () => unknown): { builder: string; paths: string[]; message: string } {
	try {
		fn();
	} catch (error) {
		if (error instanceof BuilderValidationError)
			return { builder: error.builder, paths: error.issues.map((issue) => issue.path), message: error.message };
		throw error;
	}
	throw new Error('expected a BuilderValidationError');
}

describe('EmbedBuilder', () => {
	it('builds a valid embed', () => {
		const embed = new EmbedBuilder()
			.setTitle('Pong')
			.setDescription('12 ms')
			.setColor(0x5865f2)
			.setFooter({ text: 'footer', iconURL: 'https://example.com/i.png' })
			.setAuthor({ name: 'bot' })
			.addFields({ name: 'a', value: 'b', inline: true })
			.setTimestamp(0);
		expect(embed.toJSON()).toEqual({
			title: 'Pong',
			description: '12 ms',
			color: 0x5865f2,
			footer: { text: 'footer', icon_url: 'https://example.com/i.png' },
			author: { name: 'bot' },
			fields: [{ name: 'a', value: 'b', inline: true }],
			timestamp: '1970-01-01T00:00:00.000Z',
		});
		expect(embed.length).toBe('Pong12 msfooterbotab'.length);
	});

	it('lists every broken limit with its path in one typed error', () => {
		const fields = Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' }));
		const result = issuesOf(() =>
			new EmbedBuilder()
				.setTitle('x'.repeat(257))
				.setColor(0x1000000)
				.addFields(...fields)
				.toJSON(),
		);
		expect(result.builder).toBe('EmbedBuilder');
		expect(result.paths).toEqual(expect.arrayContaining(['title', 'color', 'fields']));
		expect(result.message).toContain('title: must be at most 256 characters');
		const error = (() => {
			try {
				new EmbedBuilder().setURL('not a url').toJSON();
			} catch (caught) {
				return caught;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(CoreError);
		expect(error).toMatchObject({ code: 'CORE_BUILDER_VALIDATION' });
	});

	it('enforces the 6000-character total', () => {
		const embed = new EmbedBuilder()
			.setDescription('x'.repeat(4096))
			.addFields({ name: 'n', value: 'y'.repeat(1024) }, { name: 'm', value: 'z'.repeat(1024) });
		expect(issuesOf(() => embed.toJSON()).message).toMatch(/6146 characters; Discord allows at most 6000/);
	});
});

describe('components', () => {
	it('builds buttons and rows', () => {
		const row = new ActionRowBuilder().addComponents(
			new ButtonBuilder().setCustomId('ok').setLabel('OK'),
			new ButtonBuilder(ButtonStyle.Link).setURL('https://discord.com').setLabel('Docs'),
		);
		expect(row.toJSON()).toEqual({
			type: ComponentType.ActionRow,
			components: [
				{ type: ComponentType.Button, style: ButtonStyle.Primary, custom_id: 'ok', label: 'OK' },
				{ type: ComponentType.Button, style: ButtonStyle.Link, url: 'https://discord.com', label: 'Docs' },
			],
		});
	});

	it('rejects a link button without URL, a button without label and a select sharing a row', () => {
		expect(issuesOf(() => new ButtonBuilder(ButtonStyle.Link).setLabel('x').toJSON()).paths).toContain('url');
		expect(issuesOf(() => new ButtonBuilder().setCustomId('a').toJSON()).message).toContain(
			'needs a label or an emoji',
		);
		const select = new StringSelectMenuBuilder('pick').addOptions({ label: 'A', value: 'a' });
		expect(
			issuesOf(() =>
				new ActionRowBuilder()
					.addComponents(select, new ButtonBuilder().setCustomId('b').setLabel('B'))
					.toJSON(),
			).message,
		).toContain('must be alone');
		const six = Array.from({ length: 6 }, (_, i) => new ButtonBuilder().setCustomId(`b${i}`).setLabel('B'));
		expect(issuesOf(() => new ActionRowBuilder().addComponents(...six).toJSON()).message).toContain(
			'at most 5 components',
		);
	});

	it('validates select menus', () => {
		expect(
			new StringSelectMenuBuilder('pick').addOptions({ label: 'A', value: 'a' }).setValueRange(1, 1).toJSON(),
		).toMatchObject({ type: ComponentType.StringSelect, custom_id: 'pick' });
		expect(issuesOf(() => new StringSelectMenuBuilder('pick').toJSON()).paths).toContain('options');
		expect(
			issuesOf(() =>
				new StringSelectMenuBuilder('pick').addOptions({ label: 'A', value: 'a' }).setValueRange(3, 2).toJSON(),
			).paths,
		).toEqual(expect.arrayContaining(['min_values', 'max_values']));
	});
});

describe('ModalBuilder', () => {
	it('wraps text inputs in labels', () => {
		const modal = new ModalBuilder('fb', 'Feedback').addInputs(
			new TextInputBuilder('text', TextInputStyle.Paragraph).setLabel('Thoughts').setLength(1, 100),
		);
		expect(modal.toJSON()).toEqual({
			custom_id: 'fb',
			title: 'Feedback',
			components: [
				{
					type: ComponentType.Label,
					label: 'Thoughts',
					component: {
						type: ComponentType.TextInput,
						custom_id: 'text',
						style: TextInputStyle.Paragraph,
						min_length: 1,
						max_length: 100,
					},
				},
			],
		});
	});

	it('rejects long titles, missing labels and empty modals', () => {
		expect(
			issuesOf(() =>
				new ModalBuilder('m', 'x'.repeat(46)).addInputs(new TextInputBuilder('a').setLabel('A')).toJSON(),
			).paths,
		).toContain('title');
		expect(
			issuesOf(() => new ModalBuilder('m', 'T').addInputs(new TextInputBuilder('a')).toJSON()).message,
		).toContain('needs a label');
		expect(issuesOf(() => new ModalBuilder('m', 'T').toJSON()).message).toContain('at least 1 text input');
		expect(issuesOf(() => new TextInputBuilder('a').setLabel('A').setLength(10, 5).toJSON()).paths).toContain(
			'min_length',
		);
	});
});

describe('command builders', () => {
	it('builds a slash command with options and subcommands', () => {
		const command = new SlashCommandBuilder('ping', 'Replies with the latency')
			.addStringOption({
				name: 'format',
				description: 'How to show it',
				required: true,
				choices: [{ name: 'ms', value: 'ms' }],
			})
			.addIntegerOption({ name: 'count', description: 'Times', minValue: 1, maxValue: 5 })
			.addSubcommand('deep', 'Deep ping', (sub) =>
				sub.addBooleanOption({ name: 'full', description: 'All shards' }),
			);
		expect(command.toJSON()).toMatchObject({
			type: ApplicationCommandType.ChatInput,
			name: 'ping',
			options: [
				{ type: 3, name: 'format', required: true, choices: [{ name: 'ms', value: 'ms' }] },
				{ type: 4, name: 'count', min_value: 1, max_value: 5 },
				{ type: 1, name: 'deep', options: [{ type: 5, name: 'full' }] },
			],
		});
	});

	it('rejects bad names, long descriptions, duplicate options and required-after-optional', () => {
		expect(issuesOf(() => new SlashCommandBuilder('Ping Me', 'x').toJSON()).message).toMatch(
			/name: may only contain.*name: must be lowercase/,
		);
		expect(issuesOf(() => new SlashCommandBuilder('ping', 'x'.repeat(101)).toJSON()).paths).toContain(
			'description',
		);
		const dup = new SlashCommandBuilder('ping', 'd')
			.addBooleanOption({ name: 'a', description: 'a' })
			.addBooleanOption({ name: 'a', description: 'b' });
		expect(issuesOf(() => dup.toJSON()).message).toContain('duplicate option name "a"');
		const order = new SlashCommandBuilder('ping', 'd')
			.addBooleanOption({ name: 'a', description: 'a' })
			.addUserOption({ name: 'b', description: 'b', required: true });
		expect(issuesOf(() => order.toJSON()).paths).toContain('options.1.required');
		let many = new SlashCommandBuilder('ping', 'd');
		for (let i = 0; i < 26; i++) many = many.addBooleanOption({ name: `o${i}`, description: 'd' });
		expect(issuesOf(() => many.toJSON()).message).toContain('at most 25 options');
	});

	it('builds context-menu commands', () => {
		expect(new ContextMenuCommandBuilder('Show Info', ApplicationCommandType.User).toJSON()).toEqual({
			name: 'Show Info',
			type: ApplicationCommandType.User,
		});
		expect(
			issuesOf(() => new ContextMenuCommandBuilder('', ApplicationCommandType.Message).toJSON()).paths,
		).toContain('name');
	});
});
