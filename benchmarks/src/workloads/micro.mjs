// Micro workload, one subject per process: snowflake parse, permission computation, extension-point dispatch and
// L1 cache get. Usage: node --expose-gc micro.mjs <ovenjs|discordjs|ceiling> [--quick]
import { importOven, reportResult } from '../lib/child.mjs';
import { consume, latencyPercentiles, nsPerOp, timerOverheadNs } from '../lib/timing.mjs';
import { permissionFixture } from '../lib/fixtures.mjs';

const subject = process.argv[2];
const quick = process.argv.includes('--quick');
const opts = quick ? { batch: 1000, batches: 8, warmupMs: 20 } : { batch: 10_000, batches: 40, warmupMs: 300 };
const EPOCH = 1_420_070_400_000n;
const ids = Array.from({ length: 1024 }, (_, i) => String(1_234_567_890_123_456_789n + BigInt(i) * 4_194_304_123n));
const keys = Array.from(
	{ length: 10_000 },
	(_, i) => `member:100000000000000001:${300_000_000_000_000_000n + BigInt(i)}`,
);
const values = keys.map((key, i) => ({ id: key, nick: `n${i}`, roles: ['1', '2'] }));

const ops = {};
const unavailable = {};

function op(name, fn, extra) {
	const result = nsPerOp(fn, opts);
	ops[name] = { ns: result.ns, min: result.min, max: result.max, ...extra?.() };
}

