import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	AuditLogEvent,
	GatewayDispatchEvents,
	GatewayIntentBits,
	InteractionResponseType,
	InteractionType,
	type APIApplicationCommand,
	type APIAuditLog,
	type APIChannel,
	type APIGuildMember,
	type APIMessage,
	type APIRole,
	type APIThreadChannel,
	type APIUser,
	type APIWebhook,
} from 'discord-api-types/v10';
import { asUserId, type ChannelId } from '@ovenjs/types';
import { MockDiscord, type GuildRecord } from '../src/index.js';
import { RawClient, call } from './helpers.js';

let discord: MockDiscord;
let guild: GuildRecord;
let channelId: ChannelId;
let human: APIUser;
const ALL =
	GatewayIntentBits.Guilds |
	GatewayIntentBits.GuildMembers |
	GatewayIntentBits.GuildModeration |
	GatewayIntentBits.GuildMessages |
	GatewayIntentBits.GuildMessageReactions |
	GatewayIntentBits.MessageContent;

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the JSON shape a test expects
function bot<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
	return call<T>(discord.apiBase, discord.token, method, path, body, headers);
}

beforeEach(async () => {
	discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 3, rateLimits: { enabled: false } });
	guild = [...discord.world.guilds.values()][0]!;
	channelId = [...guild.channels][0]!;
	human = guild.members.get(
		[...guild.members.keys()].find((id) => id !== discord.botUser.id && id !== guild.ownerId)!,
	)!.user;
});
afterEach(async () => {
	await discord.stop();
});

describe('guild routes', () => {
	it('lists channels, members and roles, creates and edits roles and members with audit-log entries', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL);
		await c.dispatch(GatewayDispatchEvents.Ready);
		expect((await bot<APIChannel[]>('GET', `/guilds/${guild.id}/channels`)).body).toHaveLength(3);
		const members = await bot<APIGuildMember[]>('GET', `/guilds/${guild.id}/members?limit=1000`);
		expect(members.body).toHaveLength(guild.members.size);
		const role = await bot<APIRole>(
			'POST',
			`/guilds/${guild.id}/roles`,
			{ name: 'mods', permissions: '8192' },
			{ 'X-Audit-Log-Reason': 'need mods' },
		);
		expect(role.body).toMatchObject({ name: 'mods', permissions: '8192' });
		expect((await c.dispatch(GatewayDispatchEvents.GuildRoleCreate)).d.role.id).toBe(role.body.id);
		const added = await bot('PUT', `/guilds/${guild.id}/members/${human.id}/roles/${role.body.id}`);
		expect(added.status).toBe(204);
		expect((await c.dispatch(GatewayDispatchEvents.GuildMemberUpdate)).d.roles).toContain(role.body.id);
		const nick = await bot<APIGuildMember>('PATCH', `/guilds/${guild.id}/members/${human.id}`, { nick: 'renamed' });
		expect(nick.body.nick).toBe('renamed');
		const log = await bot<APIAuditLog>(
			'GET',
			`/guilds/${guild.id}/audit-logs?action_type=${AuditLogEvent.RoleCreate}`,
		);
		expect(log.body.audit_log_entries).toHaveLength(1);
		expect(log.body.audit_log_entries[0]).toMatchObject({
			action_type: AuditLogEvent.RoleCreate,
			target_id: role.body.id,
			reason: 'need mods',
			user_id: discord.botUser.id,
		});
		expect((await bot('GET', `/guilds/${guild.id}/roles/123456789012345678`)).body).toEqual({
			message: 'Unknown Role',
			code: 10011,
		});
		c.close();
	});

	it('bans and unbans, kicking the member and dispatching GUILD_BAN_ADD', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL);
		await c.dispatch(GatewayDispatchEvents.Ready);
		expect(
			(
				await bot(
					'PUT',
					`/guilds/${guild.id}/bans/${human.id}`,
					{ delete_message_seconds: 0 },
					{ 'X-Audit-Log-Reason': 'spam' },
				)
			).status,
		).toBe(204);
		expect((await c.dispatch(GatewayDispatchEvents.GuildBanAdd)).d.user.id).toBe(human.id);
		expect(guild.members.has(asUserId(human.id))).toBe(false);
		expect((await bot<{ reason: string }>('GET', `/guilds/${guild.id}/bans/${human.id}`)).body.reason).toBe('spam');
		expect((await bot('DELETE', `/guilds/${guild.id}/bans/${human.id}`)).status).toBe(204);
		expect((await bot('GET', `/guilds/${guild.id}/bans/${human.id}`)).body).toEqual({
			message: 'Unknown Ban',
			code: 10026,
		});
		c.close();
	});

	it('answers 403 Missing Permissions (50013) when the bot lacks a permission', async () => {
		await discord.stop();
		discord = await MockDiscord.start({ guilds: 1, botPermissions: '0', rateLimits: { enabled: false } });
		const g = [...discord.world.guilds.values()][0]!;
		const target = [...g.members.keys()].find((id) => id !== discord.botUser.id)!;
		const response = await bot('PUT', `/guilds/${g.id}/bans/${target}`);
		expect(response.status).toBe(403);
		expect(response.body).toEqual({ message: 'Missing Permissions', code: 50013 });
		expect(discord.rest.invalid.forbidden).toBe(1);
	});
});

