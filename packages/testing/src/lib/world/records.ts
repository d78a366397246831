import type { GatewayDispatchEvents, APIMessage, APIRole } from 'discord-api-types/v10';
import type { ChannelId, GuildId, MessageId, RoleId, UserId } from '@ovenjs/types';
import type { APIChannelPayload, GuildChannelKind, MockMember } from './factories.js';

/** Receives every event the world produces; the gateway routes it to the sessions that should see it. */
export type DispatchSink = (event: GatewayDispatchEvents, data: unknown, guildId: GuildId | null) => void;

/** A guild and everything stored under it. */
export interface GuildRecord {
	readonly id: GuildId;
	name: string;
	ownerId: UserId;
	readonly createdAt: string;
	readonly roles: Map<RoleId, APIRole>;
	readonly channels: Set<ChannelId>;
	readonly members: Map<UserId, MockMember>;
	systemChannelId: ChannelId | null;
}

/** A channel and its messages (oldest first, by insertion). */
export interface ChannelRecord {
	readonly id: ChannelId;
	readonly guildId: GuildId | null;
	channel: APIChannelPayload;
	readonly messages: Map<MessageId, APIMessage>;
}

/** Options of `World.createGuild`. */
export interface CreateGuildOptions {
	/** @defaultValue a generated name such as `"Guild 3"` */
	readonly name?: string;
	/** The owner; a new user is created when omitted. */
	readonly ownerId?: UserId;
	/** How many text channels to create. @defaultValue 3 */
	readonly channels?: number;
	/** How many members besides the owner and the bot. @defaultValue 10 */
	readonly members?: number;
	/** Whether the bot user joins the guild. @defaultValue true */
	readonly withBot?: boolean;
}

/** Options of `World.createChannel`. */
export interface CreateChannelOptions {
	/** @defaultValue `"channel-N"` */
	readonly name?: string;
	/** @defaultValue `ChannelType.GuildText` */
	readonly type?: GuildChannelKind;
	/** @defaultValue null */
	readonly parentId?: ChannelId | null;
	/** @defaultValue null */
	readonly topic?: string | null;
}

/** Options of `World.createRole`. */
export interface CreateRoleOptions {
	/** @defaultValue `"role-N"` */
	readonly name?: string;
	/** Permission bits as a decimal string. @defaultValue `"0"` */
	readonly permissions?: string;
}
