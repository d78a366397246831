import { GatewayError } from '../errors/GatewayError.js';
import type { SessionStartLimit } from '../interfaces/IdentifyThrottler.js';
import { isRecord } from './payload.js';

/**
 * `GET /gateway/bot`, as the manager uses it.
 *
 * @see {@link https://discord.com/developers/docs/events/gateway#get-gateway-bot}
 */
export interface GatewayInformation {
	/** The WSS URL to connect to. */
	readonly url: string;
	/** The recommended shard count. */
	readonly shards: number;
	/** The identify budget. */
	readonly sessionStartLimit: SessionStartLimit;
}

/** The part of a REST client the manager uses (any client whose `get` returns parsed JSON fits). */
export interface GatewayRestLike {
	get(route: '/gateway/bot'): Promise<unknown>;
}

function positiveInt(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks the JSON of `GET /gateway/bot` (snake_case, as Discord sends it) and converts it. */
export function parseGatewayInformation(value: unknown): GatewayInformation {
	if (
		isRecord(value) &&
		typeof value.url === 'string' &&
		/^wss?:\/\//.test(value.url) &&
		URL.canParse(value.url) &&
		positiveInt(value.shards) &&
		isRecord(value.session_start_limit)
	) {
		const limit = value.session_start_limit;
		if (
			positiveInt(limit.total) &&
			positiveInt(limit.remaining) &&
			positiveInt(limit.reset_after) &&
			positiveInt(limit.max_concurrency) &&
			limit.max_concurrency > 0
		) {
			return {
				url: value.url,
				shards: Math.max(1, value.shards),
				sessionStartLimit: {
					total: limit.total,
					remaining: limit.remaining,
					resetAfter: limit.reset_after,
					maxConcurrency: limit.max_concurrency,
				},
			};
		}
	}
	throw GatewayError.of('GATEWAY_INVALID_GATEWAY_INFORMATION', []);
}
