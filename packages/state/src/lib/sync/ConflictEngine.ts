import { current, isDraft } from 'immer';
import { StateError } from '../errors/StateError.js';
import { childOf, isContainer, isList, isPrefix, pathId, readPath } from '../paths/paths.js';
import type { PathArray, PathKey } from '../paths/types.js';
import { HybridLogicalClock } from './HybridLogicalClock.js';
import type {
	ConflictOptions,
	ConflictPolicy,
	ConflictResolver,
	StateConflictEvent,
	SyncChange,
	SyncOp,
} from './types.js';

const POLICIES: ReadonlySet<unknown> = new Set(['last-writer-wins', 'first-writer-wins', 'counter', 'set']);

interface Pattern {
	readonly segments: readonly string[];
	readonly policy: ConflictPolicy;
}

interface Clock {
	readonly path: PathArray;
	readonly h: string;
}

/** A change as the conflict engine sees it: the clock table, per-replica dedupe, and resolution. */
export interface EngineState {
	readonly clocks: readonly (readonly [PathArray, string])[];
	readonly seen: readonly (readonly [string, number])[];
}

function plain(value: unknown): unknown {
	return isDraft(value) ? current(value) : value;
}

function setKey(value: unknown): string {
	// JSON.stringify returns undefined for undefined and functions (typed as string).
	const text: unknown = JSON.stringify(value);
	return typeof text === 'string' ? text : 'undefined';
}

/** Sorted, de-duplicated (by JSON text) copy. */
export function canonicalSet(values: readonly unknown[]): unknown[] {
	const byKey = new Map<string, unknown>();
	for (const value of values) byKey.set(setKey(plain(value)), plain(value));
	return [...byKey.keys()].sort().map((key) => byKey.get(key));
}

function without(values: readonly unknown[], removed: readonly unknown[]): unknown[] {
	const drop = new Set(removed.map(setKey));
	return values.filter((value) => !drop.has(setKey(value)));
}

/** Writes (or deletes, with `remove`) at `path` in a draft; false when the parent is gone. */
function writeAt(draft: object, path: PathArray, value: unknown, remove: boolean): boolean {
	let parent: unknown = draft;
	for (let i = 0; i < path.length - 1; i++) {
		const key = path[i];
		parent = key === undefined ? undefined : childOf(parent, key);
		if (!isContainer(parent)) return false;
	}
	const last = path[path.length - 1];
	if (last === undefined || !isContainer(parent)) return false;
	if (remove) Reflect.deleteProperty(parent, last);
	else Reflect.set(parent, last, value);
	return true;
}

/**
 * Decides how local changes go out and how remote ones come in: a clock per written path (hybrid logical
 * clock), the per-path policies, per-replica duplicate detection, and the coalescing of a catch-up.
 * @internal
 */
export class ConflictEngine {
	public readonly clock: HybridLogicalClock;
	readonly #store: string;
	readonly #default: ConflictPolicy;
	readonly #patterns: Pattern[];
	readonly #clocks = new Map<string, Clock>();
	readonly #seen = new Map<string, number>();
	readonly #maxClocks: number;
	#local = 0;
	/** Whether any pattern uses the set policy (local changes then keep those arrays canonical). */
	public readonly hasSets: boolean;