if (subject === 'ovenjs') {
	const types = await importOven('@ovenjs/types');
	if (types.module === undefined) {
		for (const name of [
			'snowflake.validate',
			'snowflake.timestamp',
			'snowflake.deconstruct',
			'permissions.channel',
		])
			unavailable[name] = types.reason;
	} else {
		const { asUserId, snowflakeTimestamp, deconstructSnowflake, computePermissions } = types.module;
		op('snowflake.validate', (i) => asUserId(ids[i & 1023]));
		op('snowflake.timestamp', (i) => snowflakeTimestamp(ids[i & 1023]));
		op('snowflake.deconstruct', (i) => deconstructSnowflake(ids[i & 1023]).timestamp);
		const fx = permissionFixture();
		const ctx = {
			guildId: fx.guildId,
			ownerId: fx.ownerId,
			userId: fx.userId,
			memberRoleIds: fx.memberRoleIds,
			roles: fx.roles.map((role) => ({ id: role.id, permissions: BigInt(role.permissions) })),
			overwrites: fx.overwrites.map((o) => ({
				id: o.id,
				type: o.type,
				allow: BigInt(o.allow),
				deny: BigInt(o.deny),
			})),
		};
		op('permissions.channel', () => computePermissions(ctx));
	}
	const core = await importOven('@ovenjs/core');
	if (core.module === undefined) {
		unavailable['bus.none'] = core.reason;
		unavailable['bus.one'] = core.reason;
	} else {
		const bus = new core.module.ExtensionBus();
		const info = { message: 'tick' };
		op('bus.none', () => bus.emit('client:debug', info));
		let calls = 0;
		bus.on('client:warn', () => {
			calls++;
		});
		op(
			'bus.one',
			() => bus.emit('client:warn', info),
			() => ({ calls: calls > 0 }),
		);
	}
	const cache = await importOven('@ovenjs/cache');
	if (cache.module === undefined) {
		unavailable['cache.l1get'] = cache.reason;
	} else {
		// The public read path: MultiTierCache#getSync over its memory tier (L1), hit counting included.
		const tier = new cache.module.MemoryTier({ max: keys.length * 2 });
		for (let i = 0; i < keys.length; i++) tier.setSync(keys[i], values[i]);
		const multi = new cache.module.MultiTierCache({ tiers: [tier] });
		op(
			'cache.l1get',
			(i) => multi.getSync(keys[i % keys.length]),
			() => latencyPercentiles((i) => multi.getSync(keys[i % keys.length]), quick ? 20_000 : 300_000),
		);
		await multi.close();
	}
} else if (subject === 'discordjs') {
	const { Client, Collection, SnowflakeUtil } = await import('discord.js');
	// discord.js has no validating snowflake parse: its IDs are unchecked strings.
	unavailable['snowflake.validate'] = 'discord.js has no validating snowflake parser (IDs are unchecked strings)';
	op('snowflake.timestamp', (i) => SnowflakeUtil.timestampFrom(ids[i & 1023]));
	op('snowflake.deconstruct', (i) => SnowflakeUtil.deconstruct(ids[i & 1023]).timestamp);
	const fx = permissionFixture();
	const client = new Client({ intents: [] });
	const guild = client.guilds._add(fx.apiGuild);
	const member = guild.members.cache.get(fx.userId);
	const channel = guild.channels.cache.get(fx.channelId);
	op('permissions.channel', () => channel.permissionsFor(member).bitfield);
	const info = { message: 'tick' };
	op('bus.none', () => client.emit('benchDebug', info));
	let calls = 0;
	client.on('benchWarn', () => {
		calls++;
	});
	op(
		'bus.one',
		() => client.emit('benchWarn', info),
		() => ({ calls: calls > 0 }),
	);
	const collection = new Collection();
	for (let i = 0; i < keys.length; i++) collection.set(keys[i], values[i]);
	op(
		'cache.l1get',
		(i) => collection.get(keys[i % keys.length]),
		() => latencyPercentiles((i) => collection.get(keys[i % keys.length]), quick ? 20_000 : 300_000),
	);
	await client.destroy();
} else if (subject === 'ceiling') {
	const pattern = /^\d{17,20}$/;
	op('snowflake.validate', (i) => pattern.test(ids[i & 1023]));
	op('snowflake.timestamp', (i) => Number((BigInt(ids[i & 1023]) >> 22n) + EPOCH));
	op('snowflake.deconstruct', (i) => Number((BigInt(ids[i & 1023]) >> 22n) + EPOCH));
	const fx = permissionFixture();
	const roleBits = new Map(fx.roles.map((role) => [role.id, BigInt(role.permissions)]));
	const owBits = new Map(fx.overwrites.map((o) => [o.id, { allow: BigInt(o.allow), deny: BigInt(o.deny) }]));
	op('permissions.channel', () => {
		let base = roleBits.get(fx.guildId) ?? 0n;
		for (const id of fx.memberRoleIds) base |= roleBits.get(id) ?? 0n;
		if ((base & 8n) !== 0n) return -1n;
		const everyone = owBits.get(fx.guildId);
		if (everyone !== undefined) base = (base & ~everyone.deny) | everyone.allow;
		let allow = 0n;
		let deny = 0n;
		for (const id of fx.memberRoleIds) {
			const o = owBits.get(id);
			if (o !== undefined) {
				allow |= o.allow;
				deny |= o.deny;
			}
		}
		base = (base & ~deny) | allow;
		const own = owBits.get(fx.userId);
		if (own !== undefined) base = (base & ~own.deny) | own.allow;
		return base;
	});
	const handlers = new Map();
	const info = { message: 'tick' };
	op('bus.none', () => handlers.get('client:debug')?.(info));
	let calls = 0;
	handlers.set('client:warn', () => {
		calls++;
	});
	op(
		'bus.one',
		() => handlers.get('client:warn')?.(info),
		() => ({ calls: calls > 0 }),
	);
	const map = new Map();
	for (let i = 0; i < keys.length; i++) map.set(keys[i], values[i]);
	op(
		'cache.l1get',
		(i) => map.get(keys[i % keys.length]),
		() => latencyPercentiles((i) => map.get(keys[i % keys.length]), quick ? 20_000 : 300_000),
	);
} else {
	throw new Error(`unknown subject ${subject}`);
}

consume(0);
reportResult({ ops, unavailable, timerOverheadNs: timerOverheadNs(quick ? 20_000 : 100_000) });
