import type { ExtensionPointEmitter } from '@ovenjs/types';
import type { IdentifyThrottler } from './interfaces/IdentifyThrottler.js';
import type { ShardingStrategyFactory } from './interfaces/ShardingStrategy.js';
import type { DecompressorImplementation, GatewayCompression } from './utils/decompression.js';
import type { GatewayRestLike } from './utils/gatewayInformation.js';
import type { GatewayPresence, IdentifyProperties, RetrieveSessionInfo, UpdateSessionInfo } from './utils/types.js';

/** Options of {@link WebSocketManager}. */
export interface WebSocketManagerOptions {
	/** The bot token (without `Bot `). Never printed: it is redacted from errors, logs and `inspect`. */
	readonly token: string;
	/** The gateway intents bit field. */
	readonly intents: number;
	/** A REST client; only `get('/gateway/bot')` is used. Either this or `fetchGatewayInformation` for `'auto'`. */
	readonly rest?: GatewayRestLike;
	/** Fetches `GET /gateway/bot` (raw JSON, snake_case, as Discord sends it). */
	readonly fetchGatewayInformation?: () => Promise<unknown>;
	/** The shard count, or `'auto'` for Discord's recommendation. @defaultValue {@link DefaultWebSocketManagerOptions.shardCount} */
	readonly shardCount?: number | 'auto';
	/** The shards this manager runs (others may run elsewhere). @defaultValue every shard in `[0, shardCount)` */
	readonly shardIds?: readonly number[];
	/** The gateway URL when no gateway information is fetched. @defaultValue {@link DefaultWebSocketManagerOptions.gatewayUrl} */
	readonly gatewayUrl?: string;
	/** Transport compression. @defaultValue {@link DefaultWebSocketManagerOptions.compression} */
	readonly compression?: GatewayCompression;
	/** Members above which a guild is "large" (50–250). @defaultValue {@link DefaultWebSocketManagerOptions.largeThreshold} */
	readonly largeThreshold?: number;
	/** The presence to identify with. */
	readonly presence?: GatewayPresence;
	/** IDENTIFY `properties`. @defaultValue {@link DefaultWebSocketManagerOptions.identifyProperties} */
	readonly identifyProperties?: IdentifyProperties;
	/** Decides when shards identify. @defaultValue a {@link SimpleIdentifyThrottler} */
	readonly identifyThrottler?: IdentifyThrottler;
	/** Runs the shards. @defaultValue {@link simpleShardingStrategy} (this thread) */
	readonly strategy?: ShardingStrategyFactory;
	/** Loads a persisted session so a restarted process resumes instead of identifying. */
	readonly retrieveSessionInfo?: RetrieveSessionInfo;
	/** Persists a session (called on READY, on every sequence, and with `null` when it ends). */
	readonly updateSessionInfo?: UpdateSessionInfo;
	/**
	 * The dispatch events the application wants; others are counted and skipped without a full `JSON.parse`. A
	 * function is asked for every dispatch (after reading its header), so the answer may change while the shards
	 * run: `@ovenjs/core`'s `Client` wants what its cache, its listeners and its extension points use.
	 * @defaultValue {@link DefaultWebSocketManagerOptions.dispatchEvents}
	 */
	readonly dispatchEvents?: 'all' | readonly string[] | ((t: string) => boolean);
	/** WebSocket handshake timeout in ms. @defaultValue {@link DefaultWebSocketManagerOptions.handshakeTimeout} */
	readonly handshakeTimeout?: number;
	/** Milliseconds to wait for HELLO before reconnecting. @defaultValue {@link DefaultWebSocketManagerOptions.helloTimeout} */
	readonly helloTimeout?: number;
	/**
	 * Milliseconds to wait for READY (or RESUMED) after IDENTIFY (or RESUME) was sent. When it passes, the shard
	 * reports a `GATEWAY_READY_TIMEOUT` error, rejects a pending `connect()` with it, and reconnects.
	 * @defaultValue {@link DefaultWebSocketManagerOptions.readyTimeout}
	 */
	readonly readyTimeout?: number;
	/**
	 * The largest gateway payload accepted, in bytes: a WebSocket frame, and a payload after decompression
	 * (characters for zlib-stream). A larger one resets the connection with `GATEWAY_PAYLOAD_TOO_LARGE` (and the
	 * shard resumes), so a decompression bomb cannot exhaust memory.
	 * @defaultValue {@link DefaultWebSocketManagerOptions.maxPayloadSize} (64 MiB)
	 */
	readonly maxPayloadSize?: number;
	/**
	 * The decoder of a compressed transport: `'auto'` picks `zlib-sync` for zlib-stream when it is installed
	 * (an optional dependency; otherwise `node:zlib`), and `node:zlib`'s zstd for zstd-stream on Node >= 22.15
	 * (otherwise the pure-JS `fzstd`). See {@link DecompressorImplementation}.
	 * @defaultValue {@link DefaultWebSocketManagerOptions.decompressor}
	 */
	readonly decompressor?: DecompressorImplementation;
	/**
	 * The most shards `connect()` will open. `shardCount: 'auto'` takes Discord's recommendation, and a count that
	 * the daily `session_start_limit` cannot identify is refused with `GATEWAY_SESSION_START_LIMIT` either way;
	 * this caps it further. `null`: no cap beyond the session start limit.
	 * @defaultValue {@link DefaultWebSocketManagerOptions.maxShards}
	 */
	readonly maxShards?: number | null;
	/** Reconnect backoff in ms (doubles per failed attempt, with jitter). @defaultValue {@link DefaultWebSocketManagerOptions.reconnectBackoff} */
	readonly reconnectBackoff?: { readonly initial: number; readonly max: number };
	/** How often to ask Discord whether more shards are recommended (ms); `null` never. @defaultValue {@link DefaultWebSocketManagerOptions.reshardCheckInterval} */
	readonly reshardCheckInterval?: number | null;
	/** Guilds per shard past which the manager checks whether to reshard. @defaultValue {@link DefaultWebSocketManagerOptions.guildsPerShardThreshold} */
	readonly guildsPerShardThreshold?: number;
	/** Extension points (`ws:beforeConnect`, `ws:afterConnect`, `ws:onMessage`, `ws:onClose`, ...). */
	readonly extensions?: ExtensionPointEmitter;
}

