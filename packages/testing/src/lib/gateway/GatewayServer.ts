import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayOpcodes, type GatewayDispatchEvents } from 'discord-api-types/v10';
import type { GuildId } from '@ovenjs/types';
import { WebSocketServer, type WebSocket } from 'ws';
import { GatewayFaults } from '../faults/GatewayFaults.js';
import { connectGateway, type World } from '../world/World.js';
import { ClientProtocol, type GatewayContext } from './ClientProtocol.js';
import { ZlibStreamCompressor, ZstdStreamCompressor, type Compressor } from './Compression.js';
import { DispatchRouter } from './DispatchRouter.js';
import { GatewayConnection } from './GatewayConnection.js';
import { GatewayFloods, type FloodOptions, type PrepareFloodOptions } from './GatewayFloods.js';
import { gatewaySettings, type GatewayOptions, type GatewaySettings } from './GatewayOptions.js';
import type { GatewaySession } from './GatewaySession.js';
import { IdentifyBudget, type IdentifyCounts, type IdentifyRecord } from './IdentifyBudget.js';
import { MemberChunker } from './memberChunks.js';
import type { PreparedFlood } from './PreparedFlood.js';
import { closeConnection, sendInvalidSession } from './sessionFaults.js';
import { SessionRegistry } from './SessionRegistry.js';

const VALID_VERSIONS: ReadonlySet<string> = new Set(['9', '10']);

/**
 * The gateway: accepts WebSocket upgrades on `/gateway`, runs sessions and routes the world's dispatches. This
 * class is the scenario API; the protocol ({@link ClientProtocol}), the identify budget ({@link IdentifyBudget}),
 * the sessions ({@link SessionRegistry}), routing ({@link DispatchRouter}) and floods ({@link GatewayFloods}) each
 * live in their own file.
 */
export class GatewayServer {
	/** Seeded random gateway faults; change them at run time with `faults.configure()`. */
	public readonly faults: GatewayFaults;
	readonly #wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1_048_576 });
	readonly #connections = new Set<GatewayConnection>();
	readonly #timers = new Set<NodeJS.Timeout>();
	readonly #settings: GatewaySettings;
	readonly #sessions: SessionRegistry;
	readonly #budget: IdentifyBudget;
	readonly #router: DispatchRouter;
	readonly #floods: GatewayFloods;
	readonly #protocol: ClientProtocol;

