import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	GatewayDispatchEvents,
	GatewayIntentBits,
	type APIApplicationCommand,
	type APIInvite,
	type APIWebhook,
} from 'discord-api-types/v10';
import { asUserId } from '@ovenjs/types';
import { MockDiscord } from '../src/index.js';
import { RawClient, call } from './helpers.js';

let discord: MockDiscord;
let client: RawClient;
const params: Record<string, string> = {};

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 1, membersPerGuild: 3, rateLimits: { enabled: false } });
	client = new RawClient(discord.gatewayUrl);
	client.identify(discord.token, GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
	await client.dispatch(GatewayDispatchEvents.Ready);
	const guild = [...discord.world.guilds.values()][0]!;
	const channelId = [...guild.channels][0]!;
	const user = [...guild.members.values()].find((member) => member.user.id !== discord.botUser.id)!.user;
	const message = discord.world.sendMessage(channelId, user.id, 'hello');
	const role = discord.world.createRole(guild.id, { name: 'r' });
	discord.world.createThread(channelId, asUserId(user.id), { name: 't' });
	const hook = await call<APIWebhook>(discord.apiBase, discord.token, 'POST', `/channels/${channelId}/webhooks`, {
		name: 'h',
	});
	const command = await call<APIApplicationCommand>(
		discord.apiBase,
		discord.token,
		'POST',
		`/applications/${discord.application.id}/commands`,
		{ name: 'c', description: 'd' },
	);
	const invite = await call<APIInvite>(discord.apiBase, discord.token, 'POST', `/channels/${channelId}/invites`, {});
	const pending = discord.world.triggerInteraction({ channelId, userId: user.id, timeoutMs: 10_000 });
	const interaction = await client.dispatch(GatewayDispatchEvents.InteractionCreate);
	Object.assign(params, {
		guild_id: guild.id,
		channel_id: channelId,
		message_id: message.id,
		user_id: user.id,
		role_id: role.id,
		emoji_name: encodeURIComponent('🔥'),
		overwrite_id: role.id,
		webhook_id: hook.body.id,
		webhook_token: hook.body.token,
		application_id: discord.application.id,
		command_id: command.body.id,
		code: invite.body.code,
		interaction_id: interaction.d.id,
		interaction_token: interaction.d.token,
	});
	void pending.catch(() => undefined);
});

afterAll(async () => {
	client.close();
	await discord.stop();
});

it('answers every served route without an internal error, with Discord-shaped bodies', async () => {
	const routes = discord.rest.routes();
	// Reads and writes first, deletions last, so later routes still find their entities.
	const order = (method: string): number => (method === 'DELETE' ? 1 : 0);
	const statuses: Record<string, number> = {};
	for (const route of [...routes].sort((a, b) => order(a.method) - order(b.method))) {
		const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] ?? '0');
		const withToken = path.startsWith('/webhooks/') || path.startsWith('/interactions/');
		const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
		const response = await call(
			discord.apiBase,
			withToken && /^\/webhooks\/\d+$/.exec(path) === null ? null : discord.token,
			route.method,
			path,
			body,
		);
		statuses[`${route.method} ${route.path}`] = response.status;
		if (response.status >= 400) {
			// Errors carry Discord's body: { code, message } (and nested `errors` for 50035).
			const error = response.body as { code?: unknown; message?: unknown };
			expect(typeof error.code, `${route.method} ${route.path}`).toBe('number');
			expect(typeof error.message, `${route.method} ${route.path}`).toBe('string');
		}
	}
	if (process.env.PRINT_ROUTES) console.log(JSON.stringify(statuses, null, 1));
	expect(discord.rest.internalErrors).toEqual([]);
	expect(Object.values(statuses).every((status) => status < 500)).toBe(true);
	expect(Object.keys(statuses)).toHaveLength(routes.length);
});
