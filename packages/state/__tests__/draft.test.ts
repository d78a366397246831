import { current, freeze, isDraft, original, setAutoFreeze, type Draft, type Patch } from 'immer';
import { describe, expect, it } from 'vitest';
import { seeded } from '@ovenjs/test-services/seeded';
import { StateStore, type StateChange } from '@ovenjs/state';
import { copyRecord, sameKeys } from '../src/lib/draft/copy.js';
import { freezeDeep } from '../src/lib/draft/freezeDeep.js';
import { immer } from '../src/lib/draft/immer.js';
import { produceDraft } from '../src/lib/draft/PlainDraft.js';

interface Member {
	xp: number;
	roles: string[];
	nick?: string | null | undefined;
}

interface Tree {
	guilds: Record<string, { settings: { prefix: string; locale?: string }; members: Record<string, Member> }>;
	counter: number;
	list: number[];
	flags: Record<string, unknown>;
	bare: Record<string, unknown>;
}

/** A bot-like tree: `guilds` of `members`, plus an array, an object with integer-like keys, a null-prototype object. */
function tree(guilds = 3, members = 20): Tree {
	const out: Tree = {
		guilds: {},
		counter: 0,
		list: [1, 2],
		flags: { '2': 'two', b: 'b', '1': 'one', a: 'a' },
		bare: {},
	};
	for (let g = 0; g < guilds; g++) {
		const group: Record<string, Member> = {};
		for (let m = 0; m < members; m++) group[`m${m}`] = { xp: m, roles: [] };
		out.guilds[`g${g}`] = { settings: { prefix: '!' }, members: group };
	}
	const bare: unknown = Object.create(null);
	if (typeof bare === 'object' && bare !== null) out.bare = Object.assign(bare, { x: 1, y: 'y' });
	return freezeDeep(out);
}

/** Every object's key order, whether it is the base's object at the same path, and whether it is frozen. */
function describeTree(value: unknown, base: unknown): unknown {
	if (typeof value !== 'object' || value === null) return Object.is(value, -0) ? '-0' : value;
	const out: Record<string, unknown> = {
		$shared: value === base,
		$frozen: Object.isFrozen(value),
		$proto: Reflect.getPrototypeOf(value) === null ? 'null' : Array.isArray(value) ? 'array' : 'object',
		$keys: Reflect.ownKeys(value).map(String),
	};
	for (const key of Object.keys(value)) {
		const inner: unknown = Reflect.get(value, key);
		const before: unknown = typeof base === 'object' && base !== null ? Reflect.get(base, key) : undefined;
		out[key] = describeTree(inner, before);
	}
	return out;
}

type Produced = readonly [Tree, Patch[], Patch[]];

/** Runs `recipe` through the plain draft and through immer on the same base; everything observable must match. */
function sideBySide(base: Tree, recipe: (draft: Draft<Tree>, log: unknown[]) => void): Produced {
	const fastLog: unknown[] = [];
	const immerLog: unknown[] = [];
	const fast = produceDraft(immer, base, (draft) => {
		recipe(draft, fastLog);
	});
	const slow = immer.produceWithPatches(base, (draft) => {
		recipe(draft, immerLog);
	});
	expect(fastLog).toEqual(immerLog);
	expect(fast[1]).toEqual(slow[1]);
	expect(fast[2]).toEqual(slow[2]);
	expect(describeTree(fast[0], base)).toEqual(describeTree(slow[0], base));
	expect(fast[0] === base).toBe(slow[0] === base);
	return fast;
}

