import { Redis, type RedisOptions } from 'ioredis';
import { StateError } from '../errors/StateError.js';
import { decodeChange, decodeSnapshot } from './codec.js';
import type { PersistedChange, PersistedSnapshot, PersistedState, StateStorage } from './StateStorage.js';

/** Options of {@link RedisStorage}. */
export interface RedisStorageOptions {
	/** An ioredis client to use (not closed by the storage). Without it, the storage connects to `url`. */
	readonly client?: Redis;
	/** Connection URL when no client is given. @defaultValue `'redis://127.0.0.1:6379'` */
	readonly url?: string;
	/** Extra ioredis options when the storage creates the client. @defaultValue `{}` */
	readonly redisOptions?: RedisOptions;
	/** Prefix of every key. @defaultValue `'ovenjs:state:'` */
	readonly prefix?: string;
}

const SAVE = `
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
return 1`;

/**
 * Persists a store in Redis: the snapshot as one string (`<prefix><key>:snapshot`) and the changes after it in a
 * sorted set by version (`<prefix><key>:changes`). Saving a snapshot and dropping the changes it contains is one
 * atomic script.
 */
export class RedisStorage implements StateStorage {
	/** The ioredis client in use. */
	public readonly client: Redis;
	readonly #owned: boolean;
	readonly #prefix: string;

	public constructor(options: RedisStorageOptions = {}) {
		this.#owned = options.client === undefined;
		this.#prefix = options.prefix ?? 'ovenjs:state:';
		this.client =
			options.client ??
			new Redis(options.url ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2, ...options.redisOptions });
		this.client.on('error', () => undefined);
	}

	public async load(key: string): Promise<PersistedState> {
		try {
			const [snapshotText, changeTexts] = await Promise.all([
				this.client.get(`${this.#prefix}${key}:snapshot`),
				this.client.zrange(`${this.#prefix}${key}:changes`, 0, -1),
			]);
			const snapshot = decodeSnapshot(snapshotText);
			const changes: PersistedChange[] = [];
			for (const text of changeTexts) {
				const change = decodeChange(text);
				if (change === undefined)
					throw StateError.of('STATE_STORAGE_FAILED', [key, 'load (a stored change is malformed)']);
				if (snapshot === undefined || change.version > snapshot.version) changes.push(change);
			}
			return { snapshot, changes };
		} catch (error) {
			if (error instanceof StateError) throw error;
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'load from Redis'], { cause: error });
		}
	}

	public async append(key: string, changes: readonly PersistedChange[]): Promise<void> {
		if (changes.length === 0) return;
		const args: (string | number)[] = [];
		for (const change of changes) args.push(change.version, JSON.stringify(change));
		try {
			await this.client.zadd(`${this.#prefix}${key}:changes`, ...args);
		} catch (error) {
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'append to Redis'], { cause: error });
		}
	}

	public async saveSnapshot(key: string, snapshot: PersistedSnapshot): Promise<void> {
		try {
			await this.client.eval(
				SAVE,
				2,
				`${this.#prefix}${key}:snapshot`,
				`${this.#prefix}${key}:changes`,
				String(snapshot.version),
				JSON.stringify(snapshot),
			);
		} catch (error) {
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'save a snapshot to Redis'], { cause: error });
		}
	}

	public async close(): Promise<void> {
		if (this.#owned) await this.client.quit().catch(() => undefined);
	}

	/** Inspect output without the client (its options may hold a password). */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `RedisStorage { prefix: ${JSON.stringify(this.#prefix)}, status: ${JSON.stringify(this.client.status)} }`;
	}
}
