// Measures @ovenjs/cache figures on this machine (not a unit test: speed and memory goals live here).
//   node --expose-gc --conditions=@ovenjs/source --import tsx scripts/measure.mjs [members=1000000]
// Prints JSON: L1 get p50/p99 (ns), heap + ArrayBuffer bytes per cached member (with its user).
import { MemoryTier, MultiTierCache, EntityCache } from '@ovenjs/cache';

function percentiles(samples) {
	samples.sort((a, b) => a - b);
	return { p50: samples[Math.floor(samples.length * 0.5)], p99: samples[Math.floor(samples.length * 0.99)] };
}

function l1Latency(get, count = 200_000) {
	for (let i = 0; i < 50_000; i++) get(i);
	const samples = new Float64Array(count);
	// Timer resolution dominates single calls: time batches of 16 and divide.
	for (let i = 0; i < count; i++) {
		const start = process.hrtime.bigint();
		for (let j = 0; j < 16; j++) get(i * 16 + j);
		samples[i] = Number(process.hrtime.bigint() - start) / 16;
	}
	return percentiles(Array.from(samples));
}

function memory() {
	globalThis.gc();
	globalThis.gc();
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.arrayBuffers;
}

function snowflake(ms, counter) {
	return String(((BigInt(ms) - 1_420_070_400_000n) << 22n) | BigInt(counter & 0x3f_ffff));
}

const members = Number(process.argv[2] ?? 1_000_000);
const keys = Array.from({ length: 10_000 }, (_, i) => `user:${i}`);
const tier = new MemoryTier({ max: 20_000 });
for (const key of keys) tier.setSync(key, { key });
const cache = new MultiTierCache({ tiers: [tier] });
const result = {
	memoryTierGetSync: l1Latency((i) => tier.getSync(keys[i % keys.length])),
	multiTierGetSync: l1Latency((i) => cache.getSync(keys[i % keys.length])),
};
await cache.close();

const entities = new EntityCache();
const perGuild = 1000;
const guildIds = [];
for (let g = 0; g < members / perGuild; g++) {
	const id = snowflake(1_600_000_000_000 + g, g);
	guildIds.push(id);
	const roles = Array.from({ length: 6 }, (_, r) => ({
		id: r === 0 ? id : snowflake(1_600_000_100_000 + g * 10 + r, r),
		name: `r${r}`,
		color: 0,
		hoist: false,
		position: r,
		permissions: '0',
		managed: false,
		mentionable: false,
	}));
	entities.ingest('GUILD_CREATE', {
		id,
		name: `G${g}`,
		icon: null,
		owner_id: snowflake(1_650_000_000_000 + g, 1),
		roles,
		emojis: [],
		features: [],
		member_count: perGuild,
	});
}
const before = memory();
for (let g = 0; g < guildIds.length; g++) {
	const chunk = [];
	for (let i = g * perGuild; i < (g + 1) * perGuild; i++) {
		const id = snowflake(1_700_000_000_000 + i, i);
		chunk.push({
			user: {
				id,
				username: `user${i}`,
				global_name: i % 3 === 0 ? `User ${i}` : null,
				discriminator: '0',
				avatar: i % 2 === 0 ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : null,
				public_flags: 0,
			},
			nick: i % 5 === 0 ? `nick${i}` : null,
			roles: [snowflake(1_600_000_100_000 + g * 10 + 1 + (i % 5), 1 + (i % 5))],
			joined_at: '2024-03-01T12:00:00.000000+00:00',
			deaf: false,
			mute: false,
			flags: 0,
		});
	}
	entities.ingest('GUILD_MEMBERS_CHUNK', { guild_id: guildIds[g], members: chunk });
}
const after = memory();
const stats = entities.stats();
result.members = stats.members;
result.bytesPerMember = Math.round((after - before) / stats.members);
result.totalMegabytes = Math.round(((after - before) / 1e6) * 10) / 10;
console.log(JSON.stringify(result, null, 2));
