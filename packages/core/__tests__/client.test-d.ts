import { expectTypeOf, test } from 'vitest';
import type { CachedGuild } from '@ovenjs/cache';
import type { GuildId, UserId } from '@ovenjs/types';
import type {
	Client,
	AnyInteraction,
	ClientMessage,
	MessageDelete,
	RequestContract,
	RequestData,
} from '../src/index.js';
import type { REST, RequestOptions } from '@ovenjs/rest';

declare const client: Client;

test('events carry typed, light objects', () => {
	client.on('messageCreate', (message) => {
		expectTypeOf(message).toEqualTypeOf<ClientMessage>();
		expectTypeOf(message.authorId).toEqualTypeOf<UserId>();
		expectTypeOf(message.guildId).toEqualTypeOf<GuildId | undefined>();
	});
	client.on('guildCreate', (guildId, guild) => {
		expectTypeOf(guildId).toEqualTypeOf<GuildId>();
		expectTypeOf(guild).toEqualTypeOf<CachedGuild | undefined>();
	});
	client.on('interactionCreate', (interaction) => {
		expectTypeOf(interaction).toEqualTypeOf<AnyInteraction>();
	});
	client.on('messageDelete', async (message) => {
		expectTypeOf(message).toEqualTypeOf<MessageDelete>();
		await Promise.resolve();
	});
	// @ts-expect-error -- unknown event
	client.on('messageCreated', () => undefined);
	// @ts-expect-error -- wrong listener arguments
	client.on('guildDelete', (guildId: number) => guildId);
});

test("@ovenjs/rest's REST satisfies the request contract client.api is built on", () => {
	expectTypeOf<REST>().toExtend<RequestContract>();
	// Method parameters are bivariant, so check the data shape in the direction that matters.
	expectTypeOf<RequestData>().toExtend<RequestOptions>();
});

test("the client's identity and gateway are read-only", () => {
	expectTypeOf(client.userId).toEqualTypeOf<UserId | undefined>();
	// @ts-expect-error -- set by login() and READY only
	client.userId = undefined;
	// @ts-expect-error -- set by READY only
	client.applicationId = undefined;
	// @ts-expect-error -- created by login()
	client.gateway = undefined;
	// @ts-expect-error -- counted by the pipeline
	client.pipeline.dropped = 0;
});
