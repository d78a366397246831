export { RedisStorage } from './lib/storage/RedisStorage.js';
export type { RedisStorageOptions } from './lib/storage/RedisStorage.js';
