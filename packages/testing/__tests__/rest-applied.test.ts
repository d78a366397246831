import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIChannel, APIMessage } from 'discord-api-types/v10';
import { uncheckedSnowflake } from '@ovenjs/types';
import { MockDiscord, SEQUENCE_HEADER } from '../src/index.js';

let discord: MockDiscord;
let channelId: string;

beforeEach(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 2,
		rateLimits: { windowMs: 500, perRoute: 50, global: 500 },
	});
	channelId = [...[...discord.world.guilds.values()][0]!.channels][0]!;
});
afterEach(async () => {
	await discord.stop();
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('authorization', `Bot ${discord.token}`);
	if (typeof init.body === 'string') headers.set('content-type', 'application/json');
	return fetch(`${discord.apiBase}/v10${path}`, { ...init, headers });
}

const post = (body: unknown): Promise<Response> =>
	api(`/channels/${channelId}/messages`, { method: 'POST', body: JSON.stringify(body) });
const messagesWith = (content: string): APIMessage[] =>
	[...discord.world.channels.get(uncheckedSnowflake('Channel', channelId))!.messages.values()].filter(
		(m) => m.content === content,
	);

describe("Discord's nonce rule", () => {
	it('returns the original message for a repeated nonce with enforce_nonce, and creates one per request otherwise', async () => {
		const first = (await (await post({ content: 'once', nonce: 'n-1', enforce_nonce: true })).json()) as APIMessage;
		const again = await post({ content: 'once', nonce: 'n-1', enforce_nonce: true });
		expect(again.status).toBe(200);
		expect(((await again.json()) as APIMessage).id).toBe(first.id);
		expect(messagesWith('once')).toHaveLength(1);
		// Without enforce_nonce a nonce is only echoed: two requests, two messages.
		await post({ content: 'twice', nonce: 'n-2' });
		await post({ content: 'twice', nonce: 'n-2' });
		expect(messagesWith('twice')).toHaveLength(2);
		// Another nonce is another message, whatever the content.
		await post({ content: 'once', nonce: 'n-3', enforce_nonce: true });
		expect(messagesWith('once')).toHaveLength(2);
	});
});

describe('applied faults and the sequence header', () => {
	it('applies a request and then resets the connection or answers 500/504, reproducibly by seed', async () => {
		discord.rest.appliedFaults.configure({ connectionResetRate: 1, seed: 3 });
		await expect(post({ content: 'applied then reset' })).rejects.toThrow();
		expect(messagesWith('applied then reset')).toHaveLength(1);
		expect(discord.rest.appliedFaults.injected).toEqual({ statuses: 0, resets: 1 });
		discord.rest.appliedFaults.configure({ serverErrorRate: 1, methods: ['POST'], seed: 3 });
		const answer = await post({ content: 'applied then 5xx' });
		expect([500, 504]).toContain(answer.status);
		expect(messagesWith('applied then 5xx')).toHaveLength(1);
		// GETs are outside `methods`: served normally.
		expect((await api(`/channels/${channelId}`)).status).toBe(200);
		// A failed request (4xx) was not applied and is never faulted.
		expect((await post({})).status).toBe(400);
		discord.rest.appliedFaults.configure({});
		expect(() => {
			discord.rest.appliedFaults.configure({ serverErrorRate: 2 });
		}).toThrow(/between 0 and 1/);
	});

	it('delays answers after applying them, with the state they were produced in', async () => {
		discord.rest.appliedFaults.configure({ latencyMs: 150, methods: ['GET'] });
		const slowRead = api(`/channels/${channelId}`);
		await new Promise((resolve) => setTimeout(resolve, 40));
		const patched = await api(`/channels/${channelId}`, {
			method: 'PATCH',
			body: JSON.stringify({ topic: 'after the read' }),
		});
		const read = await slowRead;
		expect(((await read.json()) as { topic?: string | null }).topic).not.toBe('after the read');
		expect(Number(read.headers.get(SEQUENCE_HEADER))).toBeLessThan(Number(patched.headers.get(SEQUENCE_HEADER)));
	});

	it('stamps every answer with the sequence it was produced at', async () => {
		const before = discord.rest.sequence;
		const patched = await api(`/channels/${channelId}`, {
			method: 'PATCH',
			body: JSON.stringify({ topic: 'sequenced' }),
		});
		const written = Number(patched.headers.get(SEQUENCE_HEADER));
		expect(written).toBe(before + 1);
		const read = await api(`/channels/${channelId}`);
		expect(Number(read.headers.get(SEQUENCE_HEADER))).toBeGreaterThan(written);
		expect(((await read.json()) as APIChannel & { topic: string }).topic).toBe('sequenced');
		expect(discord.rest.sequence).toBe(before + 2);
	});
});
