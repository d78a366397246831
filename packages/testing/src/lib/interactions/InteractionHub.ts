import { randomBytes } from 'node:crypto';
import { GatewayDispatchEvents, InteractionType } from 'discord-api-types/v10';
import {
	ALL_PERMISSIONS,
	type ApplicationId,
	type ChannelId,
	type GuildId,
	type InteractionId,
	type MessageId,
	type UserId,
} from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import { connectInteractions, type World } from '../world/World.js';
import type { InteractionLedger } from './InteractionLedger.js';

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

/**
 * Interactions triggered by the scenario, dispatched as `INTERACTION_CREATE` and answered through the callback route
 * (`MockDiscord.interactions`; `world.triggerInteraction` goes through it).
 */
export class InteractionHub {
	readonly #world: World;
	readonly #applicationId: ApplicationId;
	readonly #ledger: InteractionLedger;

	/** @param ledger - the record of triggered interactions, shared with the callback and webhook routes */
	public constructor(world: World, applicationId: ApplicationId, ledger: InteractionLedger) {
		this.#world = world;
		this.#applicationId = applicationId;
		this.#ledger = ledger;
		connectInteractions(world, (options) => this.trigger(options));
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
			this.#ledger.open({ interactionId: id, token, channelId: channel.id, timeoutMs, resolve, reject });
			this.#world.emit(GatewayDispatchEvents.InteractionCreate, payload, guild?.id ?? null);
		});
	}

	/** The message the bot's callback (type 4 or 5) created, by interaction token. */
	public originalOf(token: string): MessageId | undefined {
		return this.#ledger.originalOf(token);
	}

	/** The channel an interaction token belongs to, for follow-up messages. */
	public channelOfToken(token: string): ChannelId | undefined {
		return this.#ledger.channelOfToken(token);
	}

	/** The answer the bot gave to an interaction, if any. */
	public responseOf(interactionId: InteractionId): InteractionResponse | undefined {
		return this.#ledger.responseOf(interactionId);
	}

	/** Rejects every interaction still waiting (the mock is stopping). */
	public close(): void {
		this.#ledger.close();
	}
}
