export { PostgresTier } from './lib/tiers/PostgresTier.js';
export type { PostgresTierOptions } from './lib/tiers/PostgresTier.js';
