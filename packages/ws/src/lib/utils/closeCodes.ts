import { GatewayError, type GatewayErrorCode } from '../errors/GatewayError.js';
import { PrivilegedIntents } from './constants.js';

/** What a shard does after the connection closed with a given code. */
export type CloseAction = 'resume' | 'identify' | 'fatal';

/**
 * The action for a close code, exactly as Discord documents it: 4000–4003, 4005 and 4008 (and network loss)
 * reconnect and resume; 4007 and 4009 reconnect with a new session; 4004 and 4010–4014 never reconnect.
 *
 * @see {@link https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes}
 */
export function closeAction(code: number): CloseAction {
	switch (code) {
		case 4004:
		case 4010:
		case 4011:
		case 4012:
		case 4013:
		case 4014:
			return 'fatal';
		case 4007:
		case 4009:
			return 'identify';
		default:
			return 'resume';
	}
}

/** The names of the privileged intents set in `intents`. */
export function privilegedIntentNames(intents: number): string[] {
	const names: string[] = [];
	for (const [name, bit] of Object.entries(PrivilegedIntents)) if ((intents & bit) !== 0) names.push(name);
	return names;
}

const fatal: Readonly<Record<number, readonly [GatewayErrorCode, string]>> = {
	4004: ['GATEWAY_AUTHENTICATION_FAILED', 'Discord rejected the token (close 4004). Check the bot token in the Developer Portal (Bot → Reset Token) and pass it without the "Bot " prefix.'],
	4010: ['GATEWAY_INVALID_SHARD', 'Discord rejected the shard (close 4010). Shard ids must be in [0, shardCount); check `shardIds` and `shardCount`.'],
	4011: ['GATEWAY_SHARDING_REQUIRED', 'Discord requires sharding for this bot (close 4011). Use `shardCount: \'auto\'` or a larger shard count.'],
	4012: ['GATEWAY_INVALID_API_VERSION', 'Discord rejected the gateway API version (close 4012). Upgrade @ovenjs/ws.'],
	4013: ['GATEWAY_INVALID_INTENTS', 'Discord rejected the intents bit field (close 4013). Pass a valid combination of GatewayIntentBits.'],
};

/** Builds the typed fatal error for a fatal close code. */
export function fatalCloseError(code: number, shardId: number, intents: number): GatewayError {
	if (code === 4014) {
		const requested = privilegedIntentNames(intents);
		const list = requested.length > 0 ? requested.join(', ') : 'none (check the intents option)';
		return new GatewayError(
			'GATEWAY_DISALLOWED_INTENTS',
			`Shard ${shardId}: Discord refused privileged intents (close 4014). Requested privileged intents: ${list}. Enable them in the Developer Portal (Bot → Privileged Gateway Intents), or remove them from \`intents\`.`,
			{ shardId, closeCode: code, privilegedIntents: requested },
		);
	}
	const entry = fatal[code];
	if (entry === undefined) return new GatewayError('GATEWAY_NOT_CONNECTED', `Shard ${shardId}: closed with code ${code}.`, { shardId, closeCode: code });
	return new GatewayError(entry[0], `Shard ${shardId}: ${entry[1]}`, { shardId, closeCode: code });
}
