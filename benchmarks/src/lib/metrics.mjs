/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Every reported figure: its label, unit, which direction is better, and the target it is judged against.

/**
 * `better`: 'lower' (times, bytes) or 'higher' (throughput). Ratios in the report are always "advantage"
 * ratios: > 1 means OvenJS is better (faster, leaner) than the other side.
 * `target(oven, others, figures, ovenFigure)` returns `{ text, met }` (met undefined when it cannot be judged):
 * `oven` and `others` are medians, `figures` every figure of the run, `ovenFigure` OvenJS's median/min/max.
 */
export const METRICS = {
	// ready (ovenjs = the Client with default options)
	'ready.time': {
		workload: 'ready',
		label: 'ready via op 8 (100 × 1,000): login → all guilds + members cached',
		chartLabel: 'Client ready, 100 × 1,000 via op 8 (time)',
		unit: 'ms',
		better: 'lower',
		chart: true,
		target: (o, x) => ratioTarget('≤ 0.6× discord.js', x.discordjs, o, 1 / 0.6),
	},
	'ready.cpu': { workload: 'ready', label: 'ready via op 8: client CPU time', unit: 'ms', better: 'lower' },
	'ready.heap': {
		workload: 'ready',
		label: 'ready via op 8: heap + ArrayBuffers after GC',
		chartLabel: 'Client ready via op 8 (heap + buffers)',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
		chart: true,
		target: (o, x) => ratioTarget('≤ 0.4× discord.js', x.discordjs, o, 1 / 0.4),
	},
	'ready.rss': { workload: 'ready', label: 'ready via op 8: RSS', unit: 'MB', better: 'lower', scale: 1e-6 },
	'ready.guild.time': {
		workload: 'ready',
		label: 'ready, members in GUILD_CREATE (100 × 240): login → all cached',
		unit: 'ms',
		better: 'lower',
		target: (o, x) => ratioTarget('≤ 0.6× discord.js', x.discordjs, o, 1 / 0.6),
	},
	'ready.guild.cpu': {
		workload: 'ready',
		label: 'ready, members in GUILD_CREATE: client CPU time',
		unit: 'ms',
		better: 'lower',
	},
	'ready.guild.heap': {
		workload: 'ready',
		label: 'ready, members in GUILD_CREATE: heap + ArrayBuffers after GC',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
		target: (o, x) => ratioTarget('≤ 0.4× discord.js', x.discordjs, o, 1 / 0.4),
	},
	'ready.guild.rss': {
		workload: 'ready',
		label: 'ready, members in GUILD_CREATE: RSS',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
	},
	// flood (ovenjs = the Client with default options)
	'flood.json.rate': {
		workload: 'flood',
		label: 'flood JSON: events/s',
		chartLabel: 'Client flood JSON (events/s)',
		unit: 'ev/s',
		better: 'higher',
		chart: true,
		target: (o, x, all) => yardstick(all['flood.json.rate'], ratioTarget('≥ 0.7× ceiling', o, x.ceiling, 0.7)),
	},
	'flood.json.cpu': { workload: 'flood', label: 'flood JSON: CPU time', unit: 'ms', better: 'lower' },
	'flood.json.rss': { workload: 'flood', label: 'flood JSON: peak RSS', unit: 'MB', better: 'lower', scale: 1e-6 },
	'flood.zlib.rate': {
		workload: 'flood',
		label: 'flood zlib-stream: events/s',
		chartLabel: 'Client flood zlib-stream (events/s)',
		unit: 'ev/s',
		better: 'higher',
		chart: true,
		target: (o, x, all) => yardstick(all['flood.zlib.rate'], ratioTarget('≥ 0.6× ceiling', o, x.ceiling, 0.6)),
	},
	'flood.zlib.cpu': { workload: 'flood', label: 'flood zlib-stream: CPU time', unit: 'ms', better: 'lower' },
	'flood.zlib.rss': {
		workload: 'flood',
		label: 'flood zlib-stream: peak RSS',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
	},
	'flood.typing.rate': {
		workload: 'flood',
		label: 'flood TYPING_START, nobody listens: events/s',
		chartLabel: 'Client flood, unlistened (events/s)',
		unit: 'ev/s',
		better: 'higher',
		chart: true,
		target: (o, x, all) => yardstick(all['flood.typing.rate'], ratioTarget('≥ 0.9× ceiling', o, x.ceiling, 0.9)),
	},
	'flood.json.instrumented': {
		workload: 'flood',
		label: 'flood JSON: throughput kept with instrument() (Client + instrument() / Client)',
		unit: '%',
		better: 'higher',
		scale: 100,
		derive: (all) => ratioFigure(all['flood.json.rate']?.['ovenjs-obs'], all['flood.json.rate']?.ovenjs),
		target: (o) => absAtLeast('cost < 5 % (≥ 95 % kept)', o, 0.95),
	},
	'flood.typing.cpu': { workload: 'flood', label: 'flood TYPING_START: CPU time', unit: 'ms', better: 'lower' },
	'flood.typing.rss': {
		workload: 'flood',
		label: 'flood TYPING_START: peak RSS',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
	},
	// rest
	'rest.b1.rate': {
		workload: 'rest',
		label: 'REST 1 bucket: requests/s',
		unit: 'req/s',
		better: 'higher',
		chart: true,
		target: (o, x) => ratioTarget('≥ 0.9× ceiling', o, x.ceiling, 0.9),
	},
	'rest.b1.cpu': { workload: 'rest', label: 'REST 1 bucket: client CPU time', unit: 'ms', better: 'lower' },
	'rest.b1.429': {
		workload: 'rest',
		label: 'REST 1 bucket: 429s at the mock',
		unit: 'count',
		better: 'lower',
		target: (_o, _x, _all, own) => zeroTarget(own?.max),
	},
	'rest.b10.rate': {
		workload: 'rest',
		label: 'REST 10 buckets: requests/s',
		unit: 'req/s',
		better: 'higher',
		chart: true,
		target: (o, x) => restTarget(o, x),
	},
	'rest.b10.cpu': { workload: 'rest', label: 'REST 10 buckets: client CPU time', unit: 'ms', better: 'lower' },
	'rest.b10.429': {
		workload: 'rest',
		label: 'REST 10 buckets: 429s at the mock',
		unit: 'count',
		better: 'lower',
		target: (_o, _x, _all, own) => zeroTarget(own?.max),
	},
	'rest.b10lat.rate': {
		workload: 'rest',
		label: 'REST 10 buckets +25 ms latency: requests/s',
		unit: 'req/s',
		better: 'higher',
		chart: true,
		target: (o, x) => restTarget(o, x),
	},
	'rest.b10lat.cpu': {
		workload: 'rest',
		label: 'REST 10 buckets +25 ms latency: client CPU time',
		unit: 'ms',
		better: 'lower',
	},
	'rest.b10lat.429': {
		workload: 'rest',
		label: 'REST 10 buckets +25 ms latency: 429s at the mock',
		unit: 'count',
		better: 'lower',
		target: (_o, _x, _all, own) => zeroTarget(own?.max),
	},
	// cluster (@ovenjs/cluster: 100 shards, 250,000 guilds; one shard in-process vs through NATS JetStream)
	'cluster.identify': {
		workload: 'cluster',
		label: '100 shards: connect() until every shard is ready',
		unit: 'ms',
		better: 'lower',
	},
	'cluster.rssPerShard': {
		workload: 'cluster',
		label: 'gateway RSS per shard (after GUILD_CREATEs, no cache)',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
	},
	'cluster.throughput.inprocess': {
		workload: 'cluster',
		label: 'one shard, in-process listener',
		unit: 'events/s',
		better: 'higher',
	},
	'cluster.throughput.jetstream': {
		workload: 'cluster',
		label: 'one shard, gateway → JetStream → worker (exactly once)',
		unit: 'events/s',
		better: 'higher',
	},
	// state (ovenjs = @ovenjs/state, ceiling = a plain immer loop)
	'state.update.p50': { workload: 'state', label: 'update one path: p50', unit: 'µs', scale: 1000, better: 'lower' },
	'state.update.p99': {
		workload: 'state',
		label: 'update one path: p99',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
		target: (o) => absTarget('< 0.05 ms', o, 0.05),
	},
	'state.tx.p50': {
		workload: 'state',
		label: 'transaction of 100 changes: p50',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
	},
	'state.tx.p99': {
		workload: 'state',
		label: 'transaction of 100 changes: p99',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
		target: (o) => absTarget('< 1 ms', o, 1),
	},
	'state.notify': {
		workload: 'state',
		label: 'notification, per subscriber',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
		target: (o) => absTarget('< 0.01 ms', o, 0.01),
	},
	'state.snapshot': {
		workload: 'state',
		label: 'snapshot of 10,000 nodes',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
		target: (o) => absTarget('< 5 ms', o, 5),
	},
	'state.memory': {
		workload: 'state',
		label: 'memory per 1,000 nodes, history included',
		unit: 'MB',
		better: 'lower',
		target: (o) => absTarget('< 1 MB', o, 1),
	},
	'state.propagation.p99': {
		workload: 'state',
		label: 'cross-instance propagation p99 (local Redis)',
		unit: 'ms',
		better: 'lower',
		target: (o) => absTarget('< 20 ms', o, 20),
	},
	// plugins (subjects: the isolation levels; targets judged per level, see levelTarget)
	'plugins.graph': {
		workload: 'plugins',
		label: 'dependency resolution, 1,000 plugins',
		unit: 'ms',
		better: 'lower',
		target: (_o, _r, figures) => levelTarget('< 10 ms', figures, 'plugins.graph', ['none'], 10),
	},
	'plugins.load': {
		workload: 'plugins',
		label: 'load, per plugin',
		unit: 'ms',
		better: 'lower',
		target: (_o, _r, figures) =>
			levelTarget("< 100 ms ('none', 'worker')", figures, 'plugins.load', ['none', 'worker'], 100),
	},
	'plugins.workerStart': {
		workload: 'plugins',
		label: 'yardstick: a bare worker_threads Worker start',
		unit: 'ms',
		better: 'lower',
	},
	'plugins.event': {
		workload: 'plugins',
		label: 'event delivered to a handler (round trip)',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
	},
	'plugins.hook': {
		workload: 'plugins',
		label: 'waterfall hook call (round trip)',
		unit: 'µs',
		scale: 1000,
		better: 'lower',
	},
	'plugins.memory': { workload: 'plugins', label: 'memory per loaded plugin', unit: 'MB', better: 'lower' },
	'plugins.ping': {
		workload: 'plugins',
		label: '!ping answered while another plugin loops forever (median)',
		unit: 'ms',
		better: 'lower',
		target: (_o, _r, figures) =>
			levelTarget('< 100 ms', figures, 'plugins.ping', ['none', 'worker', 'isolate'], 100),
	},
	// micro
	'micro.snowflake.validate': {
		workload: 'micro',
		label: 'snowflake validate (asUserId)',
		unit: 'ns',
		better: 'lower',
	},
	'micro.snowflake.timestamp': {
		workload: 'micro',
		label: 'snowflake → timestamp',
		unit: 'ns',
		better: 'lower',
		chart: true,
	},
	'micro.snowflake.deconstruct': { workload: 'micro', label: 'snowflake deconstruct', unit: 'ns', better: 'lower' },
	'micro.permissions.channel': {
		workload: 'micro',
		label: 'channel permissions (20 roles, 5 overwrites)',
		unit: 'ns',
		better: 'lower',
		chart: true,
	},
	'micro.bus.none': {
		workload: 'micro',
		label: 'extension point, no handler',
		unit: 'ns',
		better: 'lower',
		chart: true,
		target: (o) => absTarget('< 50 ns', o, 50),
	},
	'micro.bus.one': {
		workload: 'micro',
		label: 'extension point, one handler',
		unit: 'ns',
		better: 'lower',
		target: (o) => absTarget('< 1 µs', o, 1000),
	},
	'micro.cache.l1get': {
		workload: 'micro',
		label: 'L1 cache get, 10k entries (getSync / Collection#get / Map#get)',
		chartLabel: 'L1 cache get (10k entries)',
		unit: 'ns',
		better: 'lower',
		chart: true,
	},
	'micro.cache.l1get.p99': {
		workload: 'micro',
		label: 'L1 cache get p99 (timed one by one)',
		unit: 'ns',
		better: 'lower',
		target: (o) => absTarget('< 1 µs', o, 1000),
	},
	'micro.timerOverhead': {
		workload: 'micro',
		label: 'clock read overhead (in every p99)',
		unit: 'ns',
		better: 'lower',
		informational: true,
	},
	// cache
	'cache.member.bytes': {
		workload: 'cache',
		label: 'heap per cached member (+ user)',
		unit: 'B',
		better: 'lower',
		chart: true,
	},
	'cache.million.heap': {
		workload: 'cache',
		label: '1,000,000 members: heap',
		unit: 'MB',
		better: 'lower',
		scale: 1e-6,
		target: (o) => absTarget('≤ 150 MB', o === undefined ? undefined : o / 1e6, 150, true),
	},
	'cache.redis.get.p50': {
		workload: 'cache',
		label: 'Redis tier get p50',
		unit: 'µs',
		better: 'lower',
		scale: 1 / 1000,
	},
	'cache.redis.get.p99': {
		workload: 'cache',
		label: 'Redis tier get p99',
		unit: 'µs',
		better: 'lower',
		scale: 1 / 1000,
		target: (o) => absTarget('< 1 ms', o, 1_000_000),
	},
	'cache.postgres.get.p50': {
		workload: 'cache',
		label: 'PostgreSQL tier get p50',
		unit: 'µs',
		better: 'lower',
		scale: 1 / 1000,
	},
	'cache.postgres.get.p99': {
		workload: 'cache',
		label: 'PostgreSQL tier get p99',
		unit: 'µs',
		better: 'lower',
		scale: 1 / 1000,
		target: (o) => absTarget('< 10 ms', o, 10_000_000),
	},
	'cache.hit.cold': {
		workload: 'cache',
		label: 'hit ratio on replayed trace, no warming',
		unit: '%',
		better: 'higher',
		scale: 100,
	},
	'cache.hit.warm': {
		workload: 'cache',
		label: 'hit ratio on replayed trace, predictive warming',
		unit: '%',
		better: 'higher',
		scale: 100,
		target: (o, _x, all) => {
			const cold = all['cache.hit.cold']?.ovenjs?.median;
			if (o === undefined || cold === undefined) return { text: 'higher than without warming', met: undefined };
			return { text: 'higher than without warming', met: o > cold };
		},
	},
};

