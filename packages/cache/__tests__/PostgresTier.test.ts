import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresAvailable, uniquePrefix } from '@ovenjs/test-services';
import { MemoryTier, MultiTierCache } from '@ovenjs/cache';
import { PostgresTier } from '@ovenjs/cache/postgres';
import { TcpProxy, waitFor } from './helpers/TcpProxy.js';

const postgres = await postgresAvailable('PostgresTier tests');

function tableName(): string {
	return `t_${uniquePrefix('cache').replace(/[^a-z0-9]/gi, '_')}`.slice(0, 60).toLowerCase();
}

describe.skipIf(!postgres.available)('PostgresTier (real PostgreSQL)', () => {
	let pool: pg.Pool;
	const tables: string[] = [];
	beforeAll(() => {
		pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
	});
	afterAll(async () => {
		for (const table of tables) await pool.query(`DROP TABLE IF EXISTS "${table}"`);
		await pool.end();
	});
	function tier(options: ConstructorParameters<typeof PostgresTier>[0] = {}): PostgresTier {
		const table = tableName();
		tables.push(table);
		return new PostgresTier({ pool, table, sweepInterval: 0, ...options });
	}

	it('creates its table on first use, upserts, batches reads, tags, patterns and sweeps expiry', async () => {
		const t = tier();
		await t.set('a', { id: '1', nested: [1, 2] }, { tags: ['x', 'y'] });
		await t.set('a', { id: '1', nested: [3] }, { tags: ['x', 'y'] });
		await t.mset([
			{ key: 'b', value: 'bee', options: { tags: ['y'] } },
			{ key: 'c', value: 3 },
			{ key: 'short', value: 1, options: { ttl: 1 } },
		]);
		expect(await t.get('a')).toEqual({ id: '1', nested: [3] });
		expect(await t.mget(['c', 'zz', 'b'])).toEqual([3, undefined, 'bee']);
		expect(await t.has('c')).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 5));
		expect(await t.get('short')).toBeUndefined();
		expect(await t.sweepExpired()).toBe(1);
		expect((await t.deleteByTag('y')).sort()).toEqual(['a', 'b']);
		await t.mset([
			{ key: 'p_1', value: 1 },
			{ key: 'p%2', value: 1 },
			{ key: 'px1', value: 1 },
		]);
		expect(await t.deleteByPattern('p_*')).toBe(1);
		expect(await t.get('px1')).toBe(1);
		expect(await t.delete('c')).toBe(true);
		await t.clear();
		expect(await t.get('px1')).toBeUndefined();
	});

	it('rejects table names that are not identifiers and keeps credentials out of inspect output', async () => {
		expect(() => new PostgresTier({ pool, table: 'x; DROP TABLE y' })).toThrow(/identifier/);
		const { inspect } = await import('node:util');
		const secret = new PostgresTier({
			connectionString: 'postgres://postgres:hunter2@127.0.0.1:1/none',
			sweepInterval: 0,
		});
		expect(inspect(secret)).not.toContain('hunter2');
		expect(inspect({ nested: secret })).not.toContain('hunter2');
		await secret.close();
	});

	it('survives pg_terminate_backend of its connections without an exception reaching the caller', async () => {
		const applicationName = `ovenjs_cache_${process.pid}_${Date.now()}`;
		const ownPool = new pg.Pool({ connectionString: postgres.url, application_name: applicationName, max: 1 });
		const t = tier({ pool: ownPool });
		const cache = new MultiTierCache({ tiers: [new MemoryTier(), t], healthCheckInterval: 50 });
		try {
			await cache.set('k', 'v1');
			const killed = await pool.query(
				'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
				[applicationName],
			);
			expect(killed.rowCount).toBe(1);
			await cache.set('k', 'v2');
			await cache.set('k2', 'w');
			await waitFor(() => cache.stats().tiers[1]?.up === true && cache.stats().tiers[1]?.backlog === 0);
			expect(await t.mget(['k', 'k2'])).toEqual(['v2', 'w']);
		} finally {
			await cache.close();
			await ownPool.end();
		}
	});

	it('journals writes while the server is unreachable and replays them (nothing acknowledged is lost)', async () => {
		const proxy = new TcpProxy(Number(new URL(postgres.url).port || 5432));
		const port = await proxy.start();
		const url = new URL(postgres.url);
		url.port = String(port);
		const table = tableName();
		const proxied = new PostgresTier({
			connectionString: url.toString(),
			table,
			sweepInterval: 0,
			queryTimeout: 500,
		});
		const direct = new PostgresTier({ pool, table, sweepInterval: 0 });
		tables.push(table);
		const cache = new MultiTierCache({ tiers: [new MemoryTier({ max: 2 }), proxied], healthCheckInterval: 50 });
		const events: string[] = [];
		cache.on('tierDown', (name, error) => events.push(`down:${name}:${error.code}`));
		cache.on('tierUp', (name, resynced) => events.push(`up:${name}:${resynced}`));
		try {
			await cache.set('before', 1);
			await proxy.stop();
			for (let index = 0; index < 5; index++) await cache.set(`during:${index}`, index);
			await cache.delete('before');
			expect(events).toEqual(['down:postgres:CACHE_TIER_UNAVAILABLE']);
			expect(await cache.get('during:0')).toBe(0);
			await proxy.start();
			await waitFor(() => events.length >= 2, 15_000);
			expect(events[1]).toMatch(/^up:postgres:\d+$/);
			expect(await direct.mget(['before', 'during:0', 'during:4'])).toEqual([undefined, 0, 4]);
		} finally {
			await cache.close();
			await proxy.stop();
		}
	});
});
