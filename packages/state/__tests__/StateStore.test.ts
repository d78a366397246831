import { describe, expect, it, vi } from 'vitest';
import { StateError, StateStore, type StateChange, type StateUpdateEvent } from '@ovenjs/state';
import { pointArgs, recordingEmitter } from './helpers.js';

interface Scores {
	scores: Record<string, number>;
	round: number;
	guilds: Record<string, { settings: { prefix: string; locale?: string }; roles: string[] }>;
}

const initial = (): Scores => ({ scores: {}, round: 1, guilds: { '123': { settings: { prefix: '!' }, roles: [] } } });

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
		// Structural sharing: untouched branches are the same objects.
		expect(after.guilds).toBe(before.guilds);
	});

	it('applies a change before update() returns when nothing is queued, and in call order otherwise', async () => {
		const store = new StateStore(initial());
		await store.ready;
		void store.update((draft) => void (draft.round = 5));
		expect(store.get().round).toBe(5);
		const runs = Array.from({ length: 20 }, (_, i) =>
			store.update((draft) => {
				draft.round = draft.round * 2 + i;
			}),
		);
		await Promise.all(runs);
		let expected = 5;
		for (let i = 0; i < 20; i++) expected = expected * 2 + i;
		expect(store.get().round).toBe(expected);
	});

	it('set() of a primitive (done without immer) leaves the same state, patches, history and undo as a recipe', async () => {
		const fast = new StateStore(initial(), { historyLimit: 10 });
		const drafted = new StateStore(initial(), { historyLimit: 10 });
		await Promise.all([fast.ready, drafted.ready]);
		const seen: StateChange[] = [];
		fast.subscribe('guilds.123.settings.prefix', (_now, _before, change) => void seen.push(change));
		const before = fast.get();
		await fast.set('guilds.123.settings.prefix', '?', 'prefix');
		await fast.set('guilds.123.settings.locale', 'de', 'locale');
		await fast.set('round', 1, 'unchanged');
		await drafted.update((draft) => void (draft.guilds['123']!.settings.prefix = '?'), 'prefix');
		await drafted.update((draft) => void (draft.guilds['123']!.settings.locale = 'de'), 'locale');
		await drafted.update((draft) => void (draft.round = 1), 'unchanged');
		expect(fast.get()).toEqual(drafted.get());
		expect(Object.isFrozen(fast.get().guilds['123']?.settings)).toBe(true);
		expect(fast.get().scores).toBe(before.scores);
		const strip = (store: StateStore<Scores>): unknown =>
			store.history.entries.map(({ patches, inverse, meta }) => ({ patches, inverse, meta }));
		expect(strip(fast)).toEqual(strip(drafted));
		expect(seen.map((change) => change.paths)).toEqual([[['guilds', '123', 'settings', 'prefix']]]);
		expect(fast.undo()).toBe(true);
		expect(drafted.undo()).toBe(true);
		expect(fast.get()).toEqual(drafted.get());
		expect(fast.get().guilds['123']?.settings).toEqual({ prefix: '?' });
	});

	it('sets and selects by dot and tuple paths, and refuses paths whose parents are missing', async () => {
		const store = new StateStore(initial());
		await store.set('guilds.123.settings.prefix', '?', { who: 'u1', why: 'prefix command' });
		expect(store.select('guilds.123.settings.prefix')).toBe('?');
		await store.setIn(['guilds', '123', 'settings', 'locale'], 'de');
		expect(store.select(['guilds', '123', 'settings'])).toEqual({ prefix: '?', locale: 'de' });
		expect(store.select((s) => Object.keys(s.guilds))).toEqual(['123']);
		expect(store.select('guilds.999.settings.prefix')).toBeUndefined();
		await expect(store.set('guilds.999.settings.prefix', 'x')).rejects.toMatchObject({
			code: 'STATE_INVALID_PATH',
			message: expect.stringContaining('"guilds.999" is missing') as string,
		});
		await expect(store.set('guilds..x' as 'round', 1)).rejects.toMatchObject({ code: 'STATE_INVALID_PATH' });
		expect(store.history.entries.at(-2)?.meta).toEqual({ who: 'u1', why: 'prefix command', origin: 'update' });
	});

	it('a transaction is one history entry and one notification', async () => {
		const store = new StateStore(initial());
		const listener = vi.fn<(state: unknown, previous: unknown, change: StateChange) => void>();
		store.subscribe(listener);
		await store.transaction((tx) => {
			for (let i = 0; i < 100; i++) tx.set('round', i);
			tx.setIn(['scores', 'bob'], 7);
			tx.update((draft) => {
				draft.guilds['123']!.roles.push('r1');
			});
			tx.draft.scores.carol = 1;
		}, 'batch');
		expect(listener).toHaveBeenCalledTimes(1);
		expect(store.history.undo).toBe(1);
		// 100 writes of `round` coalesce into one patch.
		const paths = listener.mock.calls[0]![2].paths.map((path) => path.join('.'));
		expect(paths.filter((path) => path === 'round')).toHaveLength(1);
		expect(store.get()).toMatchObject({ round: 99, scores: { bob: 7, carol: 1 } });
		store.undo();
		expect(store.get()).toEqual(initial());
	});

	it('undo and redo step through history, bounded by historyLimit', async () => {
		const store = new StateStore(initial(), { historyLimit: 2 });
		for (const n of [1, 2, 3]) {
			await store.update((draft) => {
				draft.round = n + 1;
			});
		}
		expect(store.history.undo).toBe(2);
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

	it('notifies subscribers, path subscribers only when their path changed, with the changed paths', async () => {
		const store = new StateStore(initial());
		const all = vi.fn();
		const rounds = vi.fn();
		const prefix = vi.fn();
		store.subscribe(all);
		const stop = store.watch((s) => s.round, rounds);
		store.subscribe('guilds.123.settings.prefix', prefix);
		await store.update((draft) => {
			draft.scores.a = 1;
		});
		await store.update((draft) => {
			draft.round = 2;
		});
		await store.update(() => undefined); // no change: no notification
		await store.set('guilds.123.settings.prefix', '$');
		expect(all).toHaveBeenCalledTimes(3);
		expect(rounds).toHaveBeenCalledTimes(1);
		expect(rounds).toHaveBeenCalledWith(2, 1);
		expect(prefix).toHaveBeenCalledTimes(1);
		expect(prefix.mock.calls[0]?.slice(0, 2)).toEqual(['$', '!']);
		expect((prefix.mock.calls[0]?.[2] as StateChange).paths).toEqual([['guilds', '123', 'settings', 'prefix']]);
		stop();
		await store.update((draft) => {
			draft.round = 3;
		});
		expect(rounds).toHaveBeenCalledTimes(1);
	});

	it('isolates a throwing listener (reported to onError) from the others', async () => {
		const onError = vi.fn();
		const store = new StateStore(initial(), { onError });
		const second = vi.fn();
		store.subscribe(() => {
			throw new Error('listener bug');
		});
		store.subscribe(second);
		await store.set('round', 2);
		expect(second).toHaveBeenCalledTimes(1);
		expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
	});

	it('reports patches on state:afterUpdate and replicas converge through applyPatches', async () => {
		const emitter = recordingEmitter();
		const store = new StateStore(initial(), { emitter, name: 'game' });
		const replica = new StateStore(initial());
		await store.update(
			(draft) => {
				draft.scores.alice = 5;
				draft.round = 2;
			},
			{ who: 'alice', why: 'sync me' },
		);
		const after = pointArgs(emitter, 'state:afterUpdate') as StateUpdateEvent[];
		expect(after).toHaveLength(1);
		expect(after[0]).toMatchObject({ store: 'game', reason: 'sync me', who: 'alice', kind: 'update', version: 1 });
		replica.applyPatches(after[0]!.patches);
		expect(replica.get()).toEqual(store.get());
	});

	it('a state:beforeUpdate handler sees the proposed patches and can veto', async () => {
		const emitter = recordingEmitter((value) =>
			(value as StateUpdateEvent).patches.some((patch) => patch.path[0] === 'round')
				? 'read-only during maintenance'
				: undefined,
		);
		const store = new StateStore(initial(), { emitter });
		await expect(store.update((draft) => void (draft.round = 9), 'bump')).rejects.toMatchObject({
			code: 'STATE_VETOED',
			message: expect.stringContaining('read-only during maintenance') as string,
		});
		expect(store.get().round).toBe(1);
		await store.set('scores.x', 1);
		expect(store.get().scores.x).toBe(1);
		const before = pointArgs(emitter, 'state:beforeUpdate') as StateUpdateEvent[];
		expect(before[0]?.patches).toEqual([{ op: 'replace', path: ['round'], value: 9 }]);
	});

	it('rejects async recipes, bad options and use after destroy with typed errors', async () => {
		const store = new StateStore(initial());
		// The lint rule no-misused-promises already flags this at the call site; the store also refuses it at run time.
		// eslint-disable-next-line @typescript-eslint/no-misused-promises
		await expect(store.update(async () => Promise.resolve())).rejects.toMatchObject({ code: 'STATE_ASYNC_RECIPE' });
		expect(() => new StateStore(initial(), { historyLimit: -1 })).toThrow(/historyLimit/);
		expect(() => new StateStore(initial(), { historyBytes: 1.5 })).toThrow(StateError);
		expect(
			() => new StateStore(initial(), { sync: { redis: 'redis://x', conflict: { default: 'counter' } } }),
		).toThrow(/only applies to declared paths/);
		expect(
			() =>
				new StateStore(initial(), {
					sync: { redis: 'redis://x', conflict: { paths: { 'a.*': 'bogus' as 'set' } } },
				}),
		).toThrow(/a policy is/);
		expect(() => new StateStore(5 as unknown as object)).toThrow(/must be an object/);
		await store.destroy();
		await expect(store.update(() => undefined)).rejects.toMatchObject({ code: 'STATE_DESTROYED' });
		expect(() => store.undo()).toThrow(expect.objectContaining({ code: 'STATE_DESTROYED' }) as Error);
		expect(new StateError('STATE_CONFLICT', 'x')).toBeInstanceOf(StateError);
	});

	it('namespaces scope reads, writes and subscriptions to one key', async () => {
		const store = new StateStore({ plugins: { music: { volume: 5, queue: [] as string[] } }, round: 1 });
		const ns = store.namespace('plugins');
		const seen = vi.fn();
		ns.subscribe(seen);
		await ns.set('music.volume', 7);
		await ns.setIn(['music', 'queue'], ['a']);
		await ns.update((draft) => {
			draft.music.queue.push('b');
		});
		expect(ns.get()).toEqual({ music: { volume: 7, queue: ['a', 'b'] } });
		expect(ns.select('music.volume')).toBe(7);
		expect(seen).toHaveBeenCalledTimes(3);
		await store.set('round', 2);
		expect(seen).toHaveBeenCalledTimes(3);
		expect(() => store.namespace('round')).toThrow(
			expect.objectContaining({ code: 'STATE_INVALID_PATH' }) as Error,
		);
	});
});
