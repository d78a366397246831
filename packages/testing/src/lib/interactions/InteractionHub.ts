import { randomBytes } from 'node:crypto';
import { GatewayDispatchEvents, InteractionType } from 'discord-api-types/v10';
import {
	ALL_PERMISSIONS,
	uncheckedSnowflake,
	type ApplicationId,
	type ChannelId,
	type GuildId,
	type InteractionId,
	type MessageId,
	type UserId,
} from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import type { InteractionRegistry } from '../rest/types.js';
import type { World } from '../world/World.js';

/** What the scenario sends with {@link InteractionHub.trigger}. */
export interface TriggerInteractionOptions {
	/** The interaction type. @defaultValue `InteractionType.ApplicationCommand` (2) */
	readonly type?: InteractionType;
	/** The interaction's `data` (command name and options, component `custom_id`, modal values ...). */
	readonly data?: Record<string, unknown>;
	/** The guild it happens in; `null`/omitted with a DM channel. */
	readonly guildId?: GuildId | null;
	readonly channelId: ChannelId;
	/** The user who interacts (must exist in the world). */
	readonly userId: UserId;
	/** How long to wait for the bot's callback before rejecting with `MOCK_INTERACTION_TIMEOUT`. @defaultValue 3000 (Discord's limit) */
	readonly timeoutMs?: number;
}

/** The bot's answer to an interaction: the body it posted to the callback route. */
export interface InteractionResponse {
	readonly interactionId: InteractionId;
	readonly token: string;
	readonly type: number;
	readonly data: unknown;
}

interface Pending {
	readonly token: string;
	readonly resolve: (response: InteractionResponse) => void;
	readonly reject: (error: MockError) => void;
	readonly timer: NodeJS.Timeout;
	readonly channelId: ChannelId;
}

/** Interactions triggered by the scenario, dispatched as `INTERACTION_CREATE` and answered through the callback route. */
export class InteractionHub implements InteractionRegistry {
	readonly #pending = new Map<string, Pending>();
	readonly #answered = new Map<string, InteractionResponse>();
	/** Interaction tokens by interaction ID, valid for follow-ups (Discord: 15 minutes). */
	readonly #tokens = new Map<string, { interactionId: InteractionId; channelId: ChannelId }>();
	readonly #originals = new Map<string, MessageId>();
	readonly #world: World;
	readonly #applicationId: ApplicationId;

	public constructor(world: World, applicationId: ApplicationId) {
		this.#world = world;
		this.#applicationId = applicationId;
		world.setInteractionTrigger((options) => this.trigger(options));
	}

	/** Dispatches `INTERACTION_CREATE` and resolves with the bot's callback. */
	public async trigger(options: TriggerInteractionOptions): Promise<InteractionResponse> {
		const user = this.#world.user(options.userId);
		const channel = this.#world.channel(options.channelId);
		const guildId = options.guildId ?? channel.guildId;
		const guild = guildId === null ? undefined : this.#world.guild(guildId);
		const member = guild?.members.get(options.userId);
		if (guild !== undefined && member === undefined) {
			throw MockError.of('MOCK_UNKNOWN_ENTITY', [
				`member ${options.userId} in guild ${guild.id}`,
				'triggerInteraction needs a member: add them with world.addMember()',
			]);
		}
		const id = this.#world.ids.next('Interaction');
		const token = `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
		const type = options.type ?? InteractionType.ApplicationCommand;
		// A command interaction needs `data.id`, `name` and `type`; fill what the scenario left out.
		const data =
			type === InteractionType.ApplicationCommand || type === InteractionType.ApplicationCommandAutocomplete
				? { id: this.#world.ids.next('Command'), name: 'command', type: 1, ...options.data }
				: (options.data ?? {});
		const payload = {
			id,
			application_id: this.#applicationId,
			type,
			data,
			...(guild === undefined
				? { user }
				: {
						guild_id: guild.id,
						guild: { id: guild.id, locale: 'en-US', features: [] },
						member: { ...member, permissions: ALL_PERMISSIONS.toString() },
					}),
			channel: channel.channel,
			channel_id: channel.id,
			token,
			version: 1,
			app_permissions: ALL_PERMISSIONS.toString(),
			locale: 'en-US',
			...(guild === undefined ? {} : { guild_locale: 'en-US' }),
			entitlements: [],
			authorizing_integration_owners: { '0': guild?.id ?? user.id },
			context: guild === undefined ? 1 : 0,
			attachment_size_limit: 10_485_760,
		} satisfies Record<string, unknown>;
		const timeoutMs = options.timeoutMs ?? 3000;
		return await new Promise<InteractionResponse>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#pending.delete(id);
				reject(MockError.of('MOCK_INTERACTION_TIMEOUT', [id, timeoutMs]));
			}, timeoutMs);
			timer.unref();
			this.#pending.set(id, { token, resolve, reject, timer, channelId: channel.id });
			this.#tokens.set(token, { interactionId: id, channelId: channel.id });
			this.#world.emit(GatewayDispatchEvents.InteractionCreate, payload, guild?.id ?? null);
		});
	}

	/** @internal Called by the callback route. */
	public respond(interactionId: InteractionId, token: string, body: unknown): 'ok' | 'unknown' | 'acknowledged' {
		const known = this.#tokens.get(token);
		if (known?.interactionId !== interactionId) return 'unknown';
		if (this.#answered.has(interactionId)) return 'acknowledged';
		const type: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'type') : undefined;
		const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
		const response: InteractionResponse = {
			interactionId: known.interactionId,
			token,
			type: typeof type === 'number' ? type : 0,
			data,
		};
		this.#answered.set(interactionId, response);
		const pending = this.#pending.get(interactionId);
		if (pending !== undefined) {
			clearTimeout(pending.timer);
			this.#pending.delete(interactionId);
			pending.resolve(response);
		}
		return 'ok';
	}

	/** @internal Whether a token belongs to a triggered interaction (for follow-up webhooks). */
	public tokenKnown(token: string): boolean {
		return this.#tokens.has(token);
	}

	/** @internal */
	public interactionOfToken(token: string): InteractionId | undefined {
		return this.#tokens.get(token)?.interactionId;
	}

	/** @internal */
	public setOriginal(token: string, messageId: MessageId): void {
		this.#originals.set(token, messageId);
	}

	/** The message the bot's callback (type 4 or 5) created, by interaction token. */
	public originalOf(token: string): MessageId | undefined {
		return this.#originals.get(token);
	}

	/** The channel an interaction token belongs to, for follow-up messages. */
	public channelOfToken(token: string): ChannelId | undefined {
		return this.#tokens.get(token)?.channelId;
	}

	/** The answer the bot gave to an interaction, if any. */
	public responseOf(interactionId: InteractionId): InteractionResponse | undefined {
		return this.#answered.get(interactionId);
	}

	/** Rejects every interaction still waiting (the mock is stopping). */
	public close(): void {
		for (const [id, pending] of this.#pending) {
			clearTimeout(pending.timer);
			pending.reject(MockError.of('MOCK_ALREADY_STOPPED', [`the bot answered interaction ${id}`]));
		}
		this.#pending.clear();
	}
}

/** Brands a user ID the world produced. */
export const userIdOf = (raw: string): UserId => uncheckedSnowflake('User', raw);
