export { RedisStore, DefaultRedisStoreOptions } from './lib/stores/RedisStore.js';
export type { RedisStoreOptions } from './lib/stores/RedisStore.js';
