import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	GatewayDispatchEvents,
	type APIMessage,
	type APIUser,
	type RESTGetAPIGatewayBotResult,
} from 'discord-api-types/v10';
import { MockDiscord, type ErrorTree } from '../src/index.js';
import { RawClient } from './helpers.js';

let discord: MockDiscord;
let channelId: string;

beforeEach(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 2,
		rateLimits: { windowMs: 500, perRoute: 3, global: 50 },
	});
	channelId = [...[...discord.world.guilds.values()][0]!.channels][0]!;
});
afterEach(async () => {
	await discord.stop();
});

function errorCodeAt(tree: ErrorTree, path: string[]): string | undefined {
	let node: ErrorTree | ErrorTree[string] = tree;
	for (const key of path) {
		if (Array.isArray(node)) return undefined;
		node = node[key] ?? {};
	}
	if (Array.isArray(node)) return undefined;
	const errors = node._errors;
	return Array.isArray(errors) ? errors[0]?.code : undefined;
}

function api(path: string, init: RequestInit = {}, token: string | null = discord.token): Promise<Response> {
	const headers = new Headers(init.headers);
	if (token !== null) headers.set('authorization', `Bot ${token}`);
	if (typeof init.body === 'string') headers.set('content-type', 'application/json');
	return fetch(`${discord.apiBase}/v10${path}`, { ...init, headers });
}

describe('REST basics', () => {
	it('serves /gateway, /gateway/bot and /users/@me with rate-limit headers', async () => {
		const gateway = await api('/gateway', {}, null);
		expect(await gateway.json()).toEqual({ url: discord.gatewayUrl });
		const bot = await api('/gateway/bot');
		expect((await bot.json()) as RESTGetAPIGatewayBotResult).toMatchObject({
			url: discord.gatewayUrl,
			shards: 1,
			session_start_limit: { total: 1000, remaining: 1000, max_concurrency: 1 },
		});
		const me = await api('/users/@me');
		expect(me.status).toBe(200);
		expect(((await me.json()) as APIUser).id).toBe(discord.botUser.id);
		for (const header of [
			'x-ratelimit-limit',
			'x-ratelimit-remaining',
			'x-ratelimit-reset',
			'x-ratelimit-reset-after',
			'x-ratelimit-bucket',
		]) {
			expect(me.headers.get(header)).not.toBeNull();
		}
	});

	it('answers 401 to a wrong token and counts it', async () => {
		const response = await api('/users/@me', {}, 'wrong');
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: '401: Unauthorized', code: 0 });
		expect(discord.rest.invalid.unauthorized).toBe(1);
	});

	it('answers 404 with Discord codes for unknown routes and entities', async () => {
		expect((await api('/nope')).status).toBe(404);
		const unknown = await api('/channels/123456789012345678/messages');
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ message: 'Unknown Channel', code: 10003 });
	});
});

