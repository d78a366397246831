import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { InteractionSchema, ValidationSampler, getValidationMode, type ValidationMode } from '@ovenjs/types';

const INTERACTION_TYPES: ReadonlySet<unknown> = new Set<unknown>([
	InteractionType.Ping,
	InteractionType.ApplicationCommand,
	InteractionType.MessageComponent,
	InteractionType.ApplicationCommandAutocomplete,
	InteractionType.ModalSubmit,
]);

/**
 * The shape core dispatches an interaction on: a known `type`, string `id` and `token`, and `data` on every
 * interaction but a ping. No allocation; the rest of the payload is not looked at.
 */
export function isInteractionShape(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const type: unknown = Reflect.get(value, 'type');
	if (!INTERACTION_TYPES.has(type)) return false;
	if (typeof Reflect.get(value, 'token') !== 'string' || typeof Reflect.get(value, 'id') !== 'string') return false;
	if (type !== InteractionType.Ping) {
		const data: unknown = Reflect.get(value, 'data');
		if (typeof data !== 'object' || data === null) return false;
	}
	return true;
}

const sampler = new ValidationSampler();

/**
 * Whether a gateway `INTERACTION_CREATE` payload is an interaction core can wrap: the shape core dispatches on
 * (`type` is a known interaction type, `id` and `token` are strings, `data` is present on non-ping interactions),
 * plus `InteractionSchema` as `mode` says (see `ValidationMode` in `@ovenjs/types`): on every call with `'full'`,
 * on the sampled calls with `'sampled'` (the default), never with `'off'`.
 */
export function isAPIInteraction(value: unknown, mode: ValidationMode = getValidationMode()): value is APIInteraction {
	if (!isInteractionShape(value)) return false;
	if (mode === 'off' || (mode === 'sampled' && !sampler.take('Interaction'))) return true;
	return InteractionSchema.safeParse(value).success;
}
