import { afterEach, describe, expect, it, vi } from 'vitest';
import { PluginError, stateKey, type IsolationLevel } from '@ovenjs/plugins';
import { manager, message, until } from './helpers/environment.js';

// Each test starts workers or isolate processes from source: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map((m) => m.close()));
});

function start(options: Parameters<typeof manager>[0] = {}) {
	const made = manager(options);
	open.push(made.plugins);
	return made;
}

describe.each<IsolationLevel>(['none', 'worker', 'isolate'])('a plugin at isolation %s', (level) => {
	it('sets up, answers events through scoped ctx.api, keeps state, provides a service and tears down', async () => {
		const { plugins, host, errors, logs } = start({
			isolation: level,
			config: { 'ovenjs-plugin-echo': { greeting: { $env: 'GREETING' } } },
		});
		const result = await plugins.load('./ovenjs-plugin-echo', './ovenjs-plugin-echo-user');
		expect(result.failed).toEqual([]);
		expect(result.loaded).toEqual(['ovenjs-plugin-echo', 'ovenjs-plugin-echo-user']);
		expect(plugins.get('ovenjs-plugin-echo')).toMatchObject({
			isolation: level,
			status: 'loaded',
			version: '1.2.0',
		});
		await until(() => logs.includes('ovenjs-plugin-echo info hello from env'), 'the greeting');

		host.emit('messageCreate', message('!ping'));
		await until(() => host.sent.length === 1, 'the pong');
		// The plugin's waterfall hook ran on the way out.
		expect(host.sent[0]).toMatchObject({ channelId: '200', content: `pong from ${level} [ovenjs-plugin-echo]` });
		await until(() => host.state.get(stateKey('ovenjs-plugin-echo')) !== undefined, 'the state write');
		expect(host.state.get(stateKey('ovenjs-plugin-echo'))).toEqual({ answered: 1 });

		host.emit('messageCreate', message('!shout hey'));
		await until(() => host.sent.length === 2, 'the shout');
		expect(host.sent[1]?.content).toBe('HEY! [ovenjs-plugin-echo]');

		expect(await plugins.unload('ovenjs-plugin-echo')).toEqual(['ovenjs-plugin-echo-user', 'ovenjs-plugin-echo']);
		await until(() => logs.includes('ovenjs-plugin-echo info bye'), 'the teardown log');
		expect(host.events.get('messageCreate')?.size ?? 0).toBe(0);
		expect(host.hooks.get('message:beforeSend') ?? []).toHaveLength(0);
		expect(plugins.list()).toEqual([]);
		expect(errors).toEqual([]);
	});

	it('reloads with a fresh copy, hands the state over and reloads dependents in order', async () => {
		const { plugins, host, loads } = start({ isolation: level });
		await plugins.load('./ovenjs-plugin-echo', './ovenjs-plugin-echo-user');
		host.emit('messageCreate', message('!ping'));
		await until(() => host.state.get(stateKey('ovenjs-plugin-echo')) !== undefined, 'the first answer');
		expect(await plugins.reload('ovenjs-plugin-echo')).toEqual(['ovenjs-plugin-echo', 'ovenjs-plugin-echo-user']);
		expect(loads.slice(-2)).toEqual([`ovenjs-plugin-echo@${level}#1`, `ovenjs-plugin-echo-user@${level}#1`]);
		expect(host.events.get('messageCreate')?.size).toBe(2);
		host.emit('messageCreate', message('!ping'));
		await until(
			() => (host.state.get(stateKey('ovenjs-plugin-echo')) as { answered: number }).answered === 2,
			'the state handed over',
		);
		host.emit('messageCreate', message('!shout again'));
		await until(
			() => host.sent.some((s) => s.content.startsWith('AGAIN!')),
			'the dependent using the new provider',
		);
	});
});

