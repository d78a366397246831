/**
 * `ready` waits for every guild READY announced (discord.js semantics), or for `waitGuildTimeout` without an
 * arrival, and reports the missing ones; `shardsReady` fires when the shards are past READY.
 */
import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client, type ClientReadyEventInfo } from '../src/index.js';
import { ReadyTracker } from '../src/lib/client/ReadyTracker.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	vi.useRealTimers();
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

const envelope = (t: string, d: unknown) => ({ t, d, s: 1, shardId: 0 });

describe('ReadyTracker', () => {
	it('resolves when every announced guild arrived or was deleted', async () => {
		const tracker = new ReadyTracker();
		tracker.observe(
			envelope('READY', {
				guilds: [{ id: '81384788765712384' }, { id: '81384788765712385' }, { id: '81384788765712386' }],
			}),
		);
		const outcome = tracker.wait(10_000);
		tracker.observe(envelope('GUILD_CREATE', { id: '81384788765712384' }));
		tracker.observe(envelope('GUILD_DELETE', { id: '81384788765712385', unavailable: true }));
		tracker.observe(envelope('GUILD_CREATE', { id: '81384788765712386' }));
		await expect(outcome).resolves.toEqual({ missingGuildIds: [], announced: 3 });
	});

	it('reports the missing guilds once the wait passes without an arrival (each arrival restarts it)', async () => {
		vi.useFakeTimers();
		const tracker = new ReadyTracker();
		tracker.observe(envelope('READY', { guilds: [{ id: '81384788765712384' }, { id: '81384788765712385' }] }));
		let done: unknown;
		void tracker.wait(1_000).then((outcome) => {
			done = outcome;
		});
		await vi.advanceTimersByTimeAsync(900);
		tracker.observe(envelope('GUILD_CREATE', { id: '81384788765712384' }));
		await vi.advanceTimersByTimeAsync(900);
		expect(done).toBeUndefined();
		await vi.advanceTimersByTimeAsync(200);
		expect(done).toEqual({ missingGuildIds: ['81384788765712385'], announced: 2 });
	});
});

describe('Client ready against MockDiscord', () => {
	it('fires shardsReady, then ready with every announced guild in the cache', async () => {
		const discord = await MockDiscord.start({ guilds: 3, membersPerGuild: 2, identifyIntervalMs: 10 });
		cleanup.push(() => discord.stop());
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds,
			rest: { api: discord.apiBase },
		});
		cleanup.push(() => client.destroy());
		const order: string[] = [];
		let info: ClientReadyEventInfo | undefined;
		let cachedAtReady = 0;
		client.on('shardsReady', () => {
			order.push('shardsReady');
		});
		client.on('ready', (event) => {
			order.push('ready');
			info = event;
			cachedAtReady = [...discord.world.guilds.keys()].filter(
				(id) => client.cache.guild(id) !== undefined,
			).length;
		});
		await client.login();
		expect(order).toEqual(['shardsReady', 'ready']);
		expect(info?.missingGuildIds).toEqual([]);
		expect(cachedAtReady).toBe(3);
	});
});
