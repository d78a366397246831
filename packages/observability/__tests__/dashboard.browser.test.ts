/**
 * The dashboard in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core) opens the
 * page while a bot runs scripted traffic against the mock, waits for live samples, checks that every plot
 * draws a non-zero series, and saves a screenshot to docs/dashboard.png.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionType } from 'discord-api-types/v10';
import { chromium } from 'playwright-core';
import { MemoryTier, MultiTierCache } from '@ovenjs/cache';
import { ChatInputCommandInteraction, type Client } from '@ovenjs/core';
import { definePlugin } from '@ovenjs/plugins';
import { GatewayCloseCodes, MockDiscord } from '@ovenjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrument, startDashboard, type Dashboard } from '../src/index.js';
import { mockClient, until } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
	if (process.env.CI === 'true')
		throw new Error(
			`[CI] ${CHROMIUM} is missing: .ci/run installs Debian's chromium package; the dashboard browser test cannot run without it.`,
		);
	console.warn(
		`[skip] ${CHROMIUM} is not installed: the dashboard browser test is skipped (apt-get install -y chromium).`,
	);
}
const screenshot = join(import.meta.dirname, '..', '..', '..', 'docs', 'dashboard.png');

let discord: MockDiscord;
let client: Client;
let dashboard: Dashboard;
let traffic: NodeJS.Timeout | undefined;
let profiles: MultiTierCache | undefined;

describe.skipIf(!available)('dashboard page in headless Chromium', () => {
	beforeAll(async () => {
		discord = await MockDiscord.start({
			guilds: 2,
			membersPerGuild: 5,
			heartbeatIntervalMs: 250,
			identifyIntervalMs: 10,
			faults: { latencyMs: [5, 40] },
			rateLimits: { windowMs: 1_000, perRoute: 10 },
		});
		client = mockClient(discord);
		const instrumentation = instrument(client, { plugins: client.plugins });
		const result = await client.plugins.load(
			definePlugin({
				name: 'ovenjs-plugin-greeter',
				version: '1.2.0',
				manifest: { engine: '*', permissions: ['hook:message:create'] },
				setup: () => undefined,
			}),
			definePlugin({
				name: 'ovenjs-plugin-moderation',
				version: '0.3.1',
				manifest: { engine: '*', permissions: ['hook:message:create'] },
				setup(ctx) {
					ctx.hook('message:create', (message) => {
						if (message.content.includes('spam')) throw new Error('moderation backend unreachable');
					});
				},
			}),
			definePlugin({
				name: 'ovenjs-plugin-music',
				version: '2.0.0',
				manifest: { engine: '*', dependencies: { 'ovenjs-plugin-voice': '^1.0.0' } },
				setup: () => undefined,
			}),
		);
		instrumentation.recordPluginLoad(result);
		client.on('error', () => undefined);
		// An application cache of two tiers on the client's bus: a small fast tier in front of a larger one.
		const cache = new MultiTierCache({
			tiers: [new MemoryTier({ name: 'memory', max: 4 }), new MemoryTier({ name: 'l2', max: 1_000 })],
			emitter: client.extensions,
		});
		profiles = cache;
		client.on('messageCreate', async (message) => {
			client.cache.channel(message.channelId);
			client.cache.user(message.authorId);
			const key = `profile:${message.content.length % 9}`;
			if ((await cache.get(key)) === undefined) await cache.set(key, { seen: Date.now() });
			if (message.content === '!ping') await message.reply('pong');
		});
		client.on('interactionCreate', async (interaction) => {
			if (interaction instanceof ChatInputCommandInteraction) await interaction.reply('pong');
		});
		dashboard = await startDashboard({
			client,
			port: 0,
			intervalMs: 250,
			historySize: 120,
			title: 'OvenJS demo bot',
		});
		await client.login();
		const guild = [...discord.world.guilds.values()][0];
		const channelId = guild === undefined ? undefined : [...guild.channels][0];
		if (guild === undefined || channelId === undefined) throw new Error('empty world');
		const users = [0, 1, 2].map(() => discord.world.addMember(guild.id).user.id);
		let tick = 0;
		traffic = setInterval(() => {
			tick++;
			const user = users[tick % users.length];
			if (user === undefined) return;
			discord.world.sendMessage(
				channelId,
				user,
				tick % 2 === 0 ? '!ping' : tick % 7 === 0 ? 'spam spam' : `hello ${tick}`,
			);
			if (tick % 5 === 0)
				void discord.world
					.triggerInteraction({
						type: InteractionType.ApplicationCommand,
						data: { id: '1', name: 'ping', type: 1 },
						channelId,
						userId: user,
					})
					.catch(() => undefined);
			// A burst that outruns the bucket: queue depth and 429s on the plot.
			if (tick % 20 === 0)
				for (let i = 0; i < 8; i++) void client.send(channelId, `burst ${i}`).catch(() => undefined);
		}, 100);
	});

	afterAll(async () => {
		if (traffic !== undefined) clearInterval(traffic);
		await dashboard.close();
		await profiles?.close();
		await client.destroy();
		await discord.stop();
	});

	it('shows live shard, event, REST, queue, cache and plugin plots with non-zero series', async () => {
		// A forced 429 on a channel the traffic does not use: another client spends the bucket the bot relies on.
		const guild = [...discord.world.guilds.values()][0];
		const quiet = guild === undefined ? undefined : [...guild.channels][1];
		if (quiet === undefined) throw new Error('no second channel');
		await client.send(quiet, 'first');
		let status = 0;
		for (let i = 0; i < 20 && status !== 429; i++) {
			const response = await fetch(`${discord.apiBase}/v10/channels/${quiet}/messages`, {
				method: 'POST',
				headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
				body: '{"content":"elsewhere"}',
			});
			status = response.status;
			await response.arrayBuffer();
		}
		await client.send(quiet, 'after a 429');
		// A forced reconnect.
		const resumed = client.waitFor('shardResume');
		discord.gateway.closeAll(GatewayCloseCodes.UnknownError);
		await resumed;
		expect(dashboard.instrumentation.snapshot()).toMatchObject({ rest429: 1, reconnects: 1 });
		// Let the plots fill.
		await new Promise((resolve) => setTimeout(resolve, 4_000));
		const profile = mkdtempSync(join(tmpdir(), 'ovenjs-chromium-'));
		// A fresh profile directory (playwright passes it as --user-data-dir).
		const browser = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
			viewport: { width: 1400, height: 900 },
			deviceScaleFactor: 1,
		});
		try {
			const page = await browser.newPage();
			const pageErrors: string[] = [];
			page.on('pageerror', (error) => pageErrors.push(error.message));
			page.on('console', (message) => {
				if (message.type() === 'error') pageErrors.push(message.text());
			});
			await page.goto(dashboard.url);
			await page.waitForSelector('#live.on', { timeout: 10_000 }).catch((error: unknown) => {
				throw new Error(`the page did not go live (${pageErrors.join('; ')})`, { cause: error });
			});
			const start = Number(await page.getAttribute('body', 'data-samples'));
			// New samples arrive over the live stream.
			await until(
				async () => Number(await page.getAttribute('body', 'data-samples')) >= start + 4,
				'four live samples on the page',
			);
			for (const chart of ['latency', 'events', 'rest', 'queue', 'cache']) {
				const max = Number(await page.getAttribute(`svg[data-chart="${chart}"]`, 'data-max'));
				const lines = await page.locator(`svg[data-chart="${chart}"] polyline`).count();
				expect(max, `the ${chart} plot has a non-zero series`).toBeGreaterThan(0);
				expect(lines, `the ${chart} plot draws a line`).toBeGreaterThan(0);
			}
			expect(await page.locator('.shard[data-status="ready"]').count()).toBe(1);
			expect(Number(await page.textContent('#t-429'))).toBeGreaterThanOrEqual(1);
			expect(Number(await page.textContent('#t-reconnects'))).toBeGreaterThanOrEqual(1);
			expect(await page.locator('tr[data-plugin="ovenjs-plugin-moderation"] .pill').textContent()).toBe(
				'degraded',
			);
			expect(await page.locator('tr[data-plugin="ovenjs-plugin-music"] .pill').textContent()).toBe('failed');
			expect(await page.locator('tr[data-plugin="ovenjs-plugin-greeter"] .pill').textContent()).toBe('loaded');
			expect(pageErrors).toEqual([]);
			await page.screenshot({ path: screenshot, fullPage: true });
		} finally {
			await browser.close();
			rmSync(profile, { recursive: true, force: true });
		}
	}, 60_000);
});
