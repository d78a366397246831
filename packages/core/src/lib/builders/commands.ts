import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	type APIApplicationCommandBasicOption,
	type APIApplicationCommandOption,
	type APIApplicationCommandOptionChoice,
	type ApplicationCommandOptionAllowedChannelType,
	type RESTPostAPIChatInputApplicationCommandsJSONBody,
	type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { z } from 'zod';
import { maxChars, maxItems, minChars, validateBuilder } from './validate.js';
import { markClass } from '@ovenjs/types';

/** Discord's application-command limits. @see {@link https://discord.com/developers/docs/interactions/application-commands} */
export const CommandLimits = {
	name: 32,
	description: 100,
	options: 25,
	choices: 25,
	choiceName: 100,
	choiceValue: 100,
	total: 4000,
} as const;

/** Discord's rule for chat-input command and option names. */
export const COMMAND_NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const name = z
	.string()
	.min(1, minChars(1))
	.max(CommandLimits.name, maxChars(CommandLimits.name))
	.regex(COMMAND_NAME_PATTERN, { error: 'may only contain letters, numbers, "-", "_" and "\'" (no spaces)' })
	.refine((value) => value === value.toLowerCase(), { error: 'must be lowercase' });
const description = z.string().min(1, minChars(1)).max(CommandLimits.description, maxChars(CommandLimits.description));
const choice = z.object({
	name: z.string().min(1, minChars(1)).max(CommandLimits.choiceName, maxChars(CommandLimits.choiceName)),
	value: z.union([z.string().max(CommandLimits.choiceValue, maxChars(CommandLimits.choiceValue)), z.number()]),
});

interface OptionShape {
	readonly name: string;
	readonly required?: boolean;
	readonly options?: readonly OptionShape[];
}

function checkOptions(
	options: readonly OptionShape[] | undefined,
	ctx: z.RefinementCtx,
	path: (string | number)[],
): void {
	if (options === undefined) return;
	const seen = new Set<string>();
	let optionalSeen = false;
	options.forEach((option, index) => {
		if (seen.has(option.name))
			ctx.addIssue({
				code: 'custom',
				path: [...path, index, 'name'],
				message: `duplicate option name "${option.name}"`,
			});
		seen.add(option.name);
		if (option.required === true && optionalSeen)
			ctx.addIssue({
				code: 'custom',
				path: [...path, index, 'required'],
				message: 'required options must come before optional ones',
			});
		if (option.required !== true) optionalSeen = true;
		checkOptions(option.options, ctx, [...path, index, 'options']);
	});
}

const OptionSchema: z.ZodType = z.lazy(() =>
	z.object({
		type: z.enum(ApplicationCommandOptionType),
		name,
		description,
		required: z.boolean().optional(),
		choices: z.array(choice).max(CommandLimits.choices, maxItems(CommandLimits.choices, 'choices')).optional(),
		options: z
			.array(OptionSchema)
			.max(CommandLimits.options, maxItems(CommandLimits.options, 'options'))
			.optional(),
		autocomplete: z.boolean().optional(),
		min_length: z.number().int().min(0).max(6000).optional(),
		max_length: z.number().int().min(1).max(6000).optional(),
	}),
);

function textLength(command: {
	readonly name: string;
	readonly description?: string | undefined;
	readonly options?: readonly unknown[] | undefined;
}): number {
	let total = command.name.length + (command.description?.length ?? 0);
	const walk = (value: unknown): void => {
		if (typeof value !== 'object' || value === null) return;
		for (const key of ['name', 'description']) {
			const text: unknown = Reflect.get(value, key);
			if (typeof text === 'string') total += text.length;
		}
		for (const key of ['options', 'choices']) {
			const list: unknown = Reflect.get(value, key);
			if (isUnknownArray(list)) for (const item of list) walk(item);
		}
	};
	for (const option of command.options ?? []) walk(option);
	return total;
}

const ChatInputSchema = z
	.object({
		name,
		description,
		options: z
			.array(OptionSchema)
			.max(CommandLimits.options, maxItems(CommandLimits.options, 'options'))
			.optional(),
	})
	.superRefine((command, ctx) => {
		checkOptions(command.options?.filter(isOptionShape), ctx, ['options']);
		const total = textLength(command);
		if (total > CommandLimits.total)
			ctx.addIssue({
				code: 'custom',
				message: `names, descriptions and choices add up to ${total} characters; Discord allows at most ${CommandLimits.total}`,
			});
	});

function isUnknownArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isOptionShape(value: unknown): value is OptionShape {
	return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'name') === 'string';
}

/** Fields shared by every option helper. */
export interface CommandOptionInput {
	/** The option's name (lowercase, 1–32 characters). */
	readonly name: string;
	/** The option's description (1–100 characters). */
	readonly description: string;
	/** Whether the option must be given. @defaultValue `false` */
	readonly required?: boolean;
}

/** A string option. */
export interface StringOptionInput extends CommandOptionInput {
	/** Fixed choices (at most 25). */
	readonly choices?: readonly APIApplicationCommandOptionChoice<string>[];
	/** Whether Discord asks the bot for suggestions (cannot be combined with choices). */
	readonly autocomplete?: boolean;
	/** Minimum length (0–6000). */
	readonly minLength?: number;
	/** Maximum length (1–6000). */
	readonly maxLength?: number;
}

/** An integer or number option. */
export interface NumberOptionInput extends CommandOptionInput {
	/** Fixed choices (at most 25). */
	readonly choices?: readonly APIApplicationCommandOptionChoice<number>[];
	/** Whether Discord asks the bot for suggestions. */
	readonly autocomplete?: boolean;
	/** Smallest accepted value. */
	readonly minValue?: number;
	/** Largest accepted value. */
	readonly maxValue?: number;
}

/** A channel option. */
export interface ChannelOptionInput extends CommandOptionInput {
	/** The channel types offered. */
	readonly channelTypes?: readonly ApplicationCommandOptionAllowedChannelType[];
}

function base(input: CommandOptionInput): { name: string; description: string; required?: boolean } {
	return {
		name: input.name,
		description: input.description,
		...(input.required === undefined ? {} : { required: input.required }),
	};
}

/** Where an {@link OptionsBuilder} puts the options it builds: the list its subclass owns. */
interface OptionSink {
	push(option: APIApplicationCommandBasicOption): number;
}

/**
 * Collects options; shared by {@link SlashCommandBuilder} and {@link SlashSubcommandBuilder}, each of which hands
 * in the list it owns.
 */
abstract class OptionsBuilder {
	readonly #sink: OptionSink;

	public constructor(sink: OptionSink) {
		this.#sink = sink;
	}

	#push(option: APIApplicationCommandBasicOption): this {
		this.#sink.push(option);
		return this;
	}

	/** Adds a string option. */
	public addStringOption(input: StringOptionInput): this {
		return this.#push({
			type: ApplicationCommandOptionType.String,
			...base(input),
			...(input.minLength === undefined ? {} : { min_length: input.minLength }),
			...(input.maxLength === undefined ? {} : { max_length: input.maxLength }),
			...(input.autocomplete === true
				? { autocomplete: true }
				: input.choices === undefined
					? {}
					: { choices: [...input.choices] }),
		});
	}

	/** Adds an integer option. */
	public addIntegerOption(input: NumberOptionInput): this {
		const option = { type: ApplicationCommandOptionType.Integer, ...base(input), ...range(input) } as const;
		return this.#push(
			input.autocomplete === true
				? { ...option, autocomplete: true }
				: { ...option, ...(input.choices === undefined ? {} : { choices: [...input.choices] }) },
		);
	}

	/** Adds a number (double) option. */
	public addNumberOption(input: NumberOptionInput): this {
		const option = { type: ApplicationCommandOptionType.Number, ...base(input), ...range(input) } as const;
		return this.#push(
			input.autocomplete === true
				? { ...option, autocomplete: true }
				: { ...option, ...(input.choices === undefined ? {} : { choices: [...input.choices] }) },
		);
	}

	/** Adds a boolean option. */
	public addBooleanOption(input: CommandOptionInput): this {
		return this.#push({ type: ApplicationCommandOptionType.Boolean, ...base(input) });
	}

	/** Adds a user option. */
	public addUserOption(input: CommandOptionInput): this {
		return this.#push({ type: ApplicationCommandOptionType.User, ...base(input) });
	}

	/** Adds a channel option. */
	public addChannelOption(input: ChannelOptionInput): this {
		return this.#push({
			type: ApplicationCommandOptionType.Channel,
			...base(input),
			...(input.channelTypes === undefined ? {} : { channel_types: [...input.channelTypes] }),
		});
	}

	/** Adds a role option. */
	public addRoleOption(input: CommandOptionInput): this {
		return this.#push({ type: ApplicationCommandOptionType.Role, ...base(input) });
	}

	/** Adds a mentionable (user or role) option. */
	public addMentionableOption(input: CommandOptionInput): this {
		return this.#push({ type: ApplicationCommandOptionType.Mentionable, ...base(input) });
	}

	/** Adds an attachment option. */
	public addAttachmentOption(input: CommandOptionInput): this {
		return this.#push({ type: ApplicationCommandOptionType.Attachment, ...base(input) });
	}
}