/** Library subjects of the flood (the ceiling and the socket yardstick are not libraries). */
export const FLOOD_LIBRARIES = [
	'ovenjs',
	'ovenjs-prod',
	'ovenjs-obs',
	'ovenjs-nodezlib',
	'ovenjs-ws',
	'discordjs',
	'discordjs-ws',
];

/** A figure of one subject's median over another's (a derived row shown in the OvenJS column). */
function ratioFigure(a, b) {
	if (a === undefined || b === undefined || b.median === 0) return undefined;
	return {
		ovenjs: {
			median: a.median / b.median,
			min: a.median / b.median,
			max: a.median / b.median,
			runs: Math.min(a.runs, b.runs),
		},
	};
}

function absAtLeast(text, value, limit) {
	return { text, met: value === undefined ? undefined : value >= limit };
}

/**
 * A flood row is judged only when its yardstick holds: the socket subject (frames counted, not decoded) must carry
 * at least 1.5× the fastest library, or the mock sets the pace and the row says "mock-bound".
 */
function yardstick(figure, target) {
	const socket = figure?.socket?.median;
	const fastest = Math.max(...FLOOD_LIBRARIES.map((subject) => figure?.[subject]?.median ?? 0));
	if (socket === undefined || fastest === 0) return target;
	const headroom = socket / fastest;
	if (headroom >= 1.5)
		return { ...target, text: `${target.text} (yardstick: socket ${headroom.toFixed(1)}× the fastest library)` };
	return {
		text: `${target.text} (yardstick: socket only ${headroom.toFixed(2)}× the fastest library)`,
		met: undefined,
		bound: true,
	};
}

