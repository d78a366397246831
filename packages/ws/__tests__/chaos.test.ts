/**
 * The seeded chaos suite: 2 shards against `@ovenjs/testing`'s MockDiscord over real sockets, a stream of guild
 * dispatches interleaved with reconnects of every kind — including the session-ending ones (close 4009, op 9
 * d=false) — over JSON, zlib-stream (zlib-sync and node:zlib) and zstd-stream. Every dispatch the mock put on a
 * session (wire or replay buffer) must reach the application exactly once, in order per shard.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayDispatchEvents } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { shardIdForGuild, uncheckedSnowflake, type GuildId } from '@ovenjs/types';
import { type DecompressorImplementation, type GatewayCompression, WebSocketManager } from '../src/index.js';
import { until } from './helpers/FakeGateway.js';
import { seeded } from '@ovenjs/test-services/seeded';

const INTENTS = 1 | (1 << 9) | (1 << 15); // Guilds, GuildMessages, MessageContent
const EVENTS = 6_000;
/** Reconnects per run: the two session-ending kinds once each (the per-shard identify budget of the shard allows 3 identifies in 10 min without delay), the rest resumable. */
const CHAOS = ['4009', 'op9-false', '4000', 'op7', 'op9-true', '4000', 'op7', '4008', '4000', 'op7'] as const;

type Chaos = (typeof CHAOS)[number];

function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		const a = out[i];
		const b = out[j];
		if (a === undefined || b === undefined) continue;
		out[i] = b;
		out[j] = a;
	}
	return out;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Run {
	readonly compression: GatewayCompression;
	readonly decompressor: DecompressorImplementation;
	readonly seed: number;
}

const RUNS: Run[] = [
	{ compression: null, decompressor: 'auto', seed: 1 },
	{ compression: 'zlib-stream', decompressor: 'auto', seed: 2 },
	{ compression: 'zlib-stream', decompressor: 'node:zlib', seed: 3 },
	{ compression: 'zstd-stream', decompressor: 'auto', seed: 4 },
];

describe('seeded chaos: nothing lost, duplicated or reordered', () => {
	it.each(RUNS)(
		'$compression ($decompressor), seed $seed',
		async ({ compression, decompressor, seed }) => {
			const random = seeded(seed);
			const discord = await MockDiscord.start({
				guilds: 1,
				membersPerGuild: 2,
				shards: 2,
				maxConcurrency: 2,
				identifyIntervalMs: 0,
				replayBufferSize: 100_000,
			});
			cleanup.push(() => discord.stop());
			const manager = new WebSocketManager({
				token: discord.token,
				intents: INTENTS,
				shardCount: 2,
				gatewayUrl: discord.gatewayUrl,
				compression,
				decompressor,
				reconnectBackoff: { initial: 10, max: 50 },
				identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
			});
			cleanup.push(() => manager.destroy());
			const received = new Map<number, number[]>([
				[0, []],
				[1, []],
			]);
			const status = new Map<number, { ready: boolean; left: boolean }>([
				[0, { ready: true, left: false }],
				[1, { ready: true, left: false }],
			]);
			manager.on('status', ({ shardId, status: now }) => {
				const entry = status.get(shardId);
				if (entry === undefined) return;
				entry.ready = now === 'ready';
				if (!entry.ready) entry.left = true;
			});
			const back = (): boolean => [...status.values()].every((entry) => entry.left && entry.ready);
			manager.on('dispatch', (event) => {
				if (event.t !== 'MESSAGE_CREATE') return;
				const d = event.d;
				if (typeof d === 'object' && d !== null && 'content' in d && typeof d.content === 'string')
					received.get(event.shardId)?.push(Number(d.content));
			});
			await manager.connect();

			// Guild IDs whose timestamp part puts three on each shard ((id >> 22) % 2); the mock routes any guild ID it is not told the bot left.
			const guilds = [1, 2, 3, 4, 5, 6].map((k) => ({
				id: uncheckedSnowflake('Guild', String(BigInt(k) << 22n)),
				channelId: String((BigInt(k) << 22n) + 1n),
			}));
			const shardOf = (guildId: GuildId): number => shardIdForGuild(guildId, 2);
			expect(guilds.map((g) => shardOf(g.id))).toEqual([1, 0, 1, 0, 1, 0]);
			const sent = new Map<number, number[]>([
				[0, []],
				[1, []],
			]);
			const plan = shuffle(CHAOS, random);
			const chaosAt = new Set(plan.map((_, i) => Math.floor(((i + 1) * EVENTS) / (plan.length + 1))));
			let next = 0;
			const send = (n: number, guild: { readonly id: GuildId; readonly channelId: string }): Promise<void> =>
				discord.gateway
					.dispatch(
						GatewayDispatchEvents.MessageCreate,
						{
							id: String(1_000_000 + n),
							channel_id: guild.channelId,
							guild_id: guild.id,
							content: String(n),
						},
						{ guildId: guild.id },
					)
					.then((routed) => {
						if (routed > 0) sent.get(shardOf(guild.id))?.push(n);
					});
			// Bursts are routed synchronously, without waiting for the client, so a reconnect lands while frames are in flight.
			let burst: Promise<void>[] = [];
			for (let n = 0; n < EVENTS; n++) {
				const guild = guilds[Math.floor(random() * guilds.length)];
				if (guild === undefined) continue;
				burst.push(send(n, guild));
				if (burst.length >= 250 && !chaosAt.has(n)) {
					await Promise.all(burst);
					burst = [];
				}
				if (chaosAt.has(n)) {
					const kind = plan[next++];
					if (kind === undefined) continue;
					for (const entry of status.values()) entry.left = false;
					inflict(discord, kind);
					// A few more events while the shards are away (buffered for a resume, or not routed once a session ended).
					for (let extra = 0; extra < 20 && n + 1 < EVENTS; extra++) {
						n++;
						const g = guilds[n % guilds.length];
						if (g !== undefined) burst.push(send(n, g));
					}
					await Promise.all(burst);
					burst = [];
					await until(back, 20_000, `both shards back after ${kind}`);
				}
			}
			await Promise.all(burst);
			for (const list of sent.values()) list.sort((x, y) => x - y);
			await until(
				() =>
					(received.get(0)?.length ?? 0) + (received.get(1)?.length ?? 0) >=
					(sent.get(0)?.length ?? 0) + (sent.get(1)?.length ?? 0),
				20_000,
				'every routed event',
			);
			await new Promise((resolve) => setTimeout(resolve, 100));
			for (const shard of [0, 1]) {
				const got = received.get(shard) ?? [];
				const want = sent.get(shard) ?? [];
				const lost = want.filter((n) => !got.includes(n));
				const duplicated = got.length - new Set(got).size;
				const outOfOrder = got.filter((n, i) => i > 0 && n <= (got[i - 1] ?? -1)).length;
				expect({ shard, lost: lost.length, duplicated, outOfOrder, extra: got.length - want.length }).toEqual({
					shard,
					lost: 0,
					duplicated: 0,
					outOfOrder: 0,
					extra: 0,
				});
			}
			expect(next).toBe(CHAOS.length);
		},
		120_000,
	);
});

function inflict(discord: MockDiscord, kind: Chaos): void {
	switch (kind) {
		case '4009':
		case '4000':
		case '4008':
			discord.gateway.closeAll(Number(kind));
			return;
		case 'op9-false':
			discord.gateway.invalidateSession(false);
			return;
		case 'op9-true':
			discord.gateway.invalidateSession(true);
			return;
		case 'op7':
			discord.gateway.reconnect(60_000);
			return;
	}
}
