export { PostgresStorage } from './lib/storage/PostgresStorage.js';
export type { PostgresStorageOptions } from './lib/storage/PostgresStorage.js';
