export { MockDiscord } from './lib/MockDiscord.js';
export { DefaultMockDiscordOptions } from './lib/MockDiscordOptions.js';
export type { MockDiscordOptions } from './lib/MockDiscordOptions.js';
export { MockError, MockErrorMessages } from './lib/errors/MockError.js';
export type { MockErrorCode, MockErrorDetails } from './lib/errors/MockError.js';
export type { MockUser, MockMember, APIChannelPayload, APIGuildChannelPayload } from './lib/world/factories.js';
export { World } from './lib/world/World.js';
export type { WorldData, InviteRecord, WebhookRecord } from './lib/world/WorldData.js';
export type {
	GuildRecord,
	ChannelRecord,
	CreateGuildOptions,
	CreateChannelOptions,
	CreateRoleOptions,
	DispatchSink,
} from './lib/world/records.js';
export { DefaultGatewayOptions } from './lib/gateway/GatewayOptions.js';
export type { GatewayOptions } from './lib/gateway/GatewayOptions.js';
export type { GatewayServer } from './lib/gateway/GatewayServer.js';
export type { IdentifyCounts, IdentifyRecord } from './lib/gateway/IdentifyBudget.js';
export type { FloodOptions, PrepareFloodOptions } from './lib/gateway/GatewayFloods.js';
export type { GatewaySession } from './lib/gateway/GatewaySession.js';
export type { PreparedFlood, PreparedFrames } from './lib/gateway/PreparedFlood.js';
export { GatewayCloseCodes } from 'discord-api-types/v10';
export { NON_RESUMABLE_CLOSE_CODES } from './lib/gateway/nonResumableCloseCodes.js';
export type { TransportCompression } from './lib/gateway/Compression.js';
export { SEQUENCE_HEADER } from './lib/rest/RestServer.js';
export type { RestServer, InvalidRequestCounters } from './lib/rest/RestServer.js';
export type { AppliedFaults, AppliedFaultOptions, AppliedFault, AppliedFaultCounts } from './lib/rest/AppliedFaults.js';
export type { RateLimiter, RateLimitOptions } from './lib/rest/RateLimiter.js';
export type { RequestLog, LoggedRequest } from './lib/rest/RequestLog.js';
export type { UploadedFile, RouteDefinition } from './lib/rest/types.js';
export { DiscordHttpError, JsonErrorCodes } from './lib/rest/DiscordHttpError.js';
export type { ErrorTree, FieldError } from './lib/rest/DiscordHttpError.js';
export type { FaultInjector, RestFaultOptions, RestFault } from './lib/faults/FaultInjector.js';
export type { GatewayFaults, GatewayFaultOptions, GatewayFault } from './lib/faults/GatewayFaults.js';
export type {
	InteractionHub,
	TriggerInteractionOptions,
	InteractionResponse,
} from './lib/interactions/InteractionHub.js';
