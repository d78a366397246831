/**
 * The draft a recipe gets: a copy-on-write draft of plain objects that writes primitives itself and makes the
 * copies and patches `produceWithPatches` would make, without immer's per-draft bookkeeping and its walk over
 * every property of every copy (the state is deeply frozen, see `freezeDeep`, so that walk finds nothing to do).
 *
 * It mirrors immer's object traps step for step (immer 10: `src/core/proxy.ts`, `finalize.ts`, `plugins/patches.ts`)
 * for what it does itself: reads, `in`, key listing, descriptors, and writes of primitives over primitives or
 * missing keys. Anything else — writing an object or a function, writing over an object, a delete, reading an
 * array or any other non-plain object, a symbol (immer's own `isDraft`/`current`/`original` read one), a
 * prototype member, `defineProperty`/`setPrototypeOf`/`preventExtensions` — hands the recipe over to immer where
 * it stands: an immer draft of the same base is brought to the state the recipe's reads and writes so far would
 * have left it in (see `handover`), and every draft handed out so far forwards to its immer counterpart. The
 * recipe runs once; the result is immer's own (state, patches, inverse patches).
 * @internal
 */
import type { Draft, Immer, Patch } from 'immer';
import { isContainer } from '../paths/paths.js';
import type { PathKey } from '../paths/types.js';
import { copyRecord, sameKeys } from './copy.js';
import { isPlainRecord, isPrimitive, UNSAFE_KEYS } from './plain.js';

/** A recipe's result: the next state, the patches and the inverse patches, as `produceWithPatches` returns them. */
export type Produced<S> = readonly [next: S, patches: Patch[], inverse: Patch[]];

/** A value written first when a handover replays a write, so immer records the key even when the value is its own. */
const REPLAYED = Symbol('replayed');

function revoked(trap: string): never {
	throw new TypeError(`Cannot perform '${trap}' on a proxy that has been revoked`);
}

/** One drafted plain object: immer's `ProxyObjectState` for what the plain draft does itself. */
class DraftNode {
	/** The shallow copy, made on the first write or the first drafted child read (immer's `prepareCopy`). */
	public copy: Record<string, unknown> | undefined = undefined;
	/** Changed here or below (immer's `modified_`). */
	public modified = false;
	/** Child drafts by key, in creation order (a key with a child is never written here: its base is an object). */
	public children: Map<string, DraftNode> | undefined = undefined;
	/** Keys written, in immer's order (an object's key order: integer-like keys first). */
	public assigned: Record<string, true> | undefined = undefined;
	/** The immer draft this one forwards to after a handover. */
	public immer: object | undefined = undefined;
	public readonly session: DraftSession;
	public readonly base: Record<string, unknown>;
	public readonly parent: DraftNode | undefined;
	public readonly key: string;
	/** What the recipe holds (the target of the proxy is this node). */
	public readonly proxy: object;

	public constructor(
		session: DraftSession,
		base: Record<string, unknown>,
		parent: DraftNode | undefined,
		key: string,
	) {
		this.session = session;
		this.base = base;
		this.parent = parent;
		this.key = key;
		this.proxy = new Proxy<DraftNode>(this, traps);
	}

	/** immer's `prepareCopy`. */
	public prepareCopy(): Record<string, unknown> {
		return (this.copy ??= copyRecord(this.base));
	}

	/** immer's `markChanged`: this node and its ancestors are modified. */
	public markChanged(): void {
		this.modified = true;
		for (let node = this.parent; node !== undefined && !node.modified; node = node.parent) node.modified = true;
	}
}

/** One recipe run: the root node, and the immer draft once handed over. */
class DraftSession {
	public readonly root: DraftNode;
	/** Set once the run is over: every trap then throws like a revoked proxy (as immer's drafts do). */
	public revoked = false;
	/** The immer root draft, once handed over. */
	public handedOver: Draft<Record<string, unknown>> | undefined = undefined;
	/** After a handover: immer draft → the proxy handed out for it, and back. */
	readonly #outward = new Map<unknown, object>();
	readonly #inward = new Map<unknown, object>();
	readonly #immer: Immer;

	public constructor(immer: Immer, base: Record<string, unknown>) {
		this.#immer = immer;
		this.root = new DraftNode(this, base, undefined, '');
	}

