/**
 * `@ovenjs/ws/internal`: the gateway's plumbing, for other OvenJS packages, custom sharding strategies, tests
 * and benchmarks. Not covered by semver: anything here may change in a minor version. Applications use the
 * main entry.
 *
 * @packageDocumentation
 */
export { Heartbeater } from './lib/utils/Heartbeater.js';
export { SendRateLimiter } from './lib/utils/SendRateLimiter.js';
export { peekHeader } from './lib/utils/payload.js';
export type { PayloadHeader } from './lib/utils/payload.js';
export { parseGatewayInformation } from './lib/utils/gatewayInformation.js';
export { privilegedIntentNames, fatalCloseError } from './lib/utils/closeCodes.js';
export type { ShardConfig, ShardEvent, ShardSink, ShardHooks } from './lib/utils/types.js';
