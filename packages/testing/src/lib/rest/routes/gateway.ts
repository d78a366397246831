import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';

/** `GET /gateway` and `GET /gateway/bot`. */
export const gatewayRoutes: readonly RouteDefinition[] = [
	{
		method: 'GET',
		path: '/gateway',
		auth: 'none',
		handler: ({ services }: RouteContext): RouteResult => ({ status: 200, body: { url: services.gatewayUrl() } }),
	},
	{
		method: 'GET',
		path: '/gateway/bot',
		handler: ({ services }: RouteContext): RouteResult => ({
			status: 200,
			body: {
				url: services.gatewayUrl(),
				shards: services.shards,
				session_start_limit: services.sessionStartLimit(),
			},
		}),
	},
];
