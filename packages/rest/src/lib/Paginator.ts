import type { ChannelId, GuildId, MessageId, UserId } from '@ovenjs/types';
import type {
	APIAuditLog,
	APIAuditLogEntry,
	APIBan,
	APIGuildMember,
	APIMessage,
	APIChannel,
	APIUser,
	AuditLogEvent,
	ReactionType,
	RESTAPIPartialCurrentUserGuild,
	RESTGetAPIChannelThreadsArchivedPublicResult,
} from 'discord-api-types/v10';
import { RestError } from './errors/RestError.js';
import type { QueryInput, RequestOptions } from './RESTOptions.js';
import type { RequestMethod } from './utils/constants.js';

/** What the paginator needs from the client. */
export interface PaginationRequester {
	request<T = unknown>(method: RequestMethod, route: string, options?: RequestOptions): Promise<T>;
}

/** Options shared by every paginated list. */
export interface PageOptions {
	/** Stop after this many items in total. @defaultValue no limit */
	readonly limit?: number;
	/** Items per request, up to the endpoint's maximum. @defaultValue the endpoint's maximum */
	readonly pageSize?: number;
	/** Aborts the iteration (the current request rejects with `REST_ABORTED`). */
	readonly signal?: AbortSignal;
}

/** Options of {@link Paginator.messages}. Without `after`, pages go backwards from `before` (or the newest). */
export interface MessagePageOptions extends PageOptions {
	readonly before?: MessageId;
	/** Pages forwards (oldest first) from this message. */
	readonly after?: MessageId;
}

/** Options of the user-cursor lists (members, bans, reactions). */
export interface UserPageOptions extends PageOptions {
	/** Start after this user ID. */
	readonly after?: UserId;
}

/** Options of {@link Paginator.auditLog}. */
export interface AuditLogPageOptions extends PageOptions {
	readonly before?: string;
	/** Only entries made by this user. */
	readonly userId?: UserId;
	readonly actionType?: AuditLogEvent;
}

/** Options of {@link Paginator.archivedThreads}. */
export interface ArchivedThreadPageOptions extends PageOptions {
	/** `public` (default), `private`, or `joined` (private threads the bot joined). */
	readonly type?: 'public' | 'private' | 'joined';
	/** ISO timestamp (or thread ID for `joined`) to page back from. */
	readonly before?: string;
}

/** Options of {@link Paginator.guilds}. */
export interface GuildPageOptions extends PageOptions {
	readonly after?: GuildId;
	readonly withCounts?: boolean;
}

function pageSize(options: PageOptions, max: number): number {
	const size = options.pageSize ?? max;
	if (!Number.isInteger(size) || size < 1 || size > max) {
		throw RestError.of('REST_INVALID_OPTION', [
			'option "pageSize"',
			`must be an integer from 1 to ${max} for this endpoint; got ${size}`,
		]);
	}
	const limit = options.limit;
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
		throw RestError.of('REST_INVALID_OPTION', ['option "limit"', `must be a non-negative integer; got ${limit}`]);
	}
	return limit === undefined ? size : Math.min(size, Math.max(limit, 1));
}

/**
 * Walks a cursor-paginated endpoint: requests pages of `size` items, yields them, and stops on a short page,
 * an empty cursor or `limit`.
 */
async function* walk<T>(
	options: PageOptions,
	size: number,
	first: string | undefined,
	fetchPage: (cursor: string | undefined, size: number) => Promise<{ items: readonly T[]; more: boolean }>,
	cursorOf: (page: readonly T[]) => string | undefined,
): AsyncGenerator<T, void, undefined> {
	let remaining = options.limit ?? Infinity;
	let cursor = first;
	while (remaining > 0) {
		const { items, more } = await fetchPage(cursor, Math.min(size, remaining));
		for (const item of items) {
			if (remaining <= 0) return;
			remaining--;
			yield item;
		}
		const next = cursorOf(items);
		if (!more || items.length === 0 || next === undefined) return;
		cursor = next;
	}
}

function query(base: Record<string, string | number | boolean | undefined>): QueryInput {
	return base;
}

/** Async iterators over Discord's paginated lists; reach it as `rest.paginate`. */
export class Paginator {
	readonly #rest: PaginationRequester;

	public constructor(rest: PaginationRequester) {
		this.#rest = rest;
	}

