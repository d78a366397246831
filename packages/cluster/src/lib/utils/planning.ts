import { ClusterError } from '../errors/ClusterError.js';

/** The identify budget Discord reports (`session_start_limit` of `GET /gateway/bot`), camel-cased. */
export interface SessionBudget {
	readonly total: number;
	readonly remaining: number;
	readonly resetAfter: number;
	readonly maxConcurrency: number;
}

function positiveInteger(name: string, value: number): number {
	if (!Number.isInteger(value) || value < 1)
		throw ClusterError.of('CLUSTER_INVALID_OPTION', [name, `must be a positive integer, got ${String(value)}.`]);
	return value;
}

/**
 * The shard count to run: `requested` (a number) or Discord's recommendation (`'auto'`), raised to a multiple of
 * `maxConcurrency` when that is above 1. Discord gives large bots (`max_concurrency` 16 and up) "large bot
 * sharding", which only accepts shard counts that are multiples of the bucket count.
 *
 * @see {@link https://discord.com/developers/docs/events/gateway#sharding-for-large-bots}
 */
export function resolveShardCount(requested: number | 'auto', recommended: number, maxConcurrency: number): number {
	positiveInteger('maxConcurrency', maxConcurrency);
	const base =
		requested === 'auto'
			? positiveInteger('the recommended shard count', recommended)
			: positiveInteger('shards', requested);
	if (maxConcurrency <= 1 || base % maxConcurrency === 0) return base;
	if (requested !== 'auto' && maxConcurrency >= 16) {
		throw ClusterError.of('CLUSTER_INVALID_OPTION', [
			'shards',
			`must suit large bot sharding (max_concurrency ${maxConcurrency}): Discord only accepts shard counts that are multiples of ${maxConcurrency}, got ${base}; use ${Math.ceil(base / maxConcurrency) * maxConcurrency} or 'auto'.`,
		]);
	}
	return Math.ceil(base / maxConcurrency) * maxConcurrency;
}

/**
 * Splits `[0, shardCount)` into processes of `perProcess` consecutive shards. Consecutive shards share no identify
 * bucket when `perProcess <= maxConcurrency`, so the processes start in parallel.
 */
export function planProcesses(shardCount: number, perProcess: number): number[][] {
	positiveInteger('shardCount', shardCount);
	positiveInteger('perProcess', perProcess);
	const plan: number[][] = [];
	for (let first = 0; first < shardCount; first += perProcess) {
		plan.push(Array.from({ length: Math.min(perProcess, shardCount - first) }, (_, i) => first + i));
	}
	return plan;
}

/**
 * Refuses to start `identifies` fresh sessions when the daily `session_start_limit` cannot pay for them (shards
 * that resume a stored session cost nothing). Throws {@link ClusterError} `CLUSTER_SESSION_START_LIMIT` saying
 * how many are left and when the budget resets, rather than spending the budget and failing half-way.
 */
export function checkSessionBudget(identifies: number, budget: SessionBudget): void {
	if (identifies <= budget.remaining) return;
	throw ClusterError.of('CLUSTER_SESSION_START_LIMIT', [
		identifies,
		budget.remaining,
		budget.total,
		budget.resetAfter,
	]);
}
