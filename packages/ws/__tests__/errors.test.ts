import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, type GatewayErrorCode, GatewayErrorMessages, type IdentifyThrottler, WebSocketManager } from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: Partial<ConstructorParameters<typeof WebSocketManager>[0]> = {}) {
	const gw = await FakeGateway.start();
	const manager = new WebSocketManager({
		token: gw.token,
		intents: 1,
		shardCount: 1,
		gatewayUrl: gw.url,
		reconnectBackoff: { initial: 10, max: 50 },
		identifyThrottler: { setLimits: () => undefined, waitForIdentify: () => Promise.resolve() },
		...options,
	});
	const errors: { code: GatewayErrorCode; fatal: boolean; message: string }[] = [];
	manager.on('error', ({ error, fatal }) => errors.push({ code: error.code, fatal, message: error.message }));
	cleanup.push(() => gw.stop());
	cleanup.push(() => manager.destroy());
	return { gw, manager, errors };
}

describe('GatewayError codes: one meaning each', () => {
	it('builds every code from its one message', () => {
		const error = GatewayError.of('GATEWAY_READY_TIMEOUT', [2, true, 15_000], { shardId: 2 });
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'GATEWAY_READY_TIMEOUT', name: 'GatewayError[GATEWAY_READY_TIMEOUT]', shardId: 2 });
		expect(error.message).toBe(GatewayErrorMessages.GATEWAY_READY_TIMEOUT(2, true, 15_000));
		expect(error.message).toContain('readyTimeout');
		for (const build of Object.values(GatewayErrorMessages)) expect(typeof build).toBe('function');
	});

	it('refuses a second connect() with GATEWAY_ALREADY_CONNECTED, not an option error', async () => {
		const { manager } = await setup();
		const first = manager.connect();
		await expect(manager.connect()).rejects.toMatchObject({ code: 'GATEWAY_ALREADY_CONNECTED' });
		await first;
	});

	it('reports a throwing session hook as GATEWAY_HOOK_FAILED and still connects', async () => {
		const { manager, errors } = await setup({
			retrieveSessionInfo: () => {
				throw new Error('store down');
			},
			updateSessionInfo: () => Promise.reject(new Error('store down')),
		});
		await manager.connect();
		await until(() => errors.filter((e) => e.code === 'GATEWAY_HOOK_FAILED').length >= 2, 5_000, 'both hooks reported');
		expect(errors.every((e) => e.code === 'GATEWAY_HOOK_FAILED' && !e.fatal)).toBe(true);
		expect(errors.map((e) => e.message).join('\n')).toMatch(/retrieveSessionInfo[\s\S]*updateSessionInfo|updateSessionInfo[\s\S]*retrieveSessionInfo/);
	});

	it('reports a failing identify throttler as GATEWAY_IDENTIFY_THROTTLER_FAILED and retries', async () => {
		let calls = 0;
		const throttler: IdentifyThrottler = {
			setLimits: () => undefined,
			waitForIdentify: () => (++calls === 1 ? Promise.reject(new Error('throttler down')) : Promise.resolve()),
		};
		const { gw, manager, errors } = await setup({ identifyThrottler: throttler });
		await manager.connect();
		expect(errors.map((e) => e.code)).toEqual(['GATEWAY_IDENTIFY_THROTTLER_FAILED']);
		expect(calls).toBe(2);
		expect(gw.identifies).toHaveLength(1);
	});
});