describe('message extras', () => {
	it('reacts, lists reactors, pins and bulk deletes', async () => {
		const message = discord.world.sendMessage(channelId, asUserId(human.id), 'react to me');
		expect(
			(
				await bot(
					'PUT',
					`/channels/${channelId}/messages/${message.id}/reactions/${encodeURIComponent('👍')}/@me`,
				)
			).status,
		).toBe(204);
		const users = await bot<APIUser[]>(
			'GET',
			`/channels/${channelId}/messages/${message.id}/reactions/${encodeURIComponent('👍')}`,
		);
		expect(users.body.map((u) => u.id)).toEqual([discord.botUser.id]);
		const fetched = await bot<APIMessage>('GET', `/channels/${channelId}/messages/${message.id}`);
		expect(fetched.body.reactions?.[0]).toMatchObject({ count: 1, me: true, emoji: { name: '👍', id: null } });
		expect((await bot('PUT', `/channels/${channelId}/pins/${message.id}`)).status).toBe(204);
		expect((await bot<APIMessage[]>('GET', `/channels/${channelId}/pins`)).body.map((m) => m.id)).toEqual([
			message.id,
		]);
		const second = discord.world.sendMessage(channelId, asUserId(human.id), 'two');
		expect(
			(await bot('POST', `/channels/${channelId}/messages/bulk-delete`, { messages: [message.id, second.id] }))
				.status,
		).toBe(204);
		expect((await bot<APIMessage[]>('GET', `/channels/${channelId}/messages`)).body).toHaveLength(0);
		const single = await bot<{ code: number }>('POST', `/channels/${channelId}/messages/bulk-delete`, {
			messages: [message.id],
		});
		expect(single.body.code).toBe(50035);
	});

	it('starts a thread from a message and manages its members', async () => {
		const message = discord.world.sendMessage(channelId, asUserId(human.id), 'thread me');
		const thread = await bot<APIThreadChannel>('POST', `/channels/${channelId}/messages/${message.id}/threads`, {
			name: 'discussion',
		});
		expect(thread.status).toBe(201);
		expect(thread.body).toMatchObject({ id: message.id, name: 'discussion', parent_id: channelId });
		expect((await bot('PUT', `/channels/${thread.body.id}/thread-members/${human.id}`)).status).toBe(204);
		const members = await bot<{ user_id: string }[]>('GET', `/channels/${thread.body.id}/thread-members`);
		expect(members.body.map((m) => m.user_id).sort()).toEqual([discord.botUser.id, human.id].sort());
		const posted = await bot<APIMessage>('POST', `/channels/${thread.body.id}/messages`, { content: 'in thread' });
		expect(posted.body.channel_id).toBe(thread.body.id);
	});
});

