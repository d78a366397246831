export {
	RedisIdentifyThrottler,
	DefaultRedisIdentifyThrottlerOptions,
} from './lib/throttlers/RedisIdentifyThrottler.js';
export type { RedisIdentifyThrottlerOptions } from './lib/throttlers/RedisIdentifyThrottler.js';
