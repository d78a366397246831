import { Readable } from 'node:stream';
import type { ChannelId } from '@ovenjs/types';
import { MockDiscord } from '@ovenjs/testing';
import type { APIMessage, APIUser } from 'discord-api-types/v10';
import { Routes } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiscordAPIError, REST, type BucketDiscoveredEvent, type InvalidRequestWarningEvent } from '../src/index.js';

let discord: MockDiscord;
const clients: REST[] = [];
const client = (options: ConstructorParameters<typeof REST>[0] = {}): REST => {
	const rest = new REST({ token: discord.token, api: discord.apiBase, backoffBase: 5, backoffMax: 50, ...options });
	clients.push(rest);
	return rest;
};
const textChannels = (): ChannelId[] => [...discord.world.channels.keys()];

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 2,
		channelsPerGuild: 5,
		rateLimits: { windowMs: 1_000, perRoute: 5, global: 50 },
	});
});
afterAll(async () => {
	for (const rest of clients.splice(0)) await rest.destroy();
	await discord.stop();
});
beforeEach(() => {
	discord.faults.configure({});
	discord.rest.requests.clear();
});

describe('REST against MockDiscord', () => {
	// One client for the bot, as in production: a second client on the same token would share Discord's
	// buckets without sharing a store, and its 429s would be unavoidable for this one.
	let rest: REST;
	beforeAll(() => {
		rest = client();
	});

	it('works with discord-api-types Routes and typed generics', async () => {
		const discovered: BucketDiscoveredEvent[] = [];
		rest.on('bucketDiscovered', (event) => discovered.push(event));
		const me = await rest.get<APIUser>(Routes.user('@me'));
		expect(me.id).toBe(discord.world.botUser.id);
		const channelId = textChannels()[0]!;
		const message = await rest.post<APIMessage>(Routes.channelMessages(channelId), {
			body: { content: 'hello' },
			reason: 'tests ✓',
		});
		expect(message.content).toBe('hello');
		expect(message.channel_id).toBe(channelId);
		const logged = discord.rest.requests.last()!;
		expect(logged.auditLogReason).toBe('tests ✓');
		expect(logged.headers['user-agent']).toMatch(/^DiscordBot \(/);
		expect(discovered.map((event) => event.routeKey)).toContain('POST /channels/:id/messages');
	});

	it('sends a burst over 10 buckets with zero 429s at the mock', async () => {
		const channels = textChannels().slice(0, 10);
		expect(channels).toHaveLength(10);
		const sends = Array.from({ length: 80 }, (_, i) =>
			rest.post<APIMessage>(Routes.channelMessages(channels[i % 10]!), { body: { content: `burst ${i}` } }),
		);
		const messages = await Promise.all(sends);
		expect(messages.map((m) => m.content)).toEqual(Array.from({ length: 80 }, (_, i) => `burst ${i}`));
		const log = discord.rest.requests.all();
		expect(log.filter((entry) => entry.status === 429)).toHaveLength(0);
		expect(log.filter((entry) => entry.method === 'POST')).toHaveLength(80);
	});

	it('rides out injected 5xx and connection resets with retries', async () => {
		discord.faults.configure({ serverErrorRate: 0.25, connectionResetRate: 0.1, seed: 7 });
		const faulty = client({ retries: 6, circuitBreakerThreshold: 0 });
		const users = await Promise.all(
			Array.from({ length: 20 }, (_, i) => faulty.get<APIUser>(Routes.user('@me'), { query: { n: i } })),
		);
		expect(users.every((user) => user.id === discord.world.botUser.id)).toBe(true);
		const statuses = discord.rest.requests.all().map((entry) => entry.status);
		expect(statuses.filter((status) => status >= 500 || status === 0).length).toBeGreaterThan(0);
		expect(statuses.filter((status) => status === 200)).toHaveLength(20);
	});

	it('uploads files from a Buffer, a stream and a Blob with payload_json', async () => {
		const channelId = textChannels()[1]!;
		await rest.post(Routes.channelMessages(channelId), {
			body: { content: 'files' },
			files: [
				{ name: 'a.txt', data: Buffer.from('alpha'), contentType: 'text/plain' },
				{ name: 'b.txt', data: Readable.from([Buffer.from('be'), Buffer.from('ta')]) },
				{ name: 'c.bin', data: new Blob([new Uint8Array([1, 2, 3])]) },
			],
		});
		const logged = discord.rest.requests.last()!;
		expect(logged.body).toMatchObject({ content: 'files' });
		expect(logged.files.map((file) => [file.field, file.filename, Buffer.from(file.data).toString('hex')])).toEqual(
			[
				['files[0]', 'a.txt', Buffer.from('alpha').toString('hex')],
				['files[1]', 'b.txt', Buffer.from('beta').toString('hex')],
				['files[2]', 'c.bin', '010203'],
			],
		);
	});

	it('paginates messages with an async iterator', async () => {
		const channelId = textChannels()[2]!;
		for (let i = 0; i < 12; i++)
			await rest.post(Routes.channelMessages(channelId), { body: { content: `page ${i}` } });
		discord.rest.requests.clear();
		const seen: string[] = [];
		for await (const message of rest.paginate.messages(channelId, { pageSize: 5 })) seen.push(message.content);
		const ours = seen.filter((content) => content.startsWith('page '));
		expect(ours).toEqual(Array.from({ length: 12 }, (_, i) => `page ${11 - i}`));
		expect(discord.rest.requests.all().length).toBe(Math.ceil(seen.length / 5) + (seen.length % 5 === 0 ? 1 : 0));
		const limited: string[] = [];
		for await (const message of rest.paginate.messages(channelId, { limit: 3 })) limited.push(message.content);
		expect(limited).toEqual(['page 11', 'page 10', 'page 9']);
	});

	it('reports a bad token as a 401 DiscordAPIError without the token, counted as invalid', async () => {
		const badToken = 'OTk5OTk5OTk5OTk5OTk5OTk5.Gxxxxx.bad-token-for-the-invalid-request-test-xx';
		const bad = client({ token: badToken, invalidRequestWarningInterval: 1 });
		const warnings: InvalidRequestWarningEvent[] = [];
		bad.on('invalidRequestWarning', (event) => warnings.push(event));
		const error = await bad.get(Routes.user('@me')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).status).toBe(401);
		expect((error as Error).message).not.toContain(badToken);
		expect(warnings).toEqual([{ count: 1, limit: 9_500 }]);
	});
});