describe('webhooks and interactions', () => {
	it('creates and executes a webhook', async () => {
		const hook = await bot<APIWebhook>('POST', `/channels/${channelId}/webhooks`, { name: 'hooky' });
		expect(hook.body.token).toBeTypeOf('string');
		const executed = await call<APIMessage>(
			discord.apiBase,
			null,
			'POST',
			`/webhooks/${hook.body.id}/${hook.body.token!}?wait=true`,
			{ content: 'from hook' },
		);
		expect(executed.body).toMatchObject({ content: 'from hook', webhook_id: hook.body.id, channel_id: channelId });
		expect(
			(await call(discord.apiBase, null, 'POST', `/webhooks/${hook.body.id}/wrong-token`, { content: 'x' }))
				.status,
		).toBe(404);
	});

	it('triggers an interaction, receives the callback, and accepts follow-ups and @original edits', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const answered = discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommand,
			data: { name: 'ping', type: 1 },
			channelId,
			userId: asUserId(human.id),
		});
		const created = await c.dispatch(GatewayDispatchEvents.InteractionCreate);
		expect(created.d).toMatchObject({
			type: InteractionType.ApplicationCommand,
			channel_id: channelId,
			guild_id: guild.id,
			member: { user: { id: human.id } },
		});
		const callback = await call(
			discord.apiBase,
			null,
			'POST',
			`/interactions/${created.d.id}/${created.d.token}/callback`,
			{ type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'pong' } },
		);
		expect(callback.status).toBe(204);
		expect(await answered).toMatchObject({
			type: InteractionResponseType.ChannelMessageWithSource,
			data: { content: 'pong' },
		});
		const again = await call<{ code: number }>(
			discord.apiBase,
			null,
			'POST',
			`/interactions/${created.d.id}/${created.d.token}/callback`,
			{ type: 4, data: { content: 'again' } },
		);
		expect(again.body.code).toBe(40060);
		const original = await call<APIMessage>(
			discord.apiBase,
			null,
			'PATCH',
			`/webhooks/${discord.application.id}/${created.d.token}/messages/@original`,
			{ content: 'pong (edited)' },
		);
		expect(original.body.content).toBe('pong (edited)');
		const followUp = await call<APIMessage>(
			discord.apiBase,
			null,
			'POST',
			`/webhooks/${discord.application.id}/${created.d.token}`,
			{ content: 'follow-up' },
		);
		expect(followUp.body).toMatchObject({ content: 'follow-up', channel_id: channelId });
		c.close();
	});

	it('sends no MESSAGE_CREATE for an ephemeral response', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const answered = discord.world.triggerInteraction({ channelId, userId: asUserId(human.id) });
		const created = await c.dispatch(GatewayDispatchEvents.InteractionCreate);
		await call(discord.apiBase, null, 'POST', `/interactions/${created.d.id}/${created.d.token}/callback`, {
			type: 4,
			data: { content: 'only you', flags: 64 },
		});
		await answered;
		const original = await call<APIMessage>(
			discord.apiBase,
			null,
			'GET',
			`/webhooks/${discord.application.id}/${created.d.token}/messages/@original`,
		);
		expect(original.body).toMatchObject({ content: 'only you', flags: 64 });
		discord.world.sendMessage(channelId, asUserId(human.id), 'after');
		const next = await c.dispatch(GatewayDispatchEvents.MessageCreate);
		expect(next.d.content).toBe('after');
		c.close();
	});

	it('rejects (not throws) when the interacting user is not a member, and fills command data defaults', async () => {
		const outsider = discord.world.createUser('outsider');
		await expect(discord.world.triggerInteraction({ channelId, userId: outsider.id })).rejects.toMatchObject({
			code: 'MOCK_UNKNOWN_ENTITY',
		});
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const pending = discord.world.triggerInteraction({
			channelId,
			userId: asUserId(human.id),
			data: { name: 'ping' },
			timeoutMs: 50,
		});
		const created = await c.dispatch(GatewayDispatchEvents.InteractionCreate);
		expect(created.d.data).toMatchObject({ name: 'ping', type: 1 });
		const data = created.d.data;
		expect(data !== undefined && 'id' in data && /^\d+$/.test(data.id)).toBe(true);
		await expect(pending).rejects.toMatchObject({ code: 'MOCK_INTERACTION_TIMEOUT' });
		c.close();
	});

	it('rejects a triggered interaction the bot never answers', async () => {
		await expect(
			discord.world.triggerInteraction({ channelId, userId: asUserId(human.id), timeoutMs: 50 }),
		).rejects.toMatchObject({ code: 'MOCK_INTERACTION_TIMEOUT' });
	});
});

