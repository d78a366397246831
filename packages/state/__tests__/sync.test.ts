import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisAvailable, uniquePrefix } from '@ovenjs/test-services';
import { StateStore, type StateConflictEvent, type StateStoreOptions, type StateUpdateEvent } from '@ovenjs/state';
import { canonical, pointArgs, recordingEmitter, until } from './helpers.js';

interface Shared {
	title: string;
	hits: number;
	tags: string[];
	claims: Record<string, string>;
	high: number;
	nodes: Record<string, Record<string, number>>;
}

const initial = (): Shared => ({ title: 'start', hits: 0, tags: [], claims: {}, high: 0, nodes: {} });

const conflict = {
	paths: {
		hits: 'counter',
		tags: 'set',
		'claims.*': 'first-writer-wins',
		high: ({ current, incoming }) => Math.max(Number(current), Number(incoming)),
	},
} satisfies NonNullable<StateStoreOptions<Shared>['sync']>['conflict'];

const redis = await redisAvailable('StateStore sync tests');

describe.skipIf(!redis.available)('sync through Redis (in-process replicas)', () => {
	const prefix = uniquePrefix('state-sync');
	const admin = new Redis(redis.url);
	const stores: StateStore<Shared>[] = [];
	let counter = 0;

	async function replicas(
		count: number,
		options: Partial<StateStoreOptions<Shared>> = {},
		name = `s${++counter}`,
	): Promise<StateStore<Shared>[]> {
		const created: StateStore<Shared>[] = [];
		for (let i = 0; i < count; i++) {
			const store = await StateStore.create(initial(), {
				name,
				...options,
				sync: { redis: redis.url, prefix, conflict, snapshotEvery: 0, ...options.sync },
			});
			created.push(store);
			stores.push(store);
		}
		return created;
	}

	async function converged(list: readonly StateStore<Shared>[]): Promise<void> {
		await Promise.all(list.map((store) => store.flush()));
		await until(
			() => list.every((store) => canonical(store.get()) === canonical(list[0]!.get())),
			'replicas to converge',
		).catch((error: unknown) => {
			for (const store of list) console.log(JSON.stringify(store.get()), store.syncInfo);
			throw error;
		});
	}

	afterEach(async () => {
		await Promise.all(stores.splice(0).map((store) => store.destroy()));
	});
	afterAll(async () => {
		const keys = await admin.keys(`${prefix}*`);
		if (keys.length > 0) await admin.del(...keys);
		await admin.quit();
	});

	it('a change on one replica reaches the others; flush() resolves once it is published', async () => {
		const emitter = recordingEmitter();
		const [a, b] = await replicas(2);
		const c = (await replicas(1, { emitter }, a!.name))[0]!;
		await a!.set('title', 'hello', { who: 'alice', why: 'greeting' });
		await a!.flush();
		expect(a!.syncInfo?.pending).toBe(0);
		await until(() => b!.get().title === 'hello' && c.get().title === 'hello', 'propagation');
		const remote = (pointArgs(emitter, 'state:afterUpdate') as StateUpdateEvent[])
			.filter((event) => event.kind === 'remote')
			.at(-1);
		expect(remote).toMatchObject({
			who: 'alice',
			reason: 'greeting',
			patches: [{ op: 'replace', path: ['title'], value: 'hello' }],
		});
		expect(c.history.entries.at(-1)?.meta.origin).toBe('remote');
	});

	it('last-writer-wins on the hybrid logical clock for concurrent writes, reported on state:conflict', async () => {
		const emitter = recordingEmitter();
		const [a, b] = await replicas(2, { emitter });
		// Both write before either hears from the other: concurrent.
		void a!.set('title', 'from a');
		const aClock = a!.syncInfo!.clock;
		void b!.set('title', 'from b');
		const bClock = b!.syncInfo!.clock;
		await converged([a!, b!]);
		expect(a!.get().title).toBe(aClock > bClock ? 'from a' : 'from b');
		const conflicts = pointArgs(emitter, 'state:conflict') as StateConflictEvent[];
		expect(conflicts.length).toBeGreaterThan(0);
		expect(conflicts[0]).toMatchObject({ path: ['title'], policy: 'last-writer-wins' });
	});

	it('counters add up, sets merge, first-writer-wins keeps the earliest claim, custom resolvers merge', async () => {
		const [a, b, c] = await replicas(3);
		const list = [a!, b!, c!];
		const clocks: string[] = [];
		for (const [index, store] of list.entries()) {
			void store.update((draft) => {
				draft.hits += index + 1;
				draft.tags.push(`t${index}`);
				draft.claims.slot = `node${index}`;
				draft.high = [5, 9, 7][index]!;
				draft.nodes[`n${index}`] = { own: index };
			});
			clocks.push(store.syncInfo!.clock);
		}
		for (let i = 0; i < 10; i++) for (const store of list) void store.update((draft) => void (draft.hits += 1));
		await converged(list);
		const state = a!.get();
		expect(state.hits).toBe(1 + 2 + 3 + 30);
		expect(state.tags).toEqual(['t0', 't1', 't2']);
		const first = clocks.indexOf([...clocks].sort()[0]!);
		expect(state.claims.slot).toBe(`node${first}`);
		expect(state.high).toBe(9);
		expect(state.nodes).toEqual({ n0: { own: 0 }, n1: { own: 1 }, n2: { own: 2 } });
	});

	it('a replica that joins later starts from the shared snapshot and the log after it', async () => {
		const [a] = await replicas(1, { sync: { redis: redis.url, snapshotEvery: 5 } });
		for (let i = 0; i < 12; i++) await a!.update((draft) => void (draft.hits += 1));
		await a!.set('title', 'later');
		await a!.flush();
		await until(() => (a!.syncInfo?.lastSeq ?? 0) >= 13, 'own operations to come back');
		const late = (await replicas(1, { sync: { redis: redis.url, snapshotEvery: 5 } }, a!.name))[0]!;
		expect(late.get()).toEqual(a!.get());
		expect(late.syncInfo?.lastCatchUp.mode).toBe('snapshot');
	});

	it('a delete on one replica and a later write below it converge', async () => {
		const [a, b] = await replicas(2);
		await a!.set('nodes', { x: { v: 1 } });
		await converged([a!, b!]);
		void a!.update((draft) => {
			delete draft.nodes.x;
		});
		void b!.update((draft) => {
			draft.nodes.y = { v: 2 };
		});
		await converged([a!, b!]);
		expect(a!.get().nodes).toEqual({ y: { v: 2 } });
	});
});
