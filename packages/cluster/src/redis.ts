export { RedisSessionStore, DefaultRedisSessionStoreOptions } from './lib/redis/RedisSessionStore.js';
export type { RedisSessionStoreOptions } from './lib/redis/RedisSessionStore.js';
// The identify queue is the gateway's own (one implementation), re-exported so a cluster imports its Redis parts
// from one place.
export { RedisIdentifyThrottler, DefaultRedisIdentifyThrottlerOptions } from '@ovenjs/ws/redis';
export type { RedisIdentifyThrottlerOptions } from '@ovenjs/ws/redis';
