import { z } from 'zod';

/** Environment variables a cluster process is started with (read by `ClusterProcess.current()`). */
export const ClusterEnv = {
	process: 'OVENJS_CLUSTER_PROCESS',
	processCount: 'OVENJS_CLUSTER_PROCESSES',
	shards: 'OVENJS_CLUSTER_SHARDS',
	shardCount: 'OVENJS_CLUSTER_SHARD_COUNT',
	generation: 'OVENJS_CLUSTER_GENERATION',
	role: 'OVENJS_CLUSTER_ROLE',
} as const;

const ErrorShape = z.object({ message: z.string(), code: z.string().optional() });

/** Messages the manager sends to a process. */
export const ToProcess = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ovenjs:ping'), id: z.number() }),
	z.object({ type: z.literal('ovenjs:request'), id: z.number(), name: z.string(), data: z.unknown() }),
	z.object({ type: z.literal('ovenjs:shutdown'), reason: z.string() }),
	z.object({ type: z.literal('ovenjs:broadcastResult'), id: z.number(), results: z.array(z.unknown()) }),
]);
export type ToProcess = z.infer<typeof ToProcess>;

/** Messages a process sends to the manager. */
export const ToManager = z.discriminatedUnion('type', [
	z.object({ type: z.literal('ovenjs:pong'), id: z.number(), rss: z.number() }),
	z.object({
		type: z.literal('ovenjs:reply'),
		id: z.number(),
		ok: z.boolean(),
		value: z.unknown().optional(),
		error: ErrorShape.optional(),
	}),
	z.object({ type: z.literal('ovenjs:progress'), ready: z.number().int().min(0), total: z.number().int().min(0) }),
	z.object({ type: z.literal('ovenjs:ready') }),
	z.object({
		type: z.literal('ovenjs:broadcast'),
		id: z.number(),
		name: z.string(),
		data: z.unknown(),
		timeout: z.number().positive(),
	}),
]);
export type ToManager = z.infer<typeof ToManager>;

/** One process's answer to a broadcast: its value, or why it has none (down, timed out, failed). */
export type BroadcastResult<T = unknown> =
	| { readonly processId: number; readonly ok: true; readonly value: T }
	| {
			readonly processId: number;
			readonly ok: false;
			readonly error: { readonly code: string; readonly message: string };
	  };

/** A result check, such as a zod schema: `parse` returns the value typed or throws. */
export interface ResultSchema<T> {
	parse(value: unknown): T;
}

export const BroadcastResultShape = z.union([
	z.object({ processId: z.number(), ok: z.literal(true), value: z.unknown() }),
	z.object({
		processId: z.number(),
		ok: z.literal(false),
		error: z.object({ code: z.string(), message: z.string() }),
	}),
]);
