/**
 * Client.login() against a gateway that never sends READY (a stalled Discord, a proxy that swallows frames):
 * login settles with the typed GATEWAY_READY_TIMEOUT instead of waiting forever, and the client can log in again
 * once the gateway answers. Everything talks to MockDiscord over real sockets.
 */
import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { GatewayError } from '@ovenjs/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';

let discord: MockDiscord;

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 1, identifyIntervalMs: 0 });
});

afterAll(async () => {
	await discord.stop();
});

describe('Client.login against a gateway that never sends READY', () => {
	it('rejects with GATEWAY_READY_TIMEOUT within the ready timeout, then logs in once READY comes', async () => {
		discord.gateway.withholdReady(true);
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds,
			rest: { api: discord.apiBase },
			gateway: { shardCount: 1, readyTimeout: 400, reconnectBackoff: { initial: 10, max: 50 } },
		});
		const started = Date.now();
		const error: unknown = await client.login().then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'GATEWAY_READY_TIMEOUT' });
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(discord.gateway.identify.withheld).toBeGreaterThanOrEqual(1);
		expect(client.isReady).toBe(false);
		// The failed login left the client idle, not stuck: once the gateway answers, login() succeeds.
		discord.gateway.withholdReady(false);
		await client.login();
		expect(client.isReady).toBe(true);
		await client.destroy();
	});
});
