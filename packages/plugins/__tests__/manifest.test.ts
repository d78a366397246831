import { describe, expect, it } from 'vitest';
import {
	CapabilitySet,
	checkEngine,
	isCapability,
	parseManifest,
	PluginError,
	PLUGINS_ENGINE_VERSION,
	validateConfig,
	resolveReferences,
	checkSchema,
} from '@ovenjs/plugins';
import { validateWithExport } from '../src/lib/runtime/configExport.js';
import { definitionOf } from '../src/lib/runtime/definition.js';
import { describeRemoteError, REMOTE_CONTEXT_SOURCE } from '../src/lib/runtime/remoteContext.js';

const pkg = (ovenjs: unknown, extra: Record<string, unknown> = {}) => ({
	name: 'ovenjs-plugin-test',
	version: '1.0.0',
	ovenjs,
	...extra,
});

describe('parseManifest', () => {
	it('applies defaults', () => {
		expect(parseManifest(pkg({ engine: '^0.2.0' }), 'package.json')).toEqual({
			name: 'ovenjs-plugin-test',
			version: '1.0.0',
			description: undefined,
			engine: '^0.2.0',
			dependencies: {},
			optionalDependencies: {},
			peerDependencies: {},
			permissions: [],
			isolation: 'none',
		});
	});

	it('names every problem', () => {
		let caught: unknown;
		try {
			parseManifest(
				{
					name: 'my-plugin',
					version: 'one',
					ovenjs: {
						engine: 'whenever',
						isolation: 'vm',
						permissions: ['rest', 'events:messageCreate'],
						dependencies: { 'other-thing': '^1' },
						extra: true,
					},
				},
				'x/package.json',
			);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(PluginError);
		expect(caught).toMatchObject({ code: 'PLUGIN_INVALID_MANIFEST', plugin: 'my-plugin' });
		const message = (caught as PluginError).message;
		for (const part of [
			'name must be a plugin package name',
			'version must be a semver version',
			'ovenjs.engine must be a semver range',
			'ovenjs.isolation',
			'ovenjs.permissions.0 must be a capability',
			'ovenjs.dependencies.other-thing',
			'extra',
		]) {
			expect(message).toContain(part);
		}
	});

	it('says how to add a missing manifest', () => {
		expect(() => parseManifest({ name: 'ovenjs-plugin-bare', version: '1.0.0' }, 'bare/package.json')).toThrow(
			/add \{ "ovenjs": \{ "engine"/,
		);
	});

	it('checks the engine range', () => {
		expect(() => {
			checkEngine(parseManifest(pkg({ engine: '^9.0.0' }), 'p'));
		}).toThrow(expect.objectContaining({ code: 'PLUGIN_ENGINE_MISMATCH' }) as Error);
		expect(() => {
			checkEngine(parseManifest(pkg({ engine: `^${PLUGINS_ENGINE_VERSION}` }), 'p'));
		}).not.toThrow();
	});
});

const CASES: [granted: string[], asked: string, allowed: boolean][] = [
	[['events:messageCreate'], 'events:messageCreate', true],
	[['events:messageCreate'], 'events:messageDelete', false],
	[['events:*'], 'events:guildCreate', true],
	[['rest:channels.*'], 'rest:channels.createMessage', true],
	[['rest:channels.*'], 'rest:guilds.getGuild', false],
	[['rest:*'], 'rest:guilds.getGuild', true],
	[['rest:*'], 'rest:raw', true],
	[['rest:channels.*'], 'rest:raw', false],
	[['state:write'], 'state:read', true],
	[['state:read'], 'state:write', false],
	[['hook:message:*'], 'hook:message:beforeSend', true],
	[['hook:message:*'], 'hook:rest:beforeRequest', false],
	[['hook:*'], 'hook:rest:beforeRequest', true],
	[[], 'cache:read', false],
];

describe('capabilities', () => {
	it('validates capability names', () => {
		for (const good of [
			'events:messageCreate',
			'events:*',
			'rest:*',
			'rest:raw',
			'rest:channels.createMessage',
			'rest:channels.*',
			'cache:read',
			'state:read',
			'state:write',
			'hook:rest:beforeRequest',
			'hook:message:*',
			'hook:*',
		])
			expect(isCapability(good), good).toBe(true);
		for (const bad of ['rest', 'network', 'events:', 'rest:channels', 'cache:write', 'hook:nothing', 'state:*'])
			expect(isCapability(bad), bad).toBe(false);
	});

	it('matches the same way on the host and inside workers and isolates', () => {
		// The remote ctx is source text, as workers evaluate it.
		const createRemoteContext: unknown = Reflect.apply(
			// eslint-disable-next-line @typescript-eslint/no-implied-eval
			new Function(`return ${REMOTE_CONTEXT_SOURCE}`),
			undefined,
			[],
		);
		if (typeof createRemoteContext !== 'function') throw new Error('no factory');
		for (const [granted, asked, allowed] of CASES) {
			expect(new CapabilitySet(granted).has(asked), `host: ${granted.join(',')} → ${asked}`).toBe(allowed);
			const remote: unknown = Reflect.apply(createRemoteContext, undefined, [
				{ call: () => Promise.resolve(), post: () => undefined },
				{
					name: 'ovenjs-plugin-t',
					version: '1.0.0',
					isolation: 'worker',
					config: {},
					capabilities: granted,
					services: {},
				},
			]);
			const can = Reflect.get(Reflect.get(Object(remote), 'ctx'), 'can') as (capability: string) => boolean;
			expect(can(asked), `remote: ${granted.join(',')} → ${asked}`).toBe(allowed);
		}
	});
});

describe('config', () => {
	const schema = {
		type: 'object',
		properties: {
			prefix: { type: 'string', default: '!', maxLength: 3 },
			channels: { type: 'array', items: { type: 'string', pattern: '^\\d+$' }, default: [] },
			level: { enum: ['low', 'high'] },
			retries: { type: 'integer', minimum: 0, maximum: 5 },
			apiKey: { type: 'string' },
		},
		required: ['apiKey'],
		additionalProperties: false,
	};

	it('applies defaults and keeps valid values', () => {
		expect(validateConfig('ovenjs-plugin-t', schema, { apiKey: 'k', retries: 2 })).toEqual({
			prefix: '!',
			channels: [],
			retries: 2,
			apiKey: 'k',
		});
	});

	it('lists every problem and how to fix it', () => {
		let caught: unknown;
		try {
			validateConfig('ovenjs-plugin-t', schema, {
				prefix: '!!!!',
				channels: ['12', 'x'],
				level: 'mid',
				retries: 1.5,
				surprise: 1,
			});
		} catch (error) {
			caught = error;
		}
		expect(caught).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID' });
		const message = (caught as PluginError).message;
		for (const part of [
			'config.prefix must be at most 3 characters',
			'config.channels[1] must match',
			'config.level must be one of "low", "high"',
			'config.retries must be integer',
			'config.apiKey is required',
			'config.surprise is not a known option',
			'plugins.config["ovenjs-plugin-t"]',
		]) {
			expect(message).toContain(part);
		}
	});

	it('refuses schema keywords it does not implement', () => {
		expect(() => {
			checkSchema('ovenjs-plugin-t', { type: 'object', properties: { a: { oneOf: [] } } });
		}).toThrow(/ovenjs.config.properties.a uses "oneOf"/);
	});

	it('resolves env and secret references, refuses the token and unset variables', () => {
		const sources = {
			env: { KEY: 'from-env', TOKEN: 'the-token' },
			secrets: { VAULT: 's3cret' },
			refuse: (value: string) => value === 'the-token',
		};
		expect(
			resolveReferences(
				'ovenjs-plugin-t',
				{ a: { $env: 'KEY' }, b: '${secret:VAULT}', c: ['${env:KEY}', 1], d: 'plain' },
				sources,
			),
		).toEqual({ a: 'from-env', b: 's3cret', c: ['from-env', 1], d: 'plain' });
		expect(() => resolveReferences('ovenjs-plugin-t', { a: { $env: 'TOKEN' } }, sources)).toThrow(
			expect.objectContaining({ code: 'PLUGIN_PERMISSION_DENIED', capability: 'token' }) as Error,
		);
		expect(() => resolveReferences('ovenjs-plugin-t', { a: { $secret: 'NOPE' } }, sources)).toThrow(
			/config.a refers to the secret NOPE, which is not set/,
		);
	});
});

describe('PluginError', () => {
	it('has the OvenJS error shape', () => {
		const error = PluginError.denied(
			'ovenjs-plugin-t',
			'rest:channels.createMessage',
			'ctx.api.channels.createMessage()',
		);
		expect(error.name).toBe('PluginError[PLUGIN_PERMISSION_DENIED]');
		expect(error.capability).toBe('rest:channels.createMessage');
		expect(error.message).toContain('"ovenjs.permissions"');
		expect(PluginError.from('p', new TypeError('x'), 'PLUGIN_CRASHED', 'setup threw')).toMatchObject({
			code: 'PLUGIN_CRASHED',
			message: 'Plugin "p": setup threw: TypeError: x',
		});
	});

	it('builds every message from its code and facts, with the plugin prefix and no token', () => {
		const cycle = PluginError.cycleOf(['a', 'b', 'a']);
		expect(cycle).toMatchObject({ code: 'PLUGIN_DEPENDENCY_CYCLE', plugin: 'a', cycle: ['a', 'b', 'a'] });
		expect(cycle.message).toBe(
			'Plugin "a": is part of a dependency cycle: a → b → a; break the cycle (make one edge an optionalDependency or move the shared part into a third plugin).',
		);
		expect(PluginError.of('PLUGIN_PERMISSION_DENIED', 'p', ['cache:read', 'ctx.cache.guild()']).capability).toBe(
			'cache:read',
		);
		expect(PluginError.of('PLUGIN_TIMEOUT', 'p', ['setup', 50, 'setupMs', 'removed']).message).toBe(
			'Plugin "p": setup did not finish within 50 ms (limits.setupMs); what it registered was removed.',
		);
		expect(PluginError.of('PLUGIN_SERVICE_CONFLICT', 'p', ['db', 'q']).message).toBe(
			'Plugin "p": provides the service "db", which "q" already provides; one service name has one provider.',
		);
		expect(PluginError.of('PLUGIN_INVALID_CALL', 'p', [{ kind: 'handler', method: 'on', name: 'x' }]).message).toBe(
			'Plugin "p": ctx.on("x") needs a handler function.',
		);
		expect(PluginError.of('PLUGIN_MANAGER_CLOSED', '(manager)', []).message).toBe(
			'Plugin "(manager)": the plugin manager was closed.',
		);
		expect(PluginError.of('PLUGIN_INTERNAL', '(host)', ['ctx.api']).message).toBe(
			'Plugin "(host)": could not build ctx.api.',
		);
		// Any code may wrap what a plugin threw (PluginError.from).
		expect(
			PluginError.of('PLUGIN_NOT_FOUND', '(discover)', [{ kind: 'threw', what: 'discovery failed', thrown: 'x' }])
				.message,
		).toBe('Plugin "(discover)": discovery failed: x');
		// A coded error carried from a plugin's runtime keeps its code and text.
		const carried = Object.assign(new Error('Plugin "p": ctx.on("x") needs a handler function.'), {
			code: 'PLUGIN_INVALID_CALL',
		});
		expect(PluginError.from('p', carried, 'PLUGIN_CRASHED', 'setup threw')).toMatchObject({
			code: 'PLUGIN_INVALID_CALL',
			message: 'Plugin "p": ctx.on("x") needs a handler function.',
		});
	});
});

describe('errors raised inside a runtime (a worker, an isolate)', () => {
	const plugin = 'ovenjs-plugin-t';
	const text = (error: PluginError) => ({ code: error.code, message: error.message, capability: error.capability });

	it('word each named error of the remote ctx with the error table', () => {
		const cases: [name: string, words: string[], expected: PluginError][] = [
			[
				'denied',
				['cache:read', 'ctx.cache.guild()'],
				PluginError.denied(plugin, 'cache:read', 'ctx.cache.guild()'),
			],
			[
				'isolate-global',
				['process', 'node:process'],
				PluginError.of('PLUGIN_PERMISSION_DENIED', plugin, ['node:process', 'reading "process"', 'isolate']),
			],
			[
				'handler',
				['hook', 'x'],
				PluginError.of('PLUGIN_INVALID_CALL', plugin, [{ kind: 'handler', method: 'hook', name: 'x' }]),
			],
			['unprovided', ['db'], PluginError.of('PLUGIN_SERVICE_NOT_FOUND', plugin, ['db', { kind: 'unprovided' }])],
			[
				'no-method',
				['db', 'get'],
				PluginError.of('PLUGIN_SERVICE_NOT_FOUND', plugin, [
					'db',
					{ kind: 'no-method', method: 'get', methods: undefined },
				]),
			],
			[
				'unknown-dispatch',
				['x'],
				PluginError.of('PLUGIN_CRASHED', plugin, [{ kind: 'unknown-dispatch', dispatch: 'x' }]),
			],
			[
				'default-export',
				['string'],
				PluginError.of('PLUGIN_INVALID_DEFINITION', plugin, [{ kind: 'default-export', exported: 'string' }]),
			],
			[
				'config-export-missing',
				['schema'],
				PluginError.of('PLUGIN_INVALID_MANIFEST', plugin, [
					{ kind: 'config-export-missing', exportName: 'schema' },
				]),
			],
			[
				'config-invalid',
				['config.a Required', 'config.b Expected number'],
				PluginError.of('PLUGIN_CONFIG_INVALID', plugin, [
					{ kind: 'invalid', problems: ['config.a Required', 'config.b Expected number'], plugin },
				]),
			],
		];
		for (const [name, words, expected] of cases)
			expect(describeRemoteError(plugin, name, words), name).toEqual(text(expected));
		// A name it does not know (also one of Object.prototype's) or words that are not strings: a crash, worded too.
		for (const [name, words] of [
			['toString', []],
			['nope', []],
			['denied', [1]],
			[1, []],
		] as const)
			expect(describeRemoteError(plugin, name, words)).toMatchObject({
				code: 'PLUGIN_CRASHED',
				message: `Plugin "${plugin}": asked for an unknown operation "raise ${String(name)}".`,
			});
	});

	it('raise them from the remote ctx with code, name and capability, as plugin code catches them', () => {
		const createRemoteContext: unknown = Reflect.apply(
			// eslint-disable-next-line @typescript-eslint/no-implied-eval
			new Function(`return ${REMOTE_CONTEXT_SOURCE}`),
			undefined,
			[],
		);
		if (typeof createRemoteContext !== 'function') throw new Error('no factory');
		const remote: unknown = Reflect.apply(createRemoteContext, undefined, [
			{ call: () => Promise.resolve(), post: () => undefined },
			{ name: plugin, version: '1.0.0', isolation: 'worker', config: {}, capabilities: [], services: {} },
			(name: unknown, words: unknown) => describeRemoteError(plugin, name, words),
		]);
		const ctx: unknown = Reflect.get(Object(remote), 'ctx');
		const caught = (run: () => unknown): unknown => {
			try {
				run();
			} catch (error) {
				return error;
			}
			return undefined;
		};
		const method = (owner: unknown, key: string): ((...args: unknown[]) => unknown) => {
			const found: unknown = Reflect.get(Object(owner), key);
			if (typeof found !== 'function') throw new Error(`no ${key}`);
			return (...args): unknown => Reflect.apply(found, owner, args) as unknown;
		};
		const users: unknown = Reflect.get(Object(Reflect.get(Object(ctx), 'api')), 'users');
		const denied = caught(() => method(users, 'getMyUser')());
		expect(denied).toBeInstanceOf(Error);
		expect(denied).toMatchObject({
			name: 'PluginError[PLUGIN_PERMISSION_DENIED]',
			...text(PluginError.denied(plugin, 'rest:users.getMyUser', 'ctx.api.users.getMyUser()')),
		});
		const handler = caught(() => method(ctx, 'on')('messageCreate', 'no'));
		const invalid = PluginError.of('PLUGIN_INVALID_CALL', plugin, [
			{ kind: 'handler', method: 'on', name: 'messageCreate' },
		]);
		expect(handler).toMatchObject({ code: invalid.code, message: invalid.message });
	});

	it('word a module without a definition and a config its zod schema refuses', () => {
		expect(() => definitionOf(plugin, { default: 'x' })).toThrow(
			PluginError.of('PLUGIN_INVALID_DEFINITION', plugin, [{ kind: 'default-export', exported: 'string' }])
				.message,
		);
		expect(() => definitionOf(plugin, {})).toThrow(
			PluginError.of('PLUGIN_INVALID_DEFINITION', plugin, [{ kind: 'default-export', exported: 'missing' }])
				.message,
		);
		expect(() => definitionOf(plugin, { default: { manifest: { ovenjs: {} } } })).toThrow(
			PluginError.of('PLUGIN_INVALID_DEFINITION', plugin, [{ kind: 'inline-manifest' }]).message,
		);
		expect(() => validateWithExport(plugin, {}, 'schema', {})).toThrow(
			PluginError.of('PLUGIN_INVALID_MANIFEST', plugin, [{ kind: 'config-export-missing', exportName: 'schema' }])
				.message,
		);
		const refusing = {
			safeParse: () => ({ success: false, error: { issues: [{ path: ['channel'], message: 'Required' }] } }),
		};
		expect(() => validateWithExport(plugin, { schema: refusing }, 'schema', {})).toThrow(
			PluginError.of('PLUGIN_CONFIG_INVALID', plugin, [
				{ kind: 'invalid', problems: ['config.channel Required'], plugin },
			]).message,
		);
	});
});
