/**
 * Each client event with a bus point is announced once per side: a listener alone, a point handler alone, or both,
 * each called exactly once per dispatch; READY sets the client's read-only identity.
 */
import { GatewayIntentBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { Client, ExtensionBus } from '../src/index.js';

const TOKEN = 'announcements-test-token-0123456789';
const deleted = (id: string) => ({
	t: 'MESSAGE_DELETE',
	d: { id, channel_id: '81384788765712390' },
	s: 1,
	shardId: 0,
	at: 0,
});

describe('client events and their bus points', () => {
	it('calls a listener and a point handler once each, and either side alone', async () => {
		const bus = new ExtensionBus();
		const client = new Client({ token: TOKEN, intents: GatewayIntentBits.GuildMessages, bus, cache: false });
		const heard: string[] = [];
		const offPoint = bus.on('message:delete', (message) => void heard.push(`point:${message.id}`));
		await client.replay([deleted('81384788765712400')]);
		expect(heard).toEqual(['point:81384788765712400']);
		client.on('messageDelete', (message) => void heard.push(`event:${message.id}`));
		await client.replay([deleted('81384788765712401')]);
		expect(heard.slice(1)).toEqual(['point:81384788765712401', 'event:81384788765712401']);
		offPoint();
		await client.replay([deleted('81384788765712402')]);
		expect(heard.slice(3)).toEqual(['event:81384788765712402']);
		await client.destroy();
	});

	it('announces warnings on the warn event and client:warn alike', async () => {
		const bus = new ExtensionBus();
		const client = new Client({ token: TOKEN, intents: GatewayIntentBits.GuildMessages, bus, cache: false });
		const events: string[] = [];
		const points: string[] = [];
		client.on('warn', (text) => void events.push(text));
		bus.on('client:warn', (text) => void points.push(text));
		await client.replay([{ t: 'MESSAGE_DELETE', d: { id: 5 }, s: 1, shardId: 0, at: 0 }]);
		expect(events).toHaveLength(1);
		expect(points).toEqual(events);
		await client.destroy();
	});

	it('takes the user and application IDs from READY', async () => {
		const client = new Client({ token: TOKEN, intents: 0, cache: false });
		expect(client.userId).toBeUndefined();
		const ready = {
			v: 10,
			user: { id: '81384788765712392', username: 'bot', discriminator: '0', avatar: null, global_name: null },
			application: { id: '81384788765712393', flags: 0 },
			session_id: 'session',
			resume_gateway_url: 'wss://gateway.discord.gg',
			guilds: [],
		};
		await client.replay([{ t: 'READY', d: ready, s: 1, shardId: 0, at: 0 }]);
		expect(client.userId).toBe('81384788765712392');
		expect(client.applicationId).toBe('81384788765712393');
		await client.destroy();
	});
});
