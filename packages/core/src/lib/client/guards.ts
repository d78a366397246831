import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { InteractionSchema, getValidationMode } from '@ovenjs/types';

const INTERACTION_TYPES: ReadonlySet<unknown> = new Set<unknown>([
	InteractionType.Ping,
	InteractionType.ApplicationCommand,
	InteractionType.MessageComponent,
	InteractionType.ApplicationCommandAutocomplete,
	InteractionType.ModalSubmit,
]);

/**
 * Whether a gateway `INTERACTION_CREATE` payload is an interaction core can wrap: with validation `'full'`
 * (see `setValidationMode` in `@ovenjs/types`) it is checked against `InteractionSchema` plus the fields the
 * typed wrappers read (`type` is a known interaction type, `data` is present on non-ping interactions).
 * With `'off'` only the shape core dispatches on is checked: the documented fast path for Discord's payloads.
 */
export function isAPIInteraction(value: unknown): value is APIInteraction {
	if (typeof value !== 'object' || value === null) return false;
	const type: unknown = Reflect.get(value, 'type');
	if (!INTERACTION_TYPES.has(type)) return false;
	if (typeof Reflect.get(value, 'token') !== 'string' || typeof Reflect.get(value, 'id') !== 'string') return false;
	if (type !== InteractionType.Ping) {
		const data: unknown = Reflect.get(value, 'data');
		if (typeof data !== 'object' || data === null) return false;
	}
	return getValidationMode() === 'off' || InteractionSchema.safeParse(value).success;
}
