import type { ShardConfig, ShardHooks, ShardSink, ShardSnapshot } from '../utils/types.js';

/** What a sharding strategy is given: the shard set to run and where to report. */
export interface ShardingContext {
	/** The shards this strategy runs. */
	readonly shardIds: readonly number[];
	/** The connection settings shared by every shard (includes `shardCount`). */
	readonly config: ShardConfig;
	/** Identify throttling, session persistence and the dispatch filter. */
	readonly hooks: ShardHooks;
	/** Where dispatches and shard events go. */
	readonly sink: ShardSink;
}

/**
 * Runs a set of shards. Swappable: {@link SimpleShardingStrategy} runs them in this thread,
 * {@link WorkerShardingStrategy} runs N shards per worker thread.
 */
export interface ShardingStrategy {
	/** Connects every shard (identifies are ordered by the throttler); resolves when all are ready. */
	connect(): Promise<void>;
	/** Destroys every shard; `keepSession` keeps sessions resumable for a later process. */
	destroy(options?: { readonly keepSession?: boolean }): Promise<void>;
	/** Queues a payload on one shard. */
	send(shardId: number, payload: { readonly op: number; readonly d: unknown }): Promise<void>;
	/** A snapshot of every shard. */
	fetchStatus(): Promise<ShardSnapshot[]>;
}

/** Builds a strategy for one shard set (the manager builds a second set while resharding). */
export type ShardingStrategyFactory = (context: ShardingContext) => ShardingStrategy;
