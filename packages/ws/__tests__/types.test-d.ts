import { expectTypeOf, test } from 'vitest';
import type { ExtensionPointArgs } from '@ovenjs/types';
import { type GatewayDispatch, type GatewayError, type ShardConnectInfo, WebSocketManager } from '../src/index.js';

test('manager events are typed', () => {
	const manager = new WebSocketManager({ token: 'token-for-types', intents: 1, shardCount: 1 });
	manager.on('dispatch', (event) => {
		expectTypeOf(event).toEqualTypeOf<GatewayDispatch>();
		expectTypeOf(event.shardId).toBeNumber();
		expectTypeOf(event.d).toBeUnknown();
	});
	manager.on('error', (event) => {
		expectTypeOf(event.error).toEqualTypeOf<GatewayError>();
		expectTypeOf(event.fatal).toBeBoolean();
	});
	manager.on('progress', (p) => {
		expectTypeOf(p.ready).toBeNumber();
	});
	// @ts-expect-error unknown event names are rejected
	manager.on('nope', () => undefined);
	// @ts-expect-error listener arguments must match the event
	manager.on('heartbeat', (latency: string) => latency);
});

test('extension points are declared on @ovenjs/types', () => {
	expectTypeOf<ExtensionPointArgs<'ws:beforeConnect'>>().toEqualTypeOf<[info: ShardConnectInfo]>();
	expectTypeOf<ExtensionPointArgs<'ws:onMessage'>>().toEqualTypeOf<[shardId: number, raw: string]>();
});

test('error codes are a closed union', () => {
	expectTypeOf<GatewayError['code']>().toExtend<string>();
	expectTypeOf<'GATEWAY_DISALLOWED_INTENTS'>().toExtend<GatewayError['code']>();
});
