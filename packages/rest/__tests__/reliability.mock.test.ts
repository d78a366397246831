/** Coalescing, nonces and the retry policy end to end against `@ovenjs/testing`'s mock. */
import { MockDiscord } from '@ovenjs/testing';
import type { ChannelId } from '@ovenjs/types';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MaybeAppliedError, REST, type RestOptions } from '../src/index.js';

let discord: MockDiscord;
let channels: ChannelId[];
const clients: REST[] = [];
const client = (options: RestOptions = {}): REST => {
	const rest = new REST({
		token: discord.token,
		api: discord.apiBase,
		backoffBase: 2,
		backoffMax: 10,
		offset: 0,
		...options,
	});
	clients.push(rest);
	return rest;
};
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const topicOf = (value: unknown): unknown =>
	typeof value === 'object' && value !== null ? Reflect.get(value, 'topic') : undefined;

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		channelsPerGuild: 6,
		membersPerGuild: 2,
		rateLimits: { windowMs: 500, perRoute: 50, global: 500 },
	});
	channels = [...discord.world.channels.keys()];
});
afterAll(async () => {
	for (const rest of clients.splice(0)) await rest.destroy();
	await discord.stop();
});
beforeEach(() => {
	discord.faults.configure({});
	discord.rest.appliedFaults.configure({});
	discord.rest.requests.clear();
});

describe('coalesced GETs', () => {
	it('a GET after an awaited PATCH sees the patch, although an identical GET sent before it is still in flight', async () => {
		const rest = client();
		const route = `/channels/${channels[0]}`;
		await rest.patch(route, { body: { topic: 'before' } });
		// Answers to GETs arrive 150 ms after the mock produced them.
		discord.rest.appliedFaults.configure({ latencyMs: 150, methods: ['GET'] });
		const early = rest.get(route);
		await delay(40); // `early` is sent and answered at the mock (with "before"), its answer still on the way
		await rest.patch(route, { body: { topic: 'after' } });
		const late = rest.get(route);
		expect(topicOf(await early)).toBe('before');
		expect(topicOf(await late)).toBe('after');
		expect(discord.rest.requests.filter('GET')).toHaveLength(2);
	});

	it('joins only identical GETs that are not sent yet, and gives every caller its own object', async () => {
		const rest = client();
		const route = `/channels/${channels[1]}`;
		const same = await Promise.all([rest.get(route), rest.get(route), rest.get(route)]);
		expect(discord.rest.requests.filter('GET')).toHaveLength(1);
		expect(same[0]).toEqual(same[1]);
		expect(same[0]).not.toBe(same[1]);
		expect(same[1]).not.toBe(same[2]);
		Reflect.set(same[0] as object, 'topic', 'mutated by caller 0');
		expect(topicOf(same[1])).not.toBe('mutated by caller 0');
		discord.rest.requests.clear();
		// Different headers, reason or query: separate requests.
		await Promise.all([
			rest.get(route),
			rest.get(route, { headers: { 'x-variant': 'a' } }),
			rest.get(route, { headers: { 'x-variant': 'b' } }),
			rest.get(route, { query: { q: 1 } }),
		]);
		expect(discord.rest.requests.filter('GET')).toHaveLength(4);
	});
});

describe('message creates carry a nonce', () => {
	it('reuses one nonce with enforce_nonce on every retry, so an applied-then-reset create exists once', async () => {
		const rest = client({ retries: 3 });
		const channel = channels[2]!;
		discord.rest.appliedFaults.configure({ connectionResetRate: 1, methods: ['POST'] });
		// Stop the faults as soon as the first attempt was applied and reset.
		void discord.rest.requests.waitFor('POST', `/channels/${channel}/messages`).then(() => {
			discord.rest.appliedFaults.configure({});
		});
		const message = await rest.post<APIMessage>(`/channels/${channel}/messages`, {
			body: { content: 'exactly once' },
		});
		const posts = discord.rest.requests.filter('POST', `/channels/${channel}/messages`);
		expect(posts.map((entry) => entry.status)).toEqual([0, 200]);
		const bodies = posts.map((entry) => entry.body as { nonce: string; enforce_nonce: boolean });
		expect(bodies[0]!.enforce_nonce).toBe(true);
		expect(bodies[0]!.nonce).toMatch(/^[\w-]{16}$/);
		expect(bodies[1]!.nonce).toBe(bodies[0]!.nonce);
		const stored = [...discord.world.channels.get(channel)!.messages.values()].filter(
			(m) => m.content === 'exactly once',
		);
		expect(stored.map((m) => m.id)).toEqual([message.id]);
	});

	it('keeps a nonce of the caller and gives every logical request its own', async () => {
		const rest = client();
		const channel = channels[3]!;
		await rest.post(`/channels/${channel}/messages`, {
			body: { content: 'mine', nonce: 'my-nonce', enforce_nonce: true },
		});
		await rest.post(`/channels/${channel}/messages`, { body: { content: 'a' } });
		await rest.post(`/channels/${channel}/messages`, { body: { content: 'b' } });
		await rest.post(`/channels/${channel}/messages`, { body: { content: 'no enforcement', enforce_nonce: false } });
		const bodies = discord.rest.requests.filter('POST').map((entry) => entry.body as Record<string, unknown>);
		expect(bodies[0]).toMatchObject({ nonce: 'my-nonce', enforce_nonce: true });
		expect(bodies[1]!.nonce).not.toBe(bodies[2]!.nonce);
		expect(bodies[3]).toEqual({ content: 'no enforcement', enforce_nonce: false });
	});
});

describe('requests that are not idempotent', () => {
	it('reject with REST_MAYBE_APPLIED instead of retrying a PATCH reset after it was applied', async () => {
		const rest = client({ retries: 3 });
		const route = `/channels/${channels[4]}`;
		discord.rest.appliedFaults.configure({ connectionResetRate: 1, methods: ['PATCH'] });
		const error = await rest.patch(route, { body: { topic: 'applied once' } }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MaybeAppliedError);
		expect(error).toMatchObject({ code: 'REST_MAYBE_APPLIED', reason: 'network', method: 'PATCH', attempts: 1 });
		expect((error as Error).message).toMatch(/may have been applied/);
		expect(discord.rest.requests.filter('PATCH')).toHaveLength(1);
		discord.rest.appliedFaults.configure({});
		expect(topicOf(await rest.get(route))).toBe('applied once');
		// A PUT is idempotent: retried after the same fault.
		discord.rest.appliedFaults.configure({ serverErrorRate: 1, methods: ['PUT'], seed: 1 });
		const messages = await rest.get<APIMessage[]>(`/channels/${channels[2]}/messages`);
		void discord.rest.requests
			.waitFor(
				'PUT',
				`/channels/${channels[2]}/messages/${messages[0]!.id}/reactions/${encodeURIComponent('👍')}/@me`,
			)
			.then(() => {
				discord.rest.appliedFaults.configure({});
			});
		await rest.put(
			`/channels/${channels[2]}/messages/${messages[0]!.id}/reactions/${encodeURIComponent('👍')}/@me`,
		);
		expect(discord.rest.requests.filter('PUT').map((entry) => entry.status)).toEqual([expect.any(Number), 204]);
	});
});
