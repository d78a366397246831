import { AuditLogEvent, ChannelType, GatewayDispatchEvents, ThreadAutoArchiveDuration } from 'discord-api-types/v10';
import { z } from 'zod';
import type { ChannelRecord } from '../../world/World.js';
import { postMessage } from '../../world/postMessage.js';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import {
	assertAccess,
	channelOf,
	guildOfChannel,
	ids,
	messageIdOf,
	parseBody,
	requirePermission,
	snowflakeParam,
	userIdOf,
} from './shared.js';

const archive = z.union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10_080)]);
const ThreadBody = z.object({
	name: z.string().min(1).max(100),
	auto_archive_duration: archive.exactOptional(),
	type: z
		.union([
			z.literal(ChannelType.PublicThread),
			z.literal(ChannelType.PrivateThread),
			z.literal(ChannelType.AnnouncementThread),
		])
		.exactOptional(),
	invitable: z.boolean().exactOptional(),
	rate_limit_per_user: z.number().int().min(0).max(21_600).exactOptional(),
	message: z.looseObject({}).exactOptional(),
});

function durationOf(value: number | undefined): ThreadAutoArchiveDuration {
	switch (value) {
		case 60:
			return ThreadAutoArchiveDuration.OneHour;
		case 4320:
			return ThreadAutoArchiveDuration.ThreeDays;
		case 10_080:
			return ThreadAutoArchiveDuration.OneWeek;
		default:
			return ThreadAutoArchiveDuration.OneDay;
	}
}

function threadOf(ctx: RouteContext): ChannelRecord {
	const channel = channelOf(ctx);
	assertAccess(ctx, channel);
	if (!('thread_metadata' in channel.channel))
		throw new DiscordHttpError(400, 50024, 'Cannot execute action on this channel type');
	return channel;
}

function setMember(
	ctx: RouteContext,
	thread: ChannelRecord,
	userId: ReturnType<typeof ids.user>,
	join: boolean,
): RouteResult {
	const members = ctx.world.data.threadMembers.get(thread.id) ?? new Map<ReturnType<typeof ids.user>, string>();
	ctx.world.data.threadMembers.set(thread.id, members);
	const changed = join ? !members.has(userId) : members.has(userId);
	if (join) members.set(userId, ctx.world.now());
	else members.delete(userId);
	if (changed && thread.guildId !== null) {
		ctx.world.emit(
			GatewayDispatchEvents.ThreadMembersUpdate,
			{
				id: thread.id,
				guild_id: thread.guildId,
				member_count: members.size,
				...(join
					? { added_members: [{ id: thread.id, user_id: userId, join_timestamp: ctx.world.now(), flags: 0 }] }
					: { removed_member_ids: [userId] }),
			},
			thread.guildId,
		);
	}
	return { status: 204 };
}

