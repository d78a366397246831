import pg from 'pg';
import { CacheError } from '../errors/CacheError.js';
import type { CacheEntry, CacheSetOptions, CacheTier } from '../interfaces/CacheTier.js';
import { ValueCodec, type ValueCodecOptions } from '../utils/Serializer.js';
import { assertNumberOption } from '../utils/keys.js';

/** Options of a {@link PostgresTier}. */
export interface PostgresTierOptions {
	/** A pool to use (not ended by the tier). Without it, the tier creates one from `connectionString`. */
	readonly pool?: pg.Pool;
	/** Connection string when no pool is given. @defaultValue `'postgres://postgres@127.0.0.1:5432/postgres'` */
	readonly connectionString?: string;
	/** The table (created on first use); letters, digits and `_`, optionally `schema.table`. @defaultValue `'ovenjs_cache'` */
	readonly table?: string;
	/** The tier name in stats and events. @defaultValue `'postgres'` */
	readonly name?: string;
	/** Default time to live in ms; `0` means no expiry. @defaultValue `0` */
	readonly ttl?: number;
	/** How often expired rows are deleted, in ms; `0` disables the sweep. @defaultValue `60_000` */
	readonly sweepInterval?: number;
	/** How values are encoded. @defaultValue `new ValueCodec()` */
	readonly codec?: ValueCodec | ValueCodecOptions;
	/** A query that takes longer than this fails (and the tier fails over). @defaultValue `5_000` */
	readonly queryTimeout?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

function isRow(value: unknown): value is { key: string; value: Buffer } {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof Reflect.get(value, 'key') === 'string' &&
		Buffer.isBuffer(Reflect.get(value, 'value'))
	);
}

function keyOf(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const key: unknown = Reflect.get(value, 'key');
	return typeof key === 'string' ? key : undefined;
}

/** Escapes a glob (`*`, `?`) into a LIKE pattern with `\` as the escape character. */
function globToLike(pattern: string): string {
	let out = '';
	for (const char of pattern) {
		if (char === '*') out += '%';
		else if (char === '?') out += '_';
		else if (char === '%' || char === '_' || char === '\\') out += `\\${char}`;
		else out += char;
	}
	return out;
}

/**
 * The durable tier, on PostgreSQL (pg): one table `(key text primary key, value bytea, tags text[], expires_at
 * bigint)` created on first use, upserts in batches, batched reads with `= ANY($1)`, a GIN index for tag
 * invalidation and a periodic sweep of expired rows. Queries reject with `CACHE_TIER_UNAVAILABLE` when the
 * server is unreachable; {@link MultiTierCache} journals writes and replays them, so nothing acknowledged is lost.
 */
export class PostgresTier implements CacheTier {
	public readonly name: string;
	public readonly shared = true;
	public readonly durable = true;
	/** The pool in use. */
	public readonly pool: pg.Pool;
	readonly #owned: boolean;
	readonly #table: string;
	readonly #ttl: number;
	readonly #codec: ValueCodec;
	#schema: Promise<void> | undefined;
	readonly #timer: NodeJS.Timeout | undefined;

	public constructor(options: PostgresTierOptions = {}) {
		assertNumberOption('ttl', options.ttl, 0);
		assertNumberOption('sweepInterval', options.sweepInterval, 0);
		assertNumberOption('queryTimeout', options.queryTimeout, 1);
		const table = options.table ?? 'ovenjs_cache';
		if (!IDENTIFIER.test(table)) {
			throw CacheError.of('CACHE_INVALID_OPTION', [
				'table',
				'an SQL identifier (letters, digits, _; optionally schema.table)',
				JSON.stringify(table),
			]);
		}
		this.#table = table
			.split('.')
			.map((part) => `"${part}"`)
			.join('.');
		this.name = options.name ?? 'postgres';
		this.#ttl = options.ttl ?? 0;
		this.#codec = options.codec instanceof ValueCodec ? options.codec : new ValueCodec(options.codec);
		this.#owned = options.pool === undefined;
		this.pool =
			options.pool ??
			new pg.Pool({
				connectionString: options.connectionString ?? 'postgres://postgres@127.0.0.1:5432/postgres',
				max: 4,
				query_timeout: options.queryTimeout ?? 5_000,
				connectionTimeoutMillis: options.queryTimeout ?? 5_000,
			});
		// A backend terminated while idle emits 'error' on the pool; queries report outages instead.
		this.pool.on('error', () => undefined);
		const sweep = options.sweepInterval ?? 60_000;
		if (sweep > 0) this.#timer = setInterval(() => void this.sweepExpired().catch(() => 0), sweep).unref();
	}