describe('messages', () => {
	it('creates, gets, lists, edits and deletes, producing gateway dispatches', async () => {
		const c = new RawClient(discord.gatewayUrl);
		c.identify(discord.token, 513 | (1 << 15));
		await c.dispatch(GatewayDispatchEvents.Ready);
		const created = await api(`/channels/${channelId}/messages`, {
			method: 'POST',
			body: JSON.stringify({ content: 'hi', nonce: 'n1' }),
		});
		expect(created.status).toBe(200);
		const message = (await created.json()) as APIMessage;
		expect(message).toMatchObject({
			content: 'hi',
			channel_id: channelId,
			author: { id: discord.botUser.id },
			nonce: 'n1',
		});
		expect((await c.dispatch(GatewayDispatchEvents.MessageCreate)).d.id).toBe(message.id);
		expect(
			((await (await api(`/channels/${channelId}/messages/${message.id}`)).json()) as APIMessage).content,
		).toBe('hi');
		await api(`/channels/${channelId}/messages`, { method: 'POST', body: JSON.stringify({ content: 'second' }) });
		const list = (await (await api(`/channels/${channelId}/messages?limit=10`)).json()) as APIMessage[];
		expect(list.map((m) => m.content)).toEqual(['second', 'hi']);
		const edited = await api(`/channels/${channelId}/messages/${message.id}`, {
			method: 'PATCH',
			body: JSON.stringify({ content: 'edited' }),
		});
		expect(((await edited.json()) as APIMessage).edited_timestamp).not.toBeNull();
		expect((await c.dispatch(GatewayDispatchEvents.MessageUpdate)).d.content).toBe('edited');
		expect((await api(`/channels/${channelId}/messages/${message.id}`, { method: 'DELETE' })).status).toBe(204);
		expect((await c.dispatch(GatewayDispatchEvents.MessageDelete)).d).toMatchObject({
			id: message.id,
			channel_id: channelId,
		});
		expect((await api(`/channels/${channelId}/messages/${message.id}`)).status).toBe(404);
		c.close();
	});

	it('validates bodies with nested 50035 errors and rejects empty messages', async () => {
		const response = await api(`/channels/${channelId}/messages`, {
			method: 'POST',
			body: JSON.stringify({ content: 'x'.repeat(2001), embeds: [{ title: 5 }] }),
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as { code: number; errors: ErrorTree };
		expect(body.code).toBe(50035);
		expect(errorCodeAt(body.errors, ['content'])).toBe('BASE_TYPE_MAX_LENGTH');
		expect(errorCodeAt(body.errors, ['embeds', '0', 'title'])).toBe('MODEL_TYPE_CONVERT');
		const empty = await api(`/channels/${channelId}/messages`, { method: 'POST', body: JSON.stringify({}) });
		expect(await empty.json()).toEqual({ message: 'Cannot send an empty message', code: 50006 });
	});

	it('accepts multipart uploads and logs files and the audit-log reason', async () => {
		const form = new FormData();
		form.set('payload_json', JSON.stringify({ content: 'with file', attachments: [{ id: 0, filename: 'a.txt' }] }));
		form.set('files[0]', new Blob(['hello file'], { type: 'text/plain' }), 'a.txt');
		const response = await api(`/channels/${channelId}/messages`, {
			method: 'POST',
			body: form,
			headers: { 'x-audit-log-reason': encodeURIComponent('because ✓') },
		});
		expect(response.status).toBe(200);
		const message = (await response.json()) as APIMessage;
		expect(message.attachments[0]).toMatchObject({ filename: 'a.txt', size: 10, content_type: 'text/plain' });
		const logged = discord.requests.last()!;
		expect(logged).toMatchObject({
			method: 'POST',
			route: '/channels/{channel_id}/messages',
			status: 200,
			auditLogReason: 'because ✓',
			authorized: true,
		});
		expect(logged.files[0]!.data.toString()).toBe('hello file');
		expect(logged.headers.authorization).toBe('Bot [REDACTED]');
	});
});

describe('rate limits', () => {
	it('answers 429 with Retry-After, scope and Discord body when a bucket is exhausted', async () => {
		const statuses: number[] = [];
		let limited: Response | undefined;
		for (let i = 0; i < 4; i++) {
			const response = await api(`/channels/${channelId}/messages`, {
				method: 'POST',
				body: JSON.stringify({ content: `m${i}` }),
			});
			statuses.push(response.status);
			if (response.status === 429) limited = response;
			else expect(response.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
		expect(limited!.headers.get('retry-after')).toBe('1');
		expect(limited!.headers.get('x-ratelimit-scope')).toBe('user');
		expect(limited!.headers.get('x-ratelimit-global')).toBeNull();
		const body = (await limited!.json()) as { message: string; retry_after: number; global: boolean };
		expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
		expect(body.retry_after).toBeGreaterThan(0);
		expect(body.retry_after).toBeLessThanOrEqual(0.5);
	});

	it('keys buckets by major parameter', async () => {
		const other = discord.world.createChannel([...discord.world.guilds.keys()][0]!).id;
		for (let i = 0; i < 3; i++)
			await api(`/channels/${channelId}/messages`, { method: 'POST', body: JSON.stringify({ content: 'x' }) });
		const response = await api(`/channels/${other}/messages`, {
			method: 'POST',
			body: JSON.stringify({ content: 'x' }),
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('x-ratelimit-remaining')).toBe('2');
	});

	it('enforces the global limit with X-RateLimit-Global', async () => {
		await discord.stop();
		discord = await MockDiscord.start({ guilds: 1, rateLimits: { global: 2, perRoute: 100 } });
		const statuses: number[] = [];
		let last: Response | undefined;
		for (let i = 0; i < 3; i++) {
			last = await api('/users/@me');
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 429]);
		expect(last!.headers.get('x-ratelimit-global')).toBe('true');
		expect(last!.headers.get('x-ratelimit-scope')).toBe('global');
		expect(((await last!.json()) as { global: boolean }).global).toBe(true);
	});
});

describe('faults', () => {
	it('injects seeded 5xx answers reproducibly', async () => {
		const run = async (): Promise<number[]> => {
			const mock = await MockDiscord.start({
				guilds: 0,
				seed: 7,
				rateLimits: { enabled: false },
				faults: { serverErrorRate: 0.5 },
			});
			const statuses: number[] = [];
			for (let i = 0; i < 12; i++)
				statuses.push(
					(await fetch(`${mock.apiBase}/v10/users/@me`, { headers: { authorization: `Bot ${mock.token}` } }))
						.status,
				);
			await mock.stop();
			return statuses;
		};
		const first = await run();
		expect(first.some((s) => s >= 500)).toBe(true);
		expect(first.some((s) => s === 200)).toBe(true);
		expect(await run()).toEqual(first);
	});
});
