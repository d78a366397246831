import { GatewayIntentBits } from 'discord-api-types/v10';
import { MockDiscord } from '@ovenjs/testing';
import { GatewayError } from '@ovenjs/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, CoreError, ExtensionBus } from '../src/index.js';

let discord: MockDiscord;

beforeAll(async () => {
	discord = await MockDiscord.start({ guilds: 1, identifyIntervalMs: 10, privilegedIntents: 0 });
});

afterAll(async () => {
	await discord.stop();
});

describe('Client failures', () => {
	it('rejects login with the gateway error when a privileged intent is not enabled, and can be destroyed', async () => {
		const bus = new ExtensionBus();
		const fatal: string[] = [];
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent,
			rest: { api: discord.apiBase },
			bus,
		});
		client.on('fatal', (error) => void fatal.push(error.code));
		const error: unknown = await client.login().then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(error).toBeInstanceOf(GatewayError);
		expect(error).toMatchObject({ code: 'GATEWAY_DISALLOWED_INTENTS' });
		expect(fatal).toEqual(['GATEWAY_DISALLOWED_INTENTS']);
		expect(client.isReady).toBe(false);
		await client.destroy();
		await expect(client.login()).rejects.toBeInstanceOf(CoreError);
	});

	it('needs login before registering commands, and rejects bad replay input with typed errors', async () => {
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds,
			rest: { api: discord.apiBase },
		});
		await expect(client.registerCommands([])).rejects.toMatchObject({ code: 'CORE_NOT_LOGGED_IN' });
		await expect(client.replay([], { speed: -1 })).rejects.toMatchObject({ code: 'CORE_INVALID_OPTION' });
		await expect(client.replay('/nonexistent/recording.jsonl')).rejects.toThrow(/ENOENT/);
		await client.destroy();
	});

	it('stays destroyed when destroy() runs during login', async () => {
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds,
			rest: { api: discord.apiBase },
		});
		const login = client.login().then(
			() => 'resolved',
			(error: unknown) => (error instanceof Error ? error.name : 'rejected'),
		);
		await client.destroy();
		expect(await login).not.toBe('resolved');
		expect(client.isReady).toBe(false);
		await expect(client.login()).rejects.toMatchObject({ code: 'CORE_DESTROYED' });
	});
});
