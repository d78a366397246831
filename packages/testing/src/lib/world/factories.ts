import {
	ChannelType,
	GuildDefaultMessageNotifications,
	ForumLayoutType,
	GuildExplicitContentFilter,
	GuildMFALevel,
	GuildNSFWLevel,
	GuildPremiumTier,
	GuildSystemChannelFlags,
	GuildVerificationLevel,
	Locale,
	MessageType,
	PermissionFlagsBits,
	type APIGuild,
	type APIGuildCategoryChannel,
	type APIGuildForumChannel,
	type APIGuildVoiceChannel,
	type APINewsChannel,
	type APIOverwrite,
	type APITextChannel,
	type APIThreadChannel,
	type APIDMChannel,
	type ThreadAutoArchiveDuration,
	type APIGuildMember,
	type APIMessage,
	type APIRole,
	type APIUser,
} from 'discord-api-types/v10';
import type { ApplicationId, ChannelId, GuildId, MessageId, RoleId, UserId, WebhookId } from '@ovenjs/types';
import { channelFlags, memberFlags, messageFlags, roleFlags, userFlags } from '../utils/flags.js';

/** The permission bits of a guild's `@everyone` role in a fresh Discord guild (the member defaults). */
export const EVERYONE_PERMISSIONS = (
	PermissionFlagsBits.CreateInstantInvite |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.Stream |
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AttachFiles |
	PermissionFlagsBits.ReadMessageHistory |
	PermissionFlagsBits.MentionEveryone |
	PermissionFlagsBits.UseExternalEmojis |
	PermissionFlagsBits.Connect |
	PermissionFlagsBits.Speak |
	PermissionFlagsBits.UseVAD |
	PermissionFlagsBits.ChangeNickname |
	PermissionFlagsBits.UseApplicationCommands |
	PermissionFlagsBits.CreatePublicThreads |
	PermissionFlagsBits.CreatePrivateThreads |
	PermissionFlagsBits.SendMessagesInThreads
).toString();

/** A user payload whose `id` is branded, so scenario code can pass it on without converting. */
export type MockUser = APIUser & { readonly id: UserId };

/** A member payload whose `user.id` is branded. */
export type MockMember = APIGuildMember & { user: MockUser };

/** A user payload as Discord sends it. */
export function makeUser(id: UserId, username: string, bot = false): MockUser {
	return {
		id,
		username,
		discriminator: '0',
		global_name: bot ? null : username,
		avatar: null,
		...(bot ? { bot: true } : {}),
		public_flags: userFlags(0),
		flags: userFlags(0),
		banner: null,
		accent_color: null,
	};
}

/** Fields Discord still sends on roles although they are superseded (`color` → `colors`). */
const LEGACY_ROLE_FIELDS = { color: 0 } as const;

/** A role payload as Discord sends it. */
export function makeRole(id: RoleId, name: string, position: number, permissions: string, managed = false): APIRole {
	return {
		...LEGACY_ROLE_FIELDS,
		id,
		name,
		colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
		hoist: false,
		icon: null,
		unicode_emoji: null,
		position,
		permissions,
		managed,
		mentionable: false,
		flags: roleFlags(0),
	};
}

/** A guild member payload (without the presence or guild ID). */
export function makeMember(user: MockUser, roles: readonly RoleId[], joinedAt: string): MockMember {
	return {
		user,
		nick: null,
		avatar: null,
		banner: null,
		roles: [...roles],
		joined_at: joinedAt,
		premium_since: null,
		deaf: false,
		mute: false,
		flags: memberFlags(0),
		pending: false,
		communication_disabled_until: null,
	};
}

