export { RedisTier } from './lib/tiers/RedisTier.js';
export type { RedisTierOptions } from './lib/tiers/RedisTier.js';
export { RedisInvalidationBus } from './lib/RedisInvalidationBus.js';
export type { RedisInvalidationBusOptions } from './lib/RedisInvalidationBus.js';
