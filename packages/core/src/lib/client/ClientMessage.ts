import { inspect } from 'node:util';
import type { APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import {
	snowflakeTimestamp,
	type ChannelId,
	type GuildId,
	type Message,
	type MessageId,
	type User,
	type UserId,
	markClass,
} from '@ovenjs/types';
import type { Client } from './Client.js';

/**
 * A light message object: the validated payload plus a few helpers that reach the client. One small object
 * per message; related entities are looked up in the entity cache on access, never copied.
 */
export class ClientMessage {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.ClientMessage');
	}

	/** The validated payload (branded IDs; unknown fields kept). */
	public readonly data: Message;
	/** The shard that received it. */
	public readonly shardId: number;
	/** When the client received it (ms since epoch). */
	public readonly receivedAt: number;
	readonly #client: Client;

	public constructor(client: Client, data: Message, shardId: number, receivedAt: number = Date.now()) {
		this.#client = client;
		this.data = data;
		this.shardId = shardId;
		this.receivedAt = receivedAt;
	}

	/** The message ID. */
	public get id(): MessageId {
		return this.data.id;
	}

	/** The text. Empty without the MessageContent intent (except for mentions and DMs). */
	public get content(): string {
		return this.data.content;
	}

	/** The channel ID. */
	public get channelId(): ChannelId {
		return this.data.channel_id;
	}

	/** The guild ID, for guild messages. */
	public get guildId(): GuildId | undefined {
		return this.data.guild_id;
	}

	/** The author. */
	public get author(): User {
		return this.data.author;
	}

	/** The author's ID. */
	public get authorId(): UserId {
		return this.data.author.id;
	}

	/** Whether a bot (or webhook) wrote it. */
	public get fromBot(): boolean {
		return this.data.author.bot === true || this.data.webhook_id !== undefined;
	}

	/** Milliseconds from the message's creation (its snowflake) to its arrival here. */
	public get latency(): number {
		return this.receivedAt - snowflakeTimestamp(this.data.id);
	}

	/** The guild from the entity cache, when cached. */
	public get guild(): ReturnType<Client['cache']['guild']> {
		return this.guildId === undefined ? undefined : this.#client.cache.guild(this.guildId);
	}

	/** Sends a message in the same channel that replies to this one. */
	public reply(reply: string | RESTPostAPIChannelMessageJSONBody): Promise<APIMessage> {
		const body: RESTPostAPIChannelMessageJSONBody = typeof reply === 'string' ? { content: reply } : reply;
		return this.#client.send(this.channelId, {
			...body,
			message_reference: { message_id: this.id, fail_if_not_exists: false },
		});
	}

	/** Short form for `console.log`. */
	public [inspect.custom](): string {
		return `ClientMessage { id: '${this.id}', channelId: '${this.channelId}', author: '${this.author.username}', content: ${JSON.stringify(this.content.slice(0, 80))} }`;
	}
}