	/** immer's `get` trap drafting a child: the parent's copy is prepared and the child recorded. */
	public child(parent: DraftNode, key: string, base: Record<string, unknown>): DraftNode {
		parent.prepareCopy();
		const node = new DraftNode(this, base, parent, key);
		(parent.children ??= new Map()).set(key, node);
		return node;
	}

	/**
	 * immer's `set` trap for a primitive value over a primitive or a missing key; false (nothing done) for the one
	 * write that marks a draft modified without recording its key (`-0` over `0`, or back), left to immer.
	 */
	public write(node: DraftNode, key: string, value: unknown): boolean {
		if (!node.modified) {
			const current = (node.copy ?? node.base)[key];
			if (Object.is(value, current) && (value !== undefined || Object.hasOwn(node.base, key))) return true;
			if (value === current && !Object.is(value, current)) return false;
			node.prepareCopy();
			node.markChanged();
		}
		const copy = node.prepareCopy();
		const present = copy[key];
		if (
			(present === value && (value !== undefined || key in copy)) ||
			(Number.isNaN(value) && Number.isNaN(present))
		)
			return true;
		copy[key] = value;
		(node.assigned ??= {})[key] = true;
		return true;
	}

	/**
	 * Moves the run to immer. Here, a child is never detached and only primitives are written, so immer's state
	 * after the same reads and writes depends only on which drafts exist and on each draft's written keys (in
	 * order) and final values, not on how the writes interleaved: the immer draft reads the same children, then
	 * writes each written key — a marker first, so immer records the key even when the final value is the one it
	 * holds (a value written and written back, which still marks the draft modified). Every node then forwards.
	 */
	public handover(): void {
		if (this.handedOver !== undefined) return;
		const root = this.#immer.createDraft(this.root.base);
		this.handedOver = root;
		this.#replay(this.root, root);
	}

	#replay(node: DraftNode, draft: object): void {
		node.immer = draft;
		this.#outward.set(draft, node.proxy);
		this.#inward.set(node.proxy, draft);
		if (node.children !== undefined)
			for (const [key, child] of node.children) {
				const drafted: unknown = Reflect.get(draft, key);
				if (isContainer(drafted)) this.#replay(child, drafted);
			}
		const copy = node.copy;
		if (node.assigned === undefined || copy === undefined) return;
		for (const key of Object.keys(node.assigned)) {
			Reflect.set(draft, key, REPLAYED);
			Reflect.set(draft, key, copy[key]);
		}
	}

	/** The immer draft `node` forwards to (handing over first). */
	public target(node: DraftNode): object {
		this.handover();
		return node.immer ?? node.base;
	}

	/** A value coming out of immer: a draft that has a proxy handed out is that proxy (one draft per place). */
	public outward(value: unknown): unknown {
		return isContainer(value) ? (this.#outward.get(value) ?? value) : value;
	}

	/** A value going into immer: a proxy is its immer draft. */
	public inward(value: unknown): unknown {
		return isContainer(value) ? (this.#inward.get(value) ?? value) : value;
	}

	/** Ends the run: immer's result after a handover, else the plain draft's own finalization. */
	public finish(): Produced<Record<string, unknown>> {
		try {
			const handedOver = this.handedOver;
			if (handedOver !== undefined) {
				let patches: Patch[] = [];
				let inverse: Patch[] = [];
				const next = this.#immer.finishDraft(handedOver, (made, undo) => {
					patches = made;
					inverse = undo;
				});
				return [next, patches, inverse];
			}
			const patches: Patch[] = [];
			const inverse: Patch[] = [];
			return [finalize(this.root, patches, inverse), patches, inverse];
		} finally {
			this.revoked = true;
		}
	}
}

/**
 * immer's `finalize` of a draft: an untouched draft is its base; a modified one is its copy with the modified
 * children finalized first (in the copy's key order, so the patches come in immer's order), then frozen, then
 * its own patches (`generatePatchesFromAssigned`). The copy's other values are frozen already (deeply frozen
 * state), so immer's visit of each of them would do nothing.
 */