	/** Inspect output without the pool (its connection string may hold a password). */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `PostgresTier { name: ${JSON.stringify(this.name)}, table: ${JSON.stringify(this.#table)} }`;
	}

	public async get(key: string): Promise<unknown> {
		const [value] = await this.mget([key]);
		return value;
	}

	public async set(key: string, value: unknown, options?: CacheSetOptions): Promise<void> {
		await this.mset([{ key, value, ...(options === undefined ? {} : { options }) }]);
	}

	public async delete(key: string): Promise<boolean> {
		const result = await this.#query(`DELETE FROM ${this.#table} WHERE key = $1`, [key]);
		return (result.rowCount ?? 0) > 0;
	}

	public async has(key: string): Promise<boolean> {
		const result = await this.#query(
			`SELECT 1 FROM ${this.#table} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
			[key, Date.now()],
		);
		return result.rows.length > 0;
	}

	public async mget(keys: readonly string[]): Promise<unknown[]> {
		if (keys.length === 0) return [];
		const result = await this.#query(
			`SELECT key, value FROM ${this.#table} WHERE key = ANY($1::text[]) AND (expires_at IS NULL OR expires_at > $2)`,
			[keys, Date.now()],
		);
		const found = new Map<string, Buffer>();
		for (const row of result.rows) if (isRow(row)) found.set(row.key, row.value);
		return keys.map((key) => {
			const bytes = found.get(key);
			return bytes === undefined ? undefined : this.#codec.decode(bytes);
		});
	}

	public async mset(entries: readonly CacheEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const latest = new Map<string, CacheEntry>();
		for (const entry of entries) latest.set(entry.key, entry);
		const rows = [...latest.values()];
		const now = Date.now();
		for (let start = 0; start < rows.length; start += 500) {
			const chunk = rows.slice(start, start + 500);
			const params: unknown[] = [];
			const tuples = chunk.map((entry) => {
				const ttl = (entry.options?.ttl ?? 0) > 0 ? (entry.options?.ttl ?? 0) : this.#ttl;
				params.push(
					entry.key,
					this.#codec.encode(entry.value),
					[...(entry.options?.tags ?? [])],
					ttl > 0 ? now + ttl : null,
				);
				const base = params.length - 4;
				return `($${base + 1}, $${base + 2}, $${base + 3}::text[], $${base + 4}::bigint)`;
			});
			await this.#query(
				`INSERT INTO ${this.#table} (key, value, tags, expires_at) VALUES ${tuples.join(', ')} ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, tags = EXCLUDED.tags, expires_at = EXCLUDED.expires_at`,
				params,
			);
		}
	}

	public async deleteByTag(tag: string): Promise<string[]> {
		const result = await this.#query(`DELETE FROM ${this.#table} WHERE tags @> ARRAY[$1]::text[] RETURNING key`, [
			tag,
		]);
		const keys: string[] = [];
		for (const row of result.rows) {
			const key = keyOf(row);
			if (key !== undefined) keys.push(key);
		}
		return keys;
	}

	public async deleteByPattern(pattern: string): Promise<number> {
		const result = await this.#query(`DELETE FROM ${this.#table} WHERE key LIKE $1 ESCAPE '\\'`, [
			globToLike(pattern),
		]);
		return result.rowCount ?? 0;
	}

	/** Deletes expired rows now; resolves to how many. Runs every `sweepInterval` ms on its own. */
	public async sweepExpired(): Promise<number> {
		const result = await this.#query(
			`DELETE FROM ${this.#table} WHERE expires_at IS NOT NULL AND expires_at <= $1`,
			[Date.now()],
		);
		return result.rowCount ?? 0;
	}

	public async clear(): Promise<void> {
		await this.#query(`DELETE FROM ${this.#table}`, []);
	}

	public async ping(): Promise<boolean> {
		try {
			await this.pool.query('SELECT 1');
			return true;
		} catch {
			return false;
		}
	}

	/** Drops the table (for tests and teardown). */
	public async drop(): Promise<void> {
		await this.#query(`DROP TABLE IF EXISTS ${this.#table}`, [], false);
		this.#schema = undefined;
	}

	public async close(): Promise<void> {
		if (this.#timer !== undefined) clearInterval(this.#timer);
		if (this.#owned) await this.pool.end().catch(() => undefined);
	}

	#ensureSchema(): Promise<void> {
		this.#schema ??= (async () => {
			const index = this.#table.replace(/"/g, '').replace(/\./g, '_');
			await this.pool.query(
				`CREATE TABLE IF NOT EXISTS ${this.#table} (key text PRIMARY KEY, value bytea NOT NULL, tags text[] NOT NULL DEFAULT '{}', expires_at bigint)`,
			);
			await this.pool.query(`CREATE INDEX IF NOT EXISTS "${index}_tags" ON ${this.#table} USING GIN (tags)`);
			await this.pool.query(
				`CREATE INDEX IF NOT EXISTS "${index}_expires" ON ${this.#table} (expires_at) WHERE expires_at IS NOT NULL`,
			);
		})().catch((error: unknown) => {
			this.#schema = undefined;
			throw error;
		});
		return this.#schema;
	}

	async #query(
		text: string,
		params: readonly unknown[],
		schema = true,
	): Promise<pg.QueryResult<Record<string, unknown>>> {
		try {
			if (schema) await this.#ensureSchema();
			return await this.pool.query<Record<string, unknown>>(text, [...params]);
		} catch (error) {
			throw CacheError.of(
				'CACHE_TIER_UNAVAILABLE',
				[this.name, 'complete a PostgreSQL query', error instanceof Error ? error.message : String(error)],
				{
					cause: error,
					tier: this.name,
				},
			);
		}
	}
}
