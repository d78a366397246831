import { z } from 'zod';
import type { PersistedChange, PersistedSnapshot } from './StateStorage.js';

const path = z.array(z.union([z.string(), z.number()]));
const patch = z.object({ op: z.enum(['add', 'replace', 'remove']), path, value: z.unknown().optional() });
const meta = z.object({
	origin: z.enum(['update', 'undo', 'redo', 'restore', 'remote', 'rollback', 'load']),
	who: z.string().optional(),
	why: z.string().optional(),
});
const change = z.object({ version: z.number().int(), time: z.number(), patches: z.array(patch), meta });
const snapshot = z.object({ version: z.number().int(), time: z.number(), state: z.unknown() });

function json(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Decodes a stored change; `undefined` when the text is not one (skipped and reported by the caller). @internal */
export function decodeChange(text: string): PersistedChange | undefined {
	const result = change.safeParse(json(text));
	if (!result.success) return undefined;
	const { meta: m, patches, ...rest } = result.data;
	return {
		...rest,
		patches: patches.map((p) =>
			p.op === 'remove' ? { op: p.op, path: p.path } : { op: p.op, path: p.path, value: p.value },
		),
		meta: {
			origin: m.origin,
			...(m.who === undefined ? {} : { who: m.who }),
			...(m.why === undefined ? {} : { why: m.why }),
		},
	};
}

/** Decodes a stored snapshot. @internal */
export function decodeSnapshot(text: string | null | undefined): PersistedSnapshot | undefined {
	if (text === null || text === undefined) return undefined;
	const result = snapshot.safeParse(json(text));
	return result.success
		? { version: result.data.version, time: result.data.time, state: result.data.state }
		: undefined;
}
