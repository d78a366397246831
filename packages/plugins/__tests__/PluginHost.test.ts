import { describe, expect, it, vi } from 'vitest';
import type { ExtensionHandler, ExtensionPointName } from '@ovenjs/types';
import { definePlugin, PluginError, PluginHost, type ExtensionPointRegistrar, type Plugin } from '@ovenjs/plugins';

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		'message:create': [content: string];
		'message:delete': [id: string];
	}
}

/** A registrar that records live handlers, standing in for core's bus. */
function registrar(): ExtensionPointRegistrar & { live: Map<string, unknown[]> } {
	const live = new Map<string, unknown[]>();
	return {
		live,
		on<P extends ExtensionPointName>(point: P, handler: ExtensionHandler<P>) {
			live.set(point, [...(live.get(point) ?? []), handler]);
			return () => {
				live.set(
					point,
					(live.get(point) ?? []).filter((h) => h !== handler),
				);
			};
		},
	};
}

const manifest = (name: string, extra: Record<string, unknown> = {}) => ({
	name,
	version: '1.0.0',
	ovenjs: '^0.1.0',
	hooks: ['message:create'],
	...extra,
});

describe('PluginHost', () => {
	it('loads in dependency order, passes dependency APIs, and unloads dependents first', async () => {
		const bus = registrar();
		const host = new PluginHost({ registrar: bus });
		const order: string[] = [];
		const teardown = vi.fn();
		const base = definePlugin<{ greet: () => string }>({
			manifest: manifest('ovenjs-plugin-base'),
			setup(ctx) {
				order.push('base');
				ctx.hook('message:create', () => undefined);
				return { api: { greet: () => 'hi' }, teardown };
			},
		});
		const child: Plugin = {
			manifest: manifest('@acme/ovenjs-plugin-child', { dependencies: { 'ovenjs-plugin-base': '^1.0.0' } }),
			setup(ctx) {
				order.push('child');
				const api = ctx.dependency('ovenjs-plugin-base') as { greet: () => string };
				expect(api.greet()).toBe('hi');
				ctx.hook('message:create', () => undefined);
			},
		};
		host.add(child);
		host.add(base);
		const result = await host.loadAll();
		expect(result).toEqual({ loaded: ['ovenjs-plugin-base', '@acme/ovenjs-plugin-child'], failed: [] });
		expect(order).toEqual(['base', 'child']);
		expect(bus.live.get('message:create')).toHaveLength(2);

		expect(await host.unload('ovenjs-plugin-base')).toEqual(['@acme/ovenjs-plugin-child', 'ovenjs-plugin-base']);
		expect(bus.live.get('message:create')).toHaveLength(0);
		expect(teardown).toHaveBeenCalledOnce();
		expect(host.loaded).toEqual([]);
		await expect(host.unload('ovenjs-plugin-base')).rejects.toMatchObject({ code: 'PLUGIN_NOT_LOADED' });
	});

	it('rejects invalid manifests with every problem named', () => {
		const host = new PluginHost({ registrar: registrar() });
		let caught: unknown;
		try {
			host.add({
				manifest: { name: 'my-plugin', version: 'one', ovenjs: 'whatever', hooks: ['bad point'] },
				setup: () => undefined,
			});
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(PluginError);
		const message = (caught as PluginError).message;
		expect(message).toContain('ovenjs-plugin-<name>');
		expect(message).toContain('version must be a valid semver');
		expect(message).toContain('ovenjs must be a semver range');
		expect(message).toContain('hooks.0');
		expect(caught).toMatchObject({ code: 'PLUGIN_INVALID_MANIFEST', plugin: 'my-plugin' });
	});

	it('refuses incompatible API ranges and duplicates', () => {
		const host = new PluginHost({ registrar: registrar(), apiVersion: '0.1.0' });
		expect(() =>
			host.add({ manifest: manifest('ovenjs-plugin-future', { ovenjs: '^2.0.0' }), setup: () => undefined }),
		).toThrow(expect.objectContaining({ code: 'PLUGIN_INCOMPATIBLE' }) as Error);
		host.add({ manifest: manifest('ovenjs-plugin-a'), setup: () => undefined });
		expect(() => host.add({ manifest: manifest('ovenjs-plugin-a'), setup: () => undefined })).toThrow(
			/already added/,
		);
	});

	it('reports missing, mismatched and cyclic dependencies without blocking other plugins', async () => {
		const host = new PluginHost({ registrar: registrar() });
		host.add({ manifest: manifest('ovenjs-plugin-ok'), setup: () => undefined });
		host.add({ manifest: manifest('ovenjs-plugin-old', { version: '0.9.0' }), setup: () => undefined });
		host.add({
			manifest: manifest('ovenjs-plugin-needs-new', { dependencies: { 'ovenjs-plugin-old': '^1.0.0' } }),
			setup: () => undefined,
		});
		host.add({
			manifest: manifest('ovenjs-plugin-orphan', { dependencies: { 'ovenjs-plugin-missing': '*' } }),
			setup: () => undefined,
		});
		host.add({
			manifest: manifest('ovenjs-plugin-x', { dependencies: { 'ovenjs-plugin-y': '*' } }),
			setup: () => undefined,
		});
		host.add({
			manifest: manifest('ovenjs-plugin-y', { dependencies: { 'ovenjs-plugin-x': '*' } }),
			setup: () => undefined,
		});
		const { loaded, failed } = await host.loadAll();
		expect(loaded.sort()).toEqual(['ovenjs-plugin-ok', 'ovenjs-plugin-old']);
		const codes = Object.fromEntries(failed.map((f) => [f.plugin, f.code]));
		expect(codes).toEqual({
			'ovenjs-plugin-needs-new': 'PLUGIN_DEPENDENCY_VERSION',
			'ovenjs-plugin-orphan': 'PLUGIN_MISSING_DEPENDENCY',
			'ovenjs-plugin-x': 'PLUGIN_DEPENDENCY_CYCLE',
			'ovenjs-plugin-y': 'PLUGIN_DEPENDENCY_CYCLE',
		});
	});

	it('refuses undeclared hooks and rolls back a failing setup', async () => {
		const bus = registrar();
		const host = new PluginHost({ registrar: bus });
		host.add({
			manifest: manifest('ovenjs-plugin-sneaky'),
			setup(ctx) {
				ctx.hook('message:create', () => undefined);
				ctx.hook('message:delete', () => undefined);
			},
		});
		host.add({
			manifest: manifest('ovenjs-plugin-crashy'),
			setup(ctx) {
				ctx.hook('message:create', () => undefined);
				throw new Error('boom');
			},
		});
		const { loaded, failed } = await host.loadAll();
		expect(loaded).toEqual([]);
		expect(failed.map((f) => f.code)).toEqual(['PLUGIN_HOOK_NOT_DECLARED', 'PLUGIN_SETUP_FAILED']);
		expect(failed[1]?.message).toContain('boom');
		expect(bus.live.get('message:create')).toHaveLength(0);
	});
});
