import type { Patch } from 'immer';
import type { ChangeOrigin } from './history/types.js';
import type { StateConflictEvent } from './sync/types.js';

/** What the `state:beforeUpdate` and `state:afterUpdate` points receive. */
export interface StateUpdateEvent {
	/** The store's name. */
	readonly store: string;
	/** Why the change happened (`meta.why`, or the string given to `update(recipe, reason)`). */
	readonly reason: string | undefined;
	/** Who made it (`meta.who`). */
	readonly who: string | undefined;
	/** The changes as immer patches: proposed in `beforeUpdate`, applied in `afterUpdate`. */
	readonly patches: readonly Patch[];
	/** What kind of change: a local update, an undo/redo, a restore, a change from another replica, a rollback. */
	readonly kind: ChangeOrigin;
	/** The store version after the change (`afterUpdate`), or the version it will have (`beforeUpdate`). */
	readonly version: number;
}

/** What the `state:snapshot` point receives. */
export interface StateSnapshotEvent {
	/** The store's name. */
	readonly store: string;
	/** The snapshot's ID (its name, or `s<n>`). */
	readonly id: string;
	/** Named by `snapshot(name)`, or taken every `snapshots.every` changes. */
	readonly kind: 'named' | 'periodic';
	/** The store version it captures. */
	readonly version: number;
}

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Before a local update is applied, with its proposed patches; a handler may veto by returning `{ ...event, veto: 'why' }`. */
		'state:beforeUpdate': [event: StateUpdateEvent & { readonly veto?: string }];
		/** After a store changed (locally, by undo/redo/restore, or from another replica), with the patches. */
		'state:afterUpdate': [event: StateUpdateEvent];
		/** Two replicas wrote one path concurrently; the path's conflict policy decided. */
		'state:conflict': [event: StateConflictEvent];
		/** A named or periodic snapshot was taken. */
		'state:snapshot': [event: StateSnapshotEvent];
	}
	interface WaterfallExtensionPoints {
		'state:beforeUpdate': true;
	}
}
