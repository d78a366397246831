/**
 * The plugin manager with definitions passed to `load` directly (inline manifests, in-process): the dependency
 * order, services between plugins, unloading dependents first, manifest and engine checks, dependency problems,
 * hooks only with their capability, and a failing setup rolled back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { definePlugin, type PluginDefinition, type PluginManifestBlockInput } from '@ovenjs/plugins';
import { manager } from './helpers/environment.js';

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		'message:create': [content: string];
		'message:delete': [id: string];
	}
}

declare module '@ovenjs/plugins' {
	interface PluginServices {
		greeter: { greet(): string };
	}
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((m) => m.close()));
});

function start() {
	const made = manager();
	open.push(made.plugins);
	return made;
}

function plugin(
	name: string,
	manifest: Partial<PluginManifestBlockInput> = {},
	setup: PluginDefinition['setup'] = () => undefined,
	version = '1.0.0',
): PluginDefinition {
	return definePlugin({ name, version, manifest: { engine: '*', ...manifest }, setup });
}

describe('PluginManager with definitions passed directly', () => {
	it('loads in dependency order, serves a dependency to its dependents, and unloads dependents first', async () => {
		const { plugins, host } = start();
		const order: string[] = [];
		const teardown = vi.fn();
		const base = definePlugin({
			name: 'ovenjs-plugin-base',
			version: '1.0.0',
			manifest: { engine: '*', permissions: ['hook:message:create'] },
			setup(ctx) {
				order.push('base');
				ctx.hook('message:create', () => undefined);
				ctx.provide('greeter', { greet: () => 'hi' });
			},
			teardown,
		});
		let greeting: unknown;
		const child = plugin(
			'@acme/ovenjs-plugin-child',
			{ dependencies: { 'ovenjs-plugin-base': '^1.0.0' }, permissions: ['hook:message:create'] },
			async (ctx) => {
				order.push('child');
				greeting = await ctx.use('greeter').greet();
				ctx.hook('message:create', () => undefined);
			},
		);
		const result = await plugins.load(child, base);
		expect(result).toEqual({ loaded: ['ovenjs-plugin-base', '@acme/ovenjs-plugin-child'], failed: [] });
		expect(order).toEqual(['base', 'child']);
		expect(greeting).toBe('hi');
		expect(host.hooks.get('message:create')).toHaveLength(2);

		expect(await plugins.unload('ovenjs-plugin-base')).toEqual(['@acme/ovenjs-plugin-child', 'ovenjs-plugin-base']);
		expect(host.hooks.get('message:create')).toHaveLength(0);
		expect(teardown).toHaveBeenCalledOnce();
		expect(plugins.loaded).toEqual([]);
		await expect(plugins.unload('ovenjs-plugin-base')).rejects.toMatchObject({ code: 'PLUGIN_NOT_LOADED' });
	});

	it('refuses an invalid manifest with every problem named, an unsupported engine, and a duplicate', async () => {
		const { plugins } = start();
		const invalid = await plugins.load(
			definePlugin({
				name: 'my-plugin',
				version: 'one',
				manifest: { engine: 'whatever', permissions: ['bad capability'] },
				setup: () => undefined,
			}),
		);
		expect(invalid.failed).toMatchObject([{ code: 'PLUGIN_INVALID_MANIFEST', plugin: 'my-plugin' }]);
		const message = invalid.failed[0]?.message ?? '';
		expect(message).toContain('ovenjs-plugin-<name>');
		expect(message).toContain('version must be a semver version');
		expect(message).toContain('ovenjs.engine must be a semver range');
		expect(message).toContain('ovenjs.permissions.0');

		const future = await plugins.load(plugin('ovenjs-plugin-future', { engine: '^99.0.0' }));
		expect(future.failed).toMatchObject([{ code: 'PLUGIN_ENGINE_MISMATCH', plugin: 'ovenjs-plugin-future' }]);

		expect((await plugins.load(plugin('ovenjs-plugin-a'))).loaded).toEqual(['ovenjs-plugin-a']);
		const again = await plugins.load(plugin('ovenjs-plugin-a'));
		expect(again.failed).toMatchObject([{ code: 'PLUGIN_ALREADY_LOADED', plugin: 'ovenjs-plugin-a' }]);
	});

	it('reports missing, mismatched and cyclic dependencies without blocking other plugins', async () => {
		const { plugins, errors } = start();
		const { loaded, failed } = await plugins.load(
			plugin('ovenjs-plugin-ok'),
			plugin('ovenjs-plugin-old', {}, undefined, '0.9.0'),
			plugin('ovenjs-plugin-needs-new', { dependencies: { 'ovenjs-plugin-old': '^1.0.0' } }),
			plugin('ovenjs-plugin-orphan', { dependencies: { 'ovenjs-plugin-missing': '*' } }),
			plugin('ovenjs-plugin-x', { dependencies: { 'ovenjs-plugin-y': '*' } }),
			plugin('ovenjs-plugin-y', { dependencies: { 'ovenjs-plugin-x': '*' } }),
		);
		expect([...loaded].sort()).toEqual(['ovenjs-plugin-ok', 'ovenjs-plugin-old']);
		expect(Object.fromEntries(failed.map((f) => [f.plugin, f.code]))).toEqual({
			'ovenjs-plugin-needs-new': 'PLUGIN_VERSION_CONFLICT',
			'ovenjs-plugin-orphan': 'PLUGIN_DEPENDENCY_MISSING',
			'ovenjs-plugin-x': 'PLUGIN_DEPENDENCY_CYCLE',
			'ovenjs-plugin-y': 'PLUGIN_DEPENDENCY_CYCLE',
		});
		// Each failure is also reported (the Client's pluginError).
		expect(errors.map((e) => e.error)).toEqual(failed);
	});

	it('refuses a hook its manifest does not grant and rolls back a failing setup', async () => {
		const { plugins, host } = start();
		const { loaded, failed } = await plugins.load(
			plugin('ovenjs-plugin-sneaky', { permissions: ['hook:message:create'] }, (ctx) => {
				ctx.hook('message:create', () => undefined);
				ctx.hook('message:delete', () => undefined);
			}),
			plugin('ovenjs-plugin-crashy', { permissions: ['hook:message:create'] }, (ctx) => {
				ctx.hook('message:create', () => undefined);
				throw new Error('boom');
			}),
		);
		expect(loaded).toEqual([]);
		expect(failed.map((f) => [f.plugin, f.code])).toEqual([
			['ovenjs-plugin-sneaky', 'PLUGIN_PERMISSION_DENIED'],
			['ovenjs-plugin-crashy', 'PLUGIN_CRASHED'],
		]);
		expect(failed[0]?.capability).toBe('hook:message:delete');
		expect(failed[1]?.message).toContain('boom');
		expect(host.hooks.get('message:create')).toHaveLength(0);
	});
});
