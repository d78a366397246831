import { applyPatches } from 'immer';
import { describe, expect, it, vi } from 'vitest';
import { seeded } from '@ovenjs/test-services/seeded';
import { coalescePatches, StateStore, type HistoryEntry, type Patch, type StateSnapshotEvent } from '@ovenjs/state';
import { pointArgs, recordingEmitter } from './helpers.js';

interface Doc {
	title: string;
	counter: number;
	items: Record<string, { n: number }>;
	list: number[];
}

const doc = (): Doc => ({ title: 'a', counter: 0, items: {}, list: [] });

/** History's invariant: the base snapshot with every kept entry's patches applied is the current state. */
function expectBasePlusEntries(store: StateStore<Doc>, message?: string): void {
	const now = store.get();
	// A copy: restoring is itself a change, recorded in the same history.
	const entries = [...store.history.entries];
	store.restore('base');
	let replayed = store.get();
	for (const entry of entries) replayed = applyPatches(replayed, [...entry.patches]);
	expect(replayed, message).toEqual(now);
}

describe('history entries and time travel', () => {
	it('records id, time, patches, inverse patches and meta for every change', async () => {
		const store = new StateStore(doc());
		await store.set('title', 'b', { who: 'u1', why: 'rename' });
		const [entry] = store.history.entries;
		expect(entry).toMatchObject({
			id: 'e1',
			version: 1,
			patches: [{ op: 'replace', path: ['title'], value: 'b' }],
			inverse: [{ op: 'replace', path: ['title'], value: 'a' }],
			meta: { who: 'u1', why: 'rename', origin: 'update' },
		});
		expect(entry!.time).toBeGreaterThan(Date.now() - 5_000);
		expect(entry!.bytes).toBeGreaterThan(0);
	});

	it('goto travels back and forward to an entry, and to a snapshot', async () => {
		const store = new StateStore(doc());
		for (let i = 1; i <= 5; i++) await store.set('counter', i);
		const ids = store.history.entries.map((entry) => entry.id);
		store.goto(ids[1]!);
		expect(store.get().counter).toBe(2);
		expect(store.history).toMatchObject({ undo: 2, redo: 3 });
		store.goto(ids[3]!);
		expect(store.get().counter).toBe(4);
		const named = store.snapshot('before-reset');
		await store.set('counter', 100);
		store.goto('before-reset');
		expect(store.get().counter).toBe(4);
		expect(named.state.counter).toBe(4);
		// restoring is itself a change: it can be undone
		store.undo();
		expect(store.get().counter).toBe(100);
		expect(() => {
			store.goto('nope');
		}).toThrow(expect.objectContaining({ code: 'STATE_NOT_FOUND' }) as Error);
	});

	it('takes periodic snapshots and keeps a bounded number, reported on state:snapshot', async () => {
		const emitter = recordingEmitter();
		const store = new StateStore(doc(), { snapshots: { every: 3, keep: 2 }, emitter });
		for (let i = 1; i <= 10; i++) await store.set('counter', i);
		expect(store.snapshots.map((snapshot) => snapshot.state.counter)).toEqual([6, 9]);
		const events = pointArgs(emitter, 'state:snapshot') as StateSnapshotEvent[];
		expect(events.map((event) => event.version)).toEqual([3, 6, 9]);
		expect(events[0]).toMatchObject({ store: 'state', kind: 'periodic' });
		store.restore(store.snapshots[0]!.id);
		expect(store.get().counter).toBe(6);
	});

	it('bounds history by count and by bytes, compacting old entries into the base snapshot', async () => {
		const byCount = new StateStore(doc(), { historyLimit: 10 });
		for (let i = 1; i <= 25; i++) await byCount.set('counter', i);
		expect(byCount.history.undo).toBeLessThanOrEqual(10);
		const oldest = byCount.history.entries[0]!;
		byCount.restore('base');
		expect(byCount.get().counter).toBe(oldest.version - 1);

		const bySize = new StateStore(doc(), { historyLimit: 10_000, historyBytes: 4_096 });
		for (let i = 0; i < 200; i++) {
			await bySize.update((draft) => {
				draft.items[`k${i}`] = { n: i };
			});
		}
		expect(bySize.history.bytes).toBeLessThanOrEqual(4_096);
		expect(bySize.history.undo).toBeLessThan(200);
		expect(bySize.history.undo).toBeGreaterThan(5);
		// undo everything kept: the state is exactly the base snapshot
		while (bySize.undo());
		bySize.snapshot('here');
		expect(Object.keys(bySize.get().items)).toHaveLength(200 - bySize.history.redo);
	});

	it('keeps its invariant through compactions, undo and redo: the base with every kept entry applied is the state', async () => {
		const store = new StateStore(doc(), { historyLimit: 10 });
		for (let i = 1; i <= 8; i++) await store.set('counter', i);
		for (let i = 0; i < 3; i++) store.undo();
		store.redo();
		for (let i = 0; i < 30; i++) {
			await store.update((draft) => {
				draft.items[`k${i % 7}`] = { n: i };
				draft.counter = i;
			});
			if (i % 9 === 4) store.undo();
		}
		expectBasePlusEntries(store);
	});

	it('compacts to the right base from its checkpoints, whatever the bounds, sizes, undos and redos (seeded)', async () => {
		for (let seed = 1; seed <= 80; seed++) {
			const next = seeded(seed);
			const historyLimit = 1 + Math.floor(next() * 60);
			const historyBytes = 200 + Math.floor(next() * 6_000);
			const targetCount = historyLimit - Math.floor(historyLimit / 10);
			const targetBytes = Math.floor(historyBytes * 0.9);
			const store = new StateStore(doc(), { historyLimit, historyBytes });
			let made: HistoryEntry | undefined;
			store.subscribe((_state, _previous, change) => {
				made = change.entry;
			});
			for (let step = 0; step < 150; step++) {
				const roll = next();
				const before = [...store.history.entries];
				made = undefined;
				if (roll < 0.45) await store.set('counter', step);
				else if (roll < 0.75) {
					// Entries from a few bytes to more than a tenth of the bound.
					const size = Math.floor(next() * next() * 40);
					await store.update((draft) => {
						draft.items[`k${step % 9}`] = { n: step };
						for (let i = 0; i < size; i++) draft.list.push(i);
					});
				} else if (roll < 0.9) store.undo();
				else store.redo();
				const { undo, bytes, entries } = store.history;
				expect(undo).toBeLessThanOrEqual(historyLimit);
				expect(bytes).toBeLessThanOrEqual(historyBytes);
				if (roll >= 0.75 || made === undefined) continue;
				// A compaction stops no further than where both targets are reached: keeping the last entry it
				// dropped would miss one of them.
				const kept = entries[0] === undefined ? -1 : before.findIndex((entry) => entry.id === entries[0]!.id);
				const dropped = kept === -1 ? (entries.length === 0 ? before.length + 1 : before.length) : kept;
				if (dropped === 0) continue;
				const lastDropped = dropped > before.length ? made : before[dropped - 1]!;
				expect(
					undo >= targetCount || bytes + lastDropped.bytes > targetBytes,
					`seed ${seed}, step ${step}`,
				).toBe(true);
			}
			expectBasePlusEntries(store, `seed ${seed}`);
		}
	});

	it('keeps between nine tenths of its bound and the bound through long runs of changes, also with undos between', async () => {
		for (const [sets, undos] of [
			[1, 0],
			[5, 4],
			[5, 9],
			[10, 4],
		] as const) {
			const store = new StateStore(doc(), { historyLimit: 100 });
			let n = 0;
			await store.set('counter', ++n);
			for (let round = 0; round < 150; round++) {
				for (let i = 0; i < sets; i++) {
					const undoable = store.history.undo;
					await store.set('counter', ++n);
					expect(store.history.undo, `${sets} sets, ${undos} undos`).toBeGreaterThanOrEqual(
						Math.min(undoable + 1, 90),
					);
					expect(store.history.undo).toBeLessThanOrEqual(100);
				}
				for (let i = 0; i < undos; i++) store.undo();
			}
			expectBasePlusEntries(store, `${sets} sets, ${undos} undos`);
		}
	});

	it('coalesces consecutive changes of the same path within coalesceMs into one entry', async () => {
		vi.useFakeTimers();
		try {
			const store = new StateStore(doc(), { coalesceMs: 500 });
			for (const title of ['h', 'he', 'hel', 'hell', 'hello']) {
				await store.set('title', title, 'typing');
				vi.advanceTimersByTime(100);
			}
			vi.advanceTimersByTime(1_000);
			await store.set('title', 'hello!', 'typing');
			expect(store.history.undo).toBe(2);
			expect(store.history.entries[0]!.patches).toEqual([{ op: 'replace', path: ['title'], value: 'hello' }]);
			expect(store.history.entries[0]!.inverse).toEqual([{ op: 'replace', path: ['title'], value: 'a' }]);
			store.undo();
			store.undo();
			expect(store.get().title).toBe('a');
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('coalescePatches (delta compression)', () => {
	const apply = (patches: readonly Patch[]): unknown => {
		const store = new StateStore<Record<string, unknown>>({ a: { x: 1 }, b: 1, arr: [1, 2] }, { historyLimit: 0 });
		store.applyPatches(patches);
		return store.get();
	};

	it('keeps only the last write of a path and drops writes below a replaced ancestor', () => {
		const patches: Patch[] = [
			{ op: 'replace', path: ['b'], value: 2 },
			{ op: 'replace', path: ['a', 'x'], value: 2 },
			{ op: 'replace', path: ['b'], value: 3 },
			{ op: 'replace', path: ['a'], value: { y: 1 } },
			{ op: 'add', path: ['c'], value: 1 },
			{ op: 'replace', path: ['c'], value: 2 },
			{ op: 'add', path: ['d'], value: 1 },
			{ op: 'remove', path: ['d'] },
		];
		const out = coalescePatches(patches);
		expect(out).toEqual([
			{ op: 'replace', path: ['b'], value: 3 },
			{ op: 'replace', path: ['a'], value: { y: 1 } },
			{ op: 'add', path: ['c'], value: 2 },
		]);
		expect(apply(out)).toEqual(apply(patches));
	});

	it('never merges across an array shift', () => {
		const patches: Patch[] = [
			{ op: 'replace', path: ['arr', 0], value: 5 },
			{ op: 'add', path: ['arr', 0], value: 9 },
			{ op: 'replace', path: ['arr', 0], value: 7 },
		];
		const out = coalescePatches(patches);
		expect(apply(out)).toEqual(apply(patches));
		expect(out).toHaveLength(3);
	});
});

describe('shared references (immerjs/immer#468)', () => {
	it('refuses a change that puts one drafted object at two places, with a clear error', async () => {
		const store = new StateStore<{ a: { x: number }; b?: { x: number }; list: { x: number }[] }>({
			a: { x: 1 },
			list: [],
		});
		await expect(
			store.update((draft) => {
				draft.b = draft.a;
				draft.a.x = 2;
			}),
		).rejects.toMatchObject({
			code: 'STATE_SHARED_REFERENCE',
			message: expect.stringContaining('immerjs/immer#468') as string,
		});
		const shared = { x: 3 };
		await expect(
			store.update((draft) => {
				draft.list.push(shared, shared);
			}),
		).rejects.toMatchObject({ code: 'STATE_SHARED_REFERENCE' });
		expect(store.get()).toEqual({ a: { x: 1 }, list: [] });
		expect(store.version).toBe(0);
		// a copy is fine
		await store.update((draft) => {
			draft.b = { ...draft.a };
			draft.a.x = 2;
		});
		expect(store.get()).toEqual({ a: { x: 2 }, b: { x: 1 }, list: [] });
	});
});
