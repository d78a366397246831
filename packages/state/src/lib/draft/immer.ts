/**
 * The store's own immer: its settings (auto-freeze on, spread copies, strict iteration) are the ones the plain
 * draft reproduces, so `setAutoFreeze(false)` or `setUseStrictShallowCopy(true)` called on immer's shared instance
 * by other code cannot make the two paths disagree, or make the store hand out mutable states.
 * @internal
 */
import { enablePatches, Immer } from 'immer';

enablePatches();

export const immer = new Immer({ autoFreeze: true, useStrictShallowCopy: false });
