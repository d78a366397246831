import { z } from 'zod';

/** op 2 IDENTIFY `d`. */
export const IdentifySchema = z.object({
	token: z.string(),
	properties: z.looseObject({ os: z.string(), browser: z.string(), device: z.string() }),
	compress: z.boolean().exactOptional(),
	large_threshold: z.number().int().min(50).max(250).exactOptional(),
	shard: z.tuple([z.number().int(), z.number().int()]).exactOptional(),
	presence: z.looseObject({}).exactOptional(),
	intents: z.number().int(),
});

/** op 6 RESUME `d`. */
export const ResumeSchema = z.object({ token: z.string(), session_id: z.string(), seq: z.number().int().min(0) });

/** op 8 REQUEST_GUILD_MEMBERS `d`. */
export const RequestGuildMembersSchema = z.object({
	guild_id: z.union([z.string(), z.array(z.string())]),
	query: z.string().exactOptional(),
	limit: z.number().int().min(0).exactOptional(),
	presences: z.boolean().exactOptional(),
	user_ids: z.union([z.string(), z.array(z.string())]).exactOptional(),
	nonce: z.string().max(32).exactOptional(),
});

/** op 3 PRESENCE_UPDATE `d`. */
export const PresenceSchema = z.object({
	since: z.number().nullable(),
	activities: z.array(z.looseObject({ name: z.string(), type: z.number().int() })),
	status: z.enum(['online', 'dnd', 'idle', 'invisible', 'offline']),
	afk: z.boolean(),
});

/** Any gateway payload from the client. */
export const PayloadSchema = z.object({
	op: z.number().int(),
	d: z.unknown(),
	s: z.unknown().exactOptional(),
	t: z.unknown().exactOptional(),
});
