import { Client } from '@ovenjs/core';
import { definePlugin } from '@ovenjs/plugins';
import { describe, expect, it } from 'vitest';
import { instrument } from '../src/index.js';
import { intents, parseMetrics, series } from './helpers.js';

describe('plugins in the snapshot and in ovenjs_plugin_errors_total', () => {
	it('counts what client.plugins reports: each failed handler call, and a failed load once', async () => {
		const client = new Client({ token: 'x'.repeat(24), intents });
		const instrumentation = instrument(client, { defaultMetrics: false, plugins: client.plugins });
		try {
			const result = await client.plugins.load(
				definePlugin({
					name: 'ovenjs-plugin-greeter',
					version: '1.0.0',
					manifest: { engine: '*' },
					setup: () => undefined,
				}),
				definePlugin({
					name: 'ovenjs-plugin-moderation',
					version: '1.0.0',
					manifest: { engine: '*', permissions: ['hook:client:warn'] },
					setup(ctx) {
						ctx.hook('client:warn', () => {
							throw new Error('moderation backend unreachable');
						});
					},
				}),
				definePlugin({
					name: 'ovenjs-plugin-music',
					version: '1.0.0',
					manifest: { engine: '*', dependencies: { 'ovenjs-plugin-voice': '^1.0.0' } },
					setup: () => undefined,
				}),
			);
			// The failed load was reported on pluginError already: recording the result marks it failed, once.
			instrumentation.recordPluginLoad(result);
			client.extensions.emit('client:warn', 'first');
			client.extensions.emit('client:warn', 'second');
			expect(instrumentation.snapshot().plugins).toEqual([
				{ name: 'ovenjs-plugin-greeter', status: 'loaded', errors: 0 },
				{ name: 'ovenjs-plugin-moderation', status: 'degraded', errors: 2 },
				{ name: 'ovenjs-plugin-music', status: 'failed', errors: 1 },
			]);
			const metrics = parseMetrics(await instrumentation.metrics());
			expect(
				series(metrics, 'ovenjs_plugin_errors_total', {
					plugin: 'ovenjs-plugin-moderation',
					code: 'PLUGIN_HANDLER_FAILED',
				}),
			).toBe(2);
			expect(
				series(metrics, 'ovenjs_plugin_errors_total', {
					plugin: 'ovenjs-plugin-music',
					code: 'PLUGIN_DEPENDENCY_MISSING',
				}),
			).toBe(1);
		} finally {
			instrumentation.stop();
			await client.plugins.close();
		}
	});
});
