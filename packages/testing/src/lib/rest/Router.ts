import type { RouteDefinition } from './types.js';
import { bucketHash } from './RateLimiter.js';

/** A compiled route. */
export interface CompiledRoute {
	readonly definition: RouteDefinition;
	readonly key: string;
	readonly hash: string;
	readonly paramNames: readonly string[];
	readonly pattern: RegExp;
	readonly segments: number;
}

/** A matched route with its path parameters and major parameter. */
export interface RouteMatch {
	readonly route: CompiledRoute;
	readonly params: Record<string, string>;
	readonly majorParameter: string;
}

const MAJOR = ['channel_id', 'guild_id', 'webhook_id', 'interaction_id'] as const;

/** Matches request paths against the route table, literal segments winning over parameters (`@me` vs `{user_id}`). */
export class Router {
	readonly #routes: CompiledRoute[] = [];

	/** Adds routes. */
	public add(definitions: readonly RouteDefinition[]): void {
		for (const definition of definitions) {
			const paramNames: string[] = [];
			const source = definition.path
				.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
				.replace(/\{(\w+)\}/g, (_match, name: string) => {
					paramNames.push(name);
					return '([^/]+)';
				});
			const key = `${definition.method} ${definition.path}`;
			this.#routes.push({
				definition,
				key,
				hash: bucketHash(definition.bucket ?? key),
				paramNames,
				pattern: new RegExp(`^${source}$`),
				segments: paramNames.length,
			});
		}
		// Fewer parameters first: `/users/@me` wins over `/users/{user_id}`.
		this.#routes.sort((a, b) => a.segments - b.segments);
	}

	/** Every route served, as `METHOD /path/{param}`. */
	public list(): { method: string; path: string }[] {
		return this.#routes.map((route) => ({ method: route.definition.method, path: route.definition.path }));
	}

	/** Finds the route for a method and path; `'method'` when the path exists with other methods only. */
	public match(method: string, rawPath: string): RouteMatch | 'method' | undefined {
		// Clients percent-encode segments (`%40me`, emoji names): match on decoded segments.
		const path = rawPath
			.split('/')
			.map((segment) => decodeSegment(segment).replaceAll('/', '%2F'))
			.join('/');
		let pathMatched = false;
		for (const route of this.#routes) {
			const found = route.pattern.exec(path);
			if (found === null) continue;
			pathMatched = true;
			if (route.definition.method !== method) continue;
			const params: Record<string, string> = {};
			route.paramNames.forEach((name, index) => {
				params[name] = (found[index + 1] ?? '').replaceAll('%2F', '/');
			});
			const major = MAJOR.find((name) => name in params);
			let majorParameter = major === undefined ? 'global' : (params[major] ?? 'global');
			if (major === 'webhook_id' && params.webhook_token !== undefined)
				majorParameter += `:${params.webhook_token}`;
			if (major === 'interaction_id' && params.interaction_token !== undefined)
				majorParameter += `:${params.interaction_token}`;
			return { route, params, majorParameter };
		}
		return pathMatched ? 'method' : undefined;
	}
}

function decodeSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
