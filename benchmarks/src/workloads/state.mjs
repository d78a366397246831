// State workload, one subject per process: @ovenjs/state (`ovenjs`), a zundo-style history (`zundo`: zustand's
// temporal middleware, reproduced because zundo imports React through zustand's entry: every set pushes the whole
// previous state, bounded by `limit`), and the ceiling: a plain immer `produceWithPatches` loop that keeps the
// last 100 patch pairs. The same trees (guilds → members) and the same changes for every subject.
// Usage: state.mjs <ovenjs|zundo|ceiling> [quick|full]. Figures in milliseconds (memory in MB per 1,000 nodes).
import { performance } from 'node:perf_hooks';
import { importOven, reportResult, reportUnavailable } from '../lib/child.mjs';

const subject = process.argv[2];
/** `quick`: a tenth of the calls (a sanity run). */
const scale = process.argv[3] === 'quick' ? 0.1 : 1;
const times = (n) => Math.max(10, Math.round(n * scale));
const REDIS = process.env.OVENJS_REDIS_URL ?? 'redis://127.0.0.1:6379';
const immerModule = await import('immer').catch(() => undefined);
if (immerModule === undefined) reportUnavailable('immer is not installed');
const { enablePatches, produce, produceWithPatches } = immerModule;
enablePatches();
let StateStore;
if (subject === 'ovenjs') {
	const state = await importOven('@ovenjs/state');
	if (state.module === undefined) reportUnavailable(state.reason);
	StateStore = state.module.StateStore;
}

/** A tree of `nodes` objects: guilds → members, like a bot's state. */
function tree(nodes) {
	const guilds = {};
	for (let g = 0; g < nodes / 100; g++) {
		const members = {};
		for (let m = 0; m < 99; m++) members[`m${m}`] = { roles: [], xp: m };
		guilds[`g${g}`] = { settings: { prefix: '!' }, members };
	}
	return { guilds, counter: 0 };
}

function quantiles(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return { p50: at(0.5), p99: at(0.99) };
}

async function timed(n, fn) {
	const samples = [];
	for (let i = 0; i < n; i++) {
		const start = performance.now();
		const result = fn(i);
		if (result !== undefined && typeof result.then === 'function') await result;
		samples.push(performance.now() - start);
	}
	return quantiles(samples);
}

/** zundo's temporal history on a zustand-like store (setState with a function, listeners on every change). */
function zundoStore(init, limit) {
	let state;
	const listeners = new Set();
	const pastStates = [];
	const set = (fn) => {
		const previous = state;
		state = { ...state, ...fn(state) };
		if (limit > 0) {
			pastStates.push(previous);
			if (pastStates.length > limit) pastStates.shift();
		}
		for (const listener of listeners) listener(state, previous);
	};
	state = init(set);
	return { getState: () => state, subscribe: (listener) => listeners.add(listener), pastStates };
}

/** One subject's bot-state store: `set(path, i)` on a member's xp, `tx(i)` 100 changes, `subscribe`. */
function makeSubject(nodes, historyLimit) {
	if (subject === 'ovenjs') {
		const store = new StateStore(tree(nodes), { historyLimit });
		return {
			store,
			update: (g, m, i) => store.set(`guilds.g${g}.members.m${m}.xp`, i),
			tx: (i) =>
				store.transaction((tx) => {
					for (let k = 0; k < 100; k++) tx.draft.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k;
				}),
			subscribe: (g, m, fn) => store.subscribe(`guilds.g${g}.members.m${m}.xp`, fn),
			snapshot: () => store.snapshot(),
		};
	}
	if (subject === 'zundo') {
		const z = zundoStore(
			(set) => ({ ...tree(nodes), apply: (recipe) => set((s) => produce(s, recipe)) }),
			historyLimit,
		);
		return {
			store: z,
			update: (g, m, i) => z.getState().apply((d) => void (d.guilds[`g${g}`].members[`m${m}`].xp = i)),
			tx: (i) =>
				z.getState().apply((d) => {
					for (let k = 0; k < 100; k++) d.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k;
				}),
			// zustand's selector subscription: every listener runs on every change and compares its slice.
			subscribe: (g, m, fn) => {
				let last = z.getState().guilds[`g${g}`].members[`m${m}`].xp;
				z.subscribe((state) => {
					const value = state.guilds[`g${g}`].members[`m${m}`].xp;
					if (value !== last) {
						last = value;
						fn();
					}
				});
			},
			snapshot: undefined,
		};
	}
	let state = tree(nodes);
	const past = [];
	const apply = (recipe) => {
		const [next, patches, inverse] = produceWithPatches(state, recipe);
		state = next;
		if (historyLimit > 0) {
			past.push({ patches, inverse });
			if (past.length > historyLimit) past.shift();
		}
	};
	return {
		store: {
			get state() {
				return state;
			},
			past,
		},
		update: (g, m, i) => apply((d) => void (d.guilds[`g${g}`].members[`m${m}`].xp = i)),
		tx: (i) =>
			apply((d) => {
				for (let k = 0; k < 100; k++) d.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k;
			}),
		subscribe: undefined,
		snapshot: () => structuredClone(state),
	};
}