	public constructor(world: World, context: GatewayContext, options: GatewayOptions = {}, seed = 1) {
		this.faults = new GatewayFaults(seed, options.gatewayFaults);
		this.#settings = gatewaySettings(options);
		this.#sessions = new SessionRegistry(this.#settings.resumeTimeoutMs);
		this.#budget = new IdentifyBudget(this.#settings);
		this.#router = new DispatchRouter(world, this.#sessions, this.faults);
		this.#floods = new GatewayFloods(world, this.#router, this.#sessions, this.#connections);
		this.#protocol = new ClientProtocol({
			world,
			context,
			settings: this.#settings,
			sessions: this.#sessions,
			budget: this.#budget,
			members: new MemberChunker(world, this.#settings.memberRequestCooldownMs),
			faults: this.faults,
		});
		const sessionsById = this.#sessions.byId;
		connectGateway(
			world,
			(event, data, guildId) => {
				void this.#router.dispatch(event, data, guildId);
			},
			() => sessionsById.size > 0,
		);
	}

	/** Sessions by ID (attached and detached-but-resumable). */
	public get sessionsById(): ReadonlyMap<string, GatewaySession> {
		return this.#sessions.byId;
	}

	/** Identify accounting, as `/gateway/bot` reports it. */
	public get identify(): IdentifyCounts {
		return this.#budget.counts;
	}

	/**
	 * Every IDENTIFY the gateway judged, oldest first (the last 10,000): shard, bucket, when it was received and
	 * whether it was accepted. Identify spacing measured here is what Discord measures.
	 */
	public get identifyLog(): readonly IdentifyRecord[] {
		return this.#budget.log;
	}

	/** The recommended shard count and `max_concurrency`. */
	public get shardAdvice(): { shards: number; maxConcurrency: number } {
		return { shards: this.#settings.shards, maxConcurrency: this.#settings.maxConcurrency };
	}

	/** `session_start_limit` as `/gateway/bot` returns it. */
	public sessionStartLimit(): { total: number; remaining: number; reset_after: number; max_concurrency: number } {
		return this.#budget.sessionStartLimit();
	}

	/** Sessions with a live connection. */
	public get sessions(): GatewaySession[] {
		return this.#sessions.live();
	}

	/** Open WebSocket connections (identified or not). */
	public get connectionCount(): number {
		return this.#connections.size;
	}

	/** Handles an HTTP upgrade on `/gateway`. */
	public upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.#wss.handleUpgrade(req, socket, head, (ws) => {
			this.#accept(ws, socket, new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
		});
	}

	/**
	 * Sends a dispatch to every session that should see it: the guild's shard (`(guild_id >> 22) % num_shards`,
	 * shard 0 for DMs and guild-less events) and the intents that govern the event. Resolves when every socket
	 * accepted it (respecting backpressure).
	 */
	public async dispatch(
		event: GatewayDispatchEvents,
		data: unknown,
		options: { guildId?: GuildId | null } = {},
	): Promise<number> {
		return this.#router.dispatch(event, data, options.guildId ?? null);
	}

	/**
	 * Dispatches `count` `MESSAGE_CREATE` events in `channelId` as fast as each socket drains (the messages are
	 * not stored). Resolves with the number of events generated once every socket accepted them.
	 */
	public async flood(count: number, options: FloodOptions): Promise<number> {
		return this.#floods.flood(count, options);
	}

	/**
	 * Renders `count` dispatches for every live session that should see them, assigns their sequences and encodes
	 * them (JSON, or compressed with the connection's own context), then returns a {@link PreparedFlood} whose
	 * `send()` writes them as fast as each socket drains. Benchmarks use it so that the mock's own serialization is
	 * not what they measure. `MESSAGE_CREATE` carries a content (`flood {i}` by default); `TYPING_START` is an
	 * event bots rarely listen to.
	 */
	public async prepareFlood(count: number, options: PrepareFloodOptions): Promise<PreparedFlood> {
		return this.#floods.prepare(count, options);
	}

	/**
	 * Resolves once at least `count` sessions are live (identified and connected), after their READY and
	 * GUILD_CREATEs were sent. Rejects with `MOCK_WAIT_TIMEOUT` after `timeoutMs`.
	 */
	public async waitForSessions(count = 1, timeoutMs = 10_000): Promise<GatewaySession[]> {
		return this.#sessions.waitFor(count, timeoutMs);
	}

	/** Closes every connection with `code`; sessions stay resumable unless the code forbids resuming. */
	public closeAll(code: number = GatewayCloseCodes.UnknownError, reason = 'Closed by the mock'): number {
		let closed = 0;
		for (const connection of this.#connections) {
			closeConnection(connection, code, reason, this.#sessions);
			closed++;
		}
		return closed;
	}

	/** Sends op 9 INVALID_SESSION to every live session; a non-resumable one is ended (the client must identify). */
	public invalidateSession(resumable: boolean): number {
		let count = 0;
		for (const connection of this.#connections) {
			if (connection.session === undefined) continue;
			sendInvalidSession(connection, resumable, this.#sessions);
			count++;
		}
		return count;
	}

	/** Sends op 7 RECONNECT to every connection and closes those still open after `graceMs` with 4000 (resumable). */
	public reconnect(graceMs = 5000): number {
		for (const connection of this.#connections) void connection.send({ op: GatewayOpcodes.Reconnect, d: null });
		const timer = setTimeout(() => {
			this.#timers.delete(timer);
			for (const connection of this.#connections)
				connection.close(GatewayCloseCodes.UnknownError, 'Reconnect requested');
		}, graceMs);
		timer.unref();
		this.#timers.add(timer);
		return this.#connections.size;
	}

	/** Stops (or resumes) answering heartbeats with op 11 ACK, to test zombie-connection detection. */
	public withholdAcks(withhold: boolean): void {
		this.#protocol.acksWithheld = withhold;
	}

	/**
	 * Stops (or resumes) answering IDENTIFY: a valid IDENTIFY is counted in `identify.withheld` and gets no READY
	 * (no session is created, the identify budget is not spent), as a stalled Discord or a proxy that swallows
	 * frames would do — to test ready timeouts. Heartbeats are still acknowledged.
	 */
	public withholdReady(withhold: boolean): void {
		this.#protocol.readyWithheld = withhold;
	}

	/** Closes every socket and forgets every session. */
	public async close(): Promise<void> {
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		for (const connection of this.#connections) connection.close(1001, 'Mock stopping');
		for (const ws of this.#wss.clients) ws.terminate();
		this.#connections.clear();
		this.#sessions.clear();
		await new Promise<void>((resolve) => {
			this.#wss.close(() => {
				resolve();
			});
		});
	}

	/** A new socket: checks the query (`v`, `encoding`, `compress`), sends HELLO and hands messages to the protocol. */
	#accept(ws: WebSocket, transport: Duplex, query: URLSearchParams): void {
		const compress = query.get('compress');
		let compressor: Compressor | undefined;
		if (compress === 'zlib-stream') compressor = new ZlibStreamCompressor();
		else if (compress === 'zstd-stream') compressor = new ZstdStreamCompressor();
		const sessions = this.#sessions;
		const connection = new GatewayConnection(
			ws,
			transport,
			compressor,
			{
				heartbeatInterval: this.#settings.heartbeatIntervalMs,
				payloadLimit: this.#settings.payloadLimit,
				payloadWindowMs: this.#settings.payloadWindowMs,
			},
			(timedOut) => {
				if (timedOut.session !== undefined) sessions.end(timedOut.session);
				timedOut.close(GatewayCloseCodes.SessionTimedOut, 'Session timed out');
			},
		);
		this.#connections.add(connection);
		ws.on('close', (code) => {
			this.#connections.delete(connection);
			connection.dispose();
			const session = connection.session;
			if (session?.connection === connection) {
				session.connection = undefined;
				session.detachedAt = Date.now();
				if (code === 1000 || code === 1001) sessions.end(session);
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
			void this.#protocol.receive(connection, raw);
		});
		connection.hello();
	}
}
