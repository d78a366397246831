import type { RouteDefinition } from '../types.js';
import { channelRoutes } from './channels.js';
import { commandRoutes } from './commands.js';
import { extraRoutes } from './extras.js';
import { gatewayRoutes } from './gateway.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { messageRoutes } from './messages.js';
import { moderationRoutes } from './moderation.js';
import { reactionRoutes } from './reactions.js';
import { threadRoutes } from './threads.js';
import { selfRoutes, userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

/** Every route the mock serves. */
export const allRoutes: readonly RouteDefinition[] = [
	...gatewayRoutes,
	...userRoutes,
	...selfRoutes,
	...messageRoutes,
	...reactionRoutes,
	...channelRoutes,
	...threadRoutes,
	...guildRoutes,
	...moderationRoutes,
	...webhookRoutes,
	...commandRoutes,
	...interactionRoutes,
	...extraRoutes,
];