/**
 * The defaults of {@link WebSocketManagerOptions}: the manager reads every default from here (and the README's
 * options table agrees). Options without an entry have no default value (`shardIds`: every shard; `presence`,
 * hooks, `rest`: none; `identifyThrottler` and `strategy`: objects built per manager).
 */
export const DefaultWebSocketManagerOptions = {
	shardCount: 'auto',
	gatewayUrl: 'wss://gateway.discord.gg',
	compression: null,
	largeThreshold: 50,
	identifyProperties: { os: process.platform, browser: '@ovenjs/ws', device: '@ovenjs/ws' },
	dispatchEvents: 'all',
	handshakeTimeout: 30_000,
	helloTimeout: 60_000,
	readyTimeout: 15_000,
	maxPayloadSize: 67_108_864, // 64 MiB
	decompressor: 'auto',
	maxShards: null,
	reconnectBackoff: { initial: 1_000, max: 60_000 },
	reshardCheckInterval: null,
	guildsPerShardThreshold: 2_500,
} as const satisfies Required<
	Pick<
		WebSocketManagerOptions,
		| 'shardCount'
		| 'gatewayUrl'
		| 'compression'
		| 'largeThreshold'
		| 'identifyProperties'
		| 'dispatchEvents'
		| 'handshakeTimeout'
		| 'helloTimeout'
		| 'readyTimeout'
		| 'maxPayloadSize'
		| 'decompressor'
		| 'maxShards'
		| 'reconnectBackoff'
		| 'reshardCheckInterval'
		| 'guildsPerShardThreshold'
	>
>;
