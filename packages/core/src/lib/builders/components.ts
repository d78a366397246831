import {
	ButtonStyle,
	ComponentType,
	TextInputStyle,
	type APIActionRowComponent,
	type APIButtonComponent,
	type APIComponentInMessageActionRow,
	type APIMessageComponentEmoji,
	type APISelectMenuOption,
	type APIStringSelectComponent,
	type APITextInputComponent,
} from 'discord-api-types/v10';
import type { SkuId } from '@ovenjs/types';
import { z } from 'zod';
import { maxChars, maxItems, minChars, validateBuilder } from './validate.js';
import { markClass } from '@ovenjs/types';

/** Discord's component limits. @see {@link https://discord.com/developers/docs/components/reference} */
export const ComponentLimits = {
	customId: 100,
	buttonLabel: 80,
	actionRowButtons: 5,
	selectOptions: 25,
	selectPlaceholder: 150,
	selectOptionText: 100,
	textInputLabel: 45,
	textInputValue: 4000,
	textInputPlaceholder: 100,
} as const;

const customId = z.string().min(1, minChars(1)).max(ComponentLimits.customId, maxChars(ComponentLimits.customId));
const emoji = z
	.object({ id: z.string().optional(), name: z.string().optional(), animated: z.boolean().optional() })
	.optional();

const ButtonSchema = z
	.object({
		type: z.literal(ComponentType.Button),
		style: z.enum(ButtonStyle),
		label: z.string().max(ComponentLimits.buttonLabel, maxChars(ComponentLimits.buttonLabel)).optional(),
		custom_id: customId.optional(),
		url: z
			.string()
			.refine((value) => URL.canParse(value), { error: 'must be a valid URL' })
			.optional(),
		sku_id: z.string().optional(),
		emoji,
		disabled: z.boolean().optional(),
	})
	.superRefine((button, ctx) => {
		if (button.style === ButtonStyle.Link) {
			if (button.url === undefined)
				ctx.addIssue({ code: 'custom', path: ['url'], message: 'a Link button needs a URL (setURL)' });
			if (button.custom_id !== undefined)
				ctx.addIssue({ code: 'custom', path: ['custom_id'], message: 'a Link button cannot have a custom ID' });
		} else if (button.style === ButtonStyle.Premium) {
			if (button.sku_id === undefined)
				ctx.addIssue({ code: 'custom', path: ['sku_id'], message: 'a Premium button needs a SKU ID' });
		} else {
			if (button.custom_id === undefined)
				ctx.addIssue({
					code: 'custom',
					path: ['custom_id'],
					message: 'a non-link button needs a custom ID (setCustomId)',
				});
			if (button.url !== undefined)
				ctx.addIssue({ code: 'custom', path: ['url'], message: 'only Link buttons can have a URL' });
		}
		if (button.style !== ButtonStyle.Premium && button.label === undefined && button.emoji === undefined) {
			ctx.addIssue({ code: 'custom', path: ['label'], message: 'a button needs a label or an emoji' });
		}
	});

const SelectOptionSchema = z.object({
	label: z
		.string()
		.min(1, minChars(1))
		.max(ComponentLimits.selectOptionText, maxChars(ComponentLimits.selectOptionText)),
	value: z
		.string()
		.min(1, minChars(1))
		.max(ComponentLimits.selectOptionText, maxChars(ComponentLimits.selectOptionText)),
	description: z
		.string()
		.max(ComponentLimits.selectOptionText, maxChars(ComponentLimits.selectOptionText))
		.optional(),
	emoji,
	default: z.boolean().optional(),
});

const StringSelectSchema = z
	.object({
		type: z.literal(ComponentType.StringSelect),
		custom_id: customId,
		options: z
			.array(SelectOptionSchema)
			.min(1, { error: 'must have at least 1 option' })
			.max(ComponentLimits.selectOptions, maxItems(ComponentLimits.selectOptions, 'options')),
		placeholder: z
			.string()
			.max(ComponentLimits.selectPlaceholder, maxChars(ComponentLimits.selectPlaceholder))
			.optional(),
		min_values: z
			.number()
			.int()
			.min(0, { error: 'must be between 0 and 25' })
			.max(25, { error: 'must be between 0 and 25' })
			.optional(),
		max_values: z
			.number()
			.int()
			.min(1, { error: 'must be between 1 and 25' })
			.max(25, { error: 'must be between 1 and 25' })
			.optional(),
		disabled: z.boolean().optional(),
	})
	.superRefine((menu, ctx) => {
		if (menu.min_values !== undefined && menu.max_values !== undefined && menu.min_values > menu.max_values) {
			ctx.addIssue({ code: 'custom', path: ['min_values'], message: 'must not exceed max_values' });
		}
		if (menu.max_values !== undefined && menu.max_values > menu.options.length) {
			ctx.addIssue({
				code: 'custom',
				path: ['max_values'],
				message: `must not exceed the number of options (${menu.options.length})`,
			});
		}
	});

