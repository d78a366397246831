import { describe, expectTypeOf, it } from 'vitest';
import type { GuildId } from '@ovenjs/types';
import type { StateStore, PathValue, TuplePathValue, ValidPath } from '@ovenjs/state';

interface BotState {
	guilds: Record<string, { settings: { prefix: string; locale?: string }; roles: string[] }>;
	byGuild: Record<GuildId, { count: number }>;
	round: number;
	queue: { title: string }[];
	meta?: { version: number };
}

declare const store: StateStore<BotState>;
declare const guildId: GuildId;

describe('typed paths', () => {
	it('infers the value at a dot path and at a tuple path', () => {
		expectTypeOf<PathValue<BotState, 'guilds.123.settings.prefix'>>().toEqualTypeOf<string>();
		expectTypeOf<PathValue<BotState, 'guilds.123.settings.locale'>>().toEqualTypeOf<string | undefined>();
		expectTypeOf<PathValue<BotState, 'queue.0.title'>>().toEqualTypeOf<string>();
		expectTypeOf<PathValue<BotState, 'meta.version'>>().toEqualTypeOf<number>();
		expectTypeOf<PathValue<BotState, 'byGuild.81384788765712384.count'>>().toEqualTypeOf<number>();
		expectTypeOf<TuplePathValue<BotState, ['byGuild', GuildId, 'count']>>().toEqualTypeOf<number>();
		expectTypeOf<TuplePathValue<BotState, ['queue', 2]>>().toEqualTypeOf<{ title: string }>();
		expectTypeOf<PathValue<BotState, 'guilds.1.nope'>>().toBeNever();
	});

	it('a wrong path shows the valid keys at the first wrong segment', () => {
		expectTypeOf<ValidPath<BotState, 'guilds.1.settings.prefx'>>().toEqualTypeOf<
			'guilds.1.settings.prefix' | 'guilds.1.settings.locale'
		>();
		expectTypeOf<ValidPath<BotState, 'rounds'>>().toEqualTypeOf<
			'guilds' | 'byGuild' | 'round' | 'queue' | 'meta'
		>();
		expectTypeOf<ValidPath<BotState, 'round'>>().toEqualTypeOf<'round'>();
	});

	it('set, setIn, select and subscribe check paths and values at compile time', () => {
		void store.set('guilds.123.settings.prefix', '!');
		void store.set('round', 2);
		void store.set('queue.0', { title: 'x' });
		void store.setIn(['byGuild', guildId, 'count'], 3);
		void store.setIn(['guilds', '1', 'roles'], ['a']);

		// @ts-expect-error misspelt key
		void store.set('guilds.123.settings.prefx', '!');
		// @ts-expect-error wrong value type
		void store.set('guilds.123.settings.prefix', 1);
		// @ts-expect-error path through a leaf
		void store.set('round.value', 1);
		// @ts-expect-error wrong tuple path
		void store.setIn(['byGuild', guildId, 'cnt'], 3);
		// @ts-expect-error wrong tuple value
		void store.setIn(['byGuild', guildId, 'count'], '3');
		// @ts-expect-error array index must be a number
		void store.setIn(['queue', 'first', 'title'], 'x');

		expectTypeOf(store.select('guilds.1.settings')).toEqualTypeOf<{
			readonly prefix: string;
			readonly locale?: string;
		}>();
		expectTypeOf(store.select(['round'])).toEqualTypeOf<number>();
		expectTypeOf(store.select((state) => state.queue.length)).toEqualTypeOf<number>();
		// @ts-expect-error unknown path
		store.select('guild');

		store.subscribe('guilds.1.settings.prefix', (value, previous) => {
			expectTypeOf(value).toEqualTypeOf<string>();
			expectTypeOf(previous).toEqualTypeOf<string>();
		});
		// @ts-expect-error unknown path
		store.subscribe('guilds.1.setting', () => undefined);
	});

	it('transactions and namespaces are typed the same way', () => {
		void store.transaction((tx) => {
			tx.set('round', 1);
			// @ts-expect-error wrong value
			tx.set('round', 'one');
			expectTypeOf(tx.draft.round).toEqualTypeOf<number>();
		});
		const guilds = store.namespace('guilds');
		void guilds.set('42.settings.prefix', '?');
		// @ts-expect-error wrong value
		void guilds.set('42.settings.prefix', 42);
		// @ts-expect-error not a top-level key
		store.namespace('nope');
	});
});