describe('the plain draft (primitive writes without immer) against immer, side by side', () => {
	it('a transaction of 100 member writes: same state, patches, inverse patches, sharing and freezing', () => {
		const base = tree(10, 99);
		const [next, patches] = sideBySide(base, (draft) => {
			for (let k = 0; k < 100; k++) draft.guilds[`g${k % 10}`]!.members[`m${k % 99}`]!.xp = 1_000 + k;
		});
		expect(patches).toHaveLength(100);
		expect(next.guilds.g0!.settings).toBe(base.guilds.g0!.settings);
		// Copies of copies (the key set handed on, then compiled) keep every key and value.
		let again = next;
		for (let round = 2; round <= 6; round++) {
			[again] = sideBySide(again, (draft) => {
				for (let k = 0; k < 100; k++) draft.guilds[`g${k % 10}`]!.members[`m${k % 99}`]!.xp = round * 1_000 + k;
			});
			expect(Object.keys(again.guilds.g9!.members)).toEqual(Object.keys(base.guilds.g9!.members));
		}
		// A large object that gained a key is copied with it (and its value) from then on.
		let [last] = sideBySide(again, (draft) => {
			draft.guilds.g3!.members.m3!.xp = 1;
			(draft.guilds.g3!.members as Record<string, unknown>).count = 99;
		});
		for (let round = 0; round < 5; round++) {
			[last] = sideBySide(last, (draft) => {
				draft.guilds.g3!.members.m4!.xp = round;
			});
			expect(Object.keys(last.guilds.g3!.members).at(-1)).toBe('count');
			expect(last.guilds.g3!.members).toMatchObject({ count: 99, m3: { xp: 1 }, m4: { xp: round } });
		}
	});

	it('writes that change nothing, or are written back, or add keys (integer-like ones sort first)', () => {
		const base = tree();
		const [unchanged, none] = sideBySide(base, (draft) => {
			draft.counter = 0;
			draft.guilds.g0!.settings.prefix = '!';
		});
		expect(none).toEqual([]);
		expect(unchanged).toBe(base);
		// Written and written back: a new (equal) root, and no patch.
		const [back, noPatch] = sideBySide(base, (draft) => {
			draft.counter = 5;
			draft.counter = 0;
		});
		expect([back === base, noPatch]).toEqual([false, []]);
		// undefined on a missing key is an `add`; on a key holding undefined, nothing.
		const [withNick, added] = sideBySide(base, (draft) => {
			draft.guilds.g1!.members.m1!.nick = undefined;
		});
		expect(added).toEqual([{ op: 'add', path: ['guilds', 'g1', 'members', 'm1', 'nick'], value: undefined }]);
		sideBySide(withNick, (draft) => {
			draft.guilds.g1!.members.m1!.nick = undefined;
		});
		sideBySide(base, (draft) => {
			draft.flags.z = 1;
			draft.flags['10'] = 10;
			draft.flags['0'] = 0;
			draft.flags.a = 'A';
			draft.flags.y = undefined;
			draft.guilds.g2!.members.m3!.nick = null;
			draft.guilds.g0!.settings.locale = 'de';
		});
		sideBySide(base, (draft) => {
			draft.bare.x = 2;
			draft.bare.z = 'new';
		});
	});

	it('NaN, -0 and +0 follow immer (a -0 over 0 marks the draft modified without a patch)', () => {
		const base = freezeDeep({ ...tree(), counter: 0, flags: { n: Number.NaN, z: -0 } });
		sideBySide(base, (draft) => {
			draft.flags.n = Number.NaN;
			draft.flags.z = 0;
			draft.counter = -0;
		});
		sideBySide(base, (draft) => {
			draft.guilds.g0!.members.m0!.xp = 5;
			draft.counter = -0;
			draft.flags.z = -0;
		});
	});

	it('reads: values, `in`, keys, descriptors, spreads and JSON of drafts are immer’s', () => {
		const base = tree();
		sideBySide(base, (draft, log) => {
			const guild = draft.guilds.g1!;
			guild.members.m2!.xp = 7;
			log.push(
				guild.members.m2!.xp,
				'm2' in guild.members,
				'missing' in guild.members,
				'toString' in guild.members,
				Object.keys(guild.members).length,
				Object.keys(draft.flags),
				JSON.stringify(draft.guilds.g1!.members.m2),
				Object.getOwnPropertyDescriptor(guild.members.m2, 'xp'),
				Object.hasOwn(guild, 'settings'),
				Object.getPrototypeOf(draft.bare) === null,
				JSON.stringify({ ...guild.members.m2 }),
				draft.guilds.g1 === guild,
				(draft.flags as { nope?: unknown }).nope,
			);
			const descriptor = Object.getOwnPropertyDescriptor(draft.guilds, 'g1');
			log.push(descriptor?.value === guild, descriptor?.writable, descriptor?.configurable);
		});
	});

	it('hands over to immer mid-recipe (arrays, objects, deletes, prototype members, immer’s own helpers)', () => {
		const base = tree();
		const handovers: ((draft: Draft<Tree>, log: unknown[]) => void)[] = [
			(draft) => void draft.list.push(3),
			(draft) => {
				draft.guilds.g0!.members.m0!.roles.push('admin');
			},
			(draft) => {
				draft.guilds.g0!.settings = { prefix: '?' };
			},
			(draft) => {
				draft.guilds.g0!.members.m1 = draft.guilds.g0!.members.m1!;
			},
			(draft) => {
				delete draft.guilds.g1;
			},
			(draft) => {
				(draft.guilds as Record<string, unknown>).g2 = 5;
			},
			(draft, log) => void log.push(isDraft(draft.guilds.g0), original(draft.guilds.g0) === base.guilds.g0),
			(draft, log) => void log.push(current(draft.guilds.g0!.members.m0)),
			(draft, log) => {
				// A prototype member read from a draft (immer reads it from the prototype, with the draft as `this`).
				const method: unknown = Reflect.get(draft.flags, 'hasOwnProperty');
				log.push(typeof method === 'function' ? Reflect.apply(method, draft.flags, ['b']) : 'none');
			},
			(draft) => {
				draft.guilds.g0!.members.m0!.xp = Object.is(draft.counter, -0) ? 1 : 2;
				draft.counter = -0;
			},
		];
		for (const handover of handovers) {
			sideBySide(base, (draft, log) => {
				// Primitive writes and drafted reads before the handover: replayed into immer's draft.
				const guild = draft.guilds.g0!;
				const member = guild.members.m0!;
				member.xp = 40;
				member.xp = 0;
				guild.members.m5!.xp = 55;
				draft.flags.c = 'c';
				draft.counter = 1;
				handover(draft, log);
				// After it, the drafts handed out before forward to immer's, and stay the ones read again.
				log.push(draft.guilds.g0 === guild, guild.members.m0 === member);
				member.xp = 41;
				guild.members.m6!.xp = 66;
				draft.counter = 2;
				log.push(member.xp, guild.members.m6!.xp, Object.keys(guild.members).length, 'm1' in guild.members);
				log.push(
					Object.getOwnPropertyDescriptor(draft.guilds, 'g0')?.value === guild,
					Object.getPrototypeOf(draft.bare),
				);
			});
		}
	});

	it('revokes drafts when the recipe ends, and a failing recipe leaves nothing behind', () => {
		const base = tree();
		let leaked: Draft<Tree['guilds']> | undefined;
		const [next] = produceDraft(immer, base, (draft) => {
			leaked = draft.guilds;
			draft.counter = 1;
		});
		expect(next.counter).toBe(1);
		expect(() => leaked?.g0).toThrow(TypeError);
		expect(() => {
			if (leaked !== undefined) leaked.g0 = base.guilds.g0!;
		}).toThrow(TypeError);
		expect(() =>
			produceDraft(immer, base, (draft) => {
				draft.counter = 9;
				throw new Error('boom');
			}),
		).toThrow('boom');
		expect(base.counter).toBe(0);
	});

	it('random recipes (seeded) of reads, primitive writes and handovers agree with immer', () => {
		for (let seed = 1; seed <= 150; seed++) {
			const base = tree(3, 8);
			const plan: number[] = [];
			const next = seeded(seed);
			for (let i = 0; i < 40; i++) plan.push(next());
			sideBySide(base, (draft, log) => {
				const held: Draft<Member>[] = [];
				for (let i = 0; i < plan.length; i += 4) {
					const [a = 0, b = 0, c = 0, d = 0] = plan.slice(i, i + 4);
					const guild = draft.guilds[`g${Math.floor(a * 3)}`]!;
					const member =
						held.length > 0 && b < 0.3
							? held[Math.floor(b * held.length)]
							: guild.members[`m${Math.floor(b * 8)}`];
					if (member === undefined) continue;
					held.push(member);
					const value = [0, 1, -0, Number.NaN, 7, undefined, null, 'x'][Math.floor(c * 8)];
					if (d < 0.35) member.xp = typeof value === 'number' ? value : Math.floor(c * 10);
					else if (d < 0.5)
						member.nick =
							typeof value === 'string' || value === null || value === undefined ? value : String(value);
					else if (d < 0.6) draft.counter = Math.floor(c * 3);
					else if (d < 0.7) draft.flags[`k${Math.floor(c * 4)}`] = value;
					else if (d < 0.75) guild.settings.prefix = c < 0.5 ? '!' : '?';
					else if (d < 0.8) log.push(member.xp, member.nick, Object.keys(member));
					else if (d < 0.84) member.roles.push('r');
					else if (d < 0.87) Reflect.deleteProperty(guild.members, `m${Math.floor(c * 8)}`);
					else if (d < 0.9) guild.members[`m${Math.floor(c * 8)}`] = { xp: 1, roles: [] };
					else log.push(held.every((one) => typeof one.xp === 'number'));
				}
			});
		}
	});

	/** `copy` is what `{ ...base }` makes: the same keys in the same order, the same descriptors, writable. */
	function expectSpreadCopy(copy: object, base: object): void {
		const spread = { ...base };
		expect(Reflect.ownKeys(copy)).toEqual(Reflect.ownKeys(spread));
		for (const key of Reflect.ownKeys(spread))
			expect(Reflect.getOwnPropertyDescriptor(copy, key)).toEqual(Reflect.getOwnPropertyDescriptor(spread, key));
		expect(Reflect.getPrototypeOf(copy)).toBe(Object.prototype);
		expect(Object.isFrozen(copy)).toBe(false);
	}

	it('copies a large frozen object exactly as a spread does (keys, order, values, symbols, __proto__, getters)', () => {
		const symbol = Symbol('s');
		const source: Record<string | symbol, unknown> = {};
		for (let i = 0; i < 40; i++) source[`k${i}`] = { i };
		source['7'] = 'seven';
		source[symbol] = 'sym';
		Object.defineProperty(source, '__proto__', {
			value: 'own',
			enumerable: true,
			writable: true,
			configurable: true,
		});
		Object.defineProperty(source, 'computed', { get: () => 'got', enumerable: true });
		Object.defineProperty(source, 'hidden', { value: 'no', enumerable: false });
		const base = freezeDeep(source);
		for (let round = 0; round < 4; round++) expectSpreadCopy(copyRecord(base), base);
	});

	it('copies through a compiled key set exactly as a spread does, also along a chain of copies', () => {
		const source: Record<string, unknown> = {};
		// Integer-like keys (elements), a snowflake, quotes, backslashes, U+2028, an empty key, a getter.
		for (let i = 0; i < 30; i++) source[`m${i}`] = { xp: i };
		for (const key of ['3', '0', '1234567890123456789', 'a"b', 'c\\d', 'e\u2028f', '', 'constructor', '}'])
			source[key] = key;
		Object.defineProperty(source, 'computed', { get: () => 'got', enumerable: true });
		Object.defineProperty(source, 'hidden', { value: 'no', enumerable: false });
		let base = freezeDeep(source);
		for (let round = 0; round < 8; round++) {
			const copy = copyRecord(base);
			expectSpreadCopy(copy, base);
			// The next round copies this copy (its keys are the same): the key set is handed on.
			copy.m0 = { xp: round };
			sameKeys(copy, base);
			base = Object.freeze(copy);
		}
	});
});

