import type {
	APIApplicationCommand,
	APIAuditLogEntry,
	APIBan,
	APIEmoji,
	APIInvite,
	APIWebhook,
	AuditLogEvent,
} from 'discord-api-types/v10';
import type { ChannelId, CommandId, EmojiId, GuildId, MessageId, UserId, WebhookId } from '@ovenjs/types';

/** An invite and where it points. */
export interface InviteRecord {
	readonly invite: APIInvite;
	readonly guildId: GuildId | null;
	readonly channelId: ChannelId;
	uses: number;
	readonly maxUses: number;
	readonly createdAt: string;
}

/** A webhook and its secret token (for execute routes). */
export interface WebhookRecord {
	webhook: APIWebhook;
	readonly token: string;
	readonly channelId: ChannelId;
	readonly guildId: GuildId;
}

/** One recorded audit-log entry plus the guild it belongs to. */
export interface AuditRecord {
	readonly guildId: GuildId;
	readonly entry: APIAuditLogEntry;
}

/** State beyond guilds, channels and messages: bans, invites, webhooks, commands, reactions, pins, threads, audit log. */
export class WorldData {
	/** Bans by guild, then user. */
	public readonly bans = new Map<GuildId, Map<UserId, APIBan>>();
	/** Invites by code. */
	public readonly invites = new Map<string, InviteRecord>();
	/** Webhooks by ID. */
	public readonly webhooks = new Map<WebhookId, WebhookRecord>();
	/** Global application commands (guildId `null`) and guild commands. */
	public readonly commands = new Map<CommandId, { command: APIApplicationCommand; guildId: GuildId | null }>();
	/** Reactions by message, then emoji key (`name` or `name:id`), then the users who reacted. */
	public readonly reactions = new Map<MessageId, Map<string, Set<UserId>>>();
	/** Pinned message IDs by channel (oldest pin first). */
	public readonly pins = new Map<ChannelId, MessageId[]>();
	/** Thread members by thread. */
	public readonly threadMembers = new Map<ChannelId, Map<UserId, string>>();
	/** Audit-log entries by guild, newest last. */
	public readonly auditLog = new Map<GuildId, APIAuditLogEntry[]>();
	/** Custom emojis by guild. */
	public readonly emojis = new Map<GuildId, Map<EmojiId, APIEmoji>>();
	/** DM channels by recipient. */
	public readonly dmChannels = new Map<UserId, ChannelId>();

	/** The ban map of a guild (created on first use). */
	public bansOf(guildId: GuildId): Map<UserId, APIBan> {
		let bans = this.bans.get(guildId);
		if (bans === undefined) {
			bans = new Map();
			this.bans.set(guildId, bans);
		}
		return bans;
	}

	/** The emojis of a guild (created on first use). */
	public emojisOf(guildId: GuildId): Map<EmojiId, APIEmoji> {
		let emojis = this.emojis.get(guildId);
		if (emojis === undefined) {
			emojis = new Map();
			this.emojis.set(guildId, emojis);
		}
		return emojis;
	}

	/** The audit log of a guild (created on first use). */
	public auditOf(guildId: GuildId): APIAuditLogEntry[] {
		let entries = this.auditLog.get(guildId);
		if (entries === undefined) {
			entries = [];
			this.auditLog.set(guildId, entries);
		}
		return entries;
	}
}

/** Re-exported for route files that record entries. */
export type { AuditLogEvent };
