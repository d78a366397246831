import { afterEach, describe, expect, it } from 'vitest';
import { type ShardStatus, WebSocketManager } from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('the shard lifecycle', () => {
	it('walks connecting → waiting-identify → identifying → ready, and reconnecting → connecting → resuming → ready after network loss', async () => {
		const gw = await FakeGateway.start();
		const manager = new WebSocketManager({
			token: gw.token,
			intents: 1,
			shardCount: 1,
			gatewayUrl: gw.url,
			reconnectBackoff: { initial: 10, max: 50 },
			identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
		});
		cleanup.push(() => gw.stop());
		const statuses: ShardStatus[] = [];
		manager.on('status', ({ status }) => statuses.push(status));
		await manager.connect();
		expect(statuses).toEqual(['connecting', 'waiting-identify', 'identifying', 'ready']);
		statuses.length = 0;
		gw.terminateAll();
		await until(() => statuses.at(-1) === 'ready', 5_000, 'resumed');
		expect(statuses).toEqual(['reconnecting', 'connecting', 'resuming', 'ready']);
		statuses.length = 0;
		await manager.destroy();
		expect(statuses).toEqual(['destroyed']);
		expect((await manager.fetchStatus()).map((s) => s.status)).toEqual(['destroyed']);
	});
});
