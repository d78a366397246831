import { describe, expect, it, vi } from 'vitest';
import { CoreError, ExtensionBus, type UnhandledErrorContext } from '../src/index.js';

const warn = { intents: 1, shardCount: undefined };

describe('ExtensionBus', () => {
	it('reports has/count and removes handlers through the returned function', () => {
		const bus = new ExtensionBus();
		expect(bus.has('client:warn')).toBe(false);
		const off = bus.on('client:warn', () => undefined);
		expect(bus.has('client:warn')).toBe(true);
		expect(bus.count('client:warn')).toBe(1);
		expect(bus.points()).toEqual(['client:warn']);
		off();
		expect(bus.has('client:warn')).toBe(false);
	});

	it('runs handlers by priority, highest first, ties in registration order', () => {
		const bus = new ExtensionBus();
		const order: string[] = [];
		bus.on('client:warn', () => void order.push('a0'));
		bus.on('client:warn', () => void order.push('b10'), { priority: 10 });
		bus.on('client:warn', () => void order.push('c0'));
		bus.on('client:warn', () => void order.push('d-5'), { priority: -5 });
		bus.on('client:warn', () => void order.push('e10'), { priority: 10 });
		bus.emit('client:warn', 'x');
		expect(order).toEqual(['b10', 'e10', 'a0', 'c0', 'd-5']);
	});

	it('passes the typed arguments and supports once and off', () => {
		const bus = new ExtensionBus();
		const seen: string[] = [];
		const handler = (message: string): void => void seen.push(message);
		bus.once('client:debug', (message) => void seen.push(`once:${message}`));
		bus.on('client:debug', handler);
		bus.emit('client:debug', 'one');
		bus.emit('client:debug', 'two');
		expect(bus.off('client:debug', handler)).toBe(true);
		expect(bus.off('client:debug', handler)).toBe(false);
		bus.emit('client:debug', 'three');
		expect(seen).toEqual(['once:one', 'one', 'two']);
	});

	it('isolates a throwing handler, reports it on error:unhandled and keeps going', () => {
		const bus = new ExtensionBus();
		const reports: [unknown, UnhandledErrorContext][] = [];
		bus.on('error:unhandled', (error, context) => void reports.push([error, context]));
		const after = vi.fn();
		const boom = new Error('boom');
		bus.on(
			'lifecycle:init',
			() => {
				throw boom;
			},
			{ priority: 1, label: 'plugin-x' },
		);
		bus.on('lifecycle:init', after);
		bus.emit('lifecycle:init', warn);
		expect(after).toHaveBeenCalledWith(warn);
		expect(reports).toEqual([[boom, { point: 'lifecycle:init', label: 'plugin-x', phase: 'sync' }]]);
	});

	it('reports async rejections from notify handlers', async () => {
		const bus = new ExtensionBus();
		const reported = new Promise<UnhandledErrorContext>((resolve) => {
			bus.on('error:unhandled', (_error, context) => {
				resolve(context);
			});
		});
		bus.on('client:warn', () => Promise.reject(new Error('late')));
		bus.emit('client:warn', 'x');
		await expect(reported).resolves.toEqual({ point: 'client:warn', label: undefined, phase: 'async' });
	});

	it('emitAsync awaits handlers in order and never rejects', async () => {
		const bus = new ExtensionBus();
		const order: number[] = [];
		bus.on(
			'client:warn',
			async () => {
				await new Promise((resolve) => setTimeout(resolve, 5));
				order.push(1);
			},
			{ priority: 2 },
		);
		bus.on('client:warn', () => Promise.reject(new Error('no')), { priority: 1 });
		bus.on('client:warn', () => void order.push(2));
		const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
		await expect(bus.emitAsync('client:warn', 'x')).resolves.toBeUndefined();
		expect(order).toEqual([1, 2]);
		expect(warning).toHaveBeenCalledTimes(1);
		warning.mockRestore();
	});

	it('runs waterfall points: replacements chain, undefined keeps the value, failures are skipped', async () => {
		const bus = new ExtensionBus();
		const reports: unknown[] = [];
		bus.on('error:unhandled', (error) => void reports.push(error));
		bus.on('message:beforeSend', (body) => ({ ...body, content: `${body.content ?? ''}!` }), { priority: 3 });
		bus.on('message:beforeSend', () => undefined, { priority: 2 });
		bus.on(
			'message:beforeSend',
			() => {
				throw new Error('skip me');
			},
			{ priority: 1 },
		);
		bus.on('message:beforeSend', (body, channelId) =>
			Promise.resolve({ ...body, content: `${body.content ?? ''} to ${String(channelId)}` }),
		);
		const out = await bus.transform('message:beforeSend', { content: 'hi' }, undefined);
		expect(out).toEqual({ content: 'hi! to undefined' });
		expect(reports).toHaveLength(1);
	});

	it('transform without handlers returns the input unchanged; transformSync ignores promises', () => {
		const bus = new ExtensionBus();
		const body = { content: 'same' };
		return bus.transform('message:beforeSend', body, undefined).then((out) => {
			expect(out).toBe(body);
			bus.on('message:beforeSend', () => Promise.resolve({ content: 'async' }));
			bus.on('message:beforeSend', () => ({ content: 'sync' }), { priority: -1 });
			expect(bus.transformSync('message:beforeSend', body, undefined)).toEqual({ content: 'sync' });
		});
	});

	it('a handler added during a dispatch does not run in that dispatch', () => {
		const bus = new ExtensionBus();
		const calls: string[] = [];
		bus.on('client:warn', () => {
			calls.push('first');
			bus.on('client:warn', () => void calls.push('late'));
		});
		bus.emit('client:warn', 'x');
		expect(calls).toEqual(['first']);
		bus.clear('client:warn');
		expect(bus.has('client:warn')).toBe(false);
	});

	it('rejects invalid handlers and priorities with typed errors', () => {
		const bus = new ExtensionBus();
		const notAFunction: unknown = 'nope';
		// @ts-expect-error -- deliberately wrong at run time
		expect(() => bus.on('client:warn', notAFunction)).toThrow(CoreError);
		expect(() => bus.on('client:warn', () => undefined, { priority: Number.NaN })).toThrow(/finite number/);
		try {
			bus.on('client:warn', () => undefined, { priority: Number.POSITIVE_INFINITY });
		} catch (error) {
			expect(error).toBeInstanceOf(CoreError);
			expect(error).toMatchObject({ code: 'CORE_INVALID_HANDLER' });
		}
	});

	it('a failing error:unhandled handler falls back to a process warning instead of recursing', () => {
		const bus = new ExtensionBus();
		const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
		bus.on('error:unhandled', () => {
			throw new Error('reporter broke');
		});
		bus.on('client:warn', () => {
			throw new Error('handler broke');
		});
		bus.emit('client:warn', 'x');
		expect(warning).toHaveBeenCalledTimes(1);
		expect(String(warning.mock.calls[0]?.[0])).toContain('reporter broke');
		warning.mockRestore();
	});
});