const metrics = {};
const unavailable = {};
{
	const s = makeSubject(1_000, 100);
	await s.store.ready;
	for (let i = 0; i < times(2_000); i++) await s.update(3, 7, i); // warm-up
	const update = await timed(times(20_000), (i) => s.update(3, 7, i));
	metrics['state.update.p50'] = update.p50;
	metrics['state.update.p99'] = update.p99;
	for (let i = 0; i < times(200); i++) await s.tx(i); // warm-up, a tenth of the calls as for update
	const tx = await timed(times(2_000), (i) => s.tx(i));
	metrics['state.tx.p50'] = tx.p50;
	metrics['state.tx.p99'] = tx.p99;
}
if (subject === 'ceiling') unavailable['state.notify'] = 'a bare immer loop has no subscriptions';
else {
	// 1,000 path subscribers, one of which sees each change: cost per subscriber over the same store without any.
	const s = makeSubject(1_000, 0);
	for (let n = 0; n < 1_000; n++) s.subscribe(n % 10, n % 99, () => undefined);
	const withSubscribers = await timed(times(2_000), (i) => s.update(1, 1, 1_000 + i));
	const bare = makeSubject(1_000, 0);
	const without = await timed(times(2_000), (i) => bare.update(1, 1, 1_000 + i));
	metrics['state.notify'] = Math.max(0, withSubscribers.p50 - without.p50) / 1_000;
}
{
	const s = makeSubject(10_000, 100);
	if (s.snapshot === undefined)
		unavailable['state.snapshot'] = 'zundo keeps a whole state per entry: there is no snapshot to take';
	else metrics['state.snapshot'] = (await timed(50, () => s.snapshot())).p50;
}
{
	globalThis.gc?.();
	const before = process.memoryUsage().heapUsed;
	const s = makeSubject(10_000, 100);
	for (let i = 0; i < 5_000; i++) await s.update(i % 100, i % 99, i);
	// Kept reachable while the heap is measured (a dead local would be collected first).
	globalThis.measuredStore = s.store;
	globalThis.gc?.();
	metrics['state.memory'] = (process.memoryUsage().heapUsed - before) / 10 / 1e6;
	globalThis.measuredStore = undefined;
}
if (subject !== 'ovenjs') unavailable['state.propagation.p99'] = 'no cross-instance sync';
else {
	try {
		const name = `bench-${process.pid}`;
		const sync = { redis: REDIS, prefix: 'ovenjs-bench:state:', snapshotEvery: 0 };
		const a = await StateStore.create(tree(1_000), { name, sync });
		const b = await StateStore.create(tree(1_000), { name, sync });
		let resolve;
		b.subscribe('counter', () => resolve?.());
		const samples = [];
		for (let i = 1; i <= times(500); i++) {
			const seen = new Promise((r) => (resolve = r));
			const start = performance.now();
			await a.set('counter', i);
			await seen;
			samples.push(performance.now() - start);
		}
		await a.destroy();
		await b.destroy();
		metrics['state.propagation.p99'] = quantiles(samples).p99;
	} catch (error) {
		unavailable['state.propagation.p99'] = `Redis at ${REDIS} is not reachable: ${error.message}`;
	}
}
reportResult({ metrics, unavailable });