function range(input: NumberOptionInput): { min_value?: number; max_value?: number } {
	return {
		...(input.minValue === undefined ? {} : { min_value: input.minValue }),
		...(input.maxValue === undefined ? {} : { max_value: input.maxValue }),
	};
}

/** Builds a subcommand (used with {@link SlashCommandBuilder.addSubcommand}). */
export class SlashSubcommandBuilder extends OptionsBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.SlashSubcommandBuilder');
	}

	readonly #name: string;
	readonly #description: string;
	readonly #options: APIApplicationCommandBasicOption[];

	public constructor(name: string, description: string) {
		const options: APIApplicationCommandBasicOption[] = [];
		super(options);
		this.#options = options;
		this.#name = name;
		this.#description = description;
	}

	/** Returns the subcommand option. Validated as part of the parent command. */
	public toJSON(): APIApplicationCommandOption {
		return {
			type: ApplicationCommandOptionType.Subcommand,
			name: this.#name,
			description: this.#description,
			options: [...this.#options],
		};
	}
}

/**
 * Builds a chat-input (slash) command and validates it against Discord's limits.
 *
 * @example
 * ```ts
 * const ping = new SlashCommandBuilder('ping', 'Replies with the latency').addBooleanOption({ name: 'ephemeral', description: 'Only you see it' });
 * await client.registerCommands([ping]);
 * ```
 */
export class SlashCommandBuilder extends OptionsBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.SlashCommandBuilder');
	}

	readonly #name: string;
	readonly #description: string;
	readonly #options: APIApplicationCommandOption[];
	#extra: Pick<
		RESTPostAPIChatInputApplicationCommandsJSONBody,
		'default_member_permissions' | 'nsfw' | 'contexts' | 'integration_types'
	> = {};

	public constructor(name: string, description: string) {
		const options: APIApplicationCommandOption[] = [];
		super(options);
		this.#options = options;
		this.#name = name;
		this.#description = description;
	}

	/** Adds a subcommand built by `build`. */
	public addSubcommand(
		name: string,
		description: string,
		build: (sub: SlashSubcommandBuilder) => SlashSubcommandBuilder = (sub) => sub,
	): this {
		this.#options.push(build(new SlashSubcommandBuilder(name, description)).toJSON());
		return this;
	}

	/** Restricts the command to members with these permissions (a bitfield string), `null` for everyone. */
	public setDefaultMemberPermissions(permissions: string | null): this {
		this.#extra = { ...this.#extra, default_member_permissions: permissions };
		return this;
	}

	/** Marks the command age-restricted. */
	public setNSFW(nsfw = true): this {
		this.#extra = { ...this.#extra, nsfw };
		return this;
	}

	/** Returns the command payload. @throws {@link BuilderValidationError} listing every broken limit. */
	public toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody {
		const data: RESTPostAPIChatInputApplicationCommandsJSONBody = {
			type: ApplicationCommandType.ChatInput,
			name: this.#name,
			description: this.#description,
			options: structuredClone(this.#options),
			...this.#extra,
		};
		return validateBuilder('SlashCommandBuilder', ChatInputSchema, data);
	}
}

const ContextMenuSchema = z.object({
	name: z.string().min(1, minChars(1)).max(CommandLimits.name, maxChars(CommandLimits.name)),
	type: z.union([z.literal(ApplicationCommandType.User), z.literal(ApplicationCommandType.Message)]),
});

/** Builds a user or message context-menu command (names may contain spaces and capitals). */
export class ContextMenuCommandBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ContextMenuCommandBuilder');
	}

	readonly #name: string;
	readonly #type: ApplicationCommandType.User | ApplicationCommandType.Message;

	public constructor(name: string, type: ApplicationCommandType.User | ApplicationCommandType.Message) {
		this.#name = name;
		this.#type = type;
	}

	/** Returns the command payload. @throws {@link BuilderValidationError} when the name is invalid. */
	public toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody {
		return validateBuilder('ContextMenuCommandBuilder', ContextMenuSchema, { name: this.#name, type: this.#type });
	}
}
