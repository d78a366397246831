#!/usr/bin/env node
// Standalone benchmark of @ovenjs/state (not part of the tests, not part of `pnpm bench`).
// Run from the repository root (Redis on OVENJS_REDIS_URL for the propagation row):
//   node --expose-gc --conditions=@ovenjs/source --import tsx packages/state/bench/state.bench.mjs
// Each workload runs side by side with a plain immer produceWithPatches loop and a zundo-style history on the
// same state and the same changes. zundo's `temporal` middleware (zustand) imports React through zustand's main
// entry, so its algorithm is reproduced here: every `set` pushes the whole previous state onto `pastStates`
// (bounded by `limit`) and clears `futureStates`; subscribers run on every set. Figures: p50 / p99 in ms.
import { performance } from 'node:perf_hooks';
import { enablePatches, produce, produceWithPatches } from 'immer';
import { StateStore } from '@ovenjs/state';

enablePatches();
const REDIS = process.env.OVENJS_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A tree of `nodes` objects: guilds → members, like a bot's state. */
function tree(nodes) {
	const guilds = {};
	const perGuild = 100;
	for (let g = 0; g < nodes / perGuild; g++) {
		const members = {};
		for (let m = 0; m < perGuild - 1; m++) members[`m${m}`] = { roles: [], xp: m };
		guilds[`g${g}`] = { settings: { prefix: '!' }, members };
	}
	return { guilds, counter: 0 };
}

function stats(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return { p50: at(0.5), p99: at(0.99) };
}

function time(n, fn) {
	const samples = [];
	for (let i = 0; i < n; i++) {
		const start = performance.now();
		fn(i);
		samples.push(performance.now() - start);
	}
	return stats(samples);
}

async function timeAsync(n, fn) {
	const samples = [];
	for (let i = 0; i < n; i++) {
		const start = performance.now();
		await fn(i);
		samples.push(performance.now() - start);
	}
	return stats(samples);
}

/** zundo's temporal history on a zustand-like store (setState with a function, listeners on every change). */
function createStore(init, { limit }) {
	let state;
	const listeners = new Set();
	const pastStates = [];
	let futureStates = [];
	const set = (fn) => {
		const previous = state;
		state = { ...state, ...fn(state) };
		if (limit > 0) {
			pastStates.push(previous);
			if (pastStates.length > limit) pastStates.shift();
			futureStates = [];
		}
		for (const listener of listeners) listener(state, previous);
	};
	state = init(set);
	return { getState: () => state, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)), temporal: { pastStates, futureStates: () => futureStates } };
}
const temporal = (init, options) => [init, options];

const fmt = (s) => `${s.p50.toFixed(4)} / ${s.p99.toFixed(4)}`;
const rows = [];

// 1. Simple update (one path) on a 1,000-node tree, history on.
{
	const n = 20_000;
	const store = new StateStore(tree(1_000), { historyLimit: 100 });
	await store.ready;
	for (let i = 0; i < 2_000; i++) await store.set('counter', i); // warm-up
	const ours = await timeAsync(n, (i) => store.set('guilds.g3.members.m7.xp', i));
	let state = tree(1_000);
	const past = [];
	const immer = time(n, (i) => {
		const [next, patches, inverse] = produceWithPatches(state, (d) => {
			d.guilds.g3.members.m7.xp = i;
		});
		state = next;
		past.push({ patches, inverse });
		if (past.length > 100) past.shift();
	});
	const z = createStore(...temporal((set) => ({ ...tree(1_000), bump: (i) => set((s) => produce(s, (d) => void (d.guilds.g3.members.m7.xp = i))) }), { limit: 100 }));
	const zundo = time(n, (i) => z.getState().bump(i));
	rows.push(['simple update (target p99 < 0.05 ms)', fmt(ours), fmt(immer), fmt(zundo)]);
}

// 2. Transaction of 100 changes (100 paths) as one entry.
{
	const n = 2_000;
	const store = new StateStore(tree(1_000), { historyLimit: 100 });
	const ours = await timeAsync(n, (i) =>
		store.transaction((tx) => {
			for (let k = 0; k < 100; k++) tx.draft.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k;
		}),
	);
	let state = tree(1_000);
	const immer = time(n, (i) => {
		[state] = produceWithPatches(state, (d) => {
			for (let k = 0; k < 100; k++) d.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k;
		});
	});
	const z = createStore(...temporal((set) => ({ ...tree(1_000), tx: (i) => set((s) => produce(s, (d) => { for (let k = 0; k < 100; k++) d.guilds[`g${k % 10}`].members[`m${k % 99}`].xp = i + k; })) }), { limit: 100 }));
	const zundo = time(n, (i) => z.getState().tx(i));
	rows.push(['transaction of 100 changes (target p99 < 1 ms)', fmt(ours), fmt(immer), fmt(zundo)]);
}

