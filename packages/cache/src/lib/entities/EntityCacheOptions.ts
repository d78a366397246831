import type { ExtensionPointEmitter, ValidationMode } from '@ovenjs/types';

/** {@link EntityCacheOptions.validation}: a `ValidationMode`, or `'checked'` for dispatches checked by the caller. */
export type EntityCacheValidation = ValidationMode | 'checked';
import type { Channel, Emoji, Guild, Message, Role } from '@ovenjs/types';
import type { MemberProperty } from './MemberTable.js';
import type { UserProperty } from './UserTable.js';
import type { CachedMember, CachedPresence, CachedUser, CachedVoiceState } from './views.js';

/** Which resources the entity cache keeps. Combine with `|`. */
export const CacheFlags = {
	Guilds: 1 << 0,
	Channels: 1 << 1,
	Roles: 1 << 2,
	Members: 1 << 3,
	Users: 1 << 4,
	Messages: 1 << 5,
	Emojis: 1 << 6,
	Presences: 1 << 7,
	VoiceStates: 1 << 8,
} as const;

/** Every flag. */
export const ALL_CACHE_FLAGS = 0x1ff;

/** The default: everything except presences (the heaviest and least often read). */
export const DEFAULT_CACHE_FLAGS = ALL_CACHE_FLAGS & ~CacheFlags.Presences;

/** A guild as cached: its own fields, without the arrays that are cached separately. */
export type CachedGuild = Readonly<{
	[K in keyof Guild as K extends 'roles' | 'emojis' | 'channels' | 'threads' | 'members' ? never : K]: Guild[K];
}>;

/**
 * Desired properties: the fields kept per resource. For guilds, channels, roles, emojis and messages the
 * fields of `@ovenjs/types`' schema are always kept and these list extra fields to keep (everything else
 * Discord sends is dropped). For users and members these list which optional fields the compact tables keep.
 */
export interface DesiredProperties {
	/** Extra guild fields, e.g. `['banner', 'description', 'premium_tier']`. @defaultValue `[]` */
	readonly guild?: readonly string[];
	/** Extra channel fields, e.g. `['bitrate', 'user_limit']`. @defaultValue `[]` */
	readonly channel?: readonly string[];
	/** Extra role fields. @defaultValue `[]` */
	readonly role?: readonly string[];
	/** Extra emoji fields. @defaultValue `[]` */
	readonly emoji?: readonly string[];
	/**
	 * Messages are cached as the payload the gateway delivered (the same object a `messageCreate` listener got: no
	 * copy per message; a payload validated in full is cached as the schema's output). Give a list to cache pruned copies instead: the schema's fields plus these, e.g.
	 * `['components', 'referenced_message']` (`[]` keeps the schema's fields only); that costs a copy per message.
	 * @defaultValue `undefined` (the payload as received)
	 */
	readonly message?: readonly string[];
	/** Optional user fields kept. @defaultValue {@link DefaultDesiredProperties.user} (all) */
	readonly user?: readonly UserProperty[];
	/** Optional member fields kept. @defaultValue {@link DefaultDesiredProperties.member} (all) */
	readonly member?: readonly MemberProperty[];
	/** Keep presence activities (large). @defaultValue {@link DefaultDesiredProperties.presenceActivities} */
	readonly presenceActivities?: boolean;
}

/** Per-resource limits. */
export interface EntityCacheLimits {
	/**
	 * Messages kept per channel; past it the oldest (by arrival) is evicted, in O(1). `0` caches none.
	 * @defaultValue {@link DefaultEntityCacheLimits.messagesPerChannel}
	 */
	readonly messagesPerChannel?: number;
	/** Members kept per guild (beyond it new members are not cached; the bot's own member always is). @defaultValue {@link DefaultEntityCacheLimits.membersPerGuild} */
	readonly membersPerGuild?: number;
	/** Presences kept per guild. @defaultValue {@link DefaultEntityCacheLimits.presencesPerGuild} */
	readonly presencesPerGuild?: number;
}

