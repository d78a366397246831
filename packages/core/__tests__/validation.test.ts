/**
 * The default ('sampled') validation: a malformed dispatch is reported and dropped, never thrown into the
 * gateway, and valid dispatches after it are still delivered; 'full' parses every one.
 */
import { GatewayIntentBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';

const message = (id: string, extra: Record<string, unknown> = {}) => ({
	id,
	channel_id: '81384788765712390',
	guild_id: '81384788765712391',
	content: `hello ${id}`,
	author: { id: '81384788765712392', username: 'user', discriminator: '0', avatar: null, global_name: null },
	timestamp: '2024-01-01T00:00:00.000Z',
	edited_timestamp: null,
	tts: false,
	mention_everyone: false,
	mentions: [],
	mention_roles: [],
	attachments: [],
	embeds: [],
	pinned: false,
	type: 0,
	...extra,
});

describe.each(['sampled', 'full'] as const)('validation %s', (validation) => {
	it('reports a malformed MESSAGE_CREATE and keeps delivering valid ones', async () => {
		const client = new Client({
			token: 'validation-test-token-0123456789',
			intents: GatewayIntentBits.GuildMessages,
			validation,
		});
		const warnings: string[] = [];
		const contents: string[] = [];
		client.on('warn', (text) => {
			warnings.push(text);
		});
		client.on('messageCreate', (m) => {
			contents.push(m.content);
		});
		const events = [
			{ t: 'MESSAGE_CREATE', d: message('81384788765712400'), s: 1, shardId: 0, at: 0 },
			{
				t: 'MESSAGE_CREATE',
				d: message('81384788765712401', { author: 'not an author' }),
				s: 2,
				shardId: 0,
				at: 0,
			},
			{ t: 'MESSAGE_CREATE', d: { id: 5 }, s: 3, shardId: 0, at: 0 },
			{ t: 'MESSAGE_CREATE', d: message('81384788765712402'), s: 4, shardId: 0, at: 0 },
		];
		await expect(client.replay(events)).resolves.toBe(4);
		expect(contents).toEqual(['hello 81384788765712400', 'hello 81384788765712402']);
		expect(warnings).toHaveLength(2);
		expect(warnings[0]).toContain('MESSAGE_CREATE');
		await client.destroy();
	});
});

describe('sampled validation of large payloads', () => {
	it('parses only the first GUILD_CREATE in full (a 100-guild start-up would parse every member), the later ones get the shape check', async () => {
		const client = new Client({ token: 'validation-test-token-0123456789', intents: GatewayIntentBits.Guilds });
		const warnings: string[] = [];
		client.on('warn', (text) => {
			warnings.push(text);
		});
		// A defect only the schema sees (a name that is not a string): the shape check reads IDs, roles and emojis.
		const guild = (n: number) => ({
			id: String(81384788765712500n + BigInt(n)),
			name: n,
			roles: [],
			emojis: [],
			channels: [],
			members: [],
		});
		const events = Array.from({ length: 7 }, (_, n) => ({
			t: 'GUILD_CREATE',
			d: guild(n),
			s: n + 1,
			shardId: 0,
			at: 0,
		}));
		await expect(client.replay(events)).resolves.toBe(7);
		expect(warnings).toHaveLength(1);
		expect(client.cache.guildIds()).toEqual(
			Array.from({ length: 6 }, (_, n) => String(81384788765712501n + BigInt(n))),
		);
		await client.destroy();
	});
});