function finalize(node: DraftNode, patches: Patch[], inverse: Patch[]): Record<string, unknown> {
	const copy = node.copy;
	if (!node.modified || copy === undefined) return node.base;
	if (node.children !== undefined) finalizeChildren(node.children, copy, patches, inverse);
	Object.freeze(copy);
	const assigned = node.assigned;
	const base = node.base;
	let added = false;
	if (assigned !== undefined)
		// for-in: an object's key order (as immer's Reflect.ownKeys), without allocating the key list.
		for (const key in assigned) {
			const original = base[key];
			const value = copy[key];
			const replace = Object.hasOwn(base, key);
			if (replace && original === value) continue;
			const path = pathTo(node, key);
			if (replace) {
				patches.push({ op: 'replace', path, value });
				inverse.push({ op: 'replace', path, value: original });
			} else {
				added = true;
				patches.push({ op: 'add', path, value });
				inverse.push({ op: 'remove', path });
			}
		}
	if (!added) sameKeys(copy, base);
	return copy;
}

/** The path of `key` under `node` (one array, shared by a patch and its inverse, as immer does). */
function pathTo(node: DraftNode, key: string): PathKey[] {
	let depth = 0;
	for (let at = node.parent; at !== undefined; at = at.parent) depth++;
	const path: PathKey[] = new Array<PathKey>(depth + 1);
	path[depth] = key;
	for (let at: DraftNode = node; at.parent !== undefined; at = at.parent) path[--depth] = at.key;
	return path;
}

/**
 * Finalizes the modified children (all still in the copy: only primitives are written here) in the copy's key
 * order, as immer's walk over the copy meets them.
 */
function finalizeChildren(
	children: ReadonlyMap<string, DraftNode>,
	copy: Record<string, unknown>,
	patches: Patch[],
	inverse: Patch[],
): void {
	let count = 0;
	let only: DraftNode | undefined;
	for (const child of children.values())
		if (child.modified) {
			count++;
			only = child;
		}
	if (count === 1 && only !== undefined) copy[only.key] = finalize(only, patches, inverse);
	if (count < 2) return;
	// for-in walks a fast object's cached key list without allocating one (Object.keys would copy it).
	for (const key in copy) {
		const child = children.get(key);
		if (child?.modified !== true) continue;
		copy[key] = finalize(child, patches, inverse);
		if (--count === 0) return;
	}
}

/** A property descriptor, typed (the lib types its value `any`). */
interface Descriptor {
	readonly value?: unknown;
	readonly writable?: boolean;
	readonly enumerable?: boolean;
	readonly configurable?: boolean;
	readonly get?: () => unknown;
	readonly set?: (value: never) => void;
}

function described(descriptor: Descriptor | undefined): Descriptor | undefined {
	return descriptor;
}

/**
 * Whether a value read under `key` is drafted here: a frozen plain object that is the base's (immer drafts a
 * draftable value only when it is the base's; a getter may hand out a new object each time).
 */
function isPlainChild(node: DraftNode, key: string, value: unknown): value is Record<string, unknown> {
	return isPlainRecord(value) && Object.isFrozen(value) && value === node.base[key];
}