function restTarget(oven, others) {
	const a = ratioTarget('≥ 0.9× ceiling', oven, others.ceiling, 0.9);
	const b = ratioTarget('≥ 3× @discordjs/rest', oven, others.discordjs, 3);
	return {
		text: `${a.text}; ${b.text}`,
		met: a.met === undefined || b.met === undefined ? undefined : a.met && b.met,
	};
}

function ratioTarget(text, oven, other, wanted) {
	if (oven === undefined || other === undefined || other === 0) return { text, met: undefined };
	return { text, met: oven / other >= wanted };
}

/** A target every listed isolation level must meet (the plugins workload has no `ovenjs` subject). */
function levelTarget(text, figures, metric, levels, limit) {
	const medians = levels.map((level) => figures[metric]?.[level]?.median);
	if (medians.some((value) => value === undefined)) return { text, met: undefined };
	return { text, met: medians.every((value) => value < limit) };
}

function absTarget(text, value, limit, inclusive = false) {
	if (value === undefined) return { text, met: undefined };
	return { text, met: inclusive ? value <= limit : value < limit };
}

/** Judged on the worst run: one run with 429s is enough to miss "zero avoidable 429s". */
function zeroTarget(worst) {
	if (worst === undefined) return { text: '0 avoidable (every run)', met: undefined };
	return { text: '0 avoidable (every run)', met: worst === 0 };
}
