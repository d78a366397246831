import type { ChannelId, ExtensionPointArgs, WaterfallPointName } from '@ovenjs/types';
import type { APIMessage, APIUser } from 'discord-api-types/v10';
import { describe, expectTypeOf, it } from 'vitest';
import type { REST, RateLimitedEvent, RestRequest, RestResponse } from '../src/index.js';

declare const rest: REST;
declare const channelId: ChannelId;

describe('types', () => {
	it('types responses by the generic, unknown by default', () => {
		expectTypeOf(rest.get<APIUser>('/users/@me')).toEqualTypeOf<Promise<APIUser>>();
		expectTypeOf(rest.post('/channels/1/messages')).toEqualTypeOf<Promise<unknown>>();
		expectTypeOf(rest.request<APIMessage[]>('GET', '/channels/1/messages')).toEqualTypeOf<Promise<APIMessage[]>>();
		expectTypeOf(rest.raw('GET', '/gateway')).toEqualTypeOf<Promise<RestResponse>>();
		// @ts-expect-error -- not an HTTP method Discord uses
		void rest.request('HEAD', '/gateway');
	});

	it('declares the rest:* extension points on @ovenjs/types', () => {
		expectTypeOf<ExtensionPointArgs<'rest:beforeRequest'>>().toEqualTypeOf<[request: RestRequest]>();
		expectTypeOf<ExtensionPointArgs<'rest:onRateLimit'>>().toEqualTypeOf<[event: RateLimitedEvent]>();
		expectTypeOf<'rest:beforeRequest'>().toExtend<WaterfallPointName>();
	});

	it('types event listeners and pagination with branded IDs', () => {
		rest.on('rateLimited', (event) => {
			expectTypeOf(event).toEqualTypeOf<RateLimitedEvent>();
		});
		// @ts-expect-error -- not an event of REST
		rest.on('nope', () => undefined);
		expectTypeOf(rest.paginate.messages(channelId)).toEqualTypeOf<AsyncGenerator<APIMessage, void, undefined>>();
		// @ts-expect-error -- a plain string is not a ChannelId
		void rest.paginate.messages('123');
	});
});
