import type { ChannelId, UserId } from '@ovenjs/types';
import { SpanStatusCode } from '@opentelemetry/api';
import { InteractionType } from 'discord-api-types/v10';
import {
	BasicTracerProvider,
	InMemorySpanExporter,
	SimpleSpanProcessor,
	type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { MockDiscord } from '@ovenjs/testing';
import type { Client } from '@ovenjs/core';
import { ChatInputCommandInteraction } from '@ovenjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrument, type Instrumentation } from '../src/index.js';
import { mockClient, until } from './helpers.js';

let discord: MockDiscord;
let client: Client;
let instrumentation: Instrumentation;
let channelId: ChannelId;
let userId: UserId;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

function children(parent: ReadableSpan, spans: readonly ReadableSpan[]): ReadableSpan[] {
	return spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
}

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 3,
		heartbeatIntervalMs: 500,
		identifyIntervalMs: 10,
	});
	const guild = [...discord.world.guilds.values()][0];
	const first = guild === undefined ? undefined : [...guild.channels][0];
	if (guild === undefined || first === undefined) throw new Error('the mock world is empty');
	channelId = first;
	userId = discord.world.addMember(guild.id).user.id;
	client = mockClient(discord);
	instrumentation = instrument(client, { tracer: provider.getTracer('test'), defaultMetrics: false });
	client.on('messageCreate', async (message) => {
		if (message.content !== '!trace') return;
		client.cache.channel(message.channelId);
		await message.reply('traced');
	});
	client.on('interactionCreate', async (interaction) => {
		if (interaction instanceof ChatInputCommandInteraction) await interaction.reply('pong');
	});
	await client.login();
});

afterAll(async () => {
	instrumentation.stop();
	await client.destroy();
	await discord.stop();
	await provider.shutdown();
});

describe('OpenTelemetry spans (in-memory exporter)', () => {
	it('a message handler span is the parent of the REST call and the cache tier read it made', async () => {
		exporter.reset();
		const reply = discord.requests.waitFor('POST', '/channels/{channel_id}/messages');
		discord.world.sendMessage(channelId, userId, '!trace');
		await reply;
		await until(
			() =>
				exporter
					.getFinishedSpans()
					.some(
						(span) =>
							span.name === 'ovenjs messageCreate' &&
							children(span, exporter.getFinishedSpans()).length >= 2,
					),
			'the handler span and its children',
		);
		const spans = exporter.getFinishedSpans();
		const handler = spans.find((span) => span.name === 'ovenjs messageCreate' && children(span, spans).length >= 2);
		if (handler === undefined) throw new Error('no handler span');
		expect(handler.parentSpanContext).toBeUndefined();
		expect(handler.attributes['ovenjs.event']).toBe('messageCreate');
		const kids = children(handler, spans);
		const rest = kids.find((span) => span.name === 'ovenjs rest POST /channels/:id/messages');
		expect(rest?.attributes).toMatchObject({
			'http.request.method': 'POST',
			'ovenjs.rest.route': 'POST /channels/:id/messages',
			'ovenjs.rest.retries': 0,
			'ovenjs.rest.rate_limit_wait_ms': 0,
			'http.response.status_code': 200,
		});
		expect(typeof rest?.attributes['ovenjs.rest.bucket']).toBe('string');
		expect(rest?.spanContext().traceId).toBe(handler.spanContext().traceId);
		const cache = kids.find((span) => span.name === 'ovenjs cache entity');
		expect(cache?.attributes).toMatchObject({
			'ovenjs.cache.tier': 'entity',
			'ovenjs.cache.hit': true,
			'ovenjs.cache.key_kind': 'channel',
		});
		// No raw ID in any span name or attribute.
		for (const span of [handler, ...kids])
			expect(JSON.stringify([span.name, span.attributes])).not.toContain(channelId);
	});

	it('an interaction handler span is the parent of its callback request', async () => {
		exporter.reset();
		await discord.world.triggerInteraction({
			type: InteractionType.ApplicationCommand,
			data: { id: '1', name: 'ping', type: 1 },
			channelId,
			userId,
		});
		await until(
			() => exporter.getFinishedSpans().some((span) => span.name === 'ovenjs interactionCreate'),
			'the interaction span',
		);
		const spans = exporter.getFinishedSpans();
		const handler = spans.find((span) => span.name === 'ovenjs interactionCreate');
		if (handler === undefined) throw new Error('no interaction span');
		const callback = children(handler, spans).find(
			(span) => span.attributes['ovenjs.rest.route'] === 'POST /interactions/:id/:token/callback',
		);
		expect(callback).toBeDefined();
		expect(JSON.stringify(spans.map((span) => [span.name, span.attributes]))).not.toContain(discord.token);
	});

	it('REST calls outside a handler are root spans', async () => {
		exporter.reset();
		await client.api.users.getMyUser();
		const spans = exporter.getFinishedSpans();
		const rest = spans.find((span) => span.attributes['ovenjs.rest.route'] === 'GET /users/@me');
		expect(rest).toBeDefined();
		expect(rest?.parentSpanContext).toBeUndefined();
	});

	it('a failing handler ends its span with an error status', async () => {
		exporter.reset();
		const failing = (): Promise<void> => Promise.reject(new Error(`boom ${discord.token}`));
		client.on('messageCreate', failing);
		client.on('error', () => undefined);
		discord.world.sendMessage(channelId, userId, 'fail');
		await until(
			() => exporter.getFinishedSpans().some((span) => span.status.code === SpanStatusCode.ERROR),
			'an error span',
		);
		client.off('messageCreate', failing);
		const failed = exporter.getFinishedSpans().find((span) => span.status.code === SpanStatusCode.ERROR);
		expect(failed?.name).toBe('ovenjs messageCreate');
		expect(failed?.status.message).toContain('boom');
		expect(JSON.stringify(failed?.events)).not.toContain(discord.token);
		expect(failed?.status.message).not.toContain(discord.token);
	});
});