describe('the store with the plain draft', () => {
	interface Bot {
		guilds: Record<string, { members: Record<string, { xp: number; roles: string[] }>; name: string }>;
		round: number;
	}
	const bot = (): Bot => ({
		guilds: {
			a: { name: 'A', members: { u1: { xp: 1, roles: [] }, u2: { xp: 2, roles: [] } } },
			b: { name: 'B', members: { u3: { xp: 3, roles: [] } } },
		},
		round: 0,
	});

	/** The same changes on two stores: one through the plain draft, one handed to immer at the first step. */
	async function twoStores(
		changes: ((draft: Draft<Bot>) => void)[],
	): Promise<{ fast: StateStore<Bot>; drafted: StateStore<Bot>; seen: [string[][], string[][]] }> {
		const fast = new StateStore(bot(), { historyLimit: 50 });
		const drafted = new StateStore(bot(), { historyLimit: 50 });
		const seen: [string[][], string[][]] = [[], []];
		const listen = (store: StateStore<Bot>, into: string[][]): void => {
			for (const path of ['guilds.a', 'guilds.a.members.u1', 'guilds.b', 'round'] as const)
				store.subscribe(path as 'round', (_now: unknown, _before: unknown, change: StateChange) => {
					into.push([path, ...change.paths.map((at) => at.join('.'))]);
				});
		};
		listen(fast, seen[0]);
		listen(drafted, seen[1]);
		for (const change of changes) {
			await fast.transaction((tx) => {
				change(tx.draft);
			});
			await drafted.transaction((tx) => {
				// Reading immer's own marker hands the draft to immer before any write.
				expect(isDraft(tx.draft)).toBe(true);
				change(tx.draft);
			});
		}
		return { fast, drafted, seen };
	}

	it('leaves the same state, history, notifications, undo and redo as immer', async () => {
		const { fast, drafted, seen } = await twoStores([
			(draft) => {
				draft.guilds.a!.members.u1!.xp = 10;
				draft.guilds.b!.name = 'Bee';
				draft.round = 1;
			},
			(draft) => {
				draft.guilds.a!.members.u2!.xp = 20;
				draft.guilds.a!.members.u2!.xp = 2;
			},
			(draft) => {
				draft.guilds.b!.members.u3!.roles.push('mod');
				draft.round = 2;
			},
			(draft) => {
				draft.guilds.a!.name = 'A';
			},
		]);
		expect(fast.get()).toEqual(drafted.get());
		expect(describeTree(fast.get(), undefined)).toEqual(describeTree(drafted.get(), undefined));
		const strip = (store: StateStore<Bot>): unknown =>
			store.history.entries.map(({ patches, inverse, meta, bytes }) => ({ patches, inverse, meta, bytes }));
		expect(strip(fast)).toEqual(strip(drafted));
		expect(seen[0]).toEqual(seen[1]);
		while (fast.undo()) {
			expect(drafted.undo()).toBe(true);
			expect(fast.get()).toEqual(drafted.get());
		}
		expect(drafted.undo()).toBe(false);
		expect(fast.get()).toEqual(bot());
		while (fast.redo()) expect(drafted.redo()).toBe(true);
		expect(fast.get()).toEqual(drafted.get());
		expect(seen[0]).toEqual(seen[1]);
	});

	it('set() under a large object (copied through its key set, then compiled) matches a recipe, over many sets', async () => {
		const fast = new StateStore(tree(2, 40), { historyLimit: 5 });
		const drafted = new StateStore(tree(2, 40), { historyLimit: 5 });
		await Promise.all([fast.ready, drafted.ready]);
		for (let i = 0; i < 12; i++) {
			const member = `m${(i * 7) % 40}`;
			await fast.set(`guilds.g${i % 2}.members.${member}.xp`, 100 + i);
			await drafted.update((draft) => void (draft.guilds[`g${i % 2}`]!.members[member]!.xp = 100 + i));
			// A key the members object did not have: the next copies use a new key set.
			if (i === 6) {
				await fast.set('guilds.g0.members.m40', { xp: 0, roles: [] });
				await drafted.update((draft) => void (draft.guilds.g0!.members.m40 = { xp: 0, roles: [] }));
			}
			expect(describeTree(fast.get(), undefined)).toEqual(describeTree(drafted.get(), undefined));
		}
		const strip = (store: StateStore<Tree>): unknown =>
			store.history.entries.map(({ patches, inverse }) => ({ patches, inverse }));
		expect(strip(fast)).toEqual(strip(drafted));
		while (fast.undo()) expect(drafted.undo()).toBe(true);
		expect(fast.get()).toEqual(drafted.get());
	});

	it('a large object with a non-enumerable key gets no key set: writing that key keeps it in every later copy', async () => {
		const big = (): { big: Record<string, number> } => {
			const members: Record<string, number> = {};
			for (let i = 0; i < 20; i++) members[`m${i}`] = i;
			Object.defineProperty(members, 'hidden', {
				value: 1,
				enumerable: false,
				writable: true,
				configurable: true,
			});
			return { big: members };
		};
		for (const write of ['set', 'update'] as const) {
			const store = new StateStore(big(), { historyLimit: 50 });
			await store.ready;
			store.snapshot('start');
			for (let i = 0; i < 4; i++) await store.set('big.m0', 100 + i);
			store.restore('start');
			if (write === 'set') await store.set('big.hidden', 2);
			else await store.update((draft) => void (draft.big.hidden = 2));
			for (let i = 0; i < 4; i++) await store.set('big.m1', i);
			expect(store.get().big.hidden, write).toBe(2);
			expect(Object.keys(store.get().big), write).toContain('hidden');
		}
	});

	it('set() copies a null-prototype object as immer does (it stays null-prototype)', async () => {
		const make = (): StateStore<{ bare: Record<string, number> }> => {
			const bare: Record<string, number> = {};
			Reflect.setPrototypeOf(bare, null);
			bare.x = 1;
			return new StateStore({ bare });
		};
		const fast = make();
		const drafted = make();
		await Promise.all([fast.ready, drafted.ready]);
		await fast.set('bare.x', 2);
		await drafted.update((draft) => void (draft.bare.x = 2));
		expect(describeTree(fast.get(), undefined)).toEqual(describeTree(drafted.get(), undefined));
		expect(Reflect.getPrototypeOf(fast.get().bare)).toBeNull();
	});

	it('keeps every object of the state frozen, also a frozen object with mutable insides', async () => {
		const inner = { deep: { n: 1 } };
		const shell = Object.freeze({ inner });
		const slot: Record<string, unknown> = {};
		const store = new StateStore({ shell, slot });
		expect(Object.isFrozen(store.get().shell.inner.deep)).toBe(true);
		const mutable = { n: 2 };
		await store.update((draft) => {
			draft.slot.value = Object.freeze({ mutable });
		});
		expect(Object.isFrozen(mutable)).toBe(true);
	});

	it('keeps freezing when immer’s shared instance stops auto-freezing', async () => {
		setAutoFreeze(false);
		try {
			const store = new StateStore(bot());
			await store.update((draft) => {
				draft.guilds.c = { name: 'C', members: {} };
				draft.guilds.a!.members.u1!.xp = 5;
			});
			expect(Object.isFrozen(store.get().guilds.c)).toBe(true);
			expect(Object.isFrozen(store.get().guilds.a!.members.u1)).toBe(true);
		} finally {
			setAutoFreeze(true);
		}
		expect(Object.isFrozen(freeze({ a: {} }, true).a)).toBe(true);
	});
});
