import { randomBytes } from 'node:crypto';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { shardIdForGuild, uncheckedSnowflake, type ApplicationId, type UserId } from '@ovenjs/types';
import type { RawData } from 'ws';
import type { GatewayFaults } from '../faults/GatewayFaults.js';
import type { World } from '../world/World.js';
import type { GatewayConnection } from './GatewayConnection.js';
import type { GatewaySettings } from './GatewayOptions.js';
import { GatewaySession } from './GatewaySession.js';
import type { IdentifyBudget } from './IdentifyBudget.js';
import { ALL_INTENTS, PRIVILEGED_INTENTS } from './intents.js';
import type { MemberChunker } from './memberChunks.js';
import { isOpcode, rawToString } from './payloads.js';
import { IdentifySchema, PayloadSchema, PresenceSchema, RequestGuildMembersSchema, ResumeSchema } from './schemas.js';
import type { SessionRegistry } from './SessionRegistry.js';

/** Who the gateway authenticates and where it lives; supplied by `MockDiscord`. */
export interface GatewayContext {
	readonly token: string;
	readonly url: () => string;
	readonly applicationId: ApplicationId;
}

/** What {@link ClientProtocol} works with (the gateway server's parts). */
export interface ClientProtocolParts {
	readonly world: World;
	readonly context: GatewayContext;
	readonly settings: GatewaySettings;
	readonly sessions: SessionRegistry;
	readonly budget: IdentifyBudget;
	readonly members: MemberChunker;
	readonly faults: GatewayFaults;
}

/** Discord accepts client payloads of at most 4096 bytes. */
const MAX_CLIENT_PAYLOAD_BYTES = 4096;

function withoutBotPrefix(token: string): string {
	return token.replace(/^Bot\s+/i, '');
}

/**
 * What a client sends and how the gateway answers: payload limits and decoding, heartbeats, IDENTIFY (READY and
 * GUILD_CREATEs), RESUME (replay), presence updates and member requests; every protocol violation closes with
 * the code Discord uses.
 */
export class ClientProtocol {
	/** Whether heartbeats go unanswered (zombie-connection tests). */
	public acksWithheld = false;
	/** Whether valid IDENTIFYs go unanswered (ready-timeout tests). */
	public readyWithheld = false;
	readonly #parts: ClientProtocolParts;

	public constructor(parts: ClientProtocolParts) {
		this.#parts = parts;
	}

	/** Handles one client message. */
	public async receive(connection: GatewayConnection, raw: RawData): Promise<void> {
		if (!connection.countPayload()) {
			connection.close(GatewayCloseCodes.RateLimited, 'You are being rate limited.');
			return;
		}
		const text = rawToString(raw);
		if (Buffer.byteLength(text) > MAX_CLIENT_PAYLOAD_BYTES) {
			connection.close(GatewayCloseCodes.DecodeError, 'Payload too large.');
			return;
		}
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			connection.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		const payload = PayloadSchema.safeParse(json);
		if (!payload.success) {
			connection.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
			return;
		}
		const { op: rawOp, d } = payload.data;
		if (!isOpcode(rawOp)) {
			connection.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
			return;
		}
		const op = rawOp;
		switch (op) {
			case GatewayOpcodes.Heartbeat:
				connection.armHeartbeatTimer();
				if (!this.acksWithheld && !this.#parts.faults.dropAck())
					await connection.send({ op: GatewayOpcodes.HeartbeatAck });
				return;
			case GatewayOpcodes.Identify:
				await this.#identify(connection, d);
				return;
			case GatewayOpcodes.Resume:
				await this.#resume(connection, d);
				return;
			default:
				break;
		}
		const session = connection.session;
		if (!connection.authenticated || session === undefined) {
			connection.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
			return;
		}
		switch (op) {
			case GatewayOpcodes.PresenceUpdate: {
				const presence = PresenceSchema.safeParse(d);
				if (!presence.success) connection.close(GatewayCloseCodes.DecodeError, 'Invalid presence payload.');
				else session.presence = presence.data;
				return;
			}
			case GatewayOpcodes.RequestGuildMembers: {
				const request = RequestGuildMembersSchema.safeParse(d);
				const code = request.success
					? await this.#parts.members.handle(session, request.data)
					: GatewayCloseCodes.DecodeError;
				if (code !== undefined) connection.close(code, 'Invalid REQUEST_GUILD_MEMBERS payload.');
				return;
			}
			case GatewayOpcodes.VoiceStateUpdate:
			case GatewayOpcodes.RequestSoundboardSounds:
				return;
			default:
				connection.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
		}
	}

	/**
	 * What IDENTIFY and RESUME share: the socket is not authenticated yet (else 4005), the payload has the right
	 * shape (else 4002) and carries the bot's token (else 4004). Returns the payload, or `undefined` once closed.
	 */
	#authenticate<T extends { readonly token: string }>(
		connection: GatewayConnection,
		parsed: { success: true; data: T } | { success: false },
		name: string,
	): T | undefined {
		if (connection.authenticated) {
			connection.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return undefined;
		}
		if (!parsed.success) {
			connection.close(GatewayCloseCodes.DecodeError, `Invalid ${name} payload.`);
			return undefined;
		}
		if (withoutBotPrefix(parsed.data.token) !== this.#parts.context.token) {
			connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return undefined;
		}
		return parsed.data;
	}

