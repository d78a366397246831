import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayDispatch, type IdentifyThrottler, type SessionInfo, WebSocketManager } from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

const instant: IdentifyThrottler = { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() };
// Guild ids whose shard differs between 1, 2 and 3 shards.
const guilds = [
	'81384788765712384',
	'81384788765712385',
	'175928847299117063',
	'222078108977594368',
	'1097205429283700756',
	'301392489292939264',
];

describe('live resharding', () => {
	it('starts the new set beside the old, switches over, and loses or duplicates no event', async () => {
		const gw = await FakeGateway.start({ guilds, recommendedShards: 1 });
		cleanup.push(() => gw.stop());
		const store = new Map<number, SessionInfo>();
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: instant,
			updateSessionInfo: (id, info) => {
				if (info === null) store.delete(id);
				else store.set(id, info);
			},
		});
		cleanup.push(() => manager.destroy());
		const events: GatewayDispatch[] = [];
		manager.on('dispatch', (e) => events.push(e));
		const phases: string[] = [];
		manager.on('reshard', (e) => phases.push(`${e.phase}:${e.from}->${e.to}`));
		const debug: string[] = [];
		manager.on('debug', (m) => debug.push(m));
		await manager.connect();
		expect(manager.shardCount).toBe(1);
		expect(await manager.reshard()).toBe(false);

		let n = 0;
		let flooding = true;
		const flood = (async () => {
			while (flooding) {
				for (let i = 0; i < 5; i++) {
					const guild = guilds[n % guilds.length] ?? '';
					gw.dispatchGuild(guild, 'MESSAGE_CREATE', { n, g: guild });
					n++;
				}
				await new Promise((r) => setTimeout(r, 1));
			}
		})();
		await until(() => n > 200);
		gw.recommendedShards = 3;
		expect(await manager.reshard()).toBe(true);
		expect(manager.shardCount).toBe(3);
		const sent = n;
		await until(() => n > sent + 300);
		flooding = false;
		await flood;
		const messages = (): GatewayDispatch[] => events.filter((e) => e.t === 'MESSAGE_CREATE');
		await until(() => messages().length >= n, 10_000, `${n} messages`);
		await new Promise((r) => setTimeout(r, 100));
		const seen = messages().map((e) => (e.d as { n: number }).n);
		expect(seen).toHaveLength(n);
		expect(new Set(seen).size).toBe(n);
		// Per guild, events arrive in order.
		for (const guild of guilds) {
			const ofGuild = messages()
				.filter((e) => (e.d as { g: string }).g === guild)
				.map((e) => (e.d as { n: number }).n);
			expect(ofGuild).toEqual([...ofGuild].sort((a, b) => a - b));
		}
		expect(phases).toEqual(['started:1->3', 'switched:1->3']);
		// Both sets received the flood while the new one started: the overlap was real and deduplicated.
		const switched = debug.find((m) => m.includes('switched;')) ?? '';
		expect(Number(/(\d+) duplicates skipped/.exec(switched)?.[1])).toBeGreaterThan(0);
		expect(events.filter((e) => e.t === 'READY')).toHaveLength(1);
		expect(events.filter((e) => e.t === 'GUILD_CREATE')).toHaveLength(guilds.length);
		const status = await manager.fetchStatus();
		expect(status.map((s) => [s.shardId, s.status])).toEqual([
			[0, 'ready'],
			[1, 'ready'],
			[2, 'ready'],
		]);
		expect(new Set(gw.identifies.map((i) => `${i.shardId}/${i.shardCount}`))).toEqual(
			new Set(['0/1', '0/3', '1/3', '2/3']),
		);
		// The retired set did not clear or overwrite the new set's persisted sessions.
		expect([...store.values()].map((info) => `${info.shardId}/${info.shardCount}`).sort()).toEqual([
			'0/3',
			'1/3',
			'2/3',
		]);
	});

	it("keeps the new set's persisted sessions when the retired set closes", async () => {
		const gw = await FakeGateway.start({ guilds, recommendedShards: 1 });
		cleanup.push(() => gw.stop());
		const store = new Map<number, SessionInfo>();
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			fetchGatewayInformation: () => Promise.resolve(gw.gatewayBot()),
			identifyThrottler: instant,
			updateSessionInfo: (id, info) => {
				if (info === null) store.delete(id);
				else store.set(id, info);
			},
		});
		cleanup.push(() => manager.destroy());
		await manager.connect();
		expect(store.get(0)?.shardCount).toBe(1);
		expect(await manager.reshard(2)).toBe(true);
		expect([...store.values()].map((info) => `${info.shardId}/${info.shardCount}`).sort()).toEqual(['0/2', '1/2']);
	});

	it('refuses to reshard a manager that runs only some shards, with a typed error', async () => {
		const gw = await FakeGateway.start({ guilds });
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			shardCount: 2,
			shardIds: [1],
			gatewayUrl: gw.url,
			identifyThrottler: instant,
		});
		cleanup.push(() => manager.destroy());
		await manager.connect();
		await expect(manager.reshard(4)).rejects.toMatchObject({ code: 'GATEWAY_RESHARD_FAILED' });
	});
});
