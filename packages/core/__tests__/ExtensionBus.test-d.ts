import { expectTypeOf, test } from 'vitest';
import type { Message } from '@ovenjs/types';
import { ExtensionBus, type MetricSample } from '../src/index.js';

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		'test:custom': [value: number, label: string];
	}
	interface WaterfallExtensionPoints {
		'test:custom': true;
	}
}

test('handlers receive the declared argument tuple', () => {
	const bus = new ExtensionBus();
	bus.on('message:create', (message) => {
		expectTypeOf(message).toEqualTypeOf<Message>();
	});
	bus.on('metrics:counter', (sample) => {
		expectTypeOf(sample).toEqualTypeOf<MetricSample>();
	});
	// @ts-expect-error -- unknown point
	bus.on('nope:nope', () => undefined);
	// @ts-expect-error -- wrong argument type
	bus.emit('client:warn', 42);
});

test('plugins extend the contract by declaration merging; waterfall results are typed', () => {
	const bus = new ExtensionBus();
	bus.on('test:custom', (value, label) => {
		expectTypeOf(label).toEqualTypeOf<string>();
		return value + 1;
	});
	// @ts-expect-error -- a waterfall handler must return the value type
	bus.on('test:custom', () => 'text');
	expectTypeOf(bus.transform('test:custom', 1, 'x')).toEqualTypeOf<Promise<number>>();
	// @ts-expect-error -- notify points cannot be transformed
	void bus.transform('client:warn', 'x');
});
