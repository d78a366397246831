/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Shared inputs so every subject computes the same thing on the same data.

/**
 * A guild with 20 roles, a member holding 5 of them and a text channel with @everyone, role and member
 * overwrites, as Discord's API would send it (decimal strings) plus the IDs the computations need.
 */
export function permissionFixture() {
	const guildId = '100000000000000001';
	const ownerId = '300000000000000099';
	const userId = '300000000000000001';
	const channelId = '400000000000000001';
	const roles = [
		{
			id: guildId,
			name: '@everyone',
			permissions: '1071698660929',
			position: 0,
			color: 0,
			hoist: false,
			managed: false,
			mentionable: false,
			flags: 0,
		},
	];
	for (let i = 0; i < 20; i++) {
		roles.push({
			id: String(200_000_000_000_000_000n + BigInt(i)),
			name: `role-${i}`,
			permissions: String(1n << BigInt(i % 30)),
			position: i + 1,
			color: 0,
			hoist: false,
			managed: false,
			mentionable: false,
			flags: 0,
		});
	}
	const memberRoleIds = [roles[3].id, roles[5].id, roles[8].id, roles[12].id, roles[17].id];
	const overwrites = [
		{ id: guildId, type: 0, allow: '0', deny: '2048' },
		{ id: roles[3].id, type: 0, allow: '2048', deny: '0' },
		{ id: roles[8].id, type: 0, allow: '0', deny: '8192' },
		{ id: roles[15].id, type: 0, allow: '64', deny: '0' },
		{ id: userId, type: 1, allow: '16384', deny: '0' },
	];
	const apiGuild = {
		id: guildId,
		name: 'bench',
		owner_id: ownerId,
		roles,
		channels: [{ id: channelId, type: 0, name: 'general', position: 0, permission_overwrites: overwrites }],
		members: [
			{
				user: { id: userId, username: 'member', discriminator: '0', avatar: null },
				roles: memberRoleIds,
				joined_at: '2024-01-01T00:00:00.000Z',
				deaf: false,
				mute: false,
				flags: 0,
			},
		],
		emojis: [],
		stickers: [],
	};
	return { guildId, ownerId, userId, channelId, roles, memberRoleIds, overwrites, apiGuild };
}