describe('application commands', () => {
	it('creates, lists, bulk-overwrites and deletes commands', async () => {
		const base = `/applications/${discord.application.id}/commands`;
		const created = await bot<APIApplicationCommand>('POST', base, { name: 'ping', description: 'Ping!' });
		expect(created.status).toBe(201);
		expect((await bot<APIApplicationCommand[]>('GET', base)).body.map((c) => c.name)).toEqual(['ping']);
		const bulk = await bot<APIApplicationCommand[]>('PUT', base, [
			{ name: 'ping', description: 'Ping!' },
			{ name: 'echo', description: 'Echo' },
		]);
		expect(bulk.body.find((c) => c.name === 'ping')?.id).toBe(created.body.id);
		expect((await bot('DELETE', `${base}/${created.body.id}`)).status).toBe(204);
		expect((await bot<APIApplicationCommand[]>('GET', base)).body.map((c) => c.name)).toEqual(['echo']);
		const invalid = await bot<{ code: number }>('POST', base, { name: 'Has Spaces', description: 'x' });
		expect(invalid.body.code).toBe(50035);
		const guildCommand = await bot<APIApplicationCommand>(
			'POST',
			`/applications/${discord.application.id}/guilds/${guild.id}/commands`,
			{ name: 'local', description: 'Guild only' },
		);
		expect(guildCommand.body.guild_id).toBe(guild.id);
	});
});

describe('role hierarchy', () => {
	it('refuses (50013) to edit a role above the bot or to kick the owner, and allows roles below it', async () => {
		const below = await bot<APIRole>('POST', `/guilds/${guild.id}/roles`, { name: 'below' });
		// Move the new role above the bot's own role.
		const botRole = [...guild.roles.values()].find((role) => role.managed)!;
		const above = await bot<APIRole>('POST', `/guilds/${guild.id}/roles`, { name: 'above' });
		await bot('PATCH', `/guilds/${guild.id}/roles`, [{ id: above.body.id, position: botRole.position + 5 }]);
		expect((await bot('PATCH', `/guilds/${guild.id}/roles/${above.body.id}`, { name: 'x' })).body).toEqual({
			message: 'Missing Permissions',
			code: 50013,
		});
		expect((await bot('PUT', `/guilds/${guild.id}/members/${human.id}/roles/${below.body.id}`)).status).toBe(204);
		expect((await bot('DELETE', `/guilds/${guild.id}/members/${guild.ownerId}`)).status).toBe(403);
		expect((await bot('DELETE', `/guilds/${guild.id}/members/${human.id}`)).status).toBe(204);
	});
});

describe('emojis and extras', () => {
	it('creates, edits and deletes guild emojis with GUILD_EMOJIS_UPDATE, and counts role members', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, ALL | GatewayIntentBits.GuildExpressions);
		await c.dispatch(GatewayDispatchEvents.Ready);
		const created = await bot<{ id: string; name: string }>('POST', `/guilds/${guild.id}/emojis`, {
			name: 'oven',
			image: 'data:image/png;base64,AAAA',
		});
		expect(created.status).toBe(201);
		expect((await c.dispatch(GatewayDispatchEvents.GuildEmojisUpdate)).d.emojis.map((e) => e.name)).toEqual([
			'oven',
		]);
		expect(
			(await bot<{ name: string }>('PATCH', `/guilds/${guild.id}/emojis/${created.body.id}`, { name: 'oven2' }))
				.body.name,
		).toBe('oven2');
		expect((await bot('DELETE', `/guilds/${guild.id}/emojis/${created.body.id}`)).status).toBe(204);
		expect((await bot('GET', `/guilds/${guild.id}/emojis/${created.body.id}`)).body).toEqual({
			message: 'Unknown Emoji',
			code: 10014,
		});
		const counts = await bot<Record<string, number>>('GET', `/guilds/${guild.id}/roles/member-counts`);
		const botRole = [...guild.roles.values()].find((role) => role.managed)!;
		expect(counts.body[botRole.id]).toBe(1);
		c.close();
	});
});