/** A periodic sweeper. */
export interface SweeperOptions<T> {
	/** Period in ms. */
	readonly interval: number;
	/** Entries for which this returns `true` are removed. */
	readonly filter: (entry: T, now: number) => boolean;
}

/** Sweepers that run on their own, by predicate (age-based: compare against `now`). */
export interface EntityCacheSweepers {
	readonly messages?: SweeperOptions<Message>;
	readonly members?: SweeperOptions<CachedMember>;
	/** Users not referenced by any cached member are passed with `referenced = false`. */
	readonly users?: SweeperOptions<CachedUser & { readonly referenced: boolean }>;
	readonly presences?: SweeperOptions<CachedPresence>;
	readonly voiceStates?: SweeperOptions<CachedVoiceState>;
	readonly channels?: SweeperOptions<Channel>;
	readonly emojis?: SweeperOptions<Emoji>;
	readonly roles?: SweeperOptions<Role>;
}

/** Options of an `EntityCache`. */
export interface EntityCacheOptions {
	/** Which resources are cached ({@link CacheFlags}). @defaultValue {@link DefaultEntityCacheOptions.flags} (everything but presences) */
	readonly flags?: number;
	/** Which fields are kept. @defaultValue {@link DefaultDesiredProperties} */
	readonly properties?: DesiredProperties;
	/** Per-resource limits. @defaultValue {@link DefaultEntityCacheLimits} */
	readonly limits?: EntityCacheLimits;
	/** Periodic sweepers. @defaultValue none */
	readonly sweepers?: EntityCacheSweepers;
	/**
	 * How payloads are validated before they are cached: a `ValidationMode` of `@ovenjs/types`, or `'checked'`: the
	 * caller checked each dispatch's own payload already (`@ovenjs/core`'s client does, with the same shapes, before
	 * the cache sees it), so the cache does not check a message twice; objects nested in a dispatch (a guild's
	 * roles, channels and emojis) still get the shape check of `'off'`.
	 * @defaultValue the process-wide mode (`getValidationMode()`, `'sampled'` unless changed)
	 */
	readonly validation?: EntityCacheValidation;
	/** Called for a dispatch whose data cannot be ingested (it is skipped). @defaultValue none */
	readonly onInvalidPayload?: (event: string, error: unknown) => void;
	/**
	 * The extension-point bus (`@ovenjs/core` passes the client's). Single-entity reads report
	 * `cache:beforeGet` / `cache:afterGet` (tier `'entity'`), ingested dispatches `cache:beforeSet` /
	 * `cache:afterSet`, with keys in {@link DiscordKeys} form. Nothing is built when no handler listens.
	 * @defaultValue none
	 */
	readonly emitter?: ExtensionPointEmitter;
}

/** The defaults of {@link EntityCacheOptions} (`properties` and `limits` have their own objects below). */
export const DefaultEntityCacheOptions = {
	flags: DEFAULT_CACHE_FLAGS,
} as const satisfies Required<Pick<EntityCacheOptions, 'flags'>>;

/** The defaults of {@link EntityCacheLimits}. */
export const DefaultEntityCacheLimits = {
	messagesPerChannel: 100,
	membersPerGuild: Infinity,
	presencesPerGuild: Infinity,
} as const satisfies Required<EntityCacheLimits>;

/** The defaults of {@link DesiredProperties} (`message`: the payload as received). */
export const DefaultDesiredProperties = {
	guild: [],
	channel: [],
	role: [],
	emoji: [],
	user: ['globalName', 'discriminator', 'avatar', 'publicFlags'],
	member: ['nick', 'avatar', 'premiumSince', 'communicationDisabledUntil', 'flags', 'voice'],
	presenceActivities: false,
} as const satisfies Required<Omit<DesiredProperties, 'message'>>;
