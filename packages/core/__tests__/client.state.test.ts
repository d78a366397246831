import { MockDiscord } from '@ovenjs/testing';
import { DiscordAPIError } from '@ovenjs/rest';
import { MemoryStorage, type StateSnapshotEvent, type StateUpdateEvent } from '@ovenjs/state';
import { asGuildId, asRoleId, asUserId } from '@ovenjs/types';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ExtensionBus } from '../src/index.js';

declare module '../src/lib/client/ClientOptions.js' {
	interface ClientAppState {
		members: Record<string, { roles: string[] }>;
		prefix: string;
	}
}

let discord: MockDiscord;
beforeAll(async () => {
	// The bot has no permissions in the generated guilds: a role add is answered 403 Missing Permissions.
	discord = await MockDiscord.start({ guilds: 1, botPermissions: '0' });
});
afterAll(async () => {
	await discord.stop();
});

describe('client.state', () => {
	it('is a typed store on the client bus; an optimistic role add rolls back when Discord answers 403', async () => {
		const bus = new ExtensionBus();
		const updates: StateUpdateEvent[] = [];
		const snapshots: StateSnapshotEvent[] = [];
		bus.on('state:afterUpdate', (event) => void updates.push(event));
		bus.on('state:snapshot', (event) => void snapshots.push(event));
		const guild = [...discord.world.guilds.values()][0]!;
		const role = discord.world.createRole(guild.id, { name: 'mod' });
		const member = discord.world.addMember(guild.id);
		const userId = asUserId(member.user.id);
		const client = new Client({
			token: discord.token,
			intents: GatewayIntentBits.Guilds,
			rest: { api: discord.apiBase },
			bus,
			state: { initial: { members: { [userId]: { roles: [] } }, prefix: '!' }, persist: new MemoryStorage() },
		});
		try {
			await client.state.ready;
			await client.state.set('prefix', '?', { who: 'admin', why: 'prefix command' });
			expect(client.state.select('prefix')).toBe('?');
			client.state.snapshot('after-prefix');

			const pending = client.state.optimistic(
				(draft) => {
					draft.members[userId]!.roles.push(role.id);
				},
				() => client.api.guilds.addGuildMemberRole(asGuildId(guild.id), userId, asRoleId(role.id)),
				{ who: 'admin', why: 'grant mod' },
			);
			// Applied at once, before Discord answered...
			expect(client.state.get().members[userId]!.roles).toEqual([role.id]);
			// ...while an unrelated change lands during the request.
			await client.state.set('prefix', '$');
			const error: unknown = await pending.catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(DiscordAPIError);
			expect(error).toMatchObject({ status: 403 });
			expect(client.state.get()).toEqual({ members: { [userId]: { roles: [] } }, prefix: '$' });
			expect(
				discord.requests
					.filter('PUT', '/guilds/{guild_id}/members/{user_id}/roles/{role_id}')
					.map((request) => request.status),
			).toEqual([403]);

			expect(updates.map((event) => event.kind)).toEqual(['update', 'update', 'update', 'rollback']);
			expect(updates[0]).toMatchObject({ store: 'client', who: 'admin', reason: 'prefix command' });
			expect(snapshots).toEqual([
				expect.objectContaining({ store: 'client', id: 'after-prefix', kind: 'named' }),
			]);
			const slice = client.state.namespace('members');
			expect(slice.get()).toEqual({ [userId]: { roles: [] } });
		} finally {
			await client.destroy();
		}
		await expect(client.state.set('prefix', 'x')).rejects.toMatchObject({ code: 'STATE_DESTROYED' });
	});

	it('without the option it is an empty store; a bad initial value is a typed error', () => {
		const client = new Client({ token: discord.token, intents: 0, rest: { api: discord.apiBase } });
		expect(client.state.get()).toEqual({});
		expect(() => new Client({ token: discord.token, intents: 0, state: { initial: 5 as never } })).toThrow(
			expect.objectContaining({ code: 'CORE_INVALID_OPTION' }) as Error,
		);
	});
});
