import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import pino from 'pino';
import { MockDiscord } from '@ovenjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ObservabilityError,
	attachLogger,
	jsonLogger,
	pinoLogger,
	instrument,
	type LogRecord,
	type StructuredLogger,
} from '../src/index.js';
import { mockClient, until } from './helpers.js';

let discord: MockDiscord;

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 2,
		heartbeatIntervalMs: 200,
		identifyIntervalMs: 10,
	});
});

afterAll(async () => {
	await discord.stop();
});

describe('structured logs', () => {
	it('writes the debug and warn streams as JSON lines, and the token never appears', async () => {
		const lines: string[] = [];
		const client = mockClient(discord);
		const detach = attachLogger(
			client,
			jsonLogger({ stream: { write: (line: string) => lines.push(line) }, level: 'debug' }),
			{ debug: true },
		);
		client.on('error', () => undefined);
		client.on('messageCreate', () => {
			throw new Error(`listener failed with token ${discord.token}`);
		});
		await client.login();
		// A warning and a failing listener, both carrying the token in their text.
		client.extensions.emit('client:warn', `suspicious payload near ${discord.token}`);
		const guild = [...discord.world.guilds.values()][0];
		const channelId = guild === undefined ? undefined : [...guild.channels][0];
		if (guild === undefined || channelId === undefined) throw new Error('empty world');
		discord.world.sendMessage(channelId, discord.world.addMember(guild.id).user.id, 'hi');
		await until(() => lines.some((line) => line.includes('"error:unhandled"')), 'the listener failure line');
		discord.gateway.closeAll(4000);
		await client.waitFor('shardResume');
		await client.destroy();
		detach();
		const records = lines.map((line) => JSON.parse(line) as LogRecord & { time: number });
		expect(records.length).toBeGreaterThanOrEqual(3);
		for (const line of lines) {
			expect(line.endsWith('\n')).toBe(true);
			expect(line).not.toContain(discord.token);
		}
		expect(
			records.filter(
				(record) => record.level === 'debug' && record.source === 'client:debug' && record.shard === 0,
			).length,
		).toBeGreaterThan(0);
		expect(records).toContainEqual(
			expect.objectContaining({
				level: 'warn',
				source: 'client:warn',
				msg: 'suspicious payload near [REDACTED]',
			}),
		);
		const failure = records.find((record) => record.source === 'error:unhandled');
		expect(failure).toMatchObject({
			level: 'error',
			point: 'client:event:messageCreate',
			err: { name: 'Error', message: 'listener failed with token [REDACTED]' },
		});
		expect(records.every((record) => typeof record.time === 'number')).toBe(true);
	});

	it('filters by level', () => {
		const lines: string[] = [];
		const logger = jsonLogger({
			stream: { write: (line: string) => lines.push(line) },
			level: 'warn',
			now: () => 5,
		});
		logger.write({ level: 'debug', msg: 'no', source: 'test' });
		logger.write({ level: 'info', msg: 'no', source: 'test' });
		logger.write({ level: 'error', msg: 'yes', source: 'test' });
		expect(lines).toEqual(['{"time":5,"level":"error","msg":"yes","source":"test"}\n']);
	});

	it('adapts pino: level, message and fields, redacted', async () => {
		const chunks: string[] = [];
		const stream = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				chunks.push(chunk.toString('utf8'));
				callback();
			},
		});
		const client = mockClient(discord);
		const detach = attachLogger(client, pinoLogger(pino({ level: 'debug', base: { app: 'bot' } }, stream)));
		client.extensions.emit('client:warn', `[shard 3] token ${discord.token} leaked?`);
		await until(() => chunks.length > 0, 'a pino line');
		detach();
		const record: unknown = JSON.parse(chunks.join('').trim());
		expect(record).toMatchObject({
			level: 40,
			msg: 'token [REDACTED] leaked?',
			source: 'client:warn',
			shard: 3,
			app: 'bot',
		});
		expect(chunks.join('')).not.toContain(discord.token);
		await client.destroy();
	});

	it('rejects a logger without write()', () => {
		const client = mockClient(discord);
		const bad: unknown = { log: () => undefined };
		expect(() => attachLogger(client, bad as StructuredLogger)).toThrow(ObservabilityError);
		void client.destroy();
	});

	it('inspect of an instrumentation shows no token', () => {
		const client = mockClient(discord);
		const instrumentation = instrument(client, { defaultMetrics: false });
		expect(inspect(instrumentation)).not.toContain(discord.token);
		expect(inspect(instrumentation, { depth: 10 })).toMatch(/^Instrumentation \{/);
		instrumentation.stop();
		void client.destroy();
	});
});
