import { z } from 'zod';
import { MemberSchema, MessageSchema, UserSchema, snowflakeSchema } from '@ovenjs/types';

/** READY, the fields core reads. */
export const ReadySchema = z.looseObject({
	user: UserSchema,
	application: z.looseObject({ id: snowflakeSchema('Application') }),
	session_id: z.string(),
	guilds: z.array(z.looseObject({ id: snowflakeSchema('Guild') })),
});

/** MESSAGE_UPDATE: a partial message with its IDs. */
export const MessageUpdateSchema = MessageSchema.partial().extend({
	id: snowflakeSchema('Message'),
	channel_id: snowflakeSchema('Channel'),
});

/** MESSAGE_DELETE. */
export const MessageDeleteSchema = z.looseObject({
	id: snowflakeSchema('Message'),
	channel_id: snowflakeSchema('Channel'),
	guild_id: snowflakeSchema('Guild').optional(),
});

/** GUILD_CREATE / GUILD_DELETE, the fields core reads. */
export const GuildIdentitySchema = z.looseObject({ id: snowflakeSchema('Guild'), unavailable: z.boolean().optional() });

/** A partial message (MESSAGE_UPDATE). */
export type MessageUpdate = z.output<typeof MessageUpdateSchema>;
/** A deleted message's IDs (MESSAGE_DELETE). */
export type MessageDelete = z.output<typeof MessageDeleteSchema>;

/** GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE: the member with its guild and user. */
export const GuildMemberEventSchema = MemberSchema.partial().extend({
	guild_id: snowflakeSchema('Guild'),
	user: UserSchema,
});

/** GUILD_MEMBER_REMOVE. */
export const GuildMemberRemoveSchema = z.looseObject({ guild_id: snowflakeSchema('Guild'), user: UserSchema });

/** A member event (GUILD_MEMBER_ADD / GUILD_MEMBER_UPDATE): branded IDs, the guild and the user. */
export type GuildMemberEvent = z.output<typeof GuildMemberEventSchema>;
/** A member left or was removed (GUILD_MEMBER_REMOVE). */
export type GuildMemberRemove = z.output<typeof GuildMemberRemoveSchema>;
