import { expectTypeOf, test } from 'vitest';
import type { APIChannel, APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import type { ChannelId, GuildId } from '@ovenjs/types';
import { Api, type RequestContract } from '../src/index.js';

declare const rest: RequestContract;
declare const channelId: ChannelId;
declare const guildId: GuildId;

test('client.api methods take branded IDs and return discord-api-types results', () => {
	const api = new Api(rest);
	expectTypeOf<Parameters<Api['channels']['createMessage']>[1]>().toEqualTypeOf<RESTPostAPIChannelMessageJSONBody>();
	expectTypeOf(api.channels.createMessage(channelId, { content: 'hi' })).toEqualTypeOf<Promise<APIMessage>>();
	expectTypeOf(api.channels.getChannel(channelId)).toEqualTypeOf<Promise<APIChannel>>();
	// @ts-expect-error -- a GuildId is not a ChannelId
	void api.channels.getChannel(guildId);
	// @ts-expect-error -- a plain string is not a ChannelId
	void api.channels.getChannel('123');
	expectTypeOf<Parameters<Api['channels']['listMessages']>[1]>().toExtend<
		{ readonly query?: { readonly limit?: number } } | undefined
	>();
});
