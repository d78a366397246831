export { WebSocketManager } from './lib/WebSocketManager.js';
export type { WebSocketManagerOptions, WebSocketManagerEvents, ShardProgress } from './lib/WebSocketManager.js';
export { WebSocketShard } from './lib/WebSocketShard.js';
export { GatewayDispatch } from './lib/GatewayDispatch.js';
export { GatewayError } from './lib/errors/GatewayError.js';
export type { GatewayErrorCode, GatewayErrorOptions } from './lib/errors/GatewayError.js';
export type { IdentifyThrottler, SessionStartLimit } from './lib/interfaces/IdentifyThrottler.js';
export type { ShardingStrategy, ShardingStrategyFactory, ShardingContext } from './lib/interfaces/ShardingStrategy.js';
export { SimpleIdentifyThrottler } from './lib/throttlers/SimpleIdentifyThrottler.js';
export type { SimpleIdentifyThrottlerOptions } from './lib/throttlers/SimpleIdentifyThrottler.js';
export { SimpleShardingStrategy, simpleShardingStrategy } from './lib/strategies/SimpleShardingStrategy.js';
export { WorkerShardingStrategy, workerShardingStrategy } from './lib/strategies/WorkerShardingStrategy.js';
export type { WorkerShardingStrategyOptions } from './lib/strategies/WorkerShardingStrategy.js';
export type { RequestGuildMembersOptions, GuildMembersChunk, GuildMembersResult } from './lib/MemberRequests.js';
export type { ShardConnectInfo, ShardCloseInfo } from './lib/extensionPoints.js';
export { GatewayOp, PrivilegedIntents, DefaultWebSocketManagerOptions, GATEWAY_VERSION } from './lib/utils/constants.js';
export { closeAction, privilegedIntentNames } from './lib/utils/closeCodes.js';
export type { CloseAction } from './lib/utils/closeCodes.js';
export { SendRateLimiter } from './lib/utils/SendRateLimiter.js';
export { Heartbeater } from './lib/utils/Heartbeater.js';
export { peekHeader } from './lib/utils/payload.js';
export type { PayloadHeader } from './lib/utils/payload.js';
export type { DecompressorImplementation, GatewayCompression } from './lib/utils/decompression.js';
export { parseGatewayInformation } from './lib/utils/gatewayInformation.js';
export type { GatewayInformation, GatewayRestLike } from './lib/utils/gatewayInformation.js';
export type {
	ShardStatus,
	SessionInfo,
	RetrieveSessionInfo,
	UpdateSessionInfo,
	GatewayPresence,
	IdentifyProperties,
	ShardConfig,
	ShardEvent,
	ShardSink,
	ShardHooks,
	ShardSnapshot,
} from './lib/utils/types.js';
