import type { RouteDefinition } from '../types.js';
import { gatewayRoutes } from './gateway.js';
import { interactionRoutes } from './interactions.js';
import { messageRoutes } from './messages.js';
import { userRoutes } from './users.js';

/** Every route the mock serves. */
export const allRoutes: readonly RouteDefinition[] = [...gatewayRoutes, ...userRoutes, ...messageRoutes, ...interactionRoutes];