/** immer's object traps, on the plain draft (`node`) until a handover, forwarding to immer's draft after it. */
const traps: ProxyHandler<DraftNode> = {
	get(node, prop) {
		const session = node.session;
		if (session.revoked) revoked('get');
		if (session.handedOver === undefined && typeof prop === 'string') {
			// A drafted child is still in the copy (only primitives are written here): immer hands out its draft.
			const child = node.children?.get(prop);
			if (child !== undefined) return child.proxy;
			const source = node.copy ?? node.base;
			if (Object.hasOwn(source, prop)) {
				const value: unknown = source[prop];
				if (isPrimitive(value)) return value;
				if (isPlainChild(node, prop, value)) return session.child(node, prop, value).proxy;
			} else if (!(prop in source)) return undefined;
		}
		return session.outward(Reflect.get(session.target(node), prop));
	},
	set(node, prop, value: unknown) {
		const session = node.session;
		if (session.revoked) revoked('set');
		if (
			session.handedOver === undefined &&
			typeof prop === 'string' &&
			!UNSAFE_KEYS.has(prop) &&
			isPrimitive(value) &&
			!isContainer(node.base[prop]) &&
			session.write(node, prop, value)
		)
			return true;
		return Reflect.set(session.target(node), prop, session.inward(value));
	},
	has(node, prop) {
		const session = node.session;
		if (session.revoked) revoked('has');
		if (session.handedOver === undefined) return prop in (node.copy ?? node.base);
		return Reflect.has(session.target(node), prop);
	},
	ownKeys(node) {
		const session = node.session;
		if (session.revoked) revoked('ownKeys');
		if (session.handedOver === undefined) return Reflect.ownKeys(node.copy ?? node.base);
		return Reflect.ownKeys(session.target(node));
	},
	getOwnPropertyDescriptor(node, prop) {
		const session = node.session;
		if (session.revoked) revoked('getOwnPropertyDescriptor');
		if (session.handedOver === undefined) {
			// immer's trap: a writable, configurable data property holding what the copy (or base) holds, where a
			// drafted child is its draft.
			const owner = node.copy ?? node.base;
			const descriptor = described(Reflect.getOwnPropertyDescriptor(owner, prop));
			if (descriptor === undefined) return undefined;
			const child = typeof prop === 'string' ? node.children?.get(prop) : undefined;
			const value: unknown = child === undefined ? Reflect.get(owner, prop) : child.proxy;
			return { writable: true, configurable: true, enumerable: descriptor.enumerable === true, value };
		}
		const descriptor = described(Reflect.getOwnPropertyDescriptor(session.target(node), prop));
		if (descriptor === undefined || !('value' in descriptor)) return descriptor;
		return { ...descriptor, value: session.outward(descriptor.value) };
	},
	deleteProperty(node, prop) {
		const session = node.session;
		if (session.revoked) revoked('deleteProperty');
		return Reflect.deleteProperty(session.target(node), prop);
	},
	defineProperty(node, prop, descriptor) {
		const session = node.session;
		if (session.revoked) revoked('defineProperty');
		return Reflect.defineProperty(session.target(node), prop, descriptor);
	},
	getPrototypeOf(node) {
		if (node.session.revoked) revoked('getPrototypeOf');
		return Reflect.getPrototypeOf(node.base);
	},
	setPrototypeOf(node, proto) {
		const session = node.session;
		if (session.revoked) revoked('setPrototypeOf');
		return Reflect.setPrototypeOf(session.target(node), proto);
	},
	preventExtensions(node) {
		const session = node.session;
		if (session.revoked) revoked('preventExtensions');
		// As on immer's draft (no trap: its target stops being extensible); a true result needs ours to stop too.
		return Reflect.preventExtensions(session.target(node)) && Reflect.preventExtensions(node);
	},
};

/** The draft handed to the recipe has the state's type: it stands for the state's root object. */
function isDraftOf<S>(_proxy: unknown): _proxy is Draft<S> {
	return true;
}

/** The finalized root is the next state: a copy of the state's root object with the recipe's writes. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the state's type, by construction
function isStateOf<S>(_next: unknown): _next is S {
	return true;
}

/**
 * `produceWithPatches(base, recipe)` with the plain draft: the same result (state, patches, inverse patches,
 * freezing), cheaper while the recipe only writes primitives under plain objects. A state whose root is not a
 * frozen plain object goes to immer directly. The recipe's return value is not used (the store's recipes return
 * nothing; immer would take a returned object for the next state).
 *
 * One difference is left: no immer scope is open while the recipe runs on the plain draft, so an immer `produce`
 * the recipe itself calls freezes its result at once, where inside `produceWithPatches` it would be frozen with
 * the outer result (the state is the same either way).
 */
export function produceDraft<S extends object>(immer: Immer, base: S, recipe: (draft: Draft<S>) => void): Produced<S> {
	if (!isPlainRecord(base) || !Object.isFrozen(base)) return immer.produceWithPatches(base, recipe);
	const session = new DraftSession(immer, base);
	const draft = session.root.proxy;
	try {
		if (isDraftOf<S>(draft)) recipe(draft);
	} catch (error) {
		// immer revokes the drafts of a failed recipe; the handed-over immer draft is dropped unfinished, as
		// immer drops its own (finishing it would freeze what the recipe had inserted).
		session.revoked = true;
		throw error;
	}
	const [next, patches, inverse] = session.finish();
	if (!isStateOf<S>(next)) return [base, [], []];
	return [next, patches, inverse];
}