	/** A channel's messages, newest first (or oldest first with `after`). */
	public messages(
		channelId: ChannelId,
		options: MessagePageOptions = {},
	): AsyncGenerator<APIMessage, void, undefined> {
		const size = pageSize(options, 100);
		const forward = options.after !== undefined;
		return walk<APIMessage>(
			options,
			size,
			forward ? options.after : options.before,
			async (cursor, limit) => {
				const items = await this.#rest.request<APIMessage[]>('GET', `/channels/${channelId}/messages`, {
					query: query({ limit, [forward ? 'after' : 'before']: cursor }),
					...(options.signal === undefined ? {} : { signal: options.signal }),
				});
				// Discord returns newest first; forward iteration yields oldest first.
				return { items: forward ? [...items].reverse() : items, more: items.length === limit };
			},
			(page) => page.at(-1)?.id,
		);
	}

	/** A guild's members, ordered by user ID (needs the GUILD_MEMBERS intent). */
	public members(guildId: GuildId, options: UserPageOptions = {}): AsyncGenerator<APIGuildMember, void, undefined> {
		return this.#byUser<APIGuildMember>(`/guilds/${guildId}/members`, options, 1000, (m) => m.user.id);
	}

	/** A guild's bans, ordered by user ID. */
	public bans(guildId: GuildId, options: UserPageOptions = {}): AsyncGenerator<APIBan, void, undefined> {
		return this.#byUser<APIBan>(`/guilds/${guildId}/bans`, options, 1000, (b) => b.user.id);
	}

	/** Users who reacted with `emoji` (`name:id` for custom emoji, the character for Unicode). */
	public reactions(
		channelId: ChannelId,
		messageId: MessageId,
		emoji: string,
		options: UserPageOptions & { readonly type?: ReactionType } = {},
	): AsyncGenerator<APIUser, void, undefined> {
		const extra = options.type === undefined ? {} : { type: options.type };
		return this.#byUser<APIUser>(
			`/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`,
			options,
			100,
			(u) => u.id,
			extra,
		);
	}

	/** A guild's audit-log entries, newest first. */
	public auditLog(
		guildId: GuildId,
		options: AuditLogPageOptions = {},
	): AsyncGenerator<APIAuditLogEntry, void, undefined> {
		const size = pageSize(options, 100);
		return walk<APIAuditLogEntry>(
			options,
			size,
			options.before,
			async (cursor, limit) => {
				const log = await this.#rest.request<APIAuditLog>('GET', `/guilds/${guildId}/audit-logs`, {
					query: query({ limit, before: cursor, user_id: options.userId, action_type: options.actionType }),
					...(options.signal === undefined ? {} : { signal: options.signal }),
				});
				return { items: log.audit_log_entries, more: log.audit_log_entries.length === limit };
			},
			(page) => page.at(-1)?.id,
		);
	}

	/** A channel's archived threads, most recently archived first. */
	public archivedThreads(
		channelId: ChannelId,
		options: ArchivedThreadPageOptions = {},
	): AsyncGenerator<APIChannel, void, undefined> {
		const size = pageSize(options, 100);
		const type = options.type ?? 'public';
		const route =
			type === 'joined'
				? `/channels/${channelId}/users/@me/threads/archived/private`
				: `/channels/${channelId}/threads/archived/${type}`;
		return walk<APIChannel>(
			options,
			size,
			options.before,
			async (cursor, limit) => {
				const result = await this.#rest.request<RESTGetAPIChannelThreadsArchivedPublicResult>('GET', route, {
					query: query({ limit, before: cursor }),
					...(options.signal === undefined ? {} : { signal: options.signal }),
				});
				return { items: result.threads, more: result.has_more };
			},
			(page) => {
				const last = page.at(-1);
				if (last === undefined) return undefined;
				if (type === 'joined') return last.id;
				return 'thread_metadata' in last ? last.thread_metadata.archive_timestamp : undefined;
			},
		);
	}

	/** The guilds the current user is in, ordered by ID. */
	public guilds(options: GuildPageOptions = {}): AsyncGenerator<RESTAPIPartialCurrentUserGuild, void, undefined> {
		const size = pageSize(options, 200);
		return walk<RESTAPIPartialCurrentUserGuild>(
			options,
			size,
			options.after,
			async (cursor, limit) => {
				const items = await this.#rest.request<RESTAPIPartialCurrentUserGuild[]>('GET', '/users/@me/guilds', {
					query: query({ limit, after: cursor, with_counts: options.withCounts }),
					...(options.signal === undefined ? {} : { signal: options.signal }),
				});
				return { items, more: items.length === limit };
			},
			(page) => page.at(-1)?.id,
		);
	}

	#byUser<T>(
		route: string,
		options: UserPageOptions,
		max: number,
		idOf: (item: T) => string,
		extra: Record<string, string | number> = {},
	): AsyncGenerator<T, void, undefined> {
		const size = pageSize(options, max);
		return walk<T>(
			options,
			size,
			options.after,
			async (cursor, limit) => {
				const items = await this.#rest.request<T[]>('GET', route, {
					query: query({ ...extra, limit, after: cursor }),
					...(options.signal === undefined ? {} : { signal: options.signal }),
				});
				return { items, more: items.length === limit };
			},
			(page) => {
				const last = page.at(-1);
				return last === undefined ? undefined : idOf(last);
			},
		);
	}
}
