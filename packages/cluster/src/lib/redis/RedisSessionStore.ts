import type { Redis } from 'ioredis';
import type { SessionInfo } from '@ovenjs/ws';
import { z } from 'zod';
import { ClusterError } from '../errors/ClusterError.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
	/** A connected ioredis client (the store does not close it). */
	readonly redis: Redis;
	/** Prefix of the keys; give every bot its own. @defaultValue `'ovenjs:sessions:'` */
	readonly keyPrefix?: string;
	/**
	 * How long a stored session is kept after its last write, in ms. Discord does not document how long a session
	 * stays resumable; past it, RESUME gets INVALID_SESSION and the shard identifies anyway.
	 * @defaultValue `900_000` (15 min)
	 */
	readonly ttl?: number;
	/**
	 * Sequence updates are coalesced and written at most once per `flushInterval` ms per shard (READY and the end
	 * of a session are written at once). After a crash the stored sequence may lag by this much: the resumed shard
	 * gets those events replayed (a JetStream gateway deduplicates them). `flush()` writes everything, for a clean
	 * stop. @defaultValue `250`
	 */
	readonly flushInterval?: number;
}

/** Defaults of {@link RedisSessionStoreOptions}. */
export const DefaultRedisSessionStoreOptions = {
	keyPrefix: 'ovenjs:sessions:',
	ttl: 900_000,
	flushInterval: 250,
} as const satisfies Partial<RedisSessionStoreOptions>;

const SessionSchema = z.object({
	sessionId: z.string().min(1),
	sequence: z.number().int().min(0),
	resumeUrl: z.string().min(1),
	shardId: z.number().int().min(0),
	shardCount: z.number().int().min(1),
});

/**
 * Keeps every shard's session (id, sequence, resume URL) in Redis so a restarted or moved process resumes its
 * shards instead of identifying them — a deploy costs no identify and loses no event. Plug it into the gateway:
 *
 * ```ts
 * const sessions = new RedisSessionStore({ redis, keyPrefix: 'mybot:sessions:' });
 * const manager = new WebSocketManager({ ...options, retrieveSessionInfo: sessions.retrieve, updateSessionInfo: sessions.update });
 * cluster.onShutdown(async () => { await manager.destroy({ keepSession: true }); await sessions.flush(); });
 * ```
 */
export class RedisSessionStore {
	readonly #redis: Redis;
	readonly #prefix: string;
	readonly #ttl: number;
	readonly #interval: number;
	readonly #dirty = new Map<number, SessionInfo | null>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	#writing: Promise<void> = Promise.resolve();

	public constructor(options: RedisSessionStoreOptions) {
		const d = DefaultRedisSessionStoreOptions;
		for (const key of ['ttl', 'flushInterval'] as const) {
			const value = options[key];
			if (value !== undefined && (!Number.isInteger(value) || value < (key === 'ttl' ? 1 : 0)))
				throw ClusterError.of('CLUSTER_INVALID_OPTION', [
					`RedisSessionStore ${key}`,
					`must be a ${key === 'ttl' ? 'positive' : 'non-negative'} integer (ms), got ${String(value)}.`,
				]);
		}
		this.#redis = options.redis;
		this.#prefix = options.keyPrefix ?? d.keyPrefix;
		this.#ttl = options.ttl ?? d.ttl;
		this.#interval = options.flushInterval ?? d.flushInterval;
	}

	#key(shardId: number): string {
		return `${this.#prefix}${shardId}`;
	}

	/** The stored session of `shardId` (`null` when none, expired or unreadable). Pass as `retrieveSessionInfo`. */
	public readonly retrieve = async (shardId: number): Promise<SessionInfo | null> => {
		await this.#writing;
		const pending = this.#dirty.get(shardId);
		if (pending !== undefined) return pending;
		const text = await this.#redis.get(this.#key(shardId));
		if (text === null) return null;
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			return null;
		}
		const parsed = SessionSchema.safeParse(json);
		return parsed.success && parsed.data.shardId === shardId ? parsed.data : null;
	};

	/** Stores (or with `null` deletes) the session of `shardId`. Pass as `updateSessionInfo`. */
	public readonly update = (shardId: number, info: SessionInfo | null): Promise<void> | undefined => {
		const previous = this.#dirty.has(shardId) ? this.#dirty.get(shardId) : undefined;
		this.#dirty.set(shardId, info);
		// A new session or its end is written at once; sequence bumps are coalesced.
		if (
			info === null ||
			previous === null ||
			(previous !== undefined && previous.sessionId !== info.sessionId) ||
			info.sequence <= 1
		)
			return this.flush();
		if (this.#timer === undefined) {
			this.#timer = setTimeout(() => {
				this.#timer = undefined;
				void this.flush().catch(() => undefined);
			}, this.#interval);
			this.#timer.unref();
		}
		return undefined;
	};

	/** Writes every pending update now; call it before the process exits. */
	public flush(): Promise<void> {
		if (this.#timer !== undefined) {
			clearTimeout(this.#timer);
			this.#timer = undefined;
		}
		const batch = [...this.#dirty];
		this.#dirty.clear();
		const write = async (): Promise<void> => {
			if (batch.length === 0) return;
			const multi = this.#redis.multi();
			for (const [shardId, info] of batch) {
				if (info === null) multi.del(this.#key(shardId));
				else multi.set(this.#key(shardId), JSON.stringify(info), 'PX', this.#ttl);
			}
			try {
				await multi.exec();
			} catch (error) {
				throw ClusterError.of('CLUSTER_STORE_FAILED', [{ kind: 'sessions', count: batch.length }], {
					cause: error,
				});
			}
		};
		this.#writing = this.#writing.then(write, write);
		return this.#writing;
	}

	/** How many of `shardIds` have a stored session (they will resume: no identify). */
	public async count(shardIds: readonly number[]): Promise<number> {
		if (shardIds.length === 0) return 0;
		const values = await this.#redis.mget(shardIds.map((id) => this.#key(id)));
		return values.filter((value) => value !== null).length;
	}

	/** Deletes every stored session of `shardIds` (the next start identifies them). */
	public async clear(shardIds: readonly number[]): Promise<void> {
		for (const id of shardIds) this.#dirty.delete(id);
		if (shardIds.length > 0) await this.#redis.del(...shardIds.map((id) => this.#key(id)));
	}
}
