import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Counter, Registry } from 'prom-client';
import { MockDiscord } from '@ovenjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservabilityError, instrument, mergeMetrics, type MetricsJSON } from '../src/index.js';
import { mockClient, parseMetrics, series, until } from './helpers.js';

let discord: MockDiscord;

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 2,
		heartbeatIntervalMs: 500,
		identifyIntervalMs: 10,
	});
});

afterAll(async () => {
	await discord.stop();
});

/** A registry built in a real worker thread, sent back as JSON over postMessage (what a cluster worker does). */
function workerMetrics(label: string, count: number): Promise<MetricsJSON> {
	const source = `
		const { parentPort, workerData } = require('node:worker_threads');
		const { Registry, Counter } = require(workerData.promClient);
		const registry = new Registry();
		registry.setDefaultLabels({ process: workerData.label });
		const counter = new Counter({ name: 'ovenjs_gateway_events_total', help: 'x', labelNames: ['shard', 'event'], registers: [registry] });
		counter.inc({ shard: '1', event: 'MESSAGE_CREATE' }, workerData.count);
		registry.getMetricsAsJSON().then((json) => parentPort.postMessage(json));
	`;
	return new Promise((resolve, reject) => {
		const worker = new Worker(source, {
			eval: true,
			workerData: { label, count, promClient: createRequire(import.meta.url).resolve('prom-client') },
		});
		worker.once('message', (json: MetricsJSON) => {
			resolve(json);
			void worker.terminate();
		});
		worker.once('error', reject);
	});
}

describe('merging registries of several processes', () => {
	it('keeps per-process series apart by label and adds the rest', async () => {
		const a = mockClient(discord);
		const b = mockClient(discord);
		const ia = instrument(a, { labels: { process: 'main' }, defaultMetrics: false });
		const ib = instrument(b, { labels: { process: 'other' }, defaultMetrics: false });
		await Promise.all([a.login(), b.login()]);
		const guild = [...discord.world.guilds.values()][0];
		const channelId = guild === undefined ? undefined : [...guild.channels][0];
		if (guild === undefined || channelId === undefined) throw new Error('empty world');
		const userId = discord.world.addMember(guild.id).user.id;
		for (let i = 0; i < 4; i++) discord.world.sendMessage(channelId, userId, `m${i}`);
		const creates = (json: MetricsJSON): number =>
			json
				.find((metric) => metric.name === 'ovenjs_gateway_events_total')
				?.values.filter((value) => value.labels.event === 'MESSAGE_CREATE')
				.reduce((sum, value) => sum + value.value, 0) ?? 0;
		await until(
			async () => creates(await ia.metricsJSON()) === 4 && creates(await ib.metricsJSON()) === 4,
			'both clients to see 4 messages',
		);
		// JSON crosses processes by structured clone; a third part comes from a real worker thread.
		const fromWorker = await workerMetrics('worker-1', 7);
		const merged = await mergeMetrics([ia.registry, structuredClone(await ib.metricsJSON()), fromWorker]);
		const metrics = parseMetrics(await merged.metrics());
		expect(
			series(metrics, 'ovenjs_gateway_events_total', { process: 'main', shard: '0', event: 'MESSAGE_CREATE' }),
		).toBe(4);
		expect(
			series(metrics, 'ovenjs_gateway_events_total', { process: 'other', shard: '0', event: 'MESSAGE_CREATE' }),
		).toBe(4);
		expect(
			series(metrics, 'ovenjs_gateway_events_total', {
				process: 'worker-1',
				shard: '1',
				event: 'MESSAGE_CREATE',
			}),
		).toBe(7);
		expect(
			series(metrics, 'ovenjs_rest_requests_total', {
				process: 'main',
				method: 'GET',
				route: '/users/@me',
				status: '200',
			}),
		).toBe(1);
		ia.stop();
		ib.stop();
		await Promise.all([a.destroy(), b.destroy()]);
	});

	it('sums series with equal labels (processes without a label of their own)', async () => {
		const parts = [3, 5].map((n) => {
			const registry = new Registry();
			new Counter({
				name: 'ovenjs_rest_rate_limited_total',
				help: 'x',
				labelNames: ['scope'],
				registers: [registry],
			}).inc({ scope: 'user' }, n);
			return registry;
		});
		const metrics = parseMetrics(await (await mergeMetrics(parts)).metrics());
		expect(series(metrics, 'ovenjs_rest_rate_limited_total', { scope: 'user' })).toBe(8);
	});

	it('rejects parts that are not metric JSON', async () => {
		const bad: unknown = [{ nope: true }];
		await expect(mergeMetrics([bad as MetricsJSON])).rejects.toThrow(ObservabilityError);
		await expect(mergeMetrics([bad as MetricsJSON])).rejects.toMatchObject({ code: 'OBS_INVALID_METRICS' });
	});
});