const TextInputSchema = z
	.object({
		type: z.literal(ComponentType.TextInput),
		custom_id: customId,
		style: z.enum(TextInputStyle),
		label: z
			.string()
			.min(1, minChars(1))
			.max(ComponentLimits.textInputLabel, maxChars(ComponentLimits.textInputLabel))
			.optional(),
		placeholder: z
			.string()
			.max(ComponentLimits.textInputPlaceholder, maxChars(ComponentLimits.textInputPlaceholder))
			.optional(),
		value: z.string().max(ComponentLimits.textInputValue, maxChars(ComponentLimits.textInputValue)).optional(),
		min_length: z
			.number()
			.int()
			.min(0, { error: 'must be between 0 and 4000' })
			.max(4000, { error: 'must be between 0 and 4000' })
			.optional(),
		max_length: z
			.number()
			.int()
			.min(1, { error: 'must be between 1 and 4000' })
			.max(4000, { error: 'must be between 1 and 4000' })
			.optional(),
		required: z.boolean().optional(),
	})
	.superRefine((input, ctx) => {
		if (input.min_length !== undefined && input.max_length !== undefined && input.min_length > input.max_length) {
			ctx.addIssue({ code: 'custom', path: ['min_length'], message: 'must not exceed max_length' });
		}
	});

/** Builds a button. A `Link` button needs `setURL`, every other style a `setCustomId`. */
export class ButtonBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ButtonBuilder');
	}

	readonly #data: {
		style: ButtonStyle;
		label?: string;
		custom_id?: string;
		url?: string;
		sku_id?: string;
		emoji?: APIMessageComponentEmoji;
		disabled?: boolean;
	};

	public constructor(style: ButtonStyle = ButtonStyle.Primary) {
		this.#data = { style };
	}

	/** Sets the style (`ButtonStyle.Primary`, `Link`, ...). */
	public setStyle(style: ButtonStyle): this {
		this.#data.style = style;
		return this;
	}

	/** Sets the label (at most 80 characters). */
	public setLabel(label: string): this {
		this.#data.label = label;
		return this;
	}

	/** Sets the custom ID your interaction handler receives (at most 100 characters). */
	public setCustomId(customId: string): this {
		this.#data.custom_id = customId;
		return this;
	}

	/** Sets the URL of a `Link` button. */
	public setURL(url: string): this {
		this.#data.url = url;
		return this;
	}

	/** Sets the SKU of a `Premium` button. */
	public setSkuId(skuId: SkuId): this {
		this.#data.sku_id = skuId;
		return this;
	}

	/** Sets the emoji. */
	public setEmoji(emoji: APIMessageComponentEmoji): this {
		this.#data.emoji = emoji;
		return this;
	}

	/** Disables (or enables) the button. */
	public setDisabled(disabled = true): this {
		this.#data.disabled = disabled;
		return this;
	}

	/** Returns the payload. @throws {@link BuilderValidationError} when a limit or rule is broken. */
	public toJSON(): APIButtonComponent {
		const data = { type: ComponentType.Button, ...this.#data };
		validateBuilder('ButtonBuilder', ButtonSchema, data);
		const { style, label, custom_id, url, sku_id, emoji: icon, disabled } = data;
		const extras = {
			...(disabled === undefined ? {} : { disabled }),
			...(icon === undefined ? {} : { emoji: icon }),
		};
		if (style === ButtonStyle.Link)
			return {
				type: ComponentType.Button,
				style,
				url: url ?? '',
				...(label === undefined ? {} : { label }),
				...extras,
			};
		if (style === ButtonStyle.Premium)
			return {
				type: ComponentType.Button,
				style,
				sku_id: sku_id ?? '',
				...(disabled === undefined ? {} : { disabled }),
			};
		return {
			type: ComponentType.Button,
			style,
			custom_id: custom_id ?? '',
			...(label === undefined ? {} : { label }),
			...extras,
		};
	}
}

