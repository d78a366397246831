export { WebSocketManager } from './lib/WebSocketManager.js';
export type { WebSocketManagerEvents, ShardProgress } from './lib/WebSocketManager.js';
export { DefaultWebSocketManagerOptions } from './lib/WebSocketManagerOptions.js';
export type { WebSocketManagerOptions } from './lib/WebSocketManagerOptions.js';
export { WebSocketShard } from './lib/WebSocketShard.js';
export { GatewayDispatch } from './lib/GatewayDispatch.js';
export { GatewayError, GatewayErrorMessages } from './lib/errors/GatewayError.js';
export type {
	GatewayErrorCode,
	GatewayErrorDetails,
	GatewayErrorOptions,
	InvalidPayloadProblem,
	ReshardFailure,
	WorkerFailure,
} from './lib/errors/GatewayError.js';
export type { IdentifyGrant, IdentifyThrottler, SessionStartLimit } from './lib/interfaces/IdentifyThrottler.js';
export type { ShardingStrategy, ShardingStrategyFactory, ShardingContext } from './lib/interfaces/ShardingStrategy.js';
export {
	SimpleIdentifyThrottler,
	DefaultSimpleIdentifyThrottlerOptions,
} from './lib/throttlers/SimpleIdentifyThrottler.js';
export type { SimpleIdentifyThrottlerOptions } from './lib/throttlers/SimpleIdentifyThrottler.js';
export { SimpleShardingStrategy, simpleShardingStrategy } from './lib/strategies/SimpleShardingStrategy.js';
export { WorkerShardingStrategy, workerShardingStrategy } from './lib/strategies/WorkerShardingStrategy.js';
export type { WorkerShardingStrategyOptions } from './lib/strategies/WorkerShardingStrategy.js';
export type { RequestGuildMembersOptions, GuildMembersChunk, GuildMembersResult } from './lib/MemberRequests.js';
export type { ShardConnectInfo, ShardCloseInfo } from './lib/extensionPoints.js';
export { GatewayOp, PrivilegedIntents, GATEWAY_VERSION } from './lib/utils/constants.js';
export { GatewayCloseCodeTable, describeCloseCode, closeAction } from './lib/utils/closeCodes.js';
export type {
	CloseAction,
	GatewayCloseCodeInfo,
	ReconnectCloseCode,
	FatalCloseCode,
	FatalCloseErrorCode,
} from './lib/utils/closeCodes.js';
export type { DecompressorImplementation, GatewayCompression } from './lib/utils/decompression.js';
export type { GatewayInformation, GatewayRestLike } from './lib/utils/gatewayInformation.js';
export { ShardStatuses } from './lib/utils/types.js';
export type {
	ShardStatus,
	SessionInfo,
	RetrieveSessionInfo,
	UpdateSessionInfo,
	GatewayPresence,
	IdentifyProperties,
	ShardSnapshot,
} from './lib/utils/types.js';
