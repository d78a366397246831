import type { ChannelId, GuildId, RoleId, UserId } from '@ovenjs/types';

/** A cached user: a plain object built on read from the compact user table. */
export interface CachedUser {
	readonly id: UserId;
	readonly username: string;
	/** The display name, or `null`. */
	readonly globalName: string | null;
	/** `'0'` for users on the unique-username system. */
	readonly discriminator: string;
	/** The avatar hash, or `null` (also `null` when avatars are not kept by `userProperties`). */
	readonly avatar: string | null;
	readonly bot: boolean;
	readonly system: boolean;
	readonly publicFlags: number;
}

/** A cached guild member: a plain object built on read from the guild's compact member table. */
export interface CachedMember {
	readonly guildId: GuildId;
	readonly userId: UserId;
	/** The user, when users are cached. */
	readonly user: CachedUser | undefined;
	readonly nick: string | null;
	/** The guild-specific avatar hash, or `null`. */
	readonly avatar: string | null;
	/** Role IDs (only roles still in the guild, when roles are cached). */
	readonly roles: readonly RoleId[];
	/** When the member joined, in ms since the Unix epoch, or `null`. */
	readonly joinedAt: number | null;
	/** When the member started boosting, in ms, or `null`. */
	readonly premiumSince: number | null;
	/** Until when the member is timed out, in ms, or `null`. */
	readonly communicationDisabledUntil: number | null;
	/** Guild member flags. */
	readonly flags: number;
	readonly pending: boolean;
	readonly deaf: boolean;
	readonly mute: boolean;
}

/** A cached presence. */
export interface CachedPresence {
	readonly userId: UserId;
	readonly guildId: GuildId;
	/** `'online'`, `'idle'`, `'dnd'` or `'offline'`. */
	readonly status: string;
	/** Activities as Discord sent them (kept only if `presenceActivities` is on). */
	readonly activities: readonly unknown[];
	readonly clientStatus: Readonly<Record<string, string>>;
}

/** A cached voice state. */
export interface CachedVoiceState {
	readonly guildId: GuildId;
	readonly userId: UserId;
	readonly channelId: ChannelId | null;
	readonly sessionId: string;
	readonly deaf: boolean;
	readonly mute: boolean;
	readonly selfDeaf: boolean;
	readonly selfMute: boolean;
	readonly selfStream: boolean;
	readonly selfVideo: boolean;
	readonly suppress: boolean;
	/** When the user asked to speak (stage), in ms, or `null`. */
	readonly requestToSpeakAt: number | null;
}