// 3. Notification cost per subscriber: 1,000 path subscribers, one of which sees a change.
{
	const subscribers = 1_000;
	const store = new StateStore(tree(1_000), { historyLimit: 0 });
	let fired = 0;
	for (let s = 0; s < subscribers; s++) store.subscribe(`guilds.g${s % 10}.members.m${s % 99}.xp`, () => void fired++);
	const ours = await timeAsync(2_000, (i) => store.set('guilds.g1.members.m1.xp', 1_000 + i));
	const base = new StateStore(tree(1_000), { historyLimit: 0 });
	const none = await timeAsync(2_000, (i) => base.set('guilds.g1.members.m1.xp', 1_000 + i));
	const per = { p50: (ours.p50 - none.p50) / subscribers, p99: (ours.p99 - none.p99) / subscribers };
	const z = createStore(...temporal((set) => ({ ...tree(1_000), bump: (i) => set((s) => produce(s, (d) => void (d.guilds.g1.members.m1.xp = i))) }), { limit: 0 }));
	for (let s = 0; s < subscribers; s++) {
		const g = `g${s % 10}`;
		const m = `m${s % 99}`;
		let last = z.getState().guilds[g].members[m].xp;
		z.subscribe((state) => {
			const v = state.guilds[g].members[m].xp;
			if (v !== last) last = v;
		});
	}
	const zall = time(2_000, (i) => z.getState().bump(1_000 + i));
	const zper = { p50: zall.p50 / subscribers, p99: zall.p99 / subscribers };
	rows.push(['notification per subscriber (target < 0.01 ms)', fmt(per), 'n/a (no subscriptions)', fmt(zper)]);
}

// 4. Snapshot of a 10,000-node tree: in memory (shared, immutable) and serialized for storage.
{
	const store = new StateStore(tree(10_000), { historyLimit: 100 });
	const inMemory = time(200, () => store.snapshot());
	const serialized = time(50, () => JSON.stringify(store.get()));
	const plain = tree(10_000);
	const clone = time(50, () => structuredClone(plain));
	rows.push(['snapshot of 10,000 nodes (target < 5 ms)', `${fmt(inMemory)} (JSON for storage: ${fmt(serialized)})`, `structuredClone: ${fmt(clone)}`, 'n/a: keeps a whole state per entry']);
}

// 5. Memory per 1,000 nodes including bounded history (100 entries) after 5,000 updates.
{
	const measure = async (build) => {
		globalThis.gc?.();
		const before = process.memoryUsage().heapUsed;
		const keep = await build();
		globalThis.gc?.();
		const used = process.memoryUsage().heapUsed - before;
		void keep;
		return used / 10 / 1024 / 1024;
	};
	const ours = await measure(async () => {
		const store = new StateStore(tree(10_000), { historyLimit: 100 });
		for (let i = 0; i < 5_000; i++) await store.set(`guilds.g${i % 100}.members.m${i % 99}.xp`, i);
		return store;
	});
	const immer = await measure(() => {
		let state = tree(10_000);
		const past = [];
		for (let i = 0; i < 5_000; i++) {
			const [next, patches, inverse] = produceWithPatches(state, (d) => void (d.guilds[`g${i % 100}`].members[`m${i % 99}`].xp = i));
			state = next;
			past.push({ patches, inverse });
			if (past.length > 100) past.shift();
		}
		return [state, past];
	});
	const zundo = await measure(() => {
		const z = createStore(...temporal((set) => ({ ...tree(10_000), bump: (i) => set((s) => produce(s, (d) => void (d.guilds[`g${i % 100}`].members[`m${i % 99}`].xp = i))) }), { limit: 100 }));
		for (let i = 0; i < 5_000; i++) z.getState().bump(i);
		return z;
	});
	const mb = (v) => `${v.toFixed(3)} MB`;
	rows.push([`memory per 1,000 nodes incl. history (target < 1 MB)${globalThis.gc ? '' : ' [run with --expose-gc]'}`, mb(ours), mb(immer), mb(zundo)]);
}

// 6. Cross-instance propagation on the local Redis.
try {
	const name = `bench-${process.pid}`;
	const sync = { redis: REDIS, prefix: 'ovenjs-bench:state:', snapshotEvery: 0 };
	const a = await StateStore.create(tree(1_000), { name, sync });
	const b = await StateStore.create(tree(1_000), { name, sync });
	let resolve;
	b.subscribe('counter', () => resolve?.());
	const samples = [];
	for (let i = 1; i <= 500; i++) {
		const seen = new Promise((r) => (resolve = r));
		const start = performance.now();
		await a.set('counter', i);
		await seen;
		samples.push(performance.now() - start);
	}
	await a.destroy();
	await b.destroy();
	rows.push(['cross-instance propagation (target p99 < 20 ms)', fmt(stats(samples)), 'n/a', 'n/a']);
} catch (error) {
	rows.push(['cross-instance propagation', `skipped: ${error.message}`, 'n/a', 'n/a']);
}

const header = ['workload', '@ovenjs/state', 'immer produceWithPatches loop', 'zundo-style history'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const row of rows) console.log(line(row));
process.exit(0);
