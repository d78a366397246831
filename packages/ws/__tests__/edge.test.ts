import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { WebSocketManager } from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A server that accepts connections and never says HELLO. */
async function silentServer(): Promise<{ url: string; sockets: WebSocket[] }> {
	const sockets: WebSocket[] = [];
	const server = await new Promise<WebSocketServer>((resolve) => {
		const s = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => {
			resolve(s);
		});
	});
	server.on('connection', (ws) => sockets.push(ws));
	cleanup.push(
		() =>
			new Promise<void>((resolve) => {
				for (const ws of sockets) ws.terminate();
				server.close(() => {
					resolve();
				});
			}),
	);
	return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets };
}

describe('edge cases', () => {
	it('reconnects when HELLO does not arrive within helloTimeout', async () => {
		const { url, sockets } = await silentServer();
		const manager = new WebSocketManager({
			token: 'token-for-edge-tests',
			intents: 1,
			shardCount: 1,
			gatewayUrl: url,
			helloTimeout: 100,
			reconnectBackoff: { initial: 10, max: 20 },
		});
		const debug: string[] = [];
		manager.on('debug', (m) => debug.push(m));
		const connecting = manager.connect().catch((error: unknown) => error);
		await until(() => sockets.length >= 3, 5_000, 'three connection attempts');
		expect(debug.some((m) => m.includes('No HELLO within 100 ms'))).toBe(true);
		await manager.destroy();
		expect(await connecting).toMatchObject({ code: 'GATEWAY_DESTROYED' });
	});

	it('answers a heartbeat request (op 1) at once and ignores payloads that are not gateway payloads', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({ token: gw.token, intents: 1, shardCount: 1, gatewayUrl: gw.url });
		cleanup.push(() => manager.destroy());
		const latencies: number[] = [];
		manager.on('heartbeat', (e) => latencies.push(e.latency));
		const debug: string[] = [];
		manager.on('debug', (m) => debug.push(m));
		await manager.connect();
		const before = gw.received.filter((p) => (p as { op: number }).op === 1).length;
		gw.sendOp(1, null);
		await until(() => gw.received.filter((p) => (p as { op: number }).op === 1).length === before + 1);
		await until(() => latencies.length >= 1);
		for (const conn of gw.conns) conn.ws.send('this is not json');
		await until(() => debug.some((m) => m.includes('not a gateway payload')));
		const [status] = await manager.fetchStatus();
		expect(status?.status).toBe('ready');
		expect(status?.latency).toBeGreaterThanOrEqual(0);
	});

	it('counts dispatches by name, and a gateway that invents names cannot grow the counts without bound', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const manager = new WebSocketManager({ token: gw.token, intents: 1, shardCount: 1, gatewayUrl: gw.url });
		cleanup.push(() => manager.destroy());
		await manager.connect();
		for (let n = 0; n < 5; n++) gw.dispatch(0, 'MESSAGE_CREATE', { n });
		for (let n = 0; n < 300; n++) gw.dispatch(0, `INVENTED_${n}`, { n });
		// READY and GUILD_CREATE from the login, then the 305 above.
		const total = (counts: Readonly<Record<string, number>>): number =>
			Object.values(counts).reduce((sum, count) => sum + count, 0);
		let counts: Readonly<Record<string, number>> = {};
		const end = Date.now() + 10_000;
		while (total(counts) < 307) {
			if (Date.now() > end) throw new Error(`timed out with ${total(counts)} dispatches counted`);
			await new Promise((resolve) => setTimeout(resolve, 10));
			counts = (await manager.fetchStatus())[0]?.dispatches ?? {};
		}
		expect(total(counts)).toBe(307);
		expect(counts.MESSAGE_CREATE).toBe(5);
		expect(Object.keys(counts).length).toBe(257);
		expect(counts['(other)']).toBeGreaterThan(0);
	});
});
