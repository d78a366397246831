/**
 * A tiny in-test Discord gateway over real sockets on 127.0.0.1: sessions with a replay log, HELLO/heartbeat,
 * IDENTIFY/RESUME, op 7/9, close codes, zlib-stream, member chunks. Fault injection is explicit per test.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { constants as zc, createDeflate, type Deflate } from 'node:zlib';
import { WebSocket, WebSocketServer } from 'ws';
import { shardIdForGuild, uncheckedSnowflake } from '@ovenjs/types';

interface Session {
	readonly id: string;
	readonly shardId: number;
	readonly shardCount: number;
	readonly log: string[];
	seq: number;
	conn: Conn | null;
	readonly guilds: string[];
}

interface Conn {
	readonly ws: WebSocket;
	readonly deflate: Deflate | null;
	session: Session | null;
	heartbeats: number;
	identifiedAt: number;
	out: Buffer[];
}

export interface FakeGatewayOptions {
	readonly heartbeatInterval?: number;
	/** Guild ids (numeric strings) the bot is in. */
	readonly guilds?: readonly string[];
	/** Replay this many already-acknowledged events on resume (tests duplicate suppression). */
	readonly overReplay?: number;
	readonly recommendedShards?: number;
	readonly maxConcurrency?: number;
}

export class FakeGateway {
	public readonly server: WebSocketServer;
	public readonly url: string;
	public readonly sessions = new Map<string, Session>();
	public readonly identifies: { shardId: number; shardCount: number; token: string; intents: number }[] = [];
	public readonly resumes: { sessionId: string; seq: number }[] = [];
	public readonly received: unknown[] = [];
	public readonly conns = new Set<Conn>();
	/** Every connection's path and query, in order. */
	public readonly paths: string[] = [];
	public withholdAcks = false;
	public token = 'fake-token-0123456789';
	public rejectCode: number | null = null;
	public recommendedShards: number;
	/** When set, the next op 8 request gets RATE_LIMITED once. */
	public rateLimitNextMemberRequest = false;
	readonly #options: FakeGatewayOptions;

	private constructor(server: WebSocketServer, options: FakeGatewayOptions) {
		this.server = server;
		this.#options = options;
		this.recommendedShards = options.recommendedShards ?? 1;
		const { port } = server.address() as AddressInfo;
		this.url = `ws://127.0.0.1:${port}`;
		server.on('connection', (ws, req) => {
			this.#onConnection(ws, new URL(req.url ?? '/', this.url));
		});
	}