	async #identify(connection: GatewayConnection, d: unknown): Promise<void> {
		const { world, context, settings, sessions, budget } = this.#parts;
		const identify = this.#authenticate(connection, IdentifySchema.safeParse(d), 'IDENTIFY');
		if (identify === undefined) return;
		const [shardId, shardCount] = identify.shard ?? [0, 1];
		if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
			connection.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
			return;
		}
		if (world.guilds.size / shardCount > settings.maxGuildsPerShard) {
			connection.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
			return;
		}
		if (identify.intents < 0 || (identify.intents & ~ALL_INTENTS) !== 0) {
			connection.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
			return;
		}
		if ((identify.intents & PRIVILEGED_INTENTS & ~settings.privilegedIntents) !== 0) {
			connection.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
			return;
		}
		if (this.readyWithheld) {
			budget.withhold();
			return;
		}
		if (!budget.take(shardId)) {
			await connection.send({ op: GatewayOpcodes.InvalidSession, d: false });
			return;
		}
		sessions.sweepDetached();
		const session = new GatewaySession(
			randomBytes(16).toString('hex'),
			shardId,
			shardCount,
			identify.intents,
			settings.replayBufferSize,
		);
		session.presence = identify.presence ?? null;
		session.connection = connection;
		connection.session = session;
		connection.authenticated = true;
		sessions.add(session);
		const botId: UserId = uncheckedSnowflake('User', world.botUser.id);
		const guilds = [...world.guilds.values()].filter(
			(guild) => guild.members.has(botId) && shardIdForGuild(guild.id, shardCount) === shardId,
		);
		await session.dispatch(GatewayDispatchEvents.Ready, {
			v: 10,
			user: { ...world.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
			guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
			session_id: session.id,
			session_type: 'normal',
			resume_gateway_url: context.url(),
			shard: [shardId, shardCount],
			application: { id: context.applicationId, flags: 0 },
			private_channels: [],
			presences: [],
			relationships: [],
			guild_join_requests: [],
			geo_ordered_rtc_regions: ['us-west'],
			user_settings: {},
			_trace: ['["ovenjs-mock",{"micros":0}]'],
		});
		if ((identify.intents & GatewayIntentBits.Guilds) !== 0) {
			for (const guild of guilds)
				await session.dispatch(
					GatewayDispatchEvents.GuildCreate,
					world.guildCreatePayload(guild, identify.large_threshold ?? 50),
				);
		}
		sessions.wake();
	}

	async #resume(connection: GatewayConnection, d: unknown): Promise<void> {
		const { sessions } = this.#parts;
		const resume = this.#authenticate(connection, ResumeSchema.safeParse(d), 'RESUME');
		if (resume === undefined) return;
		sessions.sweepDetached();
		const session = sessions.byId.get(resume.session_id);
		if (!session?.resumable) {
			await connection.send({ op: GatewayOpcodes.InvalidSession, d: false });
			return;
		}
		if (resume.seq > session.seq) {
			connection.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
			return;
		}
		const replay = session.replayAfter(resume.seq);
		if (replay === undefined) {
			sessions.end(session);
			await connection.send({ op: GatewayOpcodes.InvalidSession, d: false });
			return;
		}
		const previous = session.connection;
		if (previous !== undefined && previous !== connection) {
			previous.session = undefined;
			previous.close(GatewayCloseCodes.SessionTimedOut, 'Session resumed elsewhere.');
		}
		// Replay while detached (live dispatches are sequenced and buffered meanwhile), then what arrived during the
		// replay, then attach: a live dispatch never overtakes a replayed one.
		session.connection = undefined;
		let sent = resume.seq;
		for (let batch = replay; batch.length > 0; batch = session.replayAfter(sent) ?? []) {
			for (const text of batch) await connection.sendText(text);
			sent += batch.length;
		}
		// Closed during the replay: the session stays detached (and resumable).
		if (!connection.open) return;
		session.connection = connection;
		connection.session = session;
		connection.authenticated = true;
		await session.dispatch('RESUMED', null);
		sessions.wake();
	}
}
