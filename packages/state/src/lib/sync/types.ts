import type { PathArray } from '../paths/types.js';

/** What a custom resolver is given when two replicas wrote the same path concurrently. */
export interface ConflictContext {
	/** The path both wrote. */
	readonly path: PathArray;
	/** The value this replica has (from the write it applied). */
	readonly current: unknown;
	/** The value the other replica wrote. */
	readonly incoming: unknown;
	/** The hybrid-logical-clock time of the current value. */
	readonly currentClock: string;
	/** The hybrid-logical-clock time of the incoming write. */
	readonly incomingClock: string;
}

/**
 * A custom resolver: returns the value to keep. Every replica calls it for the same pair of writes, in the
 * order it receives them, so it must be deterministic and commutative (`max`, a union, a merge of fields) for
 * replicas to converge.
 */
export type ConflictResolver = (conflict: ConflictContext) => unknown;

/**
 * How concurrent writes to one path are resolved:
 *
 * - `'last-writer-wins'` (default): the write with the later hybrid-logical-clock time wins.
 * - `'first-writer-wins'`: among writes that did not see each other, the earliest wins (claims, reservations).
 * - `'counter'`: numbers merge by adding each replica's increments (no increment is lost).
 * - `'set'`: arrays merge as sets: each replica's additions and removals apply; kept sorted (by JSON text).
 * - a function: a custom {@link ConflictResolver}.
 */
export type ConflictPolicy = 'last-writer-wins' | 'first-writer-wins' | 'counter' | 'set' | ConflictResolver;

/** Conflict policies: a default and overrides per path pattern (`*` matches one segment: `'stats.*.count'`). */
export interface ConflictOptions {
	/**
	 * The policy of paths no pattern matches.
	 * @defaultValue `'last-writer-wins'`
	 */
	readonly default?: ConflictPolicy;
	/** Policies per path pattern; the longest matching pattern wins. Every replica must declare the same. */
	readonly paths?: Readonly<Record<string, ConflictPolicy>>;
}

/** A resolved conflict, as reported on `state:conflict`. */
export interface StateConflictEvent {
	/** The store's name. */
	readonly store: string;
	/** The path written concurrently. */
	readonly path: PathArray;
	/** The policy that decided. */
	readonly policy: 'last-writer-wins' | 'first-writer-wins' | 'custom';
	/** Whether the incoming write replaced the current value (`'incoming'`) or was dropped (`'current'`). */
	readonly winner: 'incoming' | 'current' | 'merged';
	/** The value before. */
	readonly current: unknown;
	/** The value the other replica wrote. */
	readonly incoming: unknown;
	/** The replica that wrote the incoming value. */
	readonly from: string;
}

/** One change inside a sync operation (wire format, kept short). */
export type SyncChange =
	/** A write (`d: 1` deletes), with `r` the clock the writer saw at that path. */
	| { readonly k: 'w'; readonly p: PathArray; readonly v?: unknown; readonly d?: 1; readonly r: string }
	/** A counter increment. */
	| { readonly k: 'c'; readonly p: PathArray; readonly n: number }
	/** Set additions and removals. */
	| { readonly k: 's'; readonly p: PathArray; readonly a: readonly unknown[]; readonly x: readonly unknown[] };

/** A local change as sent to the other replicas. */
export interface SyncOp {
	/** The replica (node) that made it. */
	readonly n: string;
	/** Its per-replica sequence number (replicas drop duplicates by it). */
	readonly i: number;
	/** Its hybrid-logical-clock time. */
	readonly h: string;
	/** The changes. */
	readonly c: readonly SyncChange[];
	/** Who and why. */
	readonly m?: { readonly who?: string; readonly why?: string };
}

/** The last catch-up of a replica: a delta (patch list) or a snapshot, and how big it was. */
export interface CatchUpReport {
	/** `'delta'`: operations from the log; `'snapshot'`: the shared snapshot plus the log after it; `'none'`: nothing missed. */
	readonly mode: 'delta' | 'snapshot' | 'none';
	/** Sequence numbers covered (from, to]. */
	readonly from: number;
	readonly to: number;
	/** Operations read from the log. */
	readonly operations: number;
	/** Changes applied after coalescing. */
	readonly changes: number;
	/** Changes before coalescing. */
	readonly rawChanges: number;
	/** Bytes read (log entries and snapshot). */
	readonly bytes: number;
}
