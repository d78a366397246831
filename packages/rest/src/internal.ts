/**
 * `@ovenjs/rest/internal`: plumbing other OvenJS packages share with the REST client. Not covered by semver — it
 * may change in any release; bots use the main entry.
 *
 * @packageDocumentation
 */
export { computeRoute } from './lib/utils/routes.js';
export type { RouteInfo } from './lib/utils/routes.js';
export { CircuitBreaker } from './lib/utils/CircuitBreaker.js';
export { flattenFieldErrors } from './lib/errors/errorBody.js';
