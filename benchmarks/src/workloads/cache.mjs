// Cache workload (one subject and part per process):
//   members <ovenjs|discordjs> <count>  heap per cached member (+ user) after GC, guilds of 1,000 members
//   tiers ovenjs                         Redis / PostgreSQL tier get latency (skipped with a reason if absent)
//   warming ovenjs <length>              L1 hit ratio on a replayed trace, with and without predictive warming
import { importOven, memoryAfterGc, reportResult, reportUnavailable } from '../lib/child.mjs';
import { guildPayload, memberChunk } from '../lib/members.mjs';
import { makeTrace } from '../lib/trace.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { asyncLatencyPercentiles } from '../lib/timing.mjs';

/** A tier's ping, retried for up to 3 s (clients connect lazily). */
async function reachable(tier) {
	const deadline = Date.now() + 3000;
	while (Date.now() < deadline) {
		if (await tier.ping().catch(() => false)) return true;
		await sleep(50);
	}
	return false;
}

const [part, subject, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const PER_GUILD = 1000;

if (part === 'members') {
	let ingest;
	let count;
	let keepAlive;
	if (subject === 'discordjs') {
		const { Client } = await import('discord.js');
		const client = new Client({ intents: [] });
		keepAlive = client;
		ingest = (g, guild, chunk) => {
			const djsGuild = client.guilds.cache.get(guild.id) ?? client.guilds._add(guild);
			for (const member of chunk) djsGuild.members._add(member);
		};
		count = () => client.guilds.cache.reduce((sum, guild) => sum + guild.members.cache.size, 0);
	} else {
		const mod = await importOven('@ovenjs/cache');
		if (mod.module?.EntityCache === undefined)
			reportUnavailable(mod.reason ?? '@ovenjs/cache does not export EntityCache yet');
		else {
			const cache = new mod.module.EntityCache();
			keepAlive = cache;
			const created = new Set();
			ingest = (g, guild, chunk) => {
				if (!created.has(g)) {
					created.add(g);
					cache.ingest('GUILD_CREATE', guild);
				}
				cache.ingest('GUILD_MEMBERS_CHUNK', {
					guild_id: guild.id,
					members: chunk,
					chunk_index: 0,
					chunk_count: 1,
				});
			};
			count = () => {
				let total = 0;
				for (const id of cache.guildIds()) total += cache.cachedMemberCount(id);
				return total;
			};
		}
	}
	if (ingest !== undefined) {
		const guilds = Math.ceil(size / PER_GUILD);
		// Baseline: the library loaded and every guild created, no member yet.
		for (let g = 0; g < guilds; g++) ingest(g, guildPayload(g), []);
		const before = memoryAfterGc();
		const started = performance.now();
		for (let g = 0; g < guilds; g++) {
			const guild = guildPayload(g);
			ingest(g, guild, memberChunk(guild, g * PER_GUILD, Math.min(PER_GUILD, size - g * PER_GUILD)));
		}
		const seconds = (performance.now() - started) / 1000;
		const after = memoryAfterGc();
		const cached = count();
		// ArrayBuffer-backed tables live outside the JS heap: they count, so the figure is heap + ArrayBuffers.
		const total = (m) => m.heapUsed + m.arrayBuffers;
		reportResult({
			members: cached,
			bytesDelta: total(after) - total(before),
			heapUsed: after.heapUsed,
			arrayBuffers: after.arrayBuffers,
			rss: after.rss,
			ingestSeconds: seconds,
			kept: keepAlive !== undefined,
		});
	}
} else if (part === 'tiers') {
	const results = {};
	const skipped = {};
	const value = { id: '300000000000000001', nick: 'bench', roles: ['1', '2'], joined_at: '2024-03-01T12:00:00.000Z' };
	const redisMod = await importOven('@ovenjs/cache/redis');
	if (redisMod.module === undefined) skipped.redis = redisMod.reason;
	else {
		const tier = new redisMod.module.RedisTier({ prefix: `ovenjs:bench:${process.pid}:` });
		if (!(await reachable(tier))) skipped.redis = 'no Redis server answered on 127.0.0.1:6379';
		else {
			for (let i = 0; i < 1000; i++) await tier.set(`k${i}`, value);
			results.redis = await asyncLatencyPercentiles((i) => tier.get(`k${i % 1000}`), size);
			await tier.clear().catch(() => undefined);
		}
		await tier.close().catch(() => undefined);
	}
	const pgMod = await importOven('@ovenjs/cache/postgres');
	if (pgMod.module === undefined) skipped.postgres = pgMod.reason;
	else {
		const tier = new pgMod.module.PostgresTier({
			connectionString: 'postgres://postgres@127.0.0.1:5432/test',
			table: `ovenjs_bench_${process.pid}`,
			sweepInterval: 0,
		});
		if (!(await reachable(tier))) skipped.postgres = 'no PostgreSQL server answered on 127.0.0.1:5432 (db test)';
		else {
			for (let i = 0; i < 1000; i++) await tier.set(`k${i}`, value);
			results.postgres = await asyncLatencyPercentiles((i) => tier.get(`k${i % 1000}`), size);
			await tier.drop().catch(() => undefined);
		}
		await tier.close().catch(() => undefined);
	}
	reportResult({ results, skipped });
} else if (part === 'warming') {
	const mod = await importOven('@ovenjs/cache');
	if (mod.module?.MultiTierCache === undefined)
		reportUnavailable(mod.reason ?? '@ovenjs/cache does not export MultiTierCache');
	else {
		const { MultiTierCache, MemoryTier } = mod.module;
		const { trace, keys } = makeTrace({ length: size });
		const ratios = {};
		for (const warming of [false, true]) {
			// A small L1 in front of a backing tier that holds everything; only L1 hits count.
			let clock = 0;
			const l1 = new MemoryTier({ name: 'l1', max: 1000 });
			const backing = new MemoryTier({ name: 'backing', max: keys.length + 1 });
			for (const key of keys) backing.setSync(key, { key });
			const cache = new MultiTierCache({
				tiers: [l1, backing],
				now: () => clock,
				warming: warming ? { enabled: true, interval: 0, count: 200 } : undefined,
			});
			for (let i = 0; i < trace.length; i++) {
				clock += 10;
				await cache.get(trace[i]);
				if (warming && i % 1000 === 999) await cache.warm();
			}
			await cache.flush();
			const stats = cache.stats();
			ratios[warming ? 'warm' : 'cold'] = stats.tiers[0].hits / (stats.tiers[0].hits + stats.tiers[0].misses);
			await cache.close();
		}
		reportResult({ ratios, reads: trace.length });
	}
} else {
	throw new Error(`unknown part ${part}`);
}
