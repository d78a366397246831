import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { PG_URL, postgresAvailable, redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import {
	MemoryStorage,
	StateStore,
	type PersistedChange,
	type PersistedSnapshot,
	type PersistedState,
	type StateStorage,
} from '@ovenjs/state';
import { PostgresStorage } from '@ovenjs/state/postgres';
import { RedisStorage } from '@ovenjs/state/redis';

interface Bot {
	guilds: Record<string, { prefix: string }>;
	counter: number;
}

const fresh = (): Bot => ({ guilds: {}, counter: 0 });

/** The restart scenario every storage must pass: snapshot + changes after it come back after a "restart". */
async function restartScenario(storage: () => StateStorage, name: string): Promise<void> {
	const first = await StateStore.create(fresh(), { name, persist: storage(), snapshots: { every: 5 } });
	for (let i = 1; i <= 12; i++) await first.set('counter', i);
	await first.set('guilds', { '1': { prefix: '!' } }, { who: 'admin', why: 'setup' });
	first.snapshot('named');
	await first.set('guilds.1.prefix', '?');
	await first.update((draft) => {
		draft.guilds['2'] = { prefix: '$' };
	});
	await first.flush();
	const expected = first.get();
	await first.destroy();

	const second = await StateStore.create(fresh(), { name, persist: storage() });
	expect(second.get()).toEqual(expected);
	expect(second.version).toBe(15);
	// It keeps going from there: versions continue, and a third start sees the new change too.
	await second.set('counter', 99);
	await second.flush();
	await second.destroy();
	const third = await StateStore.create(fresh(), { name, persist: storage() });
	expect(third.get()).toEqual({ ...expected, counter: 99 });
	expect(third.version).toBe(16);
	await third.destroy();
}

describe('MemoryStorage', () => {
	it('restores the last snapshot plus the changes after it', async () => {
		const storage = new MemoryStorage();
		await restartScenario(() => storage, 'memory');
		// The snapshot every 5 changes dropped the changes it contains.
		expect(storage.pendingChanges('memory')).toBeLessThan(5);
	});

	it('reports storage failures as STATE_STORAGE_FAILED from flush(), and recovers when the storage does', async () => {
		let failing = true;
		const inner = new MemoryStorage();
		const flaky: StateStorage = {
			load: (key) => inner.load(key),
			append: (key, changes) => (failing ? Promise.reject(new Error('disk full')) : inner.append(key, changes)),
			saveSnapshot: (key, snapshot) => inner.saveSnapshot(key, snapshot),
		};
		const errors: unknown[] = [];
		const store = await StateStore.create(fresh(), {
			name: 'flaky',
			persist: flaky,
			onError: (error) => errors.push(error),
		});
		await store.set('counter', 1);
		await expect(store.flush()).rejects.toMatchObject({
			code: 'STATE_STORAGE_FAILED',
			cause: expect.objectContaining({ message: 'disk full' }) as Error,
		});
		expect(errors.length).toBeGreaterThan(0);
		failing = false;
		await store.set('counter', 2);
		await store.flush();
		const loaded: PersistedState = await inner.load('flaky');
		expect(loaded.changes.map((change: PersistedChange) => change.version)).toEqual([1, 2]);
		await store.destroy();
	});

	it('a store whose storage cannot load rejects its ready promise and its updates', async () => {
		const broken: StateStorage = {
			load: () => Promise.reject(new Error('no such bucket')),
			append: () => Promise.resolve(),
			saveSnapshot: (_key: string, _snapshot: PersistedSnapshot) => Promise.resolve(),
		};
		const store = new StateStore(fresh(), { persist: broken, onError: () => undefined });
		await expect(store.ready).rejects.toMatchObject({ code: 'STATE_STORAGE_FAILED' });
		await expect(store.set('counter', 1)).rejects.toMatchObject({ code: 'STATE_STORAGE_FAILED' });
		await expect(StateStore.create(fresh(), { persist: broken, onError: () => undefined })).rejects.toMatchObject({
			code: 'STATE_STORAGE_FAILED',
		});
	});
});

const redis = await redisAvailable('StateStore Redis storage tests');
describe.skipIf(!redis.available)('RedisStorage (real Redis)', () => {
	const client = new Redis(redis.url, { lazyConnect: false });
	const prefix = uniquePrefix('state-storage');
	afterAll(async () => {
		const keys = await client.keys(`${prefix}*`);
		if (keys.length > 0) await client.del(...keys);
		await client.quit();
	});

	it('restores the last snapshot plus the changes after it', async () => {
		await restartScenario(() => new RedisStorage({ client, prefix }), 'bot');
		expect(await client.zcard(`${prefix}bot:changes`)).toBeLessThan(5);
	});

	it('fails with STATE_STORAGE_FAILED when Redis is unreachable', async () => {
		const storage = new RedisStorage({
			url: 'redis://127.0.0.1:1',
			redisOptions: { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true },
		});
		await expect(storage.load('x')).rejects.toMatchObject({ code: 'STATE_STORAGE_FAILED' });
		await storage.close();
	});
});

const postgres = await postgresAvailable('StateStore PostgreSQL storage tests');
describe.skipIf(!postgres.available)('PostgresStorage (real PostgreSQL)', () => {
	const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
	const table = `ovenjs_state_t${process.pid}_${Date.now().toString(36)}`;
	afterAll(async () => {
		await pool.query(`DROP TABLE IF EXISTS ${table}_snapshots, ${table}_changes`);
		await pool.end();
	});

	it('restores the last snapshot plus the changes after it', async () => {
		await restartScenario(() => new PostgresStorage({ pool, table }), 'bot');
		const { rows } = await pool.query(`SELECT count(*)::int AS n FROM ${table}_changes`);
		expect(rows[0]).toMatchObject({ n: expect.any(Number) as number });
	});

	it('refuses a table name that is not a plain identifier', () => {
		expect(() => new PostgresStorage({ pool, table: 'x; DROP TABLE y' })).toThrow(
			expect.objectContaining({ code: 'STATE_INVALID_OPTIONS' }) as Error,
		);
	});
});
