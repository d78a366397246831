import type { RateLimitTicket } from '../interfaces/RateLimitStore.js';

/** How the limiter sees one route: its ticket plus how it must be scheduled. */
export interface RouteInfo extends RateLimitTicket {
	/** `POST /interactions/:id/:token/callback`: exempt from the global limit and sent without a queue. */
	readonly interactionCallback: boolean;
	/** Per-route queue key (`route` + major). */
	readonly queueKey: string;
}

const MAJOR_ROUTES = new Set(['channels', 'guilds', 'webhooks']);
const FOURTEEN_DAYS = 14 * 24 * 60 * 60 * 1_000;
const DISCORD_EPOCH = 1_420_070_400_000n;

/** Whether `segment` is all ASCII digits (a snowflake), without a regex. */
export function isNumeric(segment: string): boolean {
	if (segment.length === 0 || segment.length > 20) return false;
	for (let i = 0; i < segment.length; i++) {
		const c = segment.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

/** FNV-1a 32-bit: a short digest so webhook and interaction tokens never appear in limiter keys. */
export function digest(text: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0).toString(36);
}

/**
 * Computes the limiter's view of a route: method + template (minor IDs → `:id`, tokens → `:token`, reaction
 * emoji collapsed), the major parameter, and whether it is exempt from the global limit.
 *
 * Plumbing of the REST client (from `@ovenjs/rest/internal`, not covered by semver).
 *
 * @param path - the route without query string, starting with `/`
 * @param authenticated - whether the bot token is sent (unauthenticated requests are not globally limited)
 */
export function computeRoute(method: string, path: string, authenticated: boolean): RouteInfo {
	const parts = path.split('/');
	let major = '';
	let template = '';
	const first = parts[1] ?? '';
	let start = 1;
	if (MAJOR_ROUTES.has(first) && isNumeric(parts[2] ?? '')) {
		major = parts[2] ?? '';
		template = `/${first}/:id`;
		start = 3;
		if (
			first === 'webhooks' &&
			parts.length > 3 &&
			parts[3] !== undefined &&
			parts[3] !== '' &&
			!isNumeric(parts[3]) &&
			parts[3] !== 'messages'
		) {
			major += `:${digest(parts[3])}`;
			template += '/:token';
			start = 4;
		}
	}
	let interactionCallback = false;
	for (let i = start; i < parts.length; i++) {
		const part = parts[i] ?? '';
		const previous = parts[i - 1] ?? '';
		if (part === 'reactions') {
			template += '/reactions/:reaction';
			break;
		}
		if (previous === 'interactions' && isNumeric(part)) {
			template += '/:id/:token';
			i++;
			if (parts[i + 1] === 'callback') interactionCallback = method === 'POST';
			continue;
		}
		if (isNumeric(part)) {
			// Deleting a message older than two weeks has its own bucket.
			if (method === 'DELETE' && previous === 'messages' && first === 'channels' && i === parts.length - 1) {
				const created = Number((BigInt(part) >> 22n) + DISCORD_EPOCH);
				template += Date.now() - created > FOURTEEN_DAYS ? '/:id(old)' : '/:id';
			} else {
				template += '/:id';
			}
		} else {
			template += `/${part}`;
		}
	}
	const route = `${method} ${template}`;
	return {
		route,
		major,
		global: authenticated && !interactionCallback,
		interactionCallback,
		queueKey: `${route}:${major}`,
	};
}
