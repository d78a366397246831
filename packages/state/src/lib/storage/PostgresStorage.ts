import pg from 'pg';
import { StateError } from '../errors/StateError.js';
import { decodeChange, decodeSnapshot } from './codec.js';
import type { PersistedChange, PersistedSnapshot, PersistedState, StateStorage } from './StateStorage.js';

/** Options of {@link PostgresStorage}. */
export interface PostgresStorageOptions {
	/** A pool to use (not ended by the storage). Without it, the storage creates one from `connectionString`. */
	readonly pool?: pg.Pool;
	/** Connection string when no pool is given. @defaultValue `'postgres://postgres@127.0.0.1:5432/postgres'` */
	readonly connectionString?: string;
	/** Table name prefix (letters, digits, `_`, optionally `schema.`): `<table>_snapshots` and `<table>_changes`. @defaultValue `'ovenjs_state'` */
	readonly table?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,40}(?:\.[A-Za-z_][A-Za-z0-9_]{0,40})?$/;

function textOf(row: unknown, column: string): string | undefined {
	if (typeof row !== 'object' || row === null) return undefined;
	const value: unknown = Reflect.get(row, column);
	return typeof value === 'string' ? value : undefined;
}

/**
 * Persists a store in PostgreSQL: `<table>_snapshots (key primary key, version, data)` and
 * `<table>_changes (key, version, data, primary key (key, version))`, created on first use. Saving a snapshot
 * and deleting the changes it contains is one transaction.
 */
export class PostgresStorage implements StateStorage {
	readonly #pool: pg.Pool;
	readonly #owned: boolean;
	readonly #snapshots: string;
	readonly #changes: string;
	#ready: Promise<void> | undefined;

	public constructor(options: PostgresStorageOptions = {}) {
		const table = options.table ?? 'ovenjs_state';
		if (!IDENTIFIER.test(table))
			throw StateError.of('STATE_INVALID_OPTIONS', [
				'PostgresStorage table',
				`${JSON.stringify(table)} is not a plain identifier`,
			]);
		this.#snapshots = `${table}_snapshots`;
		this.#changes = `${table}_changes`;
		this.#owned = options.pool === undefined;
		this.#pool =
			options.pool ??
			new pg.Pool({
				connectionString: options.connectionString ?? 'postgres://postgres@127.0.0.1:5432/postgres',
				max: 4,
			});
		this.#pool.on('error', () => undefined);
	}

	#init(): Promise<void> {
		this.#ready ??= this.#pool
			.query(
				`CREATE TABLE IF NOT EXISTS ${this.#snapshots} (key text PRIMARY KEY, version bigint NOT NULL, data text NOT NULL);
				 CREATE TABLE IF NOT EXISTS ${this.#changes} (key text NOT NULL, version bigint NOT NULL, data text NOT NULL, PRIMARY KEY (key, version));`,
			)
			.then(() => undefined)
			.catch((error: unknown) => {
				this.#ready = undefined;
				throw error;
			});
		return this.#ready;
	}

	public async load(key: string): Promise<PersistedState> {
		try {
			await this.#init();
			const snap = await this.#pool.query<Record<string, unknown>>(
				`SELECT data FROM ${this.#snapshots} WHERE key = $1`,
				[key],
			);
			const snapshot = decodeSnapshot(textOf(snap.rows[0], 'data'));
			const rows = await this.#pool.query<Record<string, unknown>>(
				`SELECT data FROM ${this.#changes} WHERE key = $1 AND version > $2 ORDER BY version`,
				[key, snapshot?.version ?? -1],
			);
			const changes: PersistedChange[] = [];
			for (const row of rows.rows) {
				const change = decodeChange(textOf(row, 'data') ?? '');
				if (change === undefined)
					throw StateError.of('STATE_STORAGE_FAILED', [key, 'load (a stored change is malformed)']);
				changes.push(change);
			}
			return { snapshot, changes };
		} catch (error) {
			if (error instanceof StateError) throw error;
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'load from PostgreSQL'], { cause: error });
		}
	}

	public async append(key: string, changes: readonly PersistedChange[]): Promise<void> {
		if (changes.length === 0) return;
		try {
			await this.#init();
			await this.#pool.query(
				`INSERT INTO ${this.#changes} (key, version, data) SELECT $1, v, d FROM unnest($2::bigint[], $3::text[]) AS t(v, d) ON CONFLICT (key, version) DO UPDATE SET data = EXCLUDED.data`,
				[key, changes.map((change) => change.version), changes.map((change) => JSON.stringify(change))],
			);
		} catch (error) {
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'append to PostgreSQL'], { cause: error });
		}
	}

	public async saveSnapshot(key: string, snapshot: PersistedSnapshot): Promise<void> {
		let client: pg.PoolClient | undefined;
		try {
			await this.#init();
			client = await this.#pool.connect();
			await client.query('BEGIN');
			await client.query(
				`INSERT INTO ${this.#snapshots} (key, version, data) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, data = EXCLUDED.data`,
				[key, snapshot.version, JSON.stringify(snapshot)],
			);
			await client.query(`DELETE FROM ${this.#changes} WHERE key = $1 AND version <= $2`, [
				key,
				snapshot.version,
			]);
			await client.query('COMMIT');
		} catch (error) {
			await client?.query('ROLLBACK').catch(() => undefined);
			throw StateError.of('STATE_STORAGE_FAILED', [key, 'save a snapshot to PostgreSQL'], { cause: error });
		} finally {
			client?.release();
		}
	}

	public async close(): Promise<void> {
		if (this.#owned) await this.#pool.end().catch(() => undefined);
	}

	/** Inspect output without the pool (its options may hold a password). */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `PostgresStorage { tables: ${JSON.stringify([this.#snapshots, this.#changes])} }`;
	}
}
