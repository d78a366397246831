import { describe, expectTypeOf, it } from 'vitest';
import type {
	ApiPath,
	ChannelId,
	DeepPartial,
	DeepReadonly,
	ExtensionHandler,
	ExtensionPointArgs,
	ExtensionPointName,
	GatewayEventName,
	GuildId,
	Paths,
	PathValue,
	Snowflake,
	ThreadId,
	UserId,
	Validated,
	WaterfallPointName,
	WaterfallValue,
	Message,
} from '@ovenjs/types';
import { asGuildId, asUserId, asSnowflake, parsePayload, type snowflakeFromDate } from '@ovenjs/types';

declare module '@ovenjs/types' {
	interface ExtensionPoints {
		'test:notify': [guildId: GuildId, count: number];
		'test:transform': [content: string, meta: { userId: UserId }];
	}
	interface WaterfallExtensionPoints {
		'test:transform': true;
	}
}

declare function banUser(userId: UserId): void;
declare function fetchGuild(guildId: GuildId): void;
declare function sendTo(channelId: ChannelId): void;

describe('brands', () => {
	it('a guild ID cannot be passed where a user ID is expected', () => {
		const guild = asGuildId('1');
		const user = asUserId('2');
		banUser(user);
		// @ts-expect-error a GuildId is not a UserId
		banUser(guild);
		// @ts-expect-error a UserId is not a GuildId
		fetchGuild(user);
		// @ts-expect-error a plain string is not a UserId
		banUser('2');
		expectTypeOf(guild).not.toExtend<UserId>();
		expectTypeOf(user).not.toExtend<GuildId>();
	});

	it('brands are snowflakes and strings, and round-trip through their constructors', () => {
		expectTypeOf(asUserId('1')).toExtend<Snowflake>();
		expectTypeOf(asUserId('1')).toExtend<string>();
		expectTypeOf(asSnowflake('Message', '1')).toEqualTypeOf<ReturnType<typeof snowflakeFromDate<'Message'>>>();
		expectTypeOf(asSnowflake('Guild', asGuildId('1'))).toEqualTypeOf<GuildId>();
	});

	it('a thread ID is a channel ID but not the reverse', () => {
		const thread = {} as ThreadId;
		sendTo(thread);
		expectTypeOf<ChannelId>().not.toExtend<ThreadId>();
	});

	it('parsed models carry branded IDs', () => {
		const message = parsePayload('Message', {});
		expectTypeOf(message.author.id).toEqualTypeOf<UserId>();
		expectTypeOf(message.channel_id).toEqualTypeOf<ChannelId>();
		expectTypeOf<Message['guild_id']>().toEqualTypeOf<GuildId | undefined>();
	});
});

describe('merged extension points', () => {
	it('are typed by their argument tuple', () => {
		expectTypeOf<'test:notify'>().toExtend<ExtensionPointName>();
		expectTypeOf<ExtensionPointArgs<'test:notify'>>().toEqualTypeOf<[guildId: GuildId, count: number]>();
		expectTypeOf<ExtensionHandler<'test:notify'>>().parameters.toEqualTypeOf<[guildId: GuildId, count: number]>();
		expectTypeOf<ExtensionHandler<'test:notify'>>().returns.toEqualTypeOf<void | Promise<void>>();
	});

	it('waterfall points return a replacement of their first argument', () => {
		expectTypeOf<'test:transform'>().toExtend<WaterfallPointName>();
		expectTypeOf<WaterfallValue<'test:transform'>>().toEqualTypeOf<string>();
		const handler: ExtensionHandler<'test:transform'> = (content) => content.toUpperCase();
		expectTypeOf(handler).returns.toExtend<string | undefined | void | Promise<string | undefined | void>>();
		// @ts-expect-error a transform handler must return the value's type
		const wrong: ExtensionHandler<'test:transform'> = () => 42;
		expectTypeOf(wrong).toBeFunction();
	});
});

describe('utility types', () => {
	it('DeepReadonly, DeepPartial, Paths and template literals', () => {
		type Nested = { a: { b: { c: number } }; list: string[] };
		expectTypeOf<DeepReadonly<Nested>['a']['b']>().toEqualTypeOf<{ readonly c: number }>();
		expectTypeOf<DeepPartial<Nested>>().toExtend<{ a?: { b?: { c?: number } } }>();
		expectTypeOf<Paths<Nested>>().toEqualTypeOf<'a' | 'a.b' | 'a.b.c' | 'list'>();
		expectTypeOf<PathValue<Nested, 'a.b.c'>>().toEqualTypeOf<number>();
		expectTypeOf<'/api/v10/users/@me'>().toExtend<ApiPath>();
		expectTypeOf<'/api/v9/users/@me'>().not.toExtend<ApiPath>();
		expectTypeOf<'MESSAGE_CREATE'>().toExtend<GatewayEventName>();
		expectTypeOf<'MESSAGE_EXPLODE'>().not.toExtend<GatewayEventName>();
		expectTypeOf<Validated<UserId>>().toExtend<UserId>();
	});
});
