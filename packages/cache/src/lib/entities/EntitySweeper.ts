import type { EntityCacheSweepers, SweeperOptions } from './EntityCacheOptions.js';
import { assertNumberOption } from '../utils/keys.js';
import type { GuildRecord } from './GuildRecord.js';
import type { MessageWindow } from './MessageWindow.js';
import type { Channel, Emoji, GuildId, Message, Role, UserId } from '@ovenjs/types';
import type { UserTable } from './UserTable.js';
import type { CachedMember, CachedPresence, CachedUser, CachedVoiceState } from './views.js';

/** What a sweeper works on: the entity cache's records and the two operations that keep them consistent. */
export interface SweepTarget {
	readonly guilds: ReadonlyMap<string, GuildRecord>;
	readonly channels: Map<string, Channel>;
	readonly messages: Map<string, MessageWindow>;
	readonly users: UserTable;
	/** The bot's own user ID (never swept). */
	selfId(): string | undefined;
	/** The members of a guild, as plain objects. */
	members(guildId: GuildId): Iterable<CachedMember>;
	/** Removes a member and releases its user. */
	removeMember(record: GuildRecord, userId: UserId): boolean;
}

/** Runs an entity cache's sweepers on their intervals and implements the `sweep*` methods. */
export class EntitySweeper {
	readonly #timers: NodeJS.Timeout[] = [];
	readonly #target: SweepTarget;

	/** @internal Built by the entity cache over its own records. */
	public constructor(target: SweepTarget, sweepers: EntityCacheSweepers) {
		this.#target = target;
		this.#every(sweepers.messages, (filter) => this.messages(filter));
		this.#every(sweepers.members, (filter) => this.members(filter));
		this.#every(sweepers.users, (filter) => this.users(filter));
		this.#every(sweepers.presences, (filter) => this.presences(filter));
		this.#every(sweepers.voiceStates, (filter) => this.voiceStates(filter));
		this.#every(sweepers.channels, (filter) => this.channels(filter));
		this.#every(sweepers.emojis, (filter) => this.emojis(filter));
		this.#every(sweepers.roles, (filter) => this.roles(filter));
	}

	/** Removes messages matching `filter`; returns how many. */
	public messages(filter: (message: Message, now: number) => boolean): number {
		const now = Date.now();
		let removed = 0;
		for (const channel of this.#target.messages.values()) {
			for (const message of channel.values()) {
				if (filter(message, now)) {
					channel.delete(message.id);
					removed++;
				}
			}
		}
		return removed;
	}

	/** Removes members matching `filter` (never the bot's own member); returns how many. */
	public members(filter: (member: CachedMember, now: number) => boolean): number {
		const now = Date.now();
		const target = this.#target;
		const selfId = target.selfId();
		let removed = 0;
		for (const record of target.guilds.values()) {
			const table = record.members;
			if (table === undefined) continue;
			for (const member of [...target.members(record.id)]) {
				if (member.userId !== selfId && filter(member, now) && target.removeMember(record, member.userId))
					removed++;
			}
		}
		return removed;
	}

	/** Removes users matching `filter` (never the bot itself); `referenced` tells whether a cached member points at them. */
	public users(filter: (user: CachedUser & { readonly referenced: boolean }, now: number) => boolean): number {
		const now = Date.now();
		const users = this.#target.users;
		const selfId = this.#target.selfId();
		const doomed: string[] = [];
		for (const row of users.rows()) {
			const user = users.viewAt(row);
			if (user.id !== selfId && filter({ ...user, referenced: users.refCount(row) > 0 }, now))
				doomed.push(user.id);
		}
		for (const id of doomed) users.remove(id);
		return doomed.length;
	}

	/** Removes presences matching `filter`; returns how many. */
	public presences(filter: (presence: CachedPresence, now: number) => boolean): number {
		return this.#sweepMaps((record) => record.presences, filter);
	}

	/** Removes voice states matching `filter`; returns how many. */
	public voiceStates(filter: (state: CachedVoiceState, now: number) => boolean): number {
		return this.#sweepMaps((record) => record.voiceStates, filter);
	}

	/** Removes emojis matching `filter`; returns how many. */
	public emojis(filter: (emoji: Emoji, now: number) => boolean): number {
		return this.#sweepMaps((record) => record.emojis, filter);
	}

	/** Removes roles matching `filter`; returns how many. */
	public roles(filter: (role: Role, now: number) => boolean): number {
		return this.#sweepMaps((record) => record.roles, filter);
	}

	/** Removes channels matching `filter` (and their messages); returns how many. */
	public channels(filter: (channel: Channel, now: number) => boolean): number {
		const now = Date.now();
		const { channels, messages, guilds } = this.#target;
		let removed = 0;
		for (const [id, channel] of channels) {
			if (!filter(channel, now)) continue;
			channels.delete(id);
			messages.delete(id);
			if (channel.guild_id !== undefined) guilds.get(channel.guild_id)?.channels.delete(id);
			removed++;
		}
		return removed;
	}

	/** Stops every periodic sweeper. */
	public stop(): void {
		for (const timer of this.#timers) clearInterval(timer);
		this.#timers.length = 0;
	}

	#sweepMaps<T>(select: (record: GuildRecord) => Map<string, T>, filter: (value: T, now: number) => boolean): number {
		const now = Date.now();
		let removed = 0;
		for (const record of this.#target.guilds.values()) {
			const map = select(record);
			for (const [key, value] of map) {
				if (filter(value, now)) {
					map.delete(key);
					removed++;
				}
			}
		}
		return removed;
	}

	#every<T>(options: SweeperOptions<T> | undefined, run: (filter: SweeperOptions<T>['filter']) => number): void {
		if (options === undefined) return;
		assertNumberOption('sweepers.*.interval', options.interval, 1);
		this.#timers.push(
			setInterval(() => {
				try {
					run(options.filter);
				} catch {
					// A throwing filter must not crash the process from a timer; the next run tries again.
				}
			}, options.interval).unref(),
		);
	}
}
