import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { z } from 'zod';
import { maxChars, maxItems, minChars, validateBuilder } from './validate.js';
import { markClass } from '@ovenjs/types';

/** Discord's embed limits. @see {@link https://discord.com/developers/docs/resources/message#embed-object-embed-limits} */
export const EmbedLimits = {
	title: 256,
	description: 4096,
	fields: 25,
	fieldName: 256,
	fieldValue: 1024,
	footerText: 2048,
	authorName: 256,
	total: 6000,
} as const;

const url = z.string().refine((value) => URL.canParse(value), { error: 'must be a valid URL' });

const EmbedSchema = z
	.object({
		title: z.string().max(EmbedLimits.title, maxChars(EmbedLimits.title)).optional(),
		description: z.string().max(EmbedLimits.description, maxChars(EmbedLimits.description)).optional(),
		url: url.optional(),
		timestamp: z.string().optional(),
		color: z
			.number()
			.int({ error: 'must be an integer' })
			.min(0, { error: 'must be between 0 and 0xFFFFFF' })
			.max(0xffffff, { error: 'must be between 0 and 0xFFFFFF' })
			.optional(),
		footer: z
			.object({
				text: z.string().min(1, minChars(1)).max(EmbedLimits.footerText, maxChars(EmbedLimits.footerText)),
				icon_url: url.optional(),
			})
			.optional(),
		image: z.object({ url }).optional(),
		thumbnail: z.object({ url }).optional(),
		author: z
			.object({
				name: z.string().min(1, minChars(1)).max(EmbedLimits.authorName, maxChars(EmbedLimits.authorName)),
				url: url.optional(),
				icon_url: url.optional(),
			})
			.optional(),
		fields: z
			.array(
				z.object({
					name: z.string().min(1, minChars(1)).max(EmbedLimits.fieldName, maxChars(EmbedLimits.fieldName)),
					value: z.string().min(1, minChars(1)).max(EmbedLimits.fieldValue, maxChars(EmbedLimits.fieldValue)),
					inline: z.boolean().optional(),
				}),
			)
			.max(EmbedLimits.fields, maxItems(EmbedLimits.fields, 'fields'))
			.optional(),
	})
	.superRefine((embed, ctx) => {
		const total = embedLength(embed);
		if (total > EmbedLimits.total)
			ctx.addIssue({
				code: 'custom',
				message: `the embed's text adds up to ${total} characters; Discord allows at most ${EmbedLimits.total}`,
			});
	});

/** The number of characters Discord counts toward an embed's 6000-character limit. */
export function embedLength(embed: {
	readonly title?: string | undefined;
	readonly description?: string | undefined;
	readonly fields?: readonly { readonly name: string; readonly value: string }[] | undefined;
	readonly footer?: { readonly text: string } | undefined;
	readonly author?: { readonly name: string } | undefined;
}): number {
	let total =
		(embed.title?.length ?? 0) +
		(embed.description?.length ?? 0) +
		(embed.footer?.text.length ?? 0) +
		(embed.author?.name.length ?? 0);
	for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
	return total;
}

/**
 * Builds an embed and checks it against Discord's limits when serialized.
 *
 * @example
 * ```ts
 * const embed = new EmbedBuilder().setTitle('Pong').setDescription('12 ms').setColor(0x5865f2);
 * await client.api.channels.createMessage(channelId, { embeds: [embed.toJSON()] });
 * ```
 */
export class EmbedBuilder {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.EmbedBuilder');
	}

	readonly #data: APIEmbed;

	public constructor(data: APIEmbed = {}) {
		this.#data = { ...data, ...(data.fields === undefined ? {} : { fields: [...data.fields] }) };
	}

	/** Sets the title (at most 256 characters). */
	public setTitle(title: string): this {
		this.#data.title = title;
		return this;
	}

	/** Sets the description (at most 4096 characters). */
	public setDescription(description: string): this {
		this.#data.description = description;
		return this;
	}

	/** Sets the URL the title links to. */
	public setURL(url: string): this {
		this.#data.url = url;
		return this;
	}

	/** Sets the colour as a 24-bit integer (`0x5865f2`). */
	public setColor(color: number): this {
		this.#data.color = color;
		return this;
	}

	/** Sets the timestamp shown in the footer (now when omitted). */
	public setTimestamp(timestamp: Date | number = Date.now()): this {
		this.#data.timestamp = new Date(timestamp).toISOString();
		return this;
	}

	/** Sets the footer. */
	public setFooter(footer: { text: string; iconURL?: string }): this {
		this.#data.footer = {
			text: footer.text,
			...(footer.iconURL === undefined ? {} : { icon_url: footer.iconURL }),
		};
		return this;
	}

	/** Sets the author line. */
	public setAuthor(author: { name: string; url?: string; iconURL?: string }): this {
		this.#data.author = {
			name: author.name,
			...(author.url === undefined ? {} : { url: author.url }),
			...(author.iconURL === undefined ? {} : { icon_url: author.iconURL }),
		};
		return this;
	}

	/** Sets the large image. */
	public setImage(url: string): this {
		this.#data.image = { url };
		return this;
	}

	/** Sets the thumbnail. */
	public setThumbnail(url: string): this {
		this.#data.thumbnail = { url };
		return this;
	}

	/** Appends fields (at most 25 in total). */
	public addFields(...fields: readonly APIEmbedField[]): this {
		this.#data.fields = [...(this.#data.fields ?? []), ...fields];
		return this;
	}

	/** Replaces all fields. */
	public setFields(...fields: readonly APIEmbedField[]): this {
		this.#data.fields = [...fields];
		return this;
	}

	/** The characters counted toward the 6000-character limit so far. */
	public get length(): number {
		return embedLength(this.#data);
	}

	/**
	 * Returns the embed payload.
	 * @throws {@link BuilderValidationError} listing every limit the embed breaks.
	 */
	public toJSON(): APIEmbed {
		return validateBuilder('EmbedBuilder', EmbedSchema, structuredClone(this.#data));
	}
}
