import { z } from 'zod';
import { isPluginErrorCode, PluginError, type PluginErrorCode } from '../errors/PluginError.js';
import type { WireError } from './wire.js';

export type { HostMessage, RemoteInit, WireError } from './wire.js';
export { toWire } from './wire.js';

const WireErrorSchema = z.object({
	code: z.string().optional(),
	name: z.string().optional(),
	message: z.string(),
	capability: z.string().optional(),
});

/** Runtime → host, checked on arrival (a plugin's thread is not trusted to send well-formed messages). */
export const RuntimeMessageSchema = z.discriminatedUnion('t', [
	z.object({
		t: z.literal('done'),
		id: z.number(),
		ok: z.boolean(),
		value: z.unknown().optional(),
		error: WireErrorSchema.optional(),
	}),
	z.object({ t: z.literal('call'), id: z.number(), op: z.string(), args: z.array(z.unknown()) }),
	z.object({ t: z.literal('post'), op: z.string(), args: z.array(z.unknown()) }),
]);
/** Runtime → host. */
export type RuntimeMessage = z.infer<typeof RuntimeMessageSchema>;

/** A wire error back to a `PluginError` (plugin codes kept; anything else becomes `fallback`). */
export function fromWire(
	plugin: string,
	error: WireError | undefined,
	fallback: PluginErrorCode,
	what: string,
): PluginError {
	const message = (error?.message ?? 'no details').replace(/^Plugin "[^"]*": /, '');
	if (isPluginErrorCode(error?.code))
		return new PluginError(
			error.code,
			plugin,
			message,
			error.capability === undefined ? {} : { capability: error.capability },
		);
	const thrown = `${error?.name === undefined ? '' : `${error.name}: `}${message}`;
	return PluginError.of(fallback, plugin, [{ kind: 'threw', what, thrown }]);
}
