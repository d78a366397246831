import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import { uncheckedSnowflake, type ChannelId, type UserId } from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import type { MockUser } from '../world/factories.js';
import type { GuildRecord } from '../world/records.js';
import type { World } from '../world/World.js';
import type { DispatchRouter } from './DispatchRouter.js';
import type { GatewayConnection } from './GatewayConnection.js';
import { intentAllows } from './intents.js';
import { floodRenderer } from './payloads.js';
import { FrameChunker, PreparedFlood, type PreparedFrames } from './PreparedFlood.js';
import type { SessionRegistry } from './SessionRegistry.js';

/** Options of {@link GatewayFloods.flood}. */
export interface FloodOptions {
	readonly channelId: ChannelId;
	readonly authorId?: UserId;
	readonly content?: string;
}

/** Options of {@link GatewayFloods.prepare}. */
export interface PrepareFloodOptions extends FloodOptions {
	readonly event?: 'MESSAGE_CREATE' | 'TYPING_START';
	/** The content of one `MESSAGE_CREATE` sent after the flood to the same sessions, so a client that ignores the flood's event can tell it has seen all of it. */
	readonly finalMessage?: string;
}

/** Load generation: bursts of dispatches rendered from one template, sent live or prepared for later. */
export class GatewayFloods {
	readonly #world: World;
	readonly #router: DispatchRouter;
	readonly #sessions: SessionRegistry;
	readonly #connections: ReadonlySet<GatewayConnection>;

	public constructor(
		world: World,
		router: DispatchRouter,
		sessions: SessionRegistry,
		connections: ReadonlySet<GatewayConnection>,
	) {
		this.#world = world;
		this.#router = router;
		this.#sessions = sessions;
		this.#connections = connections;
	}

	/** See `GatewayServer.flood`. */
	public async flood(count: number, options: FloodOptions): Promise<number> {
		if (!Number.isInteger(count) || count < 0)
			throw MockError.of('MOCK_INVALID_OPTION', ['flood: count', 'a non-negative integer', String(count)]);
		const world = this.#world;
		const channel = world.channel(options.channelId);
		const guild = channel.guildId === null ? undefined : world.guilds.get(channel.guildId);
		const author = options.authorId === undefined ? this.#firstHuman(guild) : world.user(options.authorId);
		const render = floodRenderer(world, channel, guild, author);
		for (let i = 0; i < count; i++) {
			const id = world.ids.next('Message');
			const time = new Date().toISOString();
			const content = JSON.stringify(options.content ?? `flood ${i}`).slice(1, -1);
			await this.#router.route(GatewayDispatchEvents.MessageCreate, channel.guildId, (strip) =>
				render(strip, id, time, content),
			);
		}
		await Promise.all([...this.#connections].map((connection) => connection.drained()));
		return count;
	}

	/** See `GatewayServer.prepareFlood`. */
	public async prepare(count: number, options: PrepareFloodOptions): Promise<PreparedFlood> {
		if (!Number.isInteger(count) || count < 0)
			throw MockError.of('MOCK_INVALID_OPTION', ['prepareFlood: count', 'a non-negative integer', String(count)]);
		const world = this.#world;
		const event =
			options.event === 'TYPING_START' ? GatewayDispatchEvents.TypingStart : GatewayDispatchEvents.MessageCreate;
		const channel = world.channel(options.channelId);
		const guild = channel.guildId === null ? undefined : world.guilds.get(channel.guildId);
		const author = options.authorId === undefined ? this.#firstHuman(guild) : world.user(options.authorId);
		const render = floodRenderer(world, channel, guild, author);
		const member = guild?.members.get(uncheckedSnowflake('User', author.id));
		const typing = (i: number): string =>
			JSON.stringify({
				channel_id: channel.id,
				guild_id: channel.guildId ?? undefined,
				user_id: author.id,
				timestamp: Math.floor(Date.now() / 1000) + i,
				member,
			});
		const targets: PreparedFrames[] = [];
		for (const session of this.#sessions.byId.values()) {
			const connection = session.connection;
			if (!session.resumable || connection?.open !== true) continue;
			if (!this.#router.reaches(session.shardId, session.shardCount, channel.guildId)) continue;
			if (!intentAllows(session.intents, event, channel.guildId !== null)) continue;
			const strip = channel.guildId !== null && (session.intents & GatewayIntentBits.MessageContent) === 0;
			await connection.hold();
			const frames = new FrameChunker(connection.binary);
			for (let i = 0; i < count; i++) {
				const json =
					event === GatewayDispatchEvents.TypingStart
						? typing(i)
						: render(
								strip,
								world.ids.next('Message'),
								new Date().toISOString(),
								JSON.stringify(options.content ?? `flood ${i}`).slice(1, -1),
							);
				frames.push(await connection.encode(session.sequence(event, json)));
			}
			if (options.finalMessage !== undefined) {
				const json = render(
					strip,
					world.ids.next('Message'),
					new Date().toISOString(),
					JSON.stringify(options.finalMessage).slice(1, -1),
				);
				frames.push(await connection.encode(session.sequence(GatewayDispatchEvents.MessageCreate, json)));
			}
			targets.push({ connection, chunks: frames.finish(), frames: frames.frames });
		}
		return new PreparedFlood(count, targets);
	}

	/** The guild's first member who is not the bot (a new user when there is none). */
	#firstHuman(guild: GuildRecord | undefined): MockUser {
		const world = this.#world;
		const botId = world.botUser.id;
		for (const member of guild?.members.values() ?? []) {
			if (member.user.id !== botId) return world.user(uncheckedSnowflake('User', member.user.id));
		}
		return world.createUser('flooder');
	}
}
