import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ComponentType,
	InteractionResponseType,
	InteractionType,
	type APIApplicationCommandAutocompleteInteraction,
	type APIApplicationCommandInteraction,
	type APIApplicationCommandInteractionDataOption,
	type APIApplicationCommandOptionChoice,
	type APIChatInputApplicationCommandInteraction,
	type APIInteraction,
	type APIMessageComponentInteraction,
	type APIModalSubmitInteraction,
	type APIUser,
	type ModalSubmitComponent,
} from 'discord-api-types/v10';
import type { ModalBuilder } from '../builders/ModalBuilder.js';
import { CoreError } from '../errors/CoreError.js';
import { BaseInteraction, toMessageBody, type InteractionContext, type InteractionReply } from './BaseInteraction.js';
import { markClass } from '@ovenjs/types';

type AnyOption = APIApplicationCommandInteractionDataOption;

/** Flattens subcommand groups and subcommands into the leaf options. */
function leafOptions(options: readonly AnyOption[] | undefined): { path: string[]; options: readonly AnyOption[] } {
	const path: string[] = [];
	let current = options ?? [];
	for (;;) {
		const first = current[0];
		if (
			first?.type === ApplicationCommandOptionType.SubcommandGroup ||
			first?.type === ApplicationCommandOptionType.Subcommand
		) {
			path.push(first.name);
			current = first.options ?? [];
		} else {
			return { path, options: current };
		}
	}
}

/** Adds `showModal()` to interactions that may answer with a modal. */
class ModalCapableInteraction<Raw extends APIInteraction> extends BaseInteraction<Raw> {
	/** Answers with a modal (the initial response). */
	public async showModal(modal: ModalBuilder): Promise<void> {
		await this.respondWith({ type: InteractionResponseType.Modal, data: modal.toJSON() });
	}
}

/** Typed access to a command's options. */
export class CommandOptions {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.CommandOptions');
	}

	/** The subcommand group and subcommand names, outermost first. */
	public readonly path: readonly string[];
	readonly #byName: ReadonlyMap<string, AnyOption>;
	readonly #users: Readonly<Record<string, APIUser>>;

	public constructor(options: readonly AnyOption[] | undefined, users: Readonly<Record<string, APIUser>> = {}) {
		const { path, options: leaves } = leafOptions(options);
		this.path = path;
		this.#byName = new Map(leaves.map((option) => [option.name, option]));
		this.#users = users;
	}

	/** The subcommand name, if the command has one. */
	public get subcommand(): string | undefined {
		return this.path.at(-1);
	}

	#value(name: string, type: ApplicationCommandOptionType): unknown {
		const option = this.#byName.get(name);
		if (option?.type !== type) return undefined;
		return 'value' in option ? option.value : undefined;
	}

	/** A string option's value. */
	public getString(name: string): string | undefined {
		const value = this.#value(name, ApplicationCommandOptionType.String);
		return typeof value === 'string' ? value : undefined;
	}

	/** An integer option's value. */
	public getInteger(name: string): number | undefined {
		const value = this.#value(name, ApplicationCommandOptionType.Integer);
		return typeof value === 'number' ? value : undefined;
	}

	/** A number option's value. */
	public getNumber(name: string): number | undefined {
		const value = this.#value(name, ApplicationCommandOptionType.Number);
		return typeof value === 'number' ? value : undefined;
	}

	/** A boolean option's value. */
	public getBoolean(name: string): boolean | undefined {
		const value = this.#value(name, ApplicationCommandOptionType.Boolean);
		return typeof value === 'boolean' ? value : undefined;
	}

	/** A user option's user (resolved from the interaction's `resolved` data). */
	public getUser(name: string): APIUser | undefined {
		const value = this.#value(name, ApplicationCommandOptionType.User);
		return typeof value === 'string' ? this.#users[value] : undefined;
	}

	/** Whether an option was given. */
	public has(name: string): boolean {
		return this.#byName.has(name);
	}
}

/** A slash command invocation. */
export class ChatInputCommandInteraction extends ModalCapableInteraction<APIChatInputApplicationCommandInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ChatInputCommandInteraction');
	}

	/** The command's name. */
	public readonly commandName: string;
	/** The options the user gave. */
	public readonly options: CommandOptions;

	public constructor(
		raw: APIChatInputApplicationCommandInteraction,
		context: InteractionContext,
		receivedAt?: number,
	) {
		super(raw, context, receivedAt);
		this.commandName = raw.data.name;
		this.options = new CommandOptions(raw.data.options, raw.data.resolved?.users ?? {});
	}
}

/** A user or message context-menu invocation (or the primary entry point command). */
export class ContextMenuCommandInteraction extends ModalCapableInteraction<APIApplicationCommandInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ContextMenuCommandInteraction');
	}

	/** The command's name. */
	public readonly commandName: string;
	/** The ID of the user or message the command targets. */
	public readonly targetId: string | undefined;

	public constructor(raw: APIApplicationCommandInteraction, context: InteractionContext, receivedAt?: number) {
		super(raw, context, receivedAt);
		this.commandName = raw.data.name;
		this.targetId =
			raw.data.type === ApplicationCommandType.User || raw.data.type === ApplicationCommandType.Message
				? raw.data.target_id
				: undefined;
	}
}

