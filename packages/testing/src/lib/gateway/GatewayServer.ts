import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { shardIdForGuild, uncheckedSnowflake, type ApplicationId, type ChannelId, type GuildId, type UserId } from '@ovenjs/types';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { MockError } from '../errors/MockError.js';
import type { World } from '../world/World.js';
import { ZlibStreamCompressor, ZstdStreamCompressor, type Compressor } from './Compression.js';
import { GatewayConnection } from './GatewayConnection.js';
import { GatewaySession } from './GatewaySession.js';
import { FrameChunker, PreparedFlood, type PreparedFrames } from './PreparedFlood.js';
import { ALL_INTENTS, PRIVILEGED_INTENTS, intentAllows } from './intents.js';
import { MemberChunker } from './memberChunks.js';
import { IdentifySchema, PayloadSchema, PresenceSchema, RequestGuildMembersSchema, ResumeSchema } from './schemas.js';
import { GatewayCloseCodes, NON_RESUMABLE_CLOSE_CODES } from './closeCodes.js';
import { GatewayFaults, type GatewayFaultOptions } from '../faults/GatewayFaults.js';
import { floodRenderer, isOpcode, rawToString, stripMessageContent } from './payloads.js';

/** Gateway settings of the mock. */
export interface GatewayOptions {
	/** HELLO's `heartbeat_interval` in milliseconds. @defaultValue 41250 */
	readonly heartbeatIntervalMs?: number;
	/** Recommended shard count returned by `/gateway/bot`. @defaultValue one per 1,000 generated guilds (at least 1) */
	readonly shards?: number;
	/** `session_start_limit.max_concurrency`: identify buckets per 5 s. @defaultValue 1 */
	readonly maxConcurrency?: number;
	/** `session_start_limit.total` (and the starting `remaining`). @defaultValue 1000 */
	readonly sessionStartLimit?: number;
	/** Minimum time between two IDENTIFYs of the same `shard_id % max_concurrency` bucket. @defaultValue 5000 */
	readonly identifyIntervalMs?: number;
	/** Privileged intents the application may use (others → close 4014). @defaultValue all three */
	readonly privilegedIntents?: number;
	/** Guilds one shard may hold before IDENTIFY fails with 4011. @defaultValue 2500 */
	readonly maxGuildsPerShard?: number;
	/** Payloads a client may send per window before close 4008. @defaultValue 120 */
	readonly payloadLimit?: number;
	/** The payload-limit window in milliseconds. @defaultValue 60000 */
	readonly payloadWindowMs?: number;
	/** Dispatches kept per session for RESUME replay. @defaultValue 10000 */
	readonly replayBufferSize?: number;
	/**
	 * How long a disconnected session stays resumable; a later RESUME gets INVALID_SESSION (Discord does not
	 * document its window). @defaultValue 180000
	 */
	readonly resumeTimeoutMs?: number;
	/** Cooldown of REQUEST_GUILD_MEMBERS per guild. @defaultValue 30000 */
	readonly memberRequestCooldownMs?: number;
	/** Random, seeded gateway faults (forced closes, INVALID_SESSION, RECONNECT, dropped ACKs). @defaultValue none */
	readonly gatewayFaults?: GatewayFaultOptions;
}

/** Who the gateway authenticates and where it lives; supplied by `MockDiscord`. */
export interface GatewayContext {
	readonly token: string;
	readonly url: () => string;
	readonly applicationId: ApplicationId;
}

const VALID_VERSIONS = new Set(['9', '10']);


