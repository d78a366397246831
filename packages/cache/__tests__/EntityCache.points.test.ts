import { describe, expect, it } from 'vitest';
import { World } from '@ovenjs/testing';
import {
	asChannelId,
	asGuildId,
	asMessageId,
	asUserId,
	type ExtensionPointArgs,
	type ExtensionPointEmitter,
	type ExtensionPointName,
	type WaterfallPointName,
	type WaterfallValue,
} from '@ovenjs/types';
import { EntityCache } from '@ovenjs/cache';

/** Records every notify point, standing in for core's bus; `listening` chooses which points have handlers. */
function recorder(listening: readonly string[]): ExtensionPointEmitter & { calls: [string, ...unknown[]][] } {
	const calls: [string, ...unknown[]][] = [];
	return {
		calls,
		has: (point: ExtensionPointName) => listening.includes(point),
		emit<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>) {
			calls.push([point, ...args]);
		},
		transform<P extends WaterfallPointName>(_point: P, ...args: ExtensionPointArgs<P>): Promise<WaterfallValue<P>> {
			return Promise.resolve(args[0] as WaterfallValue<P>);
		},
	};
}

describe('EntityCache on the extension-point bus', () => {
	it('reports ingested dispatches as cache:beforeSet/afterSet with DiscordKeys-style keys', () => {
		const world = new World(3);
		const events: { t: string; d: unknown }[] = [];
		world.setSink((t, d) => events.push({ t, d: structuredClone(d) }));
		const guild = world.createGuild({ members: 2, channels: 1 });
		const channelId = [...guild.channels][0]!;
		const message = world.sendMessage(channelId, guild.ownerId, 'hi');
		const bus = recorder(['cache:beforeSet', 'cache:afterSet']);
		const cache = new EntityCache({ emitter: bus });
		for (const event of events) cache.handle(event);
		// A delete of a message the cache never saw changes nothing: reported before, not after.
		cache.handle({ t: 'MESSAGE_DELETE', d: { id: '42', channel_id: channelId } });

		const afterKeys = bus.calls.filter(([point]) => point === 'cache:afterSet').map(([, key]) => key);
		expect(afterKeys).toContain(`guild:${guild.id}`);
		expect(afterKeys).toContain(`message:${channelId}:${message.id}`);
		expect(afterKeys).not.toContain(`message:${channelId}:42`);
		const beforeKeys = bus.calls.filter(([point]) => point === 'cache:beforeSet').map(([, key]) => key);
		expect(beforeKeys).toContain(`message:${channelId}:42`);
		expect(
			bus.calls.find(([point, key]) => point === 'cache:afterSet' && key === `guild:${guild.id}`)?.[2],
		).toMatchObject({ id: guild.id });
	});

	it('reports single-entity reads as cache:beforeGet/afterGet with hit and tier', () => {
		const world = new World(4);
		const events: { t: string; d: unknown }[] = [];
		world.setSink((t, d) => events.push({ t, d: structuredClone(d) }));
		const guild = world.createGuild({ members: 1, channels: 1 });
		const bus = recorder(['cache:beforeGet', 'cache:afterGet']);
		const cache = new EntityCache({ emitter: bus });
		for (const event of events) cache.handle(event);

		expect(cache.guild(guild.id)?.name).toBe(guild.name);
		expect(cache.member(guild.id, asUserId(guild.ownerId))).toBeDefined();
		expect(cache.channel(asChannelId('1'))).toBeUndefined();
		expect(cache.message(asChannelId('1'), asMessageId('2'))).toBeUndefined();
		expect(bus.calls).toEqual([
			['cache:beforeGet', `guild:${guild.id}`],
			['cache:afterGet', `guild:${guild.id}`, true, 'entity'],
			['cache:beforeGet', `member:${guild.id}:${guild.ownerId}`],
			['cache:afterGet', `member:${guild.id}:${guild.ownerId}`, true, 'entity'],
			['cache:beforeGet', 'channel:1'],
			['cache:afterGet', 'channel:1', false, undefined],
			['cache:beforeGet', 'message:1:2'],
			['cache:afterGet', 'message:1:2', false, undefined],
		]);
	});

	it('emits nothing and builds no key when nobody listens', () => {
		const bus = recorder([]);
		const cache = new EntityCache({ emitter: bus });
		cache.handle({ t: 'GUILD_DELETE', d: { id: '1' } });
		expect(cache.guild(asGuildId('1'))).toBeUndefined();
		expect(bus.calls).toEqual([]);
	});
});
