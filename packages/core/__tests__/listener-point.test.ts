import { describe, expect, it } from 'vitest';
import { Client, ExtensionBus, type ListenerCall } from '../src/index.js';

const token = 'listener.point.test-token-000000000000';

describe('client:listener point', () => {
	it('lets instrumentation wrap each listener call with the same arguments and result', async () => {
		const bus = new ExtensionBus();
		const seen: string[] = [];
		bus.on('client:listener', (call: ListenerCall, event: string): ListenerCall => (...args) => {
			seen.push(`before ${event} ${args.length}`);
			const result = call(...args);
			seen.push(`after ${event}`);
			return result;
		});
		const client = new Client({ token, intents: 0, bus });
		const got: string[] = [];
		client.on('warn', (text) => {
			got.push(text);
		});
		client.on('debug', async (text) => {
			await Promise.resolve();
			got.push(`async ${text}`);
		});
		client.emit('warn', 'one');
		client.emit('debug', 'two');
		await new Promise((resolve) => setImmediate(resolve));
		expect(got).toEqual(['one', 'async two']);
		expect(seen).toEqual(['before warn 1', 'after warn', 'before debug 1', 'after debug']);
		await client.destroy();
	});

	it('reports a wrapped async listener that rejects, as an unwrapped one', async () => {
		const bus = new ExtensionBus();
		bus.on(
			'client:listener',
			(call: ListenerCall): ListenerCall =>
				(...args) =>
					call(...args),
		);
		const failures: unknown[] = [];
		bus.on('error:unhandled', (error) => {
			failures.push(error);
		});
		const client = new Client({ token, intents: 0, bus });
		client.on('warn', () => Promise.reject(new Error('listener failed')));
		client.emit('warn', 'x');
		await new Promise((resolve) => setImmediate(resolve));
		expect(failures).toHaveLength(1);
		await client.destroy();
	});

	it('reports a hook that returns something other than a call as a listener failure, and emit() goes on', async () => {
		const bus = new ExtensionBus();
		// A plain-JS hook that returns a number instead of a call.
		bus.on('client:listener', (() => 42) as never);
		const client = new Client({ token, intents: 0, bus });
		// The client's own `error` listeners would be wrapped by the same hook: read the bus's point instead.
		const errors: unknown[] = [];
		bus.on('error:unhandled', (error) => {
			errors.push(error);
		});
		let called = 0;
		client.on('warn', () => {
			called++;
		});
		expect(() => client.emit('warn', 'one')).not.toThrow();
		expect(errors.length).toBeGreaterThan(0);
		bus.clear('client:listener');
		client.emit('warn', 'two');
		expect(called).toBe(1);
		await client.destroy();
	});

	it('costs nothing when nobody hooks it: listeners are called directly', () => {
		const bus = new ExtensionBus();
		const client = new Client({ token, intents: 0, bus });
		let calls = 0;
		client.on('warn', () => {
			calls++;
		});
		client.emit('warn', 'x');
		expect(calls).toBe(1);
		expect(bus.has('client:listener')).toBe(false);
		void client.destroy();
	});
});