/** The gateway: accepts WebSocket upgrades on `/gateway`, runs sessions and routes the world's dispatches. */
export class GatewayServer {
	/** Sessions by ID (attached and detached-but-resumable). */
	public readonly sessionsById = new Map<string, GatewaySession>();
	/** Identify accounting, as `/gateway/bot` reports it. */
	public readonly identify = { total: 1000, remaining: 1000, resetAt: Date.now() + 86_400_000, accepted: 0, rejected: 0, withheld: 0 };
	private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1_048_576 });
	private readonly connections = new Set<GatewayConnection>();
	private readonly lastIdentifyByBucket = new Map<number, number>();
	private readonly members: MemberChunker;
	private readonly timers = new Set<NodeJS.Timeout>();
	private acksWithheld = false;
	private readyWithheld = false;
	private readyWaiters: (() => void)[] = [];
	private readonly settings: Required<Omit<GatewayOptions, 'gatewayFaults'>>;
	/** Seeded random gateway faults; change them at run time with `faults.configure()`. */
	public readonly faults: GatewayFaults;

	public constructor(
		private readonly world: World,
		private readonly context: GatewayContext,
		options: GatewayOptions = {},
		seed = 1,
	) {
		this.faults = new GatewayFaults(seed, options.gatewayFaults);
		this.settings = {
			heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
			shards: options.shards ?? 1,
			maxConcurrency: options.maxConcurrency ?? 1,
			sessionStartLimit: options.sessionStartLimit ?? 1000,
			identifyIntervalMs: options.identifyIntervalMs ?? 5000,
			privilegedIntents: options.privilegedIntents ?? PRIVILEGED_INTENTS,
			maxGuildsPerShard: options.maxGuildsPerShard ?? 2500,
			payloadLimit: options.payloadLimit ?? 120,
			payloadWindowMs: options.payloadWindowMs ?? 60_000,
			replayBufferSize: options.replayBufferSize ?? 10_000,
			resumeTimeoutMs: options.resumeTimeoutMs ?? 180_000,
			memberRequestCooldownMs: options.memberRequestCooldownMs ?? 30_000,
		};
		this.identify.total = this.settings.sessionStartLimit;
		this.identify.remaining = this.settings.sessionStartLimit;
		this.members = new MemberChunker(world, this.settings.memberRequestCooldownMs);
		world.setSink(
			(event, data, guildId) => {
				void this.dispatch(event, data, { guildId });
			},
			() => this.sessionsById.size > 0,
		);
	}

	/** The recommended shard count and `max_concurrency`. */
	public get shardAdvice(): { shards: number; maxConcurrency: number } {
		return { shards: this.settings.shards, maxConcurrency: this.settings.maxConcurrency };
	}

	/** `session_start_limit` as `/gateway/bot` returns it. */
	public sessionStartLimit(): { total: number; remaining: number; reset_after: number; max_concurrency: number } {
		this.refreshIdentifyBudget();
		return { total: this.identify.total, remaining: this.identify.remaining, reset_after: Math.max(0, this.identify.resetAt - Date.now()), max_concurrency: this.settings.maxConcurrency };
	}

	/** Sessions with a live connection. */
	public get sessions(): GatewaySession[] {
		return [...this.sessionsById.values()].filter((session) => session.connection?.open === true);
	}

	/** Open WebSocket connections (identified or not). */
	public get connectionCount(): number {
		return this.connections.size;
	}

	/** Handles an HTTP upgrade on `/gateway`. */
	public upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.wss.handleUpgrade(req, socket, head, (ws) => {
			this.accept(ws, socket, new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
		});
	}

	/**
	 * Sends a dispatch to every session that should see it: the guild's shard (`(guild_id >> 22) % num_shards`,
	 * shard 0 for DMs and guild-less events) and the intents that govern the event. Resolves when every socket
	 * accepted it (respecting backpressure).
	 */
	public async dispatch(event: GatewayDispatchEvents, data: unknown, options: { guildId?: GuildId | null } = {}): Promise<number> {
		let full: string | undefined;
		let stripped: string | undefined;
		return this.route(event, options.guildId ?? null, (strip) => (strip ? (stripped ??= JSON.stringify(stripMessageContent(data, this.world.botUser.id))) : (full ??= JSON.stringify(data))));
	}

	/** Sends pre-serialized `d` (full, or stripped of message content) to the sessions that should see the event. */
	private async route(event: GatewayDispatchEvents, guildId: GuildId | null, serialized: (strip: boolean) => string): Promise<number> {
		const botId: UserId = uncheckedSnowflake('User', this.world.botUser.id);
		if (guildId !== null && this.world.guilds.get(guildId)?.members.has(botId) === false && event !== GatewayDispatchEvents.GuildDelete) return 0;
		const contentEvent = guildId !== null && (event === GatewayDispatchEvents.MessageCreate || event === GatewayDispatchEvents.MessageUpdate);
		let delivered = 0;
		let waiting: Promise<void>[] | undefined;
		for (const session of this.sessionsById.values()) {
			if (!session.resumable) continue;
			const shard = guildId === null ? 0 : shardIdForGuild(guildId, session.shardCount);
			if (shard !== session.shardId) continue;
			if (!intentAllows(session.intents, event, guildId !== null)) continue;
			const strip = contentEvent && (session.intents & GatewayIntentBits.MessageContent) === 0;
			const backpressure = session.dispatchJson(event, serialized(strip));
			if (backpressure !== undefined) (waiting ??= []).push(backpressure);
			delivered++;
			if (this.faults.active) this.applyFault(session);
		}
		if (waiting !== undefined) await Promise.all(waiting);
		return delivered;
	}

	/**
	 * Dispatches `count` `MESSAGE_CREATE` events in `channelId` as fast as each socket drains (the messages are
	 * not stored). Resolves with the number of events generated once every socket accepted them.
	 */
	public async flood(count: number, options: { channelId: ChannelId; authorId?: UserId; content?: string }): Promise<number> {
		if (!Number.isInteger(count) || count < 0) throw new MockError('MOCK_INVALID_OPTION', `flood: count must be a non-negative integer, got ${count}.`);
		const channel = this.world.channel(options.channelId);
		const guild = channel.guildId === null ? undefined : this.world.guilds.get(channel.guildId);
		const author = options.authorId === undefined ? this.firstHuman(guild) : this.world.user(options.authorId);
		const render = floodRenderer(this.world, channel, guild, author);
		for (let i = 0; i < count; i++) {
			const id = this.world.ids.next('Message');
			const time = new Date().toISOString();
			const content = JSON.stringify(options.content ?? `flood ${i}`).slice(1, -1);
			await this.route(GatewayDispatchEvents.MessageCreate, channel.guildId, (strip) => render(strip, id, time, content));
		}
		await Promise.all([...this.connections].map((connection) => connection.drained()));
		return count;
	}

	/**
	 * Renders `count` dispatches for every live session that should see them, assigns their sequences and encodes
	 * them (JSON, or compressed with the connection's own context), then returns a {@link PreparedFlood} whose
	 * `send()` writes them as fast as each socket drains. Benchmarks use it so that the mock's own serialization is
	 * not what they measure. `MESSAGE_CREATE` carries a content (`flood {i}` by default); `TYPING_START` is an
	 * event bots rarely listen to.
	 */
	public async prepareFlood(
		count: number,
		options: {
			channelId: ChannelId;
			event?: 'MESSAGE_CREATE' | 'TYPING_START';
			authorId?: UserId;
			content?: string;
			/** The content of one `MESSAGE_CREATE` sent after the flood to the same sessions, so a client that ignores the flood's event can tell it has seen all of it. */
			finalMessage?: string;
		},
	): Promise<PreparedFlood> {
		if (!Number.isInteger(count) || count < 0) throw new MockError('MOCK_INVALID_OPTION', `prepareFlood: count must be a non-negative integer, got ${count}.`);
		const event = options.event === 'TYPING_START' ? GatewayDispatchEvents.TypingStart : GatewayDispatchEvents.MessageCreate;
		const channel = this.world.channel(options.channelId);
		const guild = channel.guildId === null ? undefined : this.world.guilds.get(channel.guildId);
		const author = options.authorId === undefined ? this.firstHuman(guild) : this.world.user(options.authorId);
		const render = floodRenderer(this.world, channel, guild, author);
		const member = guild?.members.get(uncheckedSnowflake('User', author.id));
		const typing = (i: number): string =>
			JSON.stringify({ channel_id: channel.id, guild_id: channel.guildId ?? undefined, user_id: author.id, timestamp: Math.floor(Date.now() / 1000) + i, member });
		const targets: PreparedFrames[] = [];
		for (const session of this.sessionsById.values()) {
			const connection = session.connection;
			if (!session.resumable || connection?.open !== true) continue;
			if ((channel.guildId === null ? 0 : shardIdForGuild(channel.guildId, session.shardCount)) !== session.shardId) continue;
			if (!intentAllows(session.intents, event, channel.guildId !== null)) continue;
			const strip = channel.guildId !== null && (session.intents & GatewayIntentBits.MessageContent) === 0;
			await connection.hold();
			const frames = new FrameChunker(connection.binary);
			for (let i = 0; i < count; i++) {
				const json =
					event === GatewayDispatchEvents.TypingStart
						? typing(i)
						: render(strip, this.world.ids.next('Message'), new Date().toISOString(), JSON.stringify(options.content ?? `flood ${i}`).slice(1, -1));
				frames.push(await connection.encode(session.sequence(event, json)));
			}
			if (options.finalMessage !== undefined) {
				const json = render(strip, this.world.ids.next('Message'), new Date().toISOString(), JSON.stringify(options.finalMessage).slice(1, -1));
				frames.push(await connection.encode(session.sequence(GatewayDispatchEvents.MessageCreate, json)));
			}
			targets.push({ connection, chunks: frames.finish(), frames: frames.frames });
		}
		return new PreparedFlood(count, targets);
	}

	/**
	 * Resolves once at least `count` sessions are live (identified and connected), after their READY and
	 * GUILD_CREATEs were sent. Rejects with `MOCK_WAIT_TIMEOUT` after `timeoutMs`.
	 */
	public async waitForSessions(count = 1, timeoutMs = 10_000): Promise<GatewaySession[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.sessions.length < count) {
			const remaining = deadline - Date.now();
			if (remaining <= 0) throw new MockError('MOCK_WAIT_TIMEOUT', `Expected ${count} live gateway session(s) within ${timeoutMs} ms, have ${this.sessions.length}.`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, remaining);
				timer.unref();
				this.readyWaiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.sessions;
	}

	/** Closes every connection with `code`; sessions stay resumable unless the code forbids resuming. */
	public closeAll(code: number = GatewayCloseCodes.UnknownError, reason = 'Closed by the mock'): number {
		let closed = 0;
		for (const connection of this.connections) {
			if (NON_RESUMABLE_CLOSE_CODES.has(code) && connection.session !== undefined) this.endSession(connection.session);
			connection.close(code, reason);
			closed++;
		}
		return closed;
	}

	/** Sends op 9 INVALID_SESSION to every live session; a non-resumable one is ended (the client must identify). */
	public invalidateSession(resumable: boolean): number {
		let count = 0;
		for (const connection of this.connections) {
			if (connection.session === undefined) continue;
			void connection.send({ op: GatewayOpcodes.InvalidSession, d: resumable });
			if (!resumable) {
				this.endSession(connection.session);
				connection.session = undefined;
				connection.authenticated = false;
			}
			count++;
		}
		return count;
	}

	/** Sends op 7 RECONNECT to every connection and closes those still open after `graceMs` with 4000 (resumable). */
	public reconnect(graceMs = 5000): number {
		for (const connection of this.connections) void connection.send({ op: GatewayOpcodes.Reconnect, d: null });
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			for (const connection of this.connections) connection.close(GatewayCloseCodes.UnknownError, 'Reconnect requested');
		}, graceMs);
		timer.unref();
		this.timers.add(timer);
		return this.connections.size;
	}

	/** Stops (or resumes) answering heartbeats with op 11 ACK, to test zombie-connection detection. */
	public withholdAcks(withhold: boolean): void {
		this.acksWithheld = withhold;
	}

	/**
	 * Stops (or resumes) answering IDENTIFY: a valid IDENTIFY is counted in `identify.withheld` and gets no READY
	 * (no session is created, the identify budget is not spent), as a stalled Discord or a proxy that swallows
	 * frames would do — to test ready timeouts. Heartbeats are still acknowledged.
	 */
	public withholdReady(withhold: boolean): void {
		this.readyWithheld = withhold;
	}

	/** Closes every socket and forgets every session. */
	public async close(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const connection of this.connections) connection.close(1001, 'Mock stopping');
		for (const ws of this.wss.clients) ws.terminate();
		this.connections.clear();
		this.sessionsById.clear();
		await new Promise<void>((resolve) => {
			this.wss.close(() => {
				resolve();
			});
		});
	}

	private accept(ws: WebSocket, transport: Duplex, query: URLSearchParams): void {
		const compress = query.get('compress');
		let compressor: Compressor | undefined;
		if (compress === 'zlib-stream') compressor = new ZlibStreamCompressor();
		else if (compress === 'zstd-stream') compressor = new ZstdStreamCompressor();
		const connection = new GatewayConnection(
			ws,
			transport,
			compressor,
			{ heartbeatInterval: this.settings.heartbeatIntervalMs, payloadLimit: this.settings.payloadLimit, payloadWindowMs: this.settings.payloadWindowMs },
			(timedOut) => {
				if (timedOut.session !== undefined) this.endSession(timedOut.session);
				timedOut.close(GatewayCloseCodes.SessionTimedOut, 'Session timed out');
			},
		);
		this.connections.add(connection);
		ws.on('close', (code) => {
			this.connections.delete(connection);
			connection.dispose();
			const session = connection.session;
			if (session?.connection === connection) {
				session.connection = undefined;
				session.detachedAt = Date.now();
				if (code === 1000 || code === 1001) this.endSession(session);
			}
		});
		ws.on('error', () => undefined);
		const version = query.get('v');
		if (version !== null && !VALID_VERSIONS.has(version)) {
			connection.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
			return;
		}
		if ((query.get('encoding') ?? 'json') !== 'json') {
			connection.close(GatewayCloseCodes.DecodeError, 'Only encoding=json is supported by the mock');
			return;
		}
		if (compress !== null && compressor === undefined) {
			connection.close(GatewayCloseCodes.DecodeError, `Unknown compression "${compress}"`);
			return;
		}
		ws.on('message', (raw) => {
			void this.receive(connection, raw);
		});
		connection.hello();
	}

	private async receive(connection: GatewayConnection, raw: RawData): Promise<void> {
		if (!connection.countPayload()) {
			connection.close(GatewayCloseCodes.RateLimited, 'You are being rate limited.');
			return;
		}
		const text = rawToString(raw);
		// Discord accepts client payloads of at most 4096 bytes.
		if (Buffer.byteLength(text) > 4096) {
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
				if (!this.acksWithheld && !this.faults.dropAck()) await connection.send({ op: GatewayOpcodes.HeartbeatAck });
				return;
			case GatewayOpcodes.Identify:
				await this.onIdentify(connection, d);
				return;
			case GatewayOpcodes.Resume:
				await this.onResume(connection, d);
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
				const code = request.success ? await this.members.handle(session, request.data) : GatewayCloseCodes.DecodeError;
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

	private async onIdentify(connection: GatewayConnection, d: unknown): Promise<void> {
		if (connection.authenticated) {
			connection.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		const parsed = IdentifySchema.safeParse(d);
		if (!parsed.success) {
			connection.close(GatewayCloseCodes.DecodeError, 'Invalid IDENTIFY payload.');
			return;
		}
		const identify = parsed.data;
		if (identify.token.replace(/^Bot\s+/i, '') !== this.context.token) {
			connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		const [shardId, shardCount] = identify.shard ?? [0, 1];
		if (shardCount < 1 || shardId < 0 || shardId >= shardCount) {
			connection.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
			return;
		}
		if (this.world.guilds.size / shardCount > this.settings.maxGuildsPerShard) {
			connection.close(GatewayCloseCodes.ShardingRequired, 'Sharding required.');
			return;
		}
		if (identify.intents < 0 || (identify.intents & ~ALL_INTENTS) !== 0) {
			connection.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
			return;
		}
		if ((identify.intents & PRIVILEGED_INTENTS & ~this.settings.privilegedIntents) !== 0) {
			connection.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
			return;
		}
		if (this.readyWithheld) {
			this.identify.withheld++;
			return;
		}
		this.refreshIdentifyBudget();
		const bucket = shardId % this.settings.maxConcurrency;
		const last = this.lastIdentifyByBucket.get(bucket);
		const now = Date.now();
		if (this.identify.remaining <= 0 || (last !== undefined && now - last < this.settings.identifyIntervalMs)) {
			this.identify.rejected++;
			await connection.send({ op: GatewayOpcodes.InvalidSession, d: false });
			return;
		}
		this.lastIdentifyByBucket.set(bucket, now);
		this.sweepDetached();
		this.identify.remaining--;
		this.identify.accepted++;
		const session = new GatewaySession(randomBytes(16).toString('hex'), shardId, shardCount, identify.intents, this.settings.replayBufferSize);
		session.presence = identify.presence ?? null;
		session.connection = connection;
		connection.session = session;
		connection.authenticated = true;
		this.sessionsById.set(session.id, session);
		const botId: UserId = uncheckedSnowflake('User', this.world.botUser.id);
		const guilds = [...this.world.guilds.values()].filter((guild) => guild.members.has(botId) && shardIdForGuild(guild.id, shardCount) === shardId);
		await session.dispatch(GatewayDispatchEvents.Ready, {
			v: 10,
			user: { ...this.world.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
			guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
			session_id: session.id,
			session_type: 'normal',
			resume_gateway_url: this.context.url(),
			shard: [shardId, shardCount],
			application: { id: this.context.applicationId, flags: 0 },
			private_channels: [],
			presences: [],
			relationships: [],
			guild_join_requests: [],
			geo_ordered_rtc_regions: ['us-west'],
			user_settings: {},
			_trace: ['["ovenjs-mock",{"micros":0}]'],
		});
		if ((identify.intents & GatewayIntentBits.Guilds) !== 0) {
			for (const guild of guilds) await session.dispatch(GatewayDispatchEvents.GuildCreate, this.world.guildCreatePayload(guild, identify.large_threshold ?? 50));
		}
		this.wakeReadyWaiters();
	}

	private async onResume(connection: GatewayConnection, d: unknown): Promise<void> {
		if (connection.authenticated) {
			connection.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		const parsed = ResumeSchema.safeParse(d);
		if (!parsed.success) {
			connection.close(GatewayCloseCodes.DecodeError, 'Invalid RESUME payload.');
			return;
		}
		if (parsed.data.token.replace(/^Bot\s+/i, '') !== this.context.token) {
			connection.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		this.sweepDetached();
		const session = this.sessionsById.get(parsed.data.session_id);
		if (!session?.resumable) {
			await connection.send({ op: GatewayOpcodes.InvalidSession, d: false });
			return;
		}
		if (parsed.data.seq > session.seq) {
			connection.close(GatewayCloseCodes.InvalidSeq, 'Invalid seq.');
			return;
		}
		const replay = session.replayAfter(parsed.data.seq);
		if (replay === undefined) {
			this.endSession(session);
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
		let sent = parsed.data.seq;
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
		this.wakeReadyWaiters();
	}

	private applyFault(session: GatewaySession): void {
		const connection = session.connection;
		if (connection === undefined) return;
		const fault = this.faults.afterDispatch();
		switch (fault.kind) {
			case 'close':
				if (NON_RESUMABLE_CLOSE_CODES.has(fault.code)) this.endSession(session);
				connection.close(fault.code, 'Injected fault');
				return;
			case 'invalidSession':
				void connection.send({ op: GatewayOpcodes.InvalidSession, d: fault.resumable });
				if (!fault.resumable) {
					this.endSession(session);
					connection.session = undefined;
					connection.authenticated = false;
				}
				return;
			case 'reconnect':
				void connection.send({ op: GatewayOpcodes.Reconnect, d: null });
				return;
			case 'none':
				return;
		}
	}

	/** Ends sessions that have been disconnected for longer than `resumeTimeoutMs` (frees their replay buffers). */
	private sweepDetached(): void {
		const cutoff = Date.now() - this.settings.resumeTimeoutMs;
		for (const session of this.sessionsById.values()) {
			if (session.connection === undefined && session.detachedAt !== 0 && session.detachedAt < cutoff) this.endSession(session);
		}
	}

	private wakeReadyWaiters(): void {
		const waiters = this.readyWaiters;
		this.readyWaiters = [];
		for (const wake of waiters) wake();
	}

	private endSession(session: GatewaySession): void {
		session.resumable = false;
		this.sessionsById.delete(session.id);
	}

	private refreshIdentifyBudget(): void {
		if (Date.now() < this.identify.resetAt) return;
		this.identify.remaining = this.identify.total;
		this.identify.resetAt = Date.now() + 86_400_000;
	}

	private firstHuman(guild: { members: Map<UserId, { user: { id: string } }> } | undefined): ReturnType<World['user']> {
		const botId = this.world.botUser.id;
		for (const member of guild?.members.values() ?? []) {
			if (member.user.id !== botId) return this.world.user(uncheckedSnowflake('User', member.user.id));
		}
		return this.world.createUser('flooder');
	}
}
