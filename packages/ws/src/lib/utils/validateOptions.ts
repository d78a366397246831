import { GatewayError } from '../errors/GatewayError.js';
import { DefaultWebSocketManagerOptions, type WebSocketManagerOptions } from '../WebSocketManagerOptions.js';
import { resolveDecompressor } from './decompression.js';

const COMPRESSIONS: ReadonlySet<unknown> = new Set([null, 'zlib-stream', 'zstd-stream']);
const DECOMPRESSORS: ReadonlySet<unknown> = new Set(['auto', 'zlib-sync', 'node:zlib', 'fzstd']);

function fail(option: string, fix: string): never {
	throw GatewayError.of('GATEWAY_INVALID_OPTION', [option, fix]);
}

function isPositiveInt(value: number): boolean {
	return Number.isInteger(value) && value > 0;
}

/** Checks a manager's options; throws `GATEWAY_INVALID_OPTION` saying what to fix. */
export function validateOptions(options: WebSocketManagerOptions): void {
	if (typeof options.token !== 'string' || options.token.trim() === '')
		fail('token', 'must be the bot token (a non-empty string).');
	if (/^Bot\s/i.test(options.token)) fail('token', 'must not start with "Bot ": pass the token without the prefix.');
	if (!Number.isInteger(options.intents) || options.intents < 0)
		fail('intents', `must be a non-negative integer bit field, got ${String(options.intents)}.`);
	const count = options.shardCount ?? DefaultWebSocketManagerOptions.shardCount;
	if (count !== 'auto' && !isPositiveInt(count))
		fail('shardCount', `must be 'auto' or a positive integer, got ${String(count)}.`);
	if (count === 'auto' && options.rest === undefined && options.fetchGatewayInformation === undefined) {
		fail(
			'shardCount',
			"'auto' needs `rest` or `fetchGatewayInformation` to ask Discord for the recommended count; pass one, or a number.",
		);
	}
	if (options.shardIds !== undefined) {
		if (options.shardIds.length === 0) fail('shardIds', 'must name at least one shard.');
		const seen = new Set<number>();
		for (const id of options.shardIds) {
			if (!Number.isInteger(id) || id < 0)
				fail('shardIds', `must hold non-negative integers, got ${String(id)}.`);
			if (seen.has(id)) fail('shardIds', `lists shard ${id} twice.`);
			seen.add(id);
			if (count !== 'auto' && id >= count)
				fail('shardIds', `contains ${id}, but shardCount is ${count}: ids must be in [0, ${count}).`);
		}
	}
	const compression = options.compression ?? DefaultWebSocketManagerOptions.compression;
	if (!COMPRESSIONS.has(compression))
		fail('compression', `must be 'zlib-stream', 'zstd-stream' or null, got ${String(compression)}.`);
	const large = options.largeThreshold;
	if (large !== undefined && (!Number.isInteger(large) || large < 50 || large > 250))
		fail('largeThreshold', `must be an integer in [50, 250], got ${String(large)}.`);
	for (const key of [
		'handshakeTimeout',
		'helloTimeout',
		'readyTimeout',
		'maxPayloadSize',
		'maxShards',
		'reshardCheckInterval',
		'guildsPerShardThreshold',
	] as const) {
		const value = options[key];
		if (value !== undefined && value !== null && !isPositiveInt(value))
			fail(key, `must be a positive integer (ms or count), got ${String(value)}.`);
	}
	const decompressor = options.decompressor ?? DefaultWebSocketManagerOptions.decompressor;
	if (!DECOMPRESSORS.has(decompressor))
		fail('decompressor', `must be 'auto', 'zlib-sync', 'node:zlib' or 'fzstd', got ${decompressor}.`);
	if (compression !== null) {
		const decoder = resolveDecompressor(compression, decompressor);
		if (decoder instanceof GatewayError) throw decoder;
	}
	const backoff = options.reconnectBackoff;
	if (backoff !== undefined && (!(backoff.initial >= 0) || !(backoff.max >= backoff.initial)))
		fail('reconnectBackoff', 'needs 0 <= initial <= max (milliseconds).');
	if (options.gatewayUrl !== undefined && !/^wss?:\/\//.test(options.gatewayUrl))
		fail('gatewayUrl', `must be a ws:// or wss:// URL, got ${options.gatewayUrl}.`);
	const events: unknown = options.dispatchEvents;
	if (events !== undefined && events !== 'all' && !Array.isArray(events) && typeof events !== 'function')
		fail('dispatchEvents', "must be 'all', an array of event names or a function of the event name.");
}
