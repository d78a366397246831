export { RedisSessionStore, DefaultRedisSessionStoreOptions } from './lib/redis/RedisSessionStore.js';
export type { RedisSessionStoreOptions } from './lib/redis/RedisSessionStore.js';
export { RedisIdentifyQueue, DefaultRedisIdentifyQueueOptions } from './lib/redis/RedisIdentifyQueue.js';
export type { RedisIdentifyQueueOptions } from './lib/redis/RedisIdentifyQueue.js';
