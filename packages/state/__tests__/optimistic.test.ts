import { describe, expect, it } from 'vitest';
import { StateStore } from '@ovenjs/state';
import { recordingEmitter } from './helpers.js';

interface Members {
	members: Record<string, { roles: string[]; nick: string }>;
	log: string[];
	counter: number;
}

const members = (): Members => ({
	members: { u1: { roles: [], nick: 'a' }, u2: { roles: [], nick: 'b' } },
	log: [],
	counter: 0,
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

describe('optimistic updates', () => {
	it('applies at once and keeps the change when the action resolves', async () => {
		const store = new StateStore(members());
		const gate = deferred<string>();
		const result = store.optimistic(
			(draft) => {
				draft.members.u1!.roles.push('mod');
			},
			() => gate.promise,
			'grant mod',
		);
		await Promise.resolve();
		expect(store.get().members.u1!.roles).toEqual(['mod']);
		gate.resolve('ok');
		await expect(result).resolves.toBe('ok');
		expect(store.get().members.u1!.roles).toEqual(['mod']);
	});

	it('rolls back exactly its own patches on rejection; later unrelated updates survive', async () => {
		const store = new StateStore(members());
		const gate = deferred<never>();
		const result = store.optimistic(
			(draft) => {
				draft.members.u1!.roles.push('mod');
				draft.counter += 1;
			},
			() => gate.promise,
			{ who: 'u9', why: 'grant mod' },
		);
		await Promise.resolve();
		// Meanwhile: an unrelated change, and one that touches a path the optimistic change also touched.
		await store.set('members.u2.nick', 'bee');
		await store.update((draft) => {
			draft.log.push('x');
		});
		await store.set('counter', 10);
		gate.reject(new Error('403 Missing Permissions'));
		await expect(result).rejects.toThrow('403 Missing Permissions');
		const state = store.get();
		expect(state.members.u1!.roles).toEqual([]);
		expect(state.members.u2!.nick).toBe('bee');
		expect(state.log).toEqual(['x']);
		// `counter` was changed later by someone else: the rollback leaves their value.
		expect(state.counter).toBe(10);
		const last = store.history.entries.at(-1)!;
		expect(last.meta).toMatchObject({ origin: 'rollback', who: 'u9' });
		expect(last.meta.why).toMatch(/^rollback of e1/);
	});

	it('a vetoed or failing optimistic recipe rejects without calling the action', async () => {
		const store = new StateStore(members(), { emitter: recordingEmitter(() => 'frozen') });
		let called = false;
		const action = (): Promise<void> => {
			called = true;
			return Promise.resolve();
		};
		await expect(store.optimistic((draft) => void draft.log.push('x'), action)).rejects.toMatchObject({
			code: 'STATE_VETOED',
		});
		await expect(
			store.optimistic(() => {
				throw new Error('bad recipe');
			}, action),
		).rejects.toThrow('bad recipe');
		expect(called).toBe(false);
		expect(store.get()).toEqual(members());
	});
});
