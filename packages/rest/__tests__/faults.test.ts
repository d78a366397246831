/**
 * The REST fault suite: a seeded mix of 2,000 requests over 20 channels at concurrency 200 against
 * `@ovenjs/testing`'s mock, with 5 % of applied requests answered 500/504 and 1 % of them reset after the mock
 * applied them. Duplicated side effects and stale reads are counted at the mock, not from what the client says.
 */
import { MockDiscord, SEQUENCE_HEADER } from '@ovenjs/testing';
import type { ChannelId } from '@ovenjs/types';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST, RestError, type RestResponse } from '../src/index.js';
import { Random } from './fixtures/random.js';

const SEED = 19;
const OPERATIONS = 2_000;
const CONCURRENCY = 200;
const THUMBS_UP = encodeURIComponent('👍');

let discord: MockDiscord;
let channels: ChannelId[];

beforeAll(async () => {
	discord = await MockDiscord.start({
		seed: SEED,
		guilds: 2,
		channelsPerGuild: 10,
		membersPerGuild: 2,
		rateLimits: { windowMs: 250, perRoute: 200, global: 1_000_000 },
	});
	channels = [...discord.world.channels.keys()].slice(0, 20);
});
afterAll(async () => {
	await discord.stop();
});

function sequenceOf(response: RestResponse): number {
	const value = response.headers[SEQUENCE_HEADER];
	const n = Number(Array.isArray(value) ? value[0] : value);
	if (!Number.isInteger(n)) throw new Error(`no ${SEQUENCE_HEADER} header`);
	return n;
}

describe('REST fault suite (seeded, counted at the mock)', () => {
	it('creates no duplicate and serves no stale read under 5 % 5xx and 1 % resets after the request was applied', async () => {
		expect(channels).toHaveLength(20);
		const rest = new REST({
			token: discord.token,
			api: discord.apiBase,
			retries: 8,
			backoffBase: 2,
			backoffMax: 20,
			globalRequestsPerSecond: 1_000_000,
			offset: 0,
			connections: 128,
		});
		const random = new Random(SEED);
		discord.rest.requests.clear();
		discord.rest.appliedFaults.configure({ serverErrorRate: 0.05, connectionResetRate: 0.01, seed: SEED });
		const created = new Map<ChannelId, string[]>();
		const outcomes = {
			creates: 0,
			patches: 0,
			maybeApplied: 0,
			reads: 0,
			stale: 0,
			reactions: 0,
			unexpected: [] as string[],
		};
		let getCalls = 0;

		/** A read: the answer must have been produced after the call (mock sequence at call time). */
		const read = async (route: string, query?: Record<string, string>): Promise<RestResponse> => {
			const before = discord.rest.sequence;
			getCalls++;
			const response = await rest.raw('GET', route, query === undefined ? {} : { query });
			outcomes.reads++;
			if (sequenceOf(response) <= before) outcomes.stale++;
			return response;
		};

		const operation = async (i: number): Promise<void> => {
			const channel = random.pick(channels);
			const roll = random.next();
			try {
				if (roll < 0.4) {
					const message = await rest.post<APIMessage>(`/channels/${channel}/messages`, {
						body: { content: `op-${i}` },
					});
					if (message.content !== `op-${i}`)
						outcomes.unexpected.push(`create ${i} returned ${message.content}`);
					outcomes.creates++;
					const list = created.get(channel) ?? [];
					list.push(message.id);
					created.set(channel, list);
				} else if (roll < 0.55) {
					// Read-your-write: the read after a patch must be produced after the patch was applied.
					outcomes.patches++;
					const patched = await rest.raw('PATCH', `/channels/${channel}`, { body: { topic: `t-${i}` } });
					const after = await read(`/channels/${channel}`);
					if (sequenceOf(after) <= sequenceOf(patched)) outcomes.stale++;
				} else if (roll < 0.85) {
					await read(`/channels/${channel}`);
				} else if (roll < 0.95) {
					await read(`/channels/${channel}/messages`, { limit: '5' });
				} else {
					const ids = created.get(channel);
					const target = ids === undefined || ids.length === 0 ? undefined : random.pick(ids);
					if (target === undefined) await read(`/channels/${channel}`);
					else {
						await rest.put(`/channels/${channel}/messages/${target}/reactions/${THUMBS_UP}/@me`);
						outcomes.reactions++;
					}
				}
			} catch (error) {
				// Only a PATCH may end this way: Discord may have applied it, so the client must not retry it.
				if (error instanceof RestError && error.code === 'REST_MAYBE_APPLIED' && roll >= 0.4 && roll < 0.55)
					outcomes.maybeApplied++;
				else outcomes.unexpected.push(`op ${i}: ${String(error)}`);
			}
		};

		let next = 0;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < OPERATIONS) await operation(next++);
			}),
		);
		const elapsed = Date.now() - started;

		// --- counted at the mock ---------------------------------------------------------------------------
		const contents = new Map<string, number>();
		for (const id of channels) {
			for (const message of discord.world.channels.get(id)?.messages.values() ?? []) {
				if (message.content.startsWith('op-'))
					contents.set(message.content, (contents.get(message.content) ?? 0) + 1);
			}
		}
		const duplicates = [...contents.values()].reduce((sum, count) => sum + count - 1, 0);
		const log = discord.rest.requests.all();
		const getsAtMock = log.filter((entry) => entry.method === 'GET').length;
		const injected = { ...discord.rest.appliedFaults.injected };
		discord.rest.appliedFaults.configure({});
		const summary = {
			...outcomes,
			unexpected: outcomes.unexpected.length,
			duplicates,
			getCalls,
			getsAtMock,
			injected,
			elapsed,
		};
		console.log(`[rest fault suite] ${JSON.stringify(summary)}`);

		expect(outcomes.unexpected).toEqual([]);
		expect(duplicates).toBe(0);
		expect(outcomes.stale).toBe(0);
		// Every create succeeded exactly once at the mock, although some were answered 5xx or reset after applying.
		expect(contents.size).toBe(outcomes.creates);
		expect(injected.statuses).toBeGreaterThan(20);
		expect(injected.resets).toBeGreaterThan(3);
		// The retries happened: the mock saw more POSTs than there were creates.
		expect(log.filter((entry) => entry.method === 'POST').length).toBeGreaterThan(outcomes.creates);
		expect(rest.pendingRequests).toBe(0);
		expect(rest.circuitState).toBe('closed');
		await rest.destroy();
	});
});