	public static start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
		return new Promise((resolve) => {
			const server = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
				resolve(new FakeGateway(server, options));
			});
		});
	}

	public gatewayBot(): unknown {
		return {
			url: this.url,
			shards: this.recommendedShards,
			session_start_limit: {
				total: 1000,
				remaining: 999,
				reset_after: 86_400_000,
				max_concurrency: this.#options.maxConcurrency ?? 1,
			},
		};
	}

	get guilds(): readonly string[] {
		return this.#options.guilds ?? ['81384788765712384'];
	}

	#send(conn: Conn, payload: unknown): void {
		const text = JSON.stringify(payload);
		if (conn.ws.readyState !== WebSocket.OPEN) return;
		if (conn.deflate === null) {
			conn.ws.send(text);
			return;
		}
		conn.deflate.write(text);
		conn.deflate.flush(zc.Z_SYNC_FLUSH, () => {
			const all = Buffer.concat(conn.out);
			conn.out = [];
			if (conn.ws.readyState !== WebSocket.OPEN) return;
			// Split in two WebSocket messages to exercise buffering until the 00 00 ff ff suffix.
			if (all.length > 8) {
				conn.ws.send(all.subarray(0, 4));
				conn.ws.send(all.subarray(4));
			} else conn.ws.send(all);
		});
	}

	#onConnection(ws: WebSocket, url: URL): void {
		this.paths.push(url.pathname + url.search);
		const deflate = url.searchParams.get('compress') === 'zlib-stream' ? createDeflate() : null;
		const conn: Conn = { ws, deflate, session: null, heartbeats: 0, identifiedAt: 0, out: [] };
		deflate?.on('data', (c: Buffer) => conn.out.push(c));
		this.conns.add(conn);
		ws.on('close', () => {
			this.conns.delete(conn);
			if (conn.session?.conn === conn) conn.session.conn = null;
			deflate?.close();
		});
		ws.on('message', (data) => {
			this.#onMessage(
				conn,
				JSON.parse(Buffer.isBuffer(data) ? data.toString() : '{}') as { op: number; d: unknown },
			);
		});
		this.#send(conn, {
			t: null,
			s: null,
			op: 10,
			d: { heartbeat_interval: this.#options.heartbeatInterval ?? 41_250 },
		});
	}

	#onMessage(conn: Conn, payload: { op: number; d: unknown }): void {
		this.received.push(payload);
		switch (payload.op) {
			case 1:
				conn.heartbeats++;
				if (!this.withholdAcks) this.#send(conn, { op: 11, d: null });
				return;
			case 2: {
				const d = payload.d as { token: string; shard: [number, number]; intents: number };
				this.identifies.push({
					shardId: d.shard[0],
					shardCount: d.shard[1],
					token: d.token,
					intents: d.intents,
				});
				if (d.token !== this.token) {
					conn.ws.close(4004, 'Authentication failed.');
					return;
				}
				if (this.rejectCode !== null) {
					conn.ws.close(this.rejectCode, 'rejected');
					return;
				}
				const guilds = this.guilds.filter(
					(g) => shardIdForGuild(uncheckedSnowflake('Guild', g), d.shard[1]) === d.shard[0],
				);
				const session: Session = {
					id: randomUUID(),
					shardId: d.shard[0],
					shardCount: d.shard[1],
					log: [],
					seq: 0,
					conn,
					guilds,
				};
				this.sessions.set(session.id, session);
				conn.session = session;
				this.#emit(session, 'READY', {
					v: 10,
					session_id: session.id,
					resume_gateway_url: `${this.url}/resume-here`,
					guilds: guilds.map((id) => ({ id, unavailable: true })),
					shard: d.shard,
					user: { id: '1', username: 'bot' },
				});
				for (const id of guilds)
					this.#emit(session, 'GUILD_CREATE', { id, name: `guild ${id}`, unavailable: false });
				return;
			}
			case 6: {
				const d = payload.d as { session_id: string; seq: number };
				this.resumes.push({ sessionId: d.session_id, seq: d.seq });
				const session = this.sessions.get(d.session_id);
				if (session === undefined) {
					this.#send(conn, { t: null, s: null, op: 9, d: false });
					return;
				}
				session.conn = conn;
				conn.session = session;
				const from = Math.max(0, d.seq - (this.#options.overReplay ?? 0));
				for (const text of session.log.slice(from))
					if (conn.ws.readyState === WebSocket.OPEN) this.#sendRaw(conn, text);
				session.seq++;
				const resumed = JSON.stringify({ t: 'RESUMED', s: session.seq, op: 0, d: {} });
				session.log.push(resumed);
				this.#sendRaw(conn, resumed);
				return;
			}
			case 8: {
				const d = payload.d as { guild_id: string; nonce: string; limit: number };
				const session = conn.session;
				if (session === null) return;
				if (this.rateLimitNextMemberRequest) {
					this.rateLimitNextMemberRequest = false;
					this.#emit(session, 'RATE_LIMITED', {
						opcode: 8,
						retry_after: 0.05,
						meta: { guild_id: d.guild_id, nonce: d.nonce },
					});
					return;
				}
				for (let i = 0; i < 3; i++) {
					this.#emit(session, 'GUILD_MEMBERS_CHUNK', {
						guild_id: d.guild_id,
						nonce: d.nonce,
						chunk_index: i,
						chunk_count: 3,
						members: [{ user: { id: String(100 + i) } }],
						not_found: i === 2 ? ['999'] : [],
					});
				}
				return;
			}
			default:
		}
	}

	#sendRaw(conn: Conn, text: string): void {
		this.#send(conn, JSON.parse(text));
	}

	#emit(session: Session, t: string, d: unknown): void {
		session.seq++;
		const text = JSON.stringify({ t, s: session.seq, op: 0, d });
		session.log.push(text);
		if (session.conn !== null) this.#sendRaw(session.conn, text);
	}

	/** The live sessions (last identified per shard per shard count). */
	public liveSessions(): Session[] {
		return [...this.sessions.values()].filter((s) => s.conn !== null);
	}

	/** Dispatches an event for `guildId` to every session (of any shard count) whose shard owns the guild. */
	public dispatchGuild(guildId: string, t: string, d: Record<string, unknown>): void {
		for (const session of this.sessions.values()) {
			if (
				shardIdForGuild(uncheckedSnowflake('Guild', guildId), session.shardCount) === session.shardId &&
				!this.#ended.has(session.id)
			)
				this.#emit(session, t, { ...d, guild_id: guildId });
		}
	}

	/** Dispatches to one shard's latest session (queued for replay if disconnected). */
	public dispatch(shardId: number, t: string, d: unknown): void {
		const session = [...this.sessions.values()]
			.filter((s) => s.shardId === shardId && !this.#ended.has(s.id))
			.at(-1);
		if (session === undefined) throw new Error(`no session for shard ${shardId}`);
		this.#emit(session, t, d);
	}

	readonly #ended = new Set<string>();

	/** Ends a session server side (the next RESUME gets op 9 false). */
	public endSession(id: string): void {
		this.#ended.add(id);
		this.sessions.delete(id);
	}

	public terminateAll(): void {
		for (const conn of this.conns) conn.ws.terminate();
	}

	public closeAll(code: number): void {
		for (const conn of this.conns) conn.ws.close(code, 'closed by test');
	}

	public sendOp(op: number, d: unknown): void {
		for (const conn of this.conns) this.#send(conn, { t: null, s: null, op, d });
	}

	public stop(): Promise<void> {
		for (const conn of this.conns) conn.ws.terminate();
		return new Promise((resolve) => {
			this.server.close(() => {
				resolve();
			});
		});
	}
}

/** Resolves when `predicate` holds, polling every 10 ms (bounded). */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}