/** A button press or select-menu choice. */
export class ComponentInteraction extends ModalCapableInteraction<APIMessageComponentInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ComponentInteraction');
	}

	/** The component's custom ID. */
	public readonly customId: string;
	/** The selected values (select menus); empty for buttons. */
	public readonly values: readonly string[];

	public constructor(raw: APIMessageComponentInteraction, context: InteractionContext, receivedAt?: number) {
		super(raw, context, receivedAt);
		this.customId = raw.data.custom_id;
		this.values = raw.data.component_type === ComponentType.Button ? [] : raw.data.values;
	}

	/** Whether a button was pressed. */
	public isButton(): boolean {
		return this.raw.data.component_type === ComponentType.Button;
	}

	/** Edits the message the component is on (the initial response). */
	public async update(reply: InteractionReply): Promise<void> {
		const { body, files } = toMessageBody(reply);
		await this.respondWith({ type: InteractionResponseType.UpdateMessage, data: body }, files);
	}

	/** Acknowledges without a visible change; edit later with `editReply`. */
	public async deferUpdate(): Promise<void> {
		await this.respondWith({ type: InteractionResponseType.DeferredMessageUpdate });
		this.deferred = true;
	}
}

function collectFields(components: APIModalSubmitInteraction['data']['components']): Map<string, ModalSubmitComponent> {
	const out = new Map<string, ModalSubmitComponent>();
	for (const component of components) {
		if (component.type === ComponentType.Label) out.set(component.component.custom_id, component.component);
		else if (component.type === ComponentType.ActionRow)
			for (const input of component.components) out.set(input.custom_id, input);
	}
	return out;
}

/** A modal submission. */
export class ModalSubmitInteraction extends BaseInteraction<APIModalSubmitInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ModalSubmitInteraction');
	}

	/** The modal's custom ID. */
	public readonly customId: string;
	readonly #fields: ReadonlyMap<string, ModalSubmitComponent>;

	public constructor(raw: APIModalSubmitInteraction, context: InteractionContext, receivedAt?: number) {
		super(raw, context, receivedAt);
		this.customId = raw.data.custom_id;
		this.#fields = collectFields(raw.data.components);
	}

	/** The text a user typed into the input with `customId`. */
	public getTextInput(customId: string): string | undefined {
		const field = this.#fields.get(customId);
		return field?.type === ComponentType.TextInput ? field.value : undefined;
	}

	/** The custom IDs of every submitted field. */
	public get fieldIds(): string[] {
		return [...this.#fields.keys()];
	}
}

/** An autocomplete request: answer with {@link AutocompleteInteraction.respond}. */
export class AutocompleteInteraction extends BaseInteraction<APIApplicationCommandAutocompleteInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.AutocompleteInteraction');
	}

	/** The command's name. */
	public readonly commandName: string;
	/** The option being typed and its current text. */
	public readonly focused: { readonly name: string; readonly value: string } | undefined;
	/** The other options given so far. */
	public readonly options: CommandOptions;

	public constructor(
		raw: APIApplicationCommandAutocompleteInteraction,
		context: InteractionContext,
		receivedAt?: number,
	) {
		super(raw, context, receivedAt);
		this.commandName = raw.data.name;
		const { options } = leafOptions(raw.data.options);
		let focused: { name: string; value: string } | undefined;
		for (const option of options) {
			if ('focused' in option && option.focused && 'value' in option)
				focused = { name: option.name, value: String(option.value) };
		}
		this.focused = focused;
		this.options = new CommandOptions(raw.data.options);
	}

	/**
	 * Sends up to 25 suggestions.
	 * @throws {@link CoreError} `CORE_AUTOCOMPLETE_CHOICES` when more than 25 choices are given.
	 */
	public async respond(choices: readonly APIApplicationCommandOptionChoice[]): Promise<void> {
		if (choices.length > 25) throw CoreError.of('CORE_AUTOCOMPLETE_CHOICES', [choices.length, 25]);
		await this.respondWith({
			type: InteractionResponseType.ApplicationCommandAutocompleteResult,
			data: { choices: [...choices] },
		});
	}
}

/** Every typed interaction {@link createInteraction} returns. */
export type AnyInteraction =
	| ChatInputCommandInteraction
	| ContextMenuCommandInteraction
	| ComponentInteraction
	| ModalSubmitInteraction
	| AutocompleteInteraction;

/** Wraps a raw interaction in its typed class, or returns `undefined` for `PING` (answered by the HTTP layer). */
export function createInteraction(
	raw: APIInteraction,
	context: InteractionContext,
	receivedAt: number = Date.now(),
): AnyInteraction | undefined {
	switch (raw.type) {
		case InteractionType.ApplicationCommand:
			return chatInputOrContext(raw, context, receivedAt);
		case InteractionType.MessageComponent:
			return new ComponentInteraction(raw, context, receivedAt);
		case InteractionType.ModalSubmit:
			return new ModalSubmitInteraction(raw, context, receivedAt);
		case InteractionType.ApplicationCommandAutocomplete:
			return new AutocompleteInteraction(raw, context, receivedAt);
		case InteractionType.Ping:
			return undefined;
	}
}

function chatInputOrContext(
	raw: APIApplicationCommandInteraction,
	context: InteractionContext,
	receivedAt: number,
): AnyInteraction {
	if (raw.data.type === ApplicationCommandType.ChatInput)
		return new ChatInputCommandInteraction({ ...raw, data: raw.data }, context, receivedAt);
	return new ContextMenuCommandInteraction(raw, context, receivedAt);
}