/** The guild object fields that REST `GET /guilds/{guild.id}` returns (roles filled in by the caller). */
export function makeGuild(
	id: GuildId,
	name: string,
	ownerId: UserId,
	systemChannelId: ChannelId | null,
	roles: APIRole[],
): APIGuild {
	return {
		id,
		name,
		icon: null,
		splash: null,
		discovery_splash: null,
		owner_id: ownerId,
		afk_channel_id: null,
		afk_timeout: 300,
		widget_enabled: false,
		widget_channel_id: null,
		verification_level: GuildVerificationLevel.None,
		default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
		explicit_content_filter: GuildExplicitContentFilter.Disabled,
		roles,
		emojis: [],
		features: [],
		mfa_level: GuildMFALevel.None,
		application_id: null,
		system_channel_id: systemChannelId,
		system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
		rules_channel_id: null,
		max_presences: null,
		max_members: 500_000,
		vanity_url_code: null,
		description: null,
		banner: null,
		premium_tier: GuildPremiumTier.None,
		premium_subscription_count: 0,
		preferred_locale: Locale.EnglishUS,
		public_updates_channel_id: null,
		max_video_channel_users: 25,
		max_stage_video_channel_users: 50,
		nsfw_level: GuildNSFWLevel.Default,
		stickers: [],
		premium_progress_bar_enabled: false,
		hub_type: null,
		safety_alerts_channel_id: null,
		incidents_data: null,
	};
}

/** Everything needed to build a message payload. */
export interface MessageInit {
	readonly id: MessageId;
	readonly channelId: ChannelId;
	readonly guildId: GuildId | null;
	readonly author: APIUser;
	readonly member: APIGuildMember | undefined;
	readonly content: string;
	readonly timestamp: string;
	readonly nonce?: string | number;
	readonly tts?: boolean;
	readonly embeds?: APIMessage['embeds'];
	readonly components?: APIMessage['components'];
	readonly attachments?: APIMessage['attachments'];
	readonly mentions: APIUser[];
	readonly mentionRoles: RoleId[];
	readonly mentionEveryone: boolean;
	readonly flags?: number;
	readonly webhookId?: WebhookId;
	readonly applicationId?: ApplicationId;
	readonly messageReference?: APIMessage['message_reference'];
	readonly referencedMessage?: APIMessage | null;
	readonly type?: MessageType;
	readonly interactionMetadata?: APIMessage['interaction_metadata'];
}

/** A message payload as REST returns it (the gateway adds `guild_id` and `member`). */
export function makeMessage(init: MessageInit): APIMessage {
	return {
		id: init.id,
		type: init.type ?? (init.messageReference === undefined ? MessageType.Default : MessageType.Reply),
		channel_id: init.channelId,
		author: init.author,
		content: init.content,
		timestamp: init.timestamp,
		edited_timestamp: null,
		tts: init.tts ?? false,
		mention_everyone: init.mentionEveryone,
		mentions: init.mentions,
		mention_roles: init.mentionRoles,
		attachments: init.attachments ?? [],
		embeds: init.embeds ?? [],
		components: init.components ?? [],
		pinned: false,
		flags: messageFlags(init.flags ?? 0),
		...(init.nonce === undefined ? {} : { nonce: init.nonce }),
		...(init.webhookId === undefined ? {} : { webhook_id: init.webhookId }),
		...(init.applicationId === undefined ? {} : { application_id: init.applicationId }),
		...(init.messageReference === undefined ? {} : { message_reference: init.messageReference }),
		...(init.referencedMessage === undefined ? {} : { referenced_message: init.referencedMessage }),
		...(init.interactionMetadata === undefined ? {} : { interaction_metadata: init.interactionMetadata }),
	};
}

/** The Discord channel types the mock creates in guilds. */
export type GuildChannelKind =
	| ChannelType.GuildText
	| ChannelType.GuildVoice
	| ChannelType.GuildCategory
	| ChannelType.GuildAnnouncement
	| ChannelType.GuildForum;

/** Everything needed to build a guild channel payload. */
export interface ChannelInit {
	readonly id: ChannelId;
	readonly guildId: GuildId;
	readonly name: string;
	readonly type: GuildChannelKind;
	readonly position: number;
	readonly parentId: ChannelId | null;
	readonly topic?: string | null;
	readonly nsfw?: boolean;
	readonly rateLimitPerUser?: number;
	readonly permissionOverwrites?: APIOverwrite[];
}

