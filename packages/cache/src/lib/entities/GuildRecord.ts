import type { Emoji, GuildId, Role } from '@ovenjs/types';
import type { CachedGuild } from './EntityCacheOptions.js';
import type { MemberTable } from './MemberTable.js';
import type { CachedPresence, CachedVoiceState } from './views.js';

/** Everything cached for one guild. */
export class GuildRecord {
	/** The guild's own fields (undefined until a GUILD_CREATE, or when guilds are not cached). */
	public data: CachedGuild | undefined;
	/** Whether Discord reported the guild unavailable (outage, or not yet received after READY). */
	public unavailable = false;
	public readonly channels = new Set<string>();
	public readonly roles = new Map<string, Role>();
	public readonly emojis = new Map<string, Emoji>();
	public members: MemberTable | undefined;
	public readonly presences = new Map<string, CachedPresence>();
	public readonly voiceStates = new Map<string, CachedVoiceState>();

	public constructor(public readonly id: GuildId) {}
}