/** Threads: start (from a message or not), members, active and archived lists. */
export const threadRoutes: readonly RouteDefinition[] = [
	{
		method: 'POST',
		path: '/channels/{channel_id}/messages/{message_id}/threads',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const guild = guildOfChannel(ctx, channel);
			requirePermission(ctx, guild.id, 'CreatePublicThreads', channel.id);
			const messageId = messageIdOf(ctx);
			const message = channel.messages.get(messageId);
			if (message === undefined) throw DiscordHttpError.unknown('Message');
			if (ctx.world.channels.has(ids.channel(messageId)))
				throw new DiscordHttpError(400, 160_004, 'A thread has already been created for this message');
			const body = parseBody(ThreadBody, ctx.body);
			const thread = ctx.world.createThread(channel.id, ids.user(ctx.world.botUser.id), {
				name: body.name,
				autoArchiveDuration: durationOf(body.auto_archive_duration),
				messageId,
			});
			channel.messages.set(messageId, { ...message, thread: thread.channel });
			ctx.world.audit(guild.id, AuditLogEvent.ThreadCreate, thread.id, ctx.auditLogReason);
			return { status: 201, body: thread.channel };
		},
	},
	{
		method: 'POST',
		path: '/channels/{channel_id}/threads',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const guild = guildOfChannel(ctx, channel);
			const body = parseBody(ThreadBody, ctx.body);
			const type = body.type === ChannelType.PrivateThread ? ChannelType.PrivateThread : ChannelType.PublicThread;
			requirePermission(
				ctx,
				guild.id,
				type === ChannelType.PrivateThread ? 'CreatePrivateThreads' : 'CreatePublicThreads',
				channel.id,
			);
			const thread = ctx.world.createThread(channel.id, ids.user(ctx.world.botUser.id), {
				name: body.name,
				type,
				autoArchiveDuration: durationOf(body.auto_archive_duration),
			});
			if (channel.channel.type === ChannelType.GuildForum && body.message !== undefined) {
				const content: unknown = Reflect.get(body.message, 'content');
				postMessage(ctx.world, thread.id, ctx.world.botUser, {
					content: typeof content === 'string' ? content : '',
				});
			}
			ctx.world.audit(guild.id, AuditLogEvent.ThreadCreate, thread.id, ctx.auditLogReason);
			return { status: 201, body: thread.channel };
		},
	},
	{
		method: 'PUT',
		path: '/channels/{channel_id}/thread-members/@me',
		handler: (ctx: RouteContext): RouteResult =>
			setMember(ctx, threadOf(ctx), ids.user(ctx.world.botUser.id), true),
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/thread-members/@me',
		handler: (ctx: RouteContext): RouteResult =>
			setMember(ctx, threadOf(ctx), ids.user(ctx.world.botUser.id), false),
	},
	{
		method: 'PUT',
		path: '/channels/{channel_id}/thread-members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const thread = threadOf(ctx);
			const userId = userIdOf(ctx);
			if (thread.guildId === null || ctx.world.guild(thread.guildId).members.get(userId) === undefined)
				throw DiscordHttpError.unknown('Member');
			return setMember(ctx, thread, userId, true);
		},
	},
	{
		method: 'DELETE',
		path: '/channels/{channel_id}/thread-members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const thread = threadOf(ctx);
			if (thread.guildId !== null) requirePermission(ctx, thread.guildId, 'ManageThreads', thread.id);
			return setMember(ctx, thread, userIdOf(ctx), false);
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/thread-members/{user_id}',
		handler: (ctx: RouteContext): RouteResult => {
			const thread = threadOf(ctx);
			const userId = userIdOf(ctx);
			const joined = ctx.world.data.threadMembers.get(thread.id)?.get(userId);
			if (joined === undefined) throw DiscordHttpError.unknown('Member');
			return { status: 200, body: { id: thread.id, user_id: userId, join_timestamp: joined, flags: 0 } };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/thread-members',
		handler: (ctx: RouteContext): RouteResult => {
			const thread = threadOf(ctx);
			const members = [...(ctx.world.data.threadMembers.get(thread.id) ?? new Map<string, string>())].map(
				([userId, joined]) => ({ id: thread.id, user_id: userId, join_timestamp: joined, flags: 0 }),
			);
			return { status: 200, body: members };
		},
	},
	{
		method: 'GET',
		path: '/guilds/{guild_id}/threads/active',
		handler: (ctx: RouteContext): RouteResult => {
			const guildId = ids.guild(snowflakeParam(ctx, 'guild_id'));
			if (!ctx.world.guilds.has(guildId)) throw DiscordHttpError.unknown('Guild');
			const threads = [...ctx.world.channels.values()]
				.filter(
					(record) =>
						record.guildId === guildId &&
						'thread_metadata' in record.channel &&
						!record.channel.thread_metadata.archived,
				)
				.map((record) => record.channel);
			return { status: 200, body: { threads, members: [] } };
		},
	},
	{
		method: 'GET',
		path: '/channels/{channel_id}/threads/archived/public',
		handler: (ctx: RouteContext): RouteResult => {
			const channel = channelOf(ctx);
			assertAccess(ctx, channel);
			const threads = [...ctx.world.channels.values()]
				.filter(
					(record) =>
						'thread_metadata' in record.channel &&
						record.channel.parent_id === channel.id &&
						record.channel.thread_metadata.archived,
				)
				.map((record) => record.channel);
			return { status: 200, body: { threads, members: [], has_more: false } };
		},
	},
];
