import type { ShardStatus } from './utils/types.js';

/** What `ws:beforeConnect` and `ws:afterConnect` receive. */
export interface ShardConnectInfo {
	readonly shardId: number;
	readonly shardCount: number;
	/** The URL without the token (the token never appears in a URL). */
	readonly url: string;
	/** Whether this connection resumes a session. */
	readonly resuming: boolean;
}

/** What `ws:onClose` receives. */
export interface ShardCloseInfo {
	readonly shardId: number;
	readonly code: number;
	readonly reason: string;
	readonly willReconnect: boolean;
}

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		/** Before a shard opens a connection. */
		'ws:beforeConnect': [info: ShardConnectInfo];
		/** After a shard's connection opened. */
		'ws:afterConnect': [info: ShardConnectInfo];
		/** Every decompressed payload text, before it is handled (costs one Map lookup when unused). */
		'ws:onMessage': [shardId: number, raw: string];
		/** After a shard's connection closed. */
		'ws:onClose': [info: ShardCloseInfo];
		/** A shard's status changed. */
		'ws:shardStatus': [shardId: number, status: ShardStatus];
		/** A shard became ready (identified or resumed). */
		'ws:shardReady': [shardId: number, resumed: boolean];
	}
}
