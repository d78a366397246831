import { GatewayError } from '../errors/GatewayError.js';
import type { ShardingContext, ShardingStrategy } from '../interfaces/ShardingStrategy.js';
import type { ShardSnapshot } from '../utils/types.js';
import { WebSocketShard } from '../WebSocketShard.js';

/** Runs every shard in this thread: the default, and the fastest below a few dozen shards. */
export class SimpleShardingStrategy implements ShardingStrategy {
	readonly #shards = new Map<number, WebSocketShard>();

	public constructor(context: ShardingContext) {
		for (const id of context.shardIds)
			this.#shards.set(id, new WebSocketShard(id, context.config, context.hooks, context.sink));
	}

	public async connect(): Promise<void> {
		await Promise.all([...this.#shards.values()].map((shard) => shard.connect()));
	}

	public async destroy(options: { readonly keepSession?: boolean } = {}): Promise<void> {
		await Promise.all([...this.#shards.values()].map((shard) => shard.destroy(options)));
	}

	public send(shardId: number, payload: { readonly op: number; readonly d: unknown }): Promise<void> {
		const shard = this.#shards.get(shardId);
		if (shard === undefined)
			return Promise.reject(
				GatewayError.of('GATEWAY_UNKNOWN_SHARD', [shardId, 'manager', [...this.#shards.keys()]], { shardId }),
			);
		return shard.send(payload);
	}

	public fetchStatus(): Promise<ShardSnapshot[]> {
		return Promise.resolve([...this.#shards.values()].map((shard) => shard.snapshot()));
	}
}

/** The factory for {@link SimpleShardingStrategy}. */
export function simpleShardingStrategy(context: ShardingContext): ShardingStrategy {
	return new SimpleShardingStrategy(context);
}
