import { GatewayCloseCodes } from 'discord-api-types/v10';

/**
 * Close codes after which Discord does not let the session be resumed: the mock ends the session when it closes
 * a connection with one of these. discord-api-types names the codes (`GatewayCloseCodes`) but says which ones
 * allow a resume only in prose, so the mock keeps this set.
 * @see {@link https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes}
 */
export const NON_RESUMABLE_CLOSE_CODES: ReadonlySet<number> = new Set([
	GatewayCloseCodes.AuthenticationFailed,
	GatewayCloseCodes.InvalidSeq,
	GatewayCloseCodes.SessionTimedOut,
	GatewayCloseCodes.InvalidShard,
	GatewayCloseCodes.ShardingRequired,
	GatewayCloseCodes.InvalidAPIVersion,
	GatewayCloseCodes.InvalidIntents,
	GatewayCloseCodes.DisallowedIntents,
]);
