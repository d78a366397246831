import { inspect } from 'node:util';
import {
	InteractionResponseType,
	MessageFlags,
	type APIActionRowComponent,
	type APIComponentInMessageActionRow,
	type APIEmbed,
	type APIInteraction,
	type APIInteractionResponse,
	type APIMessage,
	type APIMessageTopLevelComponent,
	type APIUser,
	type RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import {
	snowflakeTimestamp,
	uncheckedSnowflake,
	type ApplicationId,
	type ChannelId,
	type GuildId,
	type InteractionId,
	type UserId,
	markClass,
} from '@ovenjs/types';
import type { ApiFile } from '../api/ApiResource.js';
import type { Api } from '../api/generated/Api.js';
import type { ExtensionBus } from '../bus/ExtensionBus.js';
import type { ActionRowBuilder } from '../builders/components.js';
import type { EmbedBuilder } from '../builders/EmbedBuilder.js';
import { CoreError } from '../errors/CoreError.js';

/** What interactions need from the client: the API and the bus. */
export interface InteractionContext {
	/** `client.api`. */
	readonly api: Api;
	/** The client's extension bus. */
	readonly bus: ExtensionBus;
}

/** A message body accepted by `reply`, `followUp` and `editReply`. */
export interface InteractionMessageOptions {
	/** The text (at most 2000 characters). */
	readonly content?: string;
	/** Embeds: payloads or builders. */
	readonly embeds?: readonly (APIEmbed | EmbedBuilder)[];
	/** Components: payloads or action-row builders. */
	readonly components?: readonly (APIMessageTopLevelComponent | ActionRowBuilder)[];
	/** Only the invoking user sees the message (reply, defer and followUp only). @defaultValue `false` */
	readonly ephemeral?: boolean;
	/** Files to attach. */
	readonly files?: readonly ApiFile[];
	/** Which mentions ping. @defaultValue Discord's default (parse everything in content) */
	readonly allowedMentions?: RESTPostAPIWebhookWithTokenJSONBody['allowed_mentions'];
}

/** A reply: plain text or {@link InteractionMessageOptions}. */
export type InteractionReply = string | InteractionMessageOptions;

function hasToJSON<T>(value: T | { toJSON(): T }): value is { toJSON(): T } {
	return typeof value === 'object' && value !== null && 'toJSON' in value && typeof value.toJSON === 'function';
}

/** Converts a reply into the JSON body Discord expects, resolving builders. */
export function toMessageBody(reply: InteractionReply): {
	body: RESTPostAPIWebhookWithTokenJSONBody;
	files: readonly ApiFile[] | undefined;
} {
	const options: InteractionMessageOptions = typeof reply === 'string' ? { content: reply } : reply;
	const body: RESTPostAPIWebhookWithTokenJSONBody = {};
	if (options.content !== undefined) body.content = options.content;
	if (options.embeds !== undefined)
		body.embeds = options.embeds.map((embed): APIEmbed => (hasToJSON(embed) ? embed.toJSON() : embed));
	if (options.components !== undefined) {
		body.components = options.components.map(
			(row): APIMessageTopLevelComponent | APIActionRowComponent<APIComponentInMessageActionRow> =>
				hasToJSON(row) ? row.toJSON() : row,
		);
	}
	if (options.ephemeral === true) body.flags = MessageFlags.Ephemeral;
	if (options.allowedMentions !== undefined) body.allowed_mentions = options.allowedMentions;
	return { body, files: options.files };
}

/**
 * Base of every typed interaction: IDs, the invoking user, and the reply lifecycle (`reply`, `defer`,
 * `editReply`, `followUp`, `deleteReply`). Discord allows exactly one initial response within 3 seconds;
 * the methods enforce the order with {@link CoreError} codes `CORE_INTERACTION_ALREADY_REPLIED` and
 * `CORE_INTERACTION_NOT_REPLIED`.
 */
export class BaseInteraction<Raw extends APIInteraction = APIInteraction> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.BaseInteraction');
	}

	/** The payload Discord sent. */
	public readonly raw: Raw;
	/** The interaction's ID. */
	public readonly id: InteractionId;
	/** The application's ID. */
	public readonly applicationId: ApplicationId;
	/** The guild, when invoked in one. */
	public readonly guildId: GuildId | undefined;
	/** The channel, when there is one. */
	public readonly channelId: ChannelId | undefined;
	/** The invoking user (the member's user in guilds). */
	public readonly user: APIUser | undefined;
	/** When the interaction was received (ms since epoch), used for latency. */
	public readonly receivedAt: number;
	/** Whether the initial response was sent. */
	public replied = false;
	/** Whether the initial response was a deferral. */
	public deferred = false;
	readonly #context: InteractionContext;
	readonly #token: string;

	public constructor(raw: Raw, context: InteractionContext, receivedAt: number = Date.now()) {
		this.raw = raw;
		this.#context = context;
		this.receivedAt = receivedAt;
		this.#token = raw.token;
		this.id = uncheckedSnowflake('Interaction', raw.id);
		this.applicationId = uncheckedSnowflake('Application', raw.application_id);
		this.guildId = raw.guild_id === undefined ? undefined : uncheckedSnowflake('Guild', raw.guild_id);
		this.channelId = raw.channel === undefined ? undefined : uncheckedSnowflake('Channel', raw.channel.id);
		this.user = raw.member?.user ?? raw.user;
	}

	/** The invoking user's ID. */
	public get userId(): UserId | undefined {
		return this.user === undefined ? undefined : uncheckedSnowflake('User', this.user.id);
	}

	/** Milliseconds from the interaction's creation (its snowflake) to its arrival here. */
	public get latency(): number {
		return this.receivedAt - snowflakeTimestamp(this.id);
	}

	/** Sends the initial response: a message. */
	public async reply(reply: InteractionReply): Promise<void> {
		const { body, files } = toMessageBody(reply);
		await this.respondWith({ type: InteractionResponseType.ChannelMessageWithSource, data: body }, files);
	}

	/** Acknowledges now and answers later with {@link BaseInteraction.editReply} (shows "thinking..."). */
	public async defer(options: { ephemeral?: boolean } = {}): Promise<void> {
		await this.respondWith({
			type: InteractionResponseType.DeferredChannelMessageWithSource,
			data: options.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {},
		});
		this.deferred = true;
	}

	/** Edits the initial response (after `reply` or `defer`). */
	public async editReply(reply: InteractionReply): Promise<APIMessage> {
		this.#assertReplied('editReply');
		const { body, files } = toMessageBody(reply);
		const { flags: _flags, ...edit } = body;
		return this.#context.api.webhooks.updateOriginalWebhookMessage(
			uncheckedSnowflake('Webhook', this.raw.application_id),
			this.#token,
			edit,
			files === undefined ? undefined : { files },
		);
	}

	/** Sends an additional message (after the initial response). */
	public async followUp(reply: InteractionReply): Promise<APIMessage> {
		this.#assertReplied('followUp');
		const { body, files } = toMessageBody(reply);
		return this.#context.api.webhooks.executeWebhook(
			uncheckedSnowflake('Webhook', this.raw.application_id),
			this.#token,
			body,
			{ query: { wait: true }, ...(files === undefined ? {} : { files }) },
		);
	}

	/** Fetches the initial response message. */
	public async fetchReply(): Promise<APIMessage> {
		this.#assertReplied('fetchReply');
		return this.#context.api.webhooks.getOriginalWebhookMessage(
			uncheckedSnowflake('Webhook', this.raw.application_id),
			this.#token,
		);
	}

	/** Deletes the initial response. */
	public async deleteReply(): Promise<void> {
		this.#assertReplied('deleteReply');
		await this.#context.api.webhooks.deleteOriginalWebhookMessage(
			uncheckedSnowflake('Webhook', this.raw.application_id),
			this.#token,
		);
	}

	/**
	 * Sends an initial response through the callback route, after the `interaction:beforeReply` waterfall.
	 * @throws {@link CoreError} `CORE_INTERACTION_ALREADY_REPLIED` when a response was already sent.
	 */
	protected async respondWith(response: APIInteractionResponse, files?: readonly ApiFile[]): Promise<void> {
		if (this.replied) {
			throw CoreError.of('CORE_INTERACTION_ALREADY_REPLIED', [this.id]);
		}
		this.replied = true;
		const { bus, api } = this.#context;
		const final = bus.has('interaction:beforeReply')
			? await bus.transform('interaction:beforeReply', response, this.raw)
			: response;
		try {
			await api.interactions.createInteractionResponse(
				this.id,
				this.#token,
				final,
				files === undefined ? undefined : { files },
			);
		} catch (error) {
			this.replied = false;
			if (bus.has('interaction:error')) bus.emit('interaction:error', error, this.raw);
			throw error;
		}
		if (bus.has('interaction:afterReply')) bus.emit('interaction:afterReply', final, this.raw);
	}

	#assertReplied(method: string): void {
		if (!this.replied) {
			throw CoreError.of('CORE_INTERACTION_NOT_REPLIED', [method, this.id]);
		}
	}

	/** Hides the token from `console.log` / `util.inspect`. */
	public [inspect.custom](): string {
		return `${this.constructor.name} { id: '${this.id}', type: ${this.raw.type}, guildId: ${this.guildId === undefined ? 'undefined' : `'${this.guildId}'`}, replied: ${this.replied}, deferred: ${this.deferred} }`;
	}

	/** Hides the token from `JSON.stringify`. */
	public toJSON(): Omit<Raw, 'token'> & { token: string } {
		return { ...this.raw, token: '[REDACTED]' };
	}
}