describe('limits', () => {
	it.each<IsolationLevel>(['worker', 'isolate'])(
		'stops a handler looping forever at %s with PLUGIN_TIMEOUT, and the others go on',
		async (level) => {
			const { plugins, host, errors } = start({
				isolation: { 'ovenjs-plugin-loop': level, 'ovenjs-plugin-echo': 'none' },
				limits: { handlerMs: 300 },
			});
			await plugins.load('./ovenjs-plugin-loop', './ovenjs-plugin-echo');
			host.emit('messageCreate', message('!ping'));
			await until(() => host.sent.length === 1, 'the pong of the healthy plugin');
			await until(() => errors.length > 0, 'the timeout', 30_000);
			expect(errors[0]?.plugin).toBe('ovenjs-plugin-loop');
			expect(errors[0]?.error).toBeInstanceOf(PluginError);
			expect(errors[0]?.error.code).toBe('PLUGIN_TIMEOUT');
			expect(plugins.get('ovenjs-plugin-loop')?.status).toBe('stopped');
			expect(host.events.get('messageCreate')?.size).toBe(1);
			// A stopped plugin starts again with reload().
			await plugins.reload('ovenjs-plugin-loop');
			expect(plugins.get('ovenjs-plugin-loop')?.status).toBe('loaded');
		},
	);

	it.each<IsolationLevel>(['worker', 'isolate'])(
		'stops a plugin allocating towards 1 GB at %s with PLUGIN_MEMORY_LIMIT',
		async (level) => {
			const { plugins, host, errors } = start({ isolation: level, limits: { memoryMb: 48, handlerMs: 30_000 } });
			await plugins.load('./ovenjs-plugin-hog');
			host.emit('messageCreate', message('!ping'));
			await until(() => errors.length > 0, 'the memory limit', 60_000);
			expect(errors[0]?.error.code).toBe('PLUGIN_MEMORY_LIMIT');
			expect(plugins.get('ovenjs-plugin-hog')?.status).toBe('stopped');
		},
	);
});

describe('inside an isolate', () => {
	it.each([
		['env', 'node:process'],
		['require', 'node:require'],
		['prototype', 'node:process'],
		['fetch', 'network'],
		['api', 'rest:users.getMyUser'],
		['pollute', 'node:process'],
	])('refuses the %s attack with PLUGIN_PERMISSION_DENIED (%s)', async (attack, capability) => {
		const { plugins, host, errors } = start({ config: { 'ovenjs-plugin-snoop': { attack } } });
		const result = await plugins.load('./ovenjs-plugin-snoop');
		expect(result.failed).toEqual([]);
		host.emit('messageCreate', message('hi'));
		await until(() => errors.length > 0, 'the refusal');
		expect(errors[0]?.error.code).toBe('PLUGIN_PERMISSION_DENIED');
		expect(errors[0]?.error.capability).toBe(capability);
		expect(errors[0]?.error.message).toContain(capability);
		expect(Reflect.get(Object.prototype, 'polluted')).toBeUndefined();
		// Worded by the error table, in the isolate's host process (the isolate asks it synchronously).
		if (attack === 'env')
			expect(errors[0]?.error.message).toBe(
				PluginError.of('PLUGIN_PERMISSION_DENIED', 'ovenjs-plugin-snoop', [
					'node:process',
					'reading "process"',
					'isolate',
				]).message,
			);
		// Refused, not stopped: the plugin keeps running.
		expect(plugins.get('ovenjs-plugin-snoop')?.status).toBe('loaded');
	});

	it('refuses a module importing node:fs at load', async () => {
		const { plugins } = start();
		const { failed } = await plugins.load('./ovenjs-plugin-fs-import');
		expect(failed[0]).toMatchObject({ code: 'PLUGIN_PERMISSION_DENIED', capability: 'import:node:fs' });
		expect(failed[0]?.message).toBe(
			PluginError.of('PLUGIN_PERMISSION_DENIED', 'ovenjs-plugin-fs-import', [
				'import:node:fs',
				'importing "node:fs"',
				'isolate',
			]).message,
		);
	});

	it('never hands the token over as config', async () => {
		const { plugins } = start({
			config: { 'ovenjs-plugin-snoop': { attack: 'env', stolen: { $env: 'DISCORD_TOKEN' } } },
		});
		const { failed } = await plugins.load('./ovenjs-plugin-snoop');
		expect(failed[0]).toMatchObject({ code: 'PLUGIN_PERMISSION_DENIED', capability: 'token' });
		expect(failed[0]?.message).not.toContain('fake-token');
	});
});

describe('a worker plugin', () => {
	it('validates its config with its exported zod schema and sees an empty process.env', async () => {
		const { plugins, errors } = start();
		const bad = await plugins.load('./ovenjs-plugin-zod-config');
		expect(bad.failed[0]).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID' });
		expect(bad.failed[0]?.message).toMatch(
			/^Plugin "ovenjs-plugin-zod-config": invalid config: config\.channel .+\. Fix it in the client's plugins\.config\["ovenjs-plugin-zod-config"\]\.$/,
		);
		errors.length = 0;
		const good = manager({ config: { 'ovenjs-plugin-zod-config': { channel: '123' } } });
		open.push(good.plugins);
		expect((await good.plugins.load('./ovenjs-plugin-zod-config')).failed).toEqual([]);
		expect(good.plugins.get('ovenjs-plugin-zod-config')?.isolation).toBe('worker');
	});
});