/** A guild channel payload as Discord sends it, shaped by its type. */
export function makeChannel(init: ChannelInit): APIGuildChannelPayload {
	const base = {
		id: init.id,
		guild_id: init.guildId,
		name: init.name,
		position: init.position,
		permission_overwrites: init.permissionOverwrites ?? [],
		flags: channelFlags(0),
	};
	switch (init.type) {
		case ChannelType.GuildCategory:
			return { ...base, type: ChannelType.GuildCategory, parent_id: null };
		case ChannelType.GuildVoice:
			return {
				...base,
				type: ChannelType.GuildVoice,
				parent_id: init.parentId,
				nsfw: init.nsfw ?? false,
				bitrate: 64_000,
				user_limit: 0,
				rtc_region: null,
				last_message_id: null,
				rate_limit_per_user: init.rateLimitPerUser ?? 0,
			};
		case ChannelType.GuildForum:
			return {
				...base,
				type: ChannelType.GuildForum,
				parent_id: init.parentId,
				nsfw: init.nsfw ?? false,
				topic: init.topic ?? null,
				last_message_id: null,
				rate_limit_per_user: init.rateLimitPerUser ?? 0,
				available_tags: [],
				default_reaction_emoji: null,
				default_sort_order: null,
				default_forum_layout: ForumLayoutType.NotSet,
			};
		case ChannelType.GuildAnnouncement:
			return {
				...base,
				type: ChannelType.GuildAnnouncement,
				parent_id: init.parentId,
				nsfw: init.nsfw ?? false,
				topic: init.topic ?? null,
				last_message_id: null,
				rate_limit_per_user: init.rateLimitPerUser ?? 0,
				last_pin_timestamp: null,
			};
		case ChannelType.GuildText:
			return {
				...base,
				type: ChannelType.GuildText,
				parent_id: init.parentId,
				nsfw: init.nsfw ?? false,
				topic: init.topic ?? null,
				last_message_id: null,
				rate_limit_per_user: init.rateLimitPerUser ?? 0,
				last_pin_timestamp: null,
			};
	}
}

/** The guild channel payloads the mock serves. */
export type APIGuildChannelPayload =
	APITextChannel | APIGuildVoiceChannel | APIGuildCategoryChannel | APINewsChannel | APIGuildForumChannel;

/** Every channel payload the world stores (guild channels, threads, DMs). */
export type APIChannelPayload = APIGuildChannelPayload | APIThreadChannel | APIDMChannel;

/** A thread channel payload (public or private) under `parentId`. */
export function makeThread(init: {
	readonly id: ChannelId;
	readonly guildId: GuildId;
	readonly parentId: ChannelId;
	readonly ownerId: UserId;
	readonly name: string;
	readonly type: ChannelType.PublicThread | ChannelType.PrivateThread | ChannelType.AnnouncementThread;
	readonly autoArchiveDuration: ThreadAutoArchiveDuration;
	readonly timestamp: string;
}): APIThreadChannel {
	return {
		id: init.id,
		type: init.type,
		guild_id: init.guildId,
		parent_id: init.parentId,
		owner_id: init.ownerId,
		name: init.name,
		last_message_id: null,
		last_pin_timestamp: null,
		rate_limit_per_user: 0,
		flags: channelFlags(0),
		message_count: 0,
		member_count: 1,
		total_message_sent: 0,
		thread_metadata: {
			archived: false,
			auto_archive_duration: init.autoArchiveDuration,
			archive_timestamp: init.timestamp,
			locked: false,
			create_timestamp: init.timestamp,
		},
	};
}

/** A DM channel payload with one recipient. */
export function makeDmChannel(id: ChannelId, recipient: APIUser): APIDMChannel {
	return {
		id,
		type: ChannelType.DM,
		name: null,
		last_message_id: null,
		recipients: [recipient],
		flags: channelFlags(0),
		last_pin_timestamp: null,
	};
}
