import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import { shardIdForGuild, uncheckedSnowflake, type GuildId, type UserId } from '@ovenjs/types';
import type { GatewayFaults } from '../faults/GatewayFaults.js';
import type { World } from '../world/World.js';
import { intentAllows } from './intents.js';
import { stripMessageContent } from './payloads.js';
import { applyFault } from './sessionFaults.js';
import type { SessionRegistry } from './SessionRegistry.js';

/**
 * Routes dispatches to the sessions that should see them: the guild's shard (`(guild_id >> 22) % num_shards`,
 * shard 0 for DMs and guild-less events), the intents that govern the event, and message content stripped for
 * sessions without the MessageContent intent. Draws a gateway fault after each delivery when faults are on.
 */
export class DispatchRouter {
	readonly #world: World;
	readonly #sessions: SessionRegistry;
	readonly #faults: GatewayFaults;

	public constructor(world: World, sessions: SessionRegistry, faults: GatewayFaults) {
		this.#world = world;
		this.#sessions = sessions;
		this.#faults = faults;
	}

	/** Serializes `data` once (and once more stripped, if some session needs it) and routes it. */
	public dispatch(event: GatewayDispatchEvents, data: unknown, guildId: GuildId | null): Promise<number> {
		let full: string | undefined;
		let stripped: string | undefined;
		return this.route(event, guildId, (strip) =>
			strip
				? (stripped ??= JSON.stringify(stripMessageContent(data, this.#world.botUser.id)))
				: (full ??= JSON.stringify(data)),
		);
	}

	/** Sends pre-serialized `d` (full, or stripped of message content) to the sessions that should see the event. */
	public async route(
		event: GatewayDispatchEvents,
		guildId: GuildId | null,
		serialized: (strip: boolean) => string,
	): Promise<number> {
		const world = this.#world;
		const botId: UserId = uncheckedSnowflake('User', world.botUser.id);
		if (
			guildId !== null &&
			world.guilds.get(guildId)?.members.has(botId) === false &&
			event !== GatewayDispatchEvents.GuildDelete
		)
			return 0;
		const contentEvent =
			guildId !== null &&
			(event === GatewayDispatchEvents.MessageCreate || event === GatewayDispatchEvents.MessageUpdate);
		const faults = this.#faults;
		let delivered = 0;
		let waiting: Promise<void>[] | undefined;
		for (const session of this.#sessions.byId.values()) {
			if (!session.resumable) continue;
			if (!this.reaches(session.shardId, session.shardCount, guildId)) continue;
			if (!intentAllows(session.intents, event, guildId !== null)) continue;
			const strip = contentEvent && (session.intents & GatewayIntentBits.MessageContent) === 0;
			const backpressure = session.dispatchJson(event, serialized(strip));
			if (backpressure !== undefined) (waiting ??= []).push(backpressure);
			delivered++;
			if (faults.active) applyFault(faults.afterDispatch(), session, this.#sessions);
		}
		if (waiting !== undefined) await Promise.all(waiting);
		return delivered;
	}

	/** Whether shard `shardId` of `shardCount` handles events of `guildId` (shard 0 handles guild-less ones). */
	public reaches(shardId: number, shardCount: number, guildId: GuildId | null): boolean {
		return (guildId === null ? 0 : shardIdForGuild(guildId, shardCount)) === shardId;
	}
}
