import { request } from 'node:http';
import { inspect } from 'node:util';
import { MockDiscord } from '@ovenjs/testing';
import type { Client } from '@ovenjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObservabilityError, startDashboard, type DashboardSample } from '../src/index.js';
import { mockClient } from './helpers.js';

let discord: MockDiscord;
let client: Client;
const token = 'dashboard-secret-0123456789';

beforeAll(async () => {
	discord = await MockDiscord.start({
		guilds: 1,
		membersPerGuild: 2,
		heartbeatIntervalMs: 200,
		identifyIntervalMs: 10,
	});
	client = mockClient(discord);
	await client.login();
});

afterAll(async () => {
	await client.destroy();
	await discord.stop();
});

/** Reads the first `sample` event of an SSE stream. */
function firstSample(url: string, headers: Record<string, string>): Promise<{ sample: DashboardSample }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { headers }, (response) => {
			expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
			let buffer = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				buffer += chunk;
				const match = /event: sample\ndata: (.*)\n\n/.exec(buffer);
				if (match?.[1] !== undefined) {
					resolve(JSON.parse(match[1]) as { sample: DashboardSample });
					req.destroy();
				}
			});
		});
		req.once('error', reject);
		req.end();
	});
}

describe('startDashboard', () => {
	it('binds 127.0.0.1 by default and streams samples over SSE', async () => {
		const dashboard = await startDashboard({ client, port: 0, intervalMs: 60 });
		try {
			expect(dashboard.host).toBe('127.0.0.1');
			expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
			const page = await fetch(dashboard.url);
			expect(page.headers.get('content-type')).toMatch(/^text\/html/);
			expect(await page.text()).toContain('data-chart="events"');
			const { sample } = await firstSample(new URL('/api/stream', dashboard.url).href, {});
			expect(sample.shardStatus).toEqual({ ready: 1 });
			expect((await fetch(new URL('/nope', dashboard.url))).status).toBe(404);
			expect((await fetch(new URL('/metrics', dashboard.url), { method: 'POST' })).status).toBe(405);
		} finally {
			await dashboard.close();
			await dashboard.close();
		}
	});

	it('requires the bearer token when one is set (header or ?token=), and never prints it', async () => {
		const dashboard = await startDashboard({ client, port: 0, token, intervalMs: 60 });
		try {
			const base = `http://127.0.0.1:${dashboard.port}`;
			expect((await fetch(`${base}/metrics`)).status).toBe(401);
			expect(
				(await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } }))
					.status,
			).toBe(401);
			expect((await fetch(`${base}/api/snapshot?token=nope`)).status).toBe(401);
			const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
			expect(ok.status).toBe(200);
			expect(await ok.text()).toContain('ovenjs_gateway_events_total');
			expect((await fetch(dashboard.url)).status).toBe(200);
			await firstSample(`${base}/api/stream?token=${token}`, {});
			expect(inspect(dashboard)).not.toContain(token);
		} finally {
			await dashboard.close();
		}
	});

	it('rejects bad options with typed errors', async () => {
		await expect(startDashboard({ client, port: 70_000 })).rejects.toMatchObject({ code: 'OBS_INVALID_OPTION' });
		await expect(startDashboard({ client, token: 'short' })).rejects.toBeInstanceOf(ObservabilityError);
		await expect(startDashboard({ client, intervalMs: 1 })).rejects.toMatchObject({ code: 'OBS_INVALID_OPTION' });
		const first = await startDashboard({ client, port: 0 });
		try {
			await expect(startDashboard({ client, port: first.port })).rejects.toMatchObject({
				code: 'OBS_LISTEN_FAILED',
			});
		} finally {
			await first.close();
		}
	});
});