	public constructor(store: string, options: ConflictOptions | undefined, node?: string, maxClocks = 100_000) {
		this.#store = store;
		this.clock = new HybridLogicalClock(node);
		this.#maxClocks = maxClocks;
		this.#default = options?.default ?? 'last-writer-wins';
		this.#check('conflict.default', this.#default);
		if (this.#default === 'counter' || this.#default === 'set') {
			throw StateError.of('STATE_INVALID_OPTIONS', [
				'sync.conflict.default',
				`"${this.#default}" only applies to declared paths`,
			]);
		}
		this.#patterns = Object.entries(options?.paths ?? {}).map(([pattern, policy]) => {
			this.#check(`sync.conflict.paths["${pattern}"]`, policy);
			if (pattern === '' || pattern.split('.').includes(''))
				throw StateError.of('STATE_INVALID_OPTIONS', [
					`sync.conflict.paths["${pattern}"]`,
					'a pattern is a dot path whose segments may be *',
				]);
			return { segments: pattern.split('.'), policy };
		});
		this.#patterns.sort((a, b) => b.segments.length - a.segments.length);
		this.hasSets = this.#patterns.some((pattern) => pattern.policy === 'set');
	}

	public get node(): string {
		return this.clock.node;
	}

	#check(option: string, policy: unknown): void {
		if (typeof policy !== 'function' && !POLICIES.has(policy)) {
			throw StateError.of('STATE_INVALID_OPTIONS', [
				option,
				`a policy is 'last-writer-wins', 'first-writer-wins', 'counter', 'set' or a function, got ${JSON.stringify(policy)}`,
			]);
		}
	}

	/** The policy of `path` and whether a pattern names exactly that path. */
	public policyFor(path: PathArray): { readonly policy: ConflictPolicy; readonly exact: boolean } {
		for (const pattern of this.#patterns) {
			if (pattern.segments.length > path.length) continue;
			let match = true;
			for (let i = 0; i < pattern.segments.length; i++) {
				const segment = pattern.segments[i];
				if (segment !== '*' && segment !== String(path[i])) {
					match = false;
					break;
				}
			}
			if (match) return { policy: pattern.policy, exact: pattern.segments.length === path.length };
		}
		return { policy: this.#default, exact: false };
	}

	/** Whether `path` is declared with the set policy. */
	public isSetPath(path: PathArray): boolean {
		const { policy, exact } = this.policyFor(path);
		return exact && policy === 'set';
	}

	/** The newest clock on `path` or any ancestor (`''` when never written). */
	public effectiveClock(path: PathArray): string {
		let best = '';
		let id = '';
		const root = this.#clocks.get('');
		if (root !== undefined) best = root.h;
		for (let i = 0; i < path.length; i++) {
			id = i === 0 ? String(path[0]) : `${id}\u001f${String(path[i])}`;
			const clock = this.#clocks.get(id);
			if (clock !== undefined && clock.h > best) best = clock.h;
		}
		return best;
	}

	#setClock(path: PathArray, h: string): void {
		this.#clocks.set(pathId(path), { path, h });
		if (this.#clocks.size > this.#maxClocks) this.#prune();
	}

	/** Forgets the oldest tenth of the clocks (a write that old that arrives later is treated as sequential). */
	#prune(): void {
		const sorted = [...this.#clocks.entries()].sort((a, b) => (a[1].h < b[1].h ? -1 : 1));
		for (const [id] of sorted.slice(0, Math.ceil(sorted.length / 10))) this.#clocks.delete(id);
	}

	/** Cuts a path at the first array: arrays sync as whole values (indices shift under concurrent edits). */
	static #normalize(path: PathArray, before: unknown, after: unknown): PathArray {
		let a = after;
		let b = before;
		for (let i = 0; i < path.length; i++) {
			if (isList(a) || isList(b)) return path.slice(0, i);
			const key = path[i];
			if (key === undefined) break;
			a = childOf(a, key);
			b = childOf(b, key);
		}
		return path;
	}

	/** Builds the operation other replicas receive for a local change, and records its clocks. */
	public localOp(
		before: object,
		after: object,
		paths: readonly PathArray[],
		meta: { readonly who?: string; readonly why?: string } | undefined,
	): SyncOp | undefined {
		const seen = new Set<string>();
		const targets: PathArray[] = [];
		for (const raw of paths) {
			const path = ConflictEngine.#normalize(raw, before, after);
			if (path.length === 0) {
				// A whole-state replacement (restore, goto) goes out as one write per top-level key that changed.
				for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
					if (childOf(before, key) !== childOf(after, key) && !seen.has(key)) {
						seen.add(key);
						targets.push([key]);
					}
				}
				continue;
			}
			const id = pathId(path);
			if (seen.has(id)) continue;
			seen.add(id);
			targets.push(path);
		}
		const changes: SyncChange[] = [];
		const writes: PathArray[] = [];
		for (const path of targets) {
			const { policy, exact } = this.policyFor(path);
			const was = readPath(before, path);
			const now = readPath(after, path);
			if (
				exact &&
				policy === 'counter' &&
				typeof now === 'number' &&
				(typeof was === 'number' || was === undefined)
			) {
				const n = now - (was ?? 0);
				if (n !== 0) changes.push({ k: 'c', p: path, n });
				continue;
			}
			if (exact && policy === 'set' && isList(now) && (isList(was) || was === undefined)) {
				const old: readonly unknown[] = was ?? [];
				changes.push({ k: 's', p: path, a: without(now, old), x: without(old, now) });
				continue;
			}
			changes.push(
				now === undefined
					? { k: 'w', p: path, d: 1, r: this.effectiveClock(path) }
					: { k: 'w', p: path, v: now, r: this.effectiveClock(path) },
			);
			writes.push(path);
		}
		if (changes.length === 0) return undefined;
		const h = this.clock.tick();
		for (const path of writes) this.#setClock(path, h);
		const op: SyncOp = {
			n: this.node,
			i: ++this.#local,
			h,
			c: changes,
			...(meta?.who === undefined && meta?.why === undefined ? {} : { m: meta }),
		};
		this.#seen.set(this.node, op.i);
		return op;
	}

	/**
	 * Whether `op` is not reflected in the state yet (a replica's own operations are, from the moment they were
	 * made, unless a shared snapshot replaced the state). Marks it seen.
	 */
	public accept(op: SyncOp): boolean {
		const last = this.#seen.get(op.n) ?? 0;
		if (op.i <= last) return false;
		this.#seen.set(op.n, op.i);
		if (op.n !== this.node) this.clock.receive(op.h);
		return true;
	}

	/** The operations of `ops` that {@link accept} would take (not yet reflected, no duplicates), in order. */
	public fresh(ops: readonly SyncOp[]): SyncOp[] {
		const seen = new Map<string, number>();
		const out: SyncOp[] = [];
		for (const op of ops) {
			const last = seen.get(op.n) ?? this.#seen.get(op.n) ?? 0;
			if (op.i <= last) continue;
			seen.set(op.n, op.i);
			out.push(op);
		}
		return out;
	}

	/**
	 * Applies a remote operation to a draft, resolving every change by its path's policy. Reports conflicts
	 * through `report`. Call {@link accept} first.
	 */
	public apply(draft: object, op: SyncOp, report: (event: StateConflictEvent) => void): void {
		for (const change of op.c) {
			const path = change.p;
			if (path.length === 0) continue;
			if (change.k === 'c') {
				const value = readPath(draft, path);
				if (typeof value === 'number' || value === undefined)
					writeAt(draft, path, (value ?? 0) + change.n, false);
				continue;
			}
			if (change.k === 's') {
				const value = readPath(draft, path);
				const base: readonly unknown[] = isList(value) ? value.map(plain) : [];
				writeAt(draft, path, canonicalSet(without([...base, ...change.a], change.x)), false);
				continue;
			}
			this.#write(draft, op, change, report);
		}
	}

	#write(
		draft: object,
		op: SyncOp,
		change: Extract<SyncChange, { k: 'w' }>,
		report: (event: StateConflictEvent) => void,
	): void {
		const path = change.p;
		const h = op.h;
		const effective = this.effectiveClock(path);
		const concurrent = effective !== '' && effective !== change.r;
		const incoming = change.d === 1 ? undefined : change.v;
		const { policy } = this.policyFor(path);
		const conflict = (winner: StateConflictEvent['winner'], name: StateConflictEvent['policy']): void => {
			report({
				store: this.#store,
				path,
				policy: name,
				winner,
				current: plain(readPath(draft, path)),
				incoming,
				from: op.n,
			});
		};
		if (policy === 'first-writer-wins') {
			if (concurrent && h > effective) {
				conflict('current', 'first-writer-wins');
				return;
			}
			if (concurrent) conflict('incoming', 'first-writer-wins');
			this.#overwrite(draft, path, incoming, change.d === 1, h);
			return;
		}
		if (typeof policy === 'function' && concurrent) {
			const resolver: ConflictResolver = policy;
			const currentValue = plain(readPath(draft, path));
			const merged = resolver({
				path,
				current: currentValue,
				incoming,
				currentClock: effective,
				incomingClock: h,
			});
			report({
				store: this.#store,
				path,
				policy: 'custom',
				winner: 'merged',
				current: currentValue,
				incoming,
				from: op.n,
			});
			this.#overwrite(draft, path, merged, merged === undefined, h > effective ? h : effective);
			return;
		}
		// last-writer-wins (and sequential writes of every other policy)
		if (effective > h) {
			conflict('current', 'last-writer-wins');
			return;
		}
		if (concurrent) conflict('incoming', 'last-writer-wins');
		this.#overwrite(draft, path, incoming, change.d === 1, h);
	}

	/** Writes at `path`, then puts back anything below it that was written later than `h`. */
	#overwrite(draft: object, path: PathArray, value: unknown, remove: boolean, h: string): void {
		const newer: [PathArray, unknown][] = [];
		for (const clock of this.#clocks.values()) {
			if (clock.path.length > path.length && clock.h > h && isPrefix(path, clock.path))
				newer.push([clock.path, plain(readPath(draft, clock.path))]);
		}
		if (!writeAt(draft, path, value, remove)) return;
		this.#setClock(path, h);
		newer.sort((a, b) => a[0].length - b[0].length);
		for (const [at, kept] of newer) writeAt(draft, at, kept, kept === undefined);
	}

	/** Sorts the arrays of set paths touched by a local change (so every replica holds them in one order). */
	public canonicalize(draft: object, paths: readonly PathArray[]): void {
		for (const path of paths) {
			for (let length = path.length; length > 0; length--) {
				const prefix = path.slice(0, length);
				if (!this.isSetPath(prefix)) continue;
				const value = readPath(draft, prefix);
				if (isList(value)) {
					const sorted = canonicalSet(value);
					const same =
						sorted.length === value.length &&
						sorted.every((item, index) => setKey(item) === setKey(plain(value[index])));
					if (!same) writeAt(draft, prefix, sorted, false);
				}
				break;
			}
		}
	}

	/**
	 * Coalesces a run of fresh operations (see {@link fresh}; a catch-up): a last-writer-wins write that a later write of the same path or
	 * an ancestor outranks is dropped, counter increments on one path add up, set changes on one path combine.
	 * Operations stay (possibly empty) so duplicate detection still sees them.
	 */
	public coalesce(ops: readonly SyncOp[]): SyncOp[] {
		const later = new Map<string, string>();
		const counters = new Map<string, { n: number }>();
		const sets = new Map<string, { a: unknown[]; x: unknown[] }>();
		const out: {
			op: SyncOp;
			changes: (
				| SyncChange
				| { readonly k: 'c'; readonly p: PathArray; readonly acc: { n: number } }
				| { readonly k: 's'; readonly p: PathArray; readonly acc: { a: unknown[]; x: unknown[] } }
			)[];
		}[] = [];
		for (let o = ops.length - 1; o >= 0; o--) {
			const op = ops[o];
			if (op === undefined) continue;
			const kept: (typeof out)[number]['changes'] = [];
			for (let c = op.c.length - 1; c >= 0; c--) {
				const change = op.c[c];
				if (change === undefined) continue;
				const id = pathId(change.p);
				if (change.k === 'c') {
					const acc = counters.get(id);
					if (acc === undefined) {
						const fresh = { n: change.n };
						counters.set(id, fresh);
						kept.push({ k: 'c', p: change.p, acc: fresh });
					} else acc.n += change.n;
					continue;
				}
				if (change.k === 's') {
					const acc = sets.get(id);
					if (acc === undefined) {
						const fresh = { a: [...change.a], x: [...change.x] };
						sets.set(id, fresh);
						kept.push({ k: 's', p: change.p, acc: fresh });
					} else {
						// earlier (change) then later (acc): add = ((a1 \ x1) ∪ a2) \ x2, remove = (x1 ∪ x2) \ a2
						const added = without([...without(change.a, change.x), ...acc.a], acc.x);
						const removed = without([...change.x, ...acc.x], acc.a);
						acc.a = added;
						acc.x = removed;
					}
					continue;
				}
				if (this.policyFor(change.p).policy === 'last-writer-wins') {
					let outranked = false;
					let prefix = '';
					for (let i = 0; i <= change.p.length && !outranked; i++) {
						prefix =
							i === 0 ? '' : i === 1 ? String(change.p[0]) : `${prefix}\u001f${String(change.p[i - 1])}`;
						const h = later.get(prefix);
						if (h !== undefined && h > op.h) outranked = true;
					}
					if (outranked) continue;
					const known = later.get(id);
					if (known === undefined || op.h > known) later.set(id, op.h);
				}
				kept.push(change);
			}
			out.push({ op, changes: kept });
		}
		out.reverse();
		return out.map(({ op, changes }) => ({
			...op,
			c: changes
				.reverse()
				.map((change): SyncChange =>
					'acc' in change
						? change.k === 'c'
							? { k: 'c', p: change.p, n: change.acc.n }
							: { k: 's', p: change.p, a: canonicalSet(change.acc.a), x: canonicalSet(change.acc.x) }
						: change,
				),
		}));
	}

	/** The clocks and dedupe table, saved with a shared snapshot. */
	public export(): EngineState {
		return {
			clocks: [...this.#clocks.values()].map((clock) => [clock.path, clock.h] as const),
			seen: [...this.#seen.entries()],
		};
	}

	/** Replaces the clocks and dedupe table with a shared snapshot's (own operations after it are then re-applied). */
	public import(state: EngineState): void {
		this.#clocks.clear();
		for (const [path, h] of state.clocks) {
			this.#clocks.set(pathId(path), { path, h });
			this.clock.receive(h);
		}
		this.#seen.clear();
		for (const [node, i] of state.seen) this.#seen.set(node, i);
	}

	/** The number of clocks held (bounded by `maxClocks`). */
	public get size(): number {
		return this.#clocks.size;
	}
}

export type { PathKey };