/** Builds a string select menu. */
export class StringSelectMenuBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.StringSelectMenuBuilder');
	}

	readonly #data: Omit<APIStringSelectComponent, 'type' | 'options'> & { options: APISelectMenuOption[] };

	public constructor(customId: string) {
		this.#data = { custom_id: customId, options: [] };
	}

	/** Sets the placeholder (at most 150 characters). */
	public setPlaceholder(placeholder: string): this {
		this.#data.placeholder = placeholder;
		return this;
	}

	/** Sets how many options may be picked. */
	public setValueRange(min: number, max: number): this {
		this.#data.min_values = min;
		this.#data.max_values = max;
		return this;
	}

	/** Appends options (1 to 25 in total). */
	public addOptions(...options: readonly APISelectMenuOption[]): this {
		this.#data.options.push(...options);
		return this;
	}

	/** Disables (or enables) the menu. */
	public setDisabled(disabled = true): this {
		this.#data.disabled = disabled;
		return this;
	}

	/** Returns the payload. @throws {@link BuilderValidationError} when a limit is broken. */
	public toJSON(): APIStringSelectComponent {
		return validateBuilder('StringSelectMenuBuilder', StringSelectSchema, {
			type: ComponentType.StringSelect,
			...structuredClone(this.#data),
		});
	}
}

/** Builds a text input for a modal. */
export class TextInputBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.TextInputBuilder');
	}

	readonly #data: Omit<APITextInputComponent, 'type'>;

	public constructor(customId: string, style: TextInputStyle = TextInputStyle.Short) {
		this.#data = { custom_id: customId, style };
	}

	/** Sets the label shown above the input (at most 45 characters). */
	public setLabel(label: string): this {
		this.#data.label = label;
		return this;
	}

	/** The label, if set (the modal builder wraps the input in a Label component with it). */
	public get label(): string | undefined {
		return this.#data.label;
	}

	/** Sets the style (`Short` or `Paragraph`). */
	public setStyle(style: TextInputStyle): this {
		this.#data.style = style;
		return this;
	}

	/** Sets the placeholder (at most 100 characters). */
	public setPlaceholder(placeholder: string): this {
		this.#data.placeholder = placeholder;
		return this;
	}

	/** Sets the pre-filled value (at most 4000 characters). */
	public setValue(value: string): this {
		this.#data.value = value;
		return this;
	}

	/** Sets the accepted length range (0–4000). */
	public setLength(min: number, max: number): this {
		this.#data.min_length = min;
		this.#data.max_length = max;
		return this;
	}

	/** Marks the input required (the default) or optional. */
	public setRequired(required = true): this {
		this.#data.required = required;
		return this;
	}

	/** Returns the payload. @throws {@link BuilderValidationError} when a limit is broken. */
	public toJSON(): APITextInputComponent {
		return validateBuilder('TextInputBuilder', TextInputSchema, { type: ComponentType.TextInput, ...this.#data });
	}
}

/** Builds an action row of message components: up to 5 buttons, or one select menu. */
export class ActionRowBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ActionRowBuilder');
	}

	readonly #components: (ButtonBuilder | StringSelectMenuBuilder)[] = [];

	/** Appends components. */
	public addComponents(...components: readonly (ButtonBuilder | StringSelectMenuBuilder)[]): this {
		this.#components.push(...components);
		return this;
	}

	/** Returns the payload. @throws {@link BuilderValidationError} when the row breaks a rule. */
	public toJSON(): APIActionRowComponent<APIComponentInMessageActionRow> {
		const components = this.#components.map((component) => component.toJSON());
		const selects = components.filter((component) => component.type !== ComponentType.Button).length;
		const RowSchema = z
			.array(z.unknown())
			.min(1, { error: 'an action row needs at least 1 component' })
			.max(ComponentLimits.actionRowButtons, maxItems(ComponentLimits.actionRowButtons, 'components'))
			.refine(() => selects === 0 || components.length === 1, {
				error: 'a select menu must be alone in its action row',
			});
		validateBuilder('ActionRowBuilder', RowSchema, components);
		return { type: ComponentType.ActionRow, components };
	}
}
