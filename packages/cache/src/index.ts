export { CacheError } from './lib/errors/CacheError.js';
export { CacheErrorMessages } from './lib/errors/CacheError.js';
export type { CacheErrorCode, CacheErrorDetails, CacheErrorOptions } from './lib/errors/CacheError.js';
export type {
	CacheTier,
	CacheSetOptions,
	CacheEntry,
	EvictionListener,
	EvictionReason,
} from './lib/interfaces/CacheTier.js';
export { isInvalidationMessage } from './lib/interfaces/InvalidationBus.js';
export type { InvalidationBus, InvalidationMessage } from './lib/interfaces/InvalidationBus.js';
export type { InvalidationReason, TierReadInfo } from './lib/extension-points.js';
export { MemoryTier, estimateSize } from './lib/tiers/MemoryTier.js';
export type { MemoryTierOptions } from './lib/tiers/MemoryTier.js';
export { MultiTierCache } from './lib/MultiTierCache.js';
export { DefaultMultiTierCacheOptions, DefaultWarmingOptions } from './lib/MultiTierCacheOptions.js';
export type {
	MultiTierCacheOptions,
	MultiTierCacheEvents,
	MultiTierSetOptions,
	InvalidationTarget,
	InvalidationRule,
	WarmingOptions,
	WriteMode,
} from './lib/MultiTierCacheOptions.js';
export {
	SerializerRegistry,
	ValueCodec,
	DefaultValueCodecOptions,
	msgpackSerializer,
	jsonSerializer,
} from './lib/utils/Serializer.js';
export type { Serializer, ValueCodecOptions, Migration } from './lib/utils/Serializer.js';
export { MAX_KEY_LENGTH, globToRegExp, dependencyTag } from './lib/utils/keys.js';
export { AccessModel } from './lib/analytics/AccessModel.js';
export type { AccessModelOptions, Prediction } from './lib/analytics/AccessModel.js';
export { LatencyHistogram } from './lib/analytics/LatencyHistogram.js';
export type { CacheStats, TierStats, LatencySummary } from './lib/analytics/CacheStats.js';
export { EntityCache } from './lib/entities/EntityCache.js';
export type { EntityCacheStats } from './lib/entities/EntityCache.js';
export {
	CacheFlags,
	ALL_CACHE_FLAGS,
	DEFAULT_CACHE_FLAGS,
	DefaultEntityCacheOptions,
	DefaultEntityCacheLimits,
	DefaultDesiredProperties,
} from './lib/entities/EntityCacheOptions.js';
export type {
	CachedGuild,
	DesiredProperties,
	EntityCacheLimits,
	EntityCacheOptions,
	EntityCacheSweepers,
	EntityCacheValidation,
	SweeperOptions,
} from './lib/entities/EntityCacheOptions.js';
export type { EntitySweeper } from './lib/entities/EntitySweeper.js';
export type { CachedMember, CachedUser, CachedPresence, CachedVoiceState } from './lib/entities/views.js';
export type { MemberProperty } from './lib/entities/MemberTable.js';
export type { UserProperty } from './lib/entities/UserTable.js';
export { generateTrace, replayTrace, compareWarming } from './lib/analytics/Trace.js';
export type { AccessTrace, TraceOptions, TraceRead, ReplayOptions, ReplayResult } from './lib/analytics/Trace.js';
export { DiscordKeys, discordInvalidationRules, registerDiscordInvalidationRules } from './lib/DiscordKeys.js';
