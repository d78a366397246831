import {
	ComponentType,
	type APILabelComponent,
	type APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { z } from 'zod';
import type { TextInputBuilder } from './components.js';
import { maxChars, minChars, validateBuilder } from './validate.js';
import { markClass } from '@ovenjs/types';

/** Discord's modal limits. */
export const ModalLimits = { title: 45, customId: 100, components: 5 } as const;

const ModalSchema = z.object({
	custom_id: z.string().min(1, minChars(1)).max(ModalLimits.customId, maxChars(ModalLimits.customId)),
	title: z.string().min(1, minChars(1)).max(ModalLimits.title, maxChars(ModalLimits.title)),
	components: z
		.array(
			z.object({
				label: z.string().min(1, { error: 'every text input needs a label (setLabel)' }).max(45, maxChars(45)),
			}),
		)
		.min(1, { error: 'a modal needs at least 1 text input' })
		.max(ModalLimits.components, { error: `a modal has at most ${ModalLimits.components} inputs` }),
});

/**
 * Builds a modal of text inputs. Each input is sent inside a Label component carrying its label.
 *
 * @example
 * ```ts
 * const modal = new ModalBuilder('feedback', 'Feedback').addInputs(new TextInputBuilder('text').setLabel('Your thoughts'));
 * await interaction.showModal(modal);
 * ```
 */
export class ModalBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ModalBuilder');
	}

	readonly #customId: string;
	readonly #title: string;
	readonly #inputs: TextInputBuilder[] = [];

	public constructor(customId: string, title: string) {
		this.#customId = customId;
		this.#title = title;
	}

	/** Appends text inputs (1 to 5 in total). */
	public addInputs(...inputs: readonly TextInputBuilder[]): this {
		this.#inputs.push(...inputs);
		return this;
	}

	/** Returns the payload. @throws {@link BuilderValidationError} when a limit is broken. */
	public toJSON(): APIModalInteractionResponseCallbackData {
		validateBuilder('ModalBuilder', ModalSchema, {
			custom_id: this.#customId,
			title: this.#title,
			components: this.#inputs.map((input) => ({ label: input.label ?? '' })),
		});
		const components: APILabelComponent[] = this.#inputs.map((input) => {
			const { label, ...component } = input.toJSON();
			return { type: ComponentType.Label, label: label ?? '', component };
		});
		return { custom_id: this.#customId, title: this.#title, components };
	}
}
