import { z } from 'zod';
import type { SyncOp } from './types.js';

const path = z.array(z.union([z.string(), z.number()]));

const change = z.union([
	z.object({ k: z.literal('w'), p: path, v: z.unknown().optional(), d: z.literal(1).optional(), r: z.string() }),
	z.object({ k: z.literal('c'), p: path, n: z.number() }),
	z.object({ k: z.literal('s'), p: path, a: z.array(z.unknown()), x: z.array(z.unknown()) }),
]);

const op = z.object({
	n: z.string(),
	i: z.number().int().positive(),
	h: z.string(),
	c: z.array(change),
	m: z.object({ who: z.string().optional(), why: z.string().optional() }).optional(),
});

const snapshot = z.object({
	seq: z.number().int().nonnegative(),
	state: z.record(z.string(), z.unknown()),
	clocks: z.array(z.tuple([path, z.string()])),
	seen: z.array(z.tuple([z.string(), z.number()])),
});

/** A shared snapshot in Redis: the state as of log sequence `seq`, with the conflict clocks. */
export type SharedSnapshot = z.infer<typeof snapshot>;

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function compact<T extends object>(value: T): T {
	return value;
}

/** Parses an operation from the wire; `undefined` when it is malformed (it is then skipped). */
export function parseOp(text: string): SyncOp | undefined {
	const result = op.safeParse(parseJson(text));
	if (!result.success) return undefined;
	const { m, ...rest } = result.data;
	const changes = rest.c.map((c) => {
		if (c.k !== 'w') return c;
		const { v, d, ...w } = c;
		return compact({ ...w, ...(d === 1 ? { d } : { v }) });
	});
	return {
		...rest,
		c: changes,
		...(m === undefined
			? {}
			: {
					m: {
						...(m.who === undefined ? {} : { who: m.who }),
						...(m.why === undefined ? {} : { why: m.why }),
					},
				}),
	};
}

/** Parses a shared snapshot; `undefined` when it is missing or malformed. */
export function parseSnapshot(text: string | null): SharedSnapshot | undefined {
	if (text === null) return undefined;
	const result = snapshot.safeParse(parseJson(text));
	return result.success ? result.data : undefined;
}
