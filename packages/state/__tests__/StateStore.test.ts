import { describe, expect, it, vi } from 'vitest';
import type { ExtensionPointArgs, ExtensionPointEmitter, ExtensionPointName, WaterfallPointName, WaterfallValue } from '@ovenjs/types';
import { StateError, StateStore, type StateUpdateEvent } from '@ovenjs/state';

interface Scores {
	scores: Record<string, number>;
	round: number;
}

const initial = (): Scores => ({ scores: {}, round: 1 });

/** A minimal emitter standing in for core's bus: records notify points, lets a test decide waterfalls. */
function recordingEmitter(veto?: string): ExtensionPointEmitter & { readonly after: StateUpdateEvent[] } {
	const after: StateUpdateEvent[] = [];
	return {
		after,
		has: (point: ExtensionPointName) => point === 'state:afterUpdate' || (point === 'state:beforeUpdate' && veto !== undefined),
		emit<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>) {
			if (point === 'state:afterUpdate') after.push(args[0]);
		},
		async transform<P extends WaterfallPointName>(_point: P, ...args: ExtensionPointArgs<P>): Promise<WaterfallValue<P>> {
			const value = args[0] as WaterfallValue<P>;
			return Promise.resolve(veto === undefined ? value : ({ ...(value as object), veto } as WaterfallValue<P>));
		},
	};
}

describe('StateStore', () => {
	it('applies recipes immutably and freezes snapshots', async () => {
		const store = new StateStore(initial());
		const before = store.get();
		const after = await store.update((draft) => {
			draft.scores.alice = 3;
		}, 'alice scores');
		expect(after.scores.alice).toBe(3);
		expect(before.scores.alice).toBeUndefined();
		expect(Object.isFrozen(after)).toBe(true);
		expect(Object.isFrozen(after.scores)).toBe(true);
		expect(() => {
			(after.scores as Record<string, number>).bob = 1;
		}).toThrow(TypeError);
	});

	it('applies updates in call order even when callers do not await', async () => {
		const store = new StateStore(initial());
		const runs = Array.from({ length: 20 }, (_, i) =>
			store.update((draft) => {
				draft.round = draft.round * 2 + i;
			}),
		);
		await Promise.all(runs);
		let expected = 1;
		for (let i = 0; i < 20; i++) expected = expected * 2 + i;
		expect(store.get().round).toBe(expected);
	});

	it('undo and redo step through history, bounded by historyLimit', async () => {
		const store = new StateStore(initial(), { historyLimit: 2 });
		for (const n of [1, 2, 3]) {
			await store.update((draft) => {
				draft.round = n + 1;
			});
		}
		expect(store.history).toEqual({ undo: 2, redo: 0 });
		expect(store.undo()).toBe(true);
		expect(store.get().round).toBe(3);
		expect(store.undo()).toBe(true);
		expect(store.get().round).toBe(2);
		expect(store.undo()).toBe(false);
		expect(store.redo()).toBe(true);
		expect(store.get().round).toBe(3);
		await store.update((draft) => {
			draft.round = 10;
		});
		expect(store.redo()).toBe(false);
	});

	it('notifies subscribers and selector watchers only on change', async () => {
		const store = new StateStore(initial());
		const all = vi.fn();
		const rounds = vi.fn();
		store.subscribe(all);
		const stop = store.watch((s) => s.round, rounds);
		await store.update((draft) => {
			draft.scores.a = 1;
		});
		await store.update((draft) => {
			draft.round = 2;
		});
		await store.update(() => undefined); // no change: no notification
		expect(all).toHaveBeenCalledTimes(2);
		expect(rounds).toHaveBeenCalledTimes(1);
		expect(rounds).toHaveBeenCalledWith(2, 1);
		stop();
		await store.update((draft) => {
			draft.round = 3;
		});
		expect(rounds).toHaveBeenCalledTimes(1);
	});

	it('reports patches on state:afterUpdate and replicas converge through applyPatches', async () => {
		const emitter = recordingEmitter();
		const store = new StateStore(initial(), { emitter, name: 'game' });
		const replica = new StateStore(initial());
		await store.update((draft) => {
			draft.scores.alice = 5;
			draft.round = 2;
		}, 'sync me');
		expect(emitter.after).toHaveLength(1);
		expect(emitter.after[0]).toMatchObject({ store: 'game', reason: 'sync me', kind: 'update' });
		replica.applyPatches(emitter.after[0]!.patches);
		expect(replica.get()).toEqual(store.get());
	});

	it('a state:beforeUpdate handler can veto an update', async () => {
		const store = new StateStore(initial(), { emitter: recordingEmitter('read-only during maintenance') });
		await expect(store.update((draft) => void (draft.round = 9), 'bump')).rejects.toMatchObject({
			code: 'STATE_VETOED',
			message: expect.stringContaining('read-only during maintenance') as string,
		});
		expect(store.get().round).toBe(1);
	});

	it('rejects async recipes, bad options and use after destroy with typed errors', async () => {
		const store = new StateStore(initial());
		// The lint rule no-misused-promises already flags this at the call site; the store also refuses it at run time.
		// eslint-disable-next-line @typescript-eslint/no-misused-promises
		await expect(store.update(async () => Promise.resolve())).rejects.toBeInstanceOf(StateError);
		expect(() => new StateStore(initial(), { historyLimit: -1 })).toThrow(/historyLimit/);
		store.destroy();
		await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'STATE_DESTROYED' });
	});
});
