/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Generates guild-member payloads as Discord sends them (GUILD_MEMBERS_CHUNK shape), on the fly, so that the
// generator holds nothing once a chunk has been ingested.

const EPOCH = 1_420_070_400_000n;

function snowflake(ms, counter) {
	return String(((BigInt(ms) - EPOCH) << 22n) | BigInt(counter & 0x3f_ffff));
}

/** The guild payload (no members) for guild number `g`. */
export function guildPayload(g) {
	const id = snowflake(1_600_000_000_000 + g, g);
	const roles = [
		{
			id,
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
	for (let r = 1; r <= 5; r++) {
		roles.push({
			id: snowflake(1_600_000_100_000 + g * 10 + r, r),
			name: `role-${r}`,
			permissions: String(1n << BigInt(r)),
			position: r,
			color: 0,
			hoist: false,
			managed: false,
			mentionable: false,
			flags: 0,
		});
	}
	return {
		id,
		name: `Guild ${g}`,
		owner_id: snowflake(1_650_000_000_000 + g, 1),
		icon: null,
		roles,
		channels: [],
		members: [],
		emojis: [],
		stickers: [],
		member_count: 0,
		large: true,
		unavailable: false,
		features: [],
		afk_timeout: 300,
		verification_level: 0,
		default_message_notifications: 0,
		explicit_content_filter: 0,
		mfa_level: 0,
		premium_tier: 0,
		system_channel_flags: 0,
		nsfw_level: 0,
		preferred_locale: 'en-US',
		joined_at: '2024-01-01T00:00:00.000Z',
	};
}

/** `count` members of guild `guild` starting at user number `start`: realistic fields, two roles each. */
export function memberChunk(guild, start, count) {
	const roles = guild.roles.slice(1);
	const out = [];
	for (let i = start; i < start + count; i++) {
		const id = snowflake(1_700_000_000_000 + i, i);
		out.push({
			user: {
				id,
				username: `user${i}`,
				global_name: i % 3 === 0 ? `User ${i}` : null,
				discriminator: '0',
				avatar: i % 2 === 0 ? 'a1b2c3d4e5f60718293a4b5c6d7e8f90' : null,
				public_flags: 0,
				bot: false,
			},
			nick: i % 5 === 0 ? `nick${i}` : null,
			avatar: null,
			roles: [roles[i % roles.length].id, roles[(i + 1) % roles.length].id],
			joined_at: '2024-03-01T12:00:00.000000+00:00',
			premium_since: null,
			deaf: false,
			mute: false,
			flags: 0,
			pending: false,
			communication_disabled_until: null,
		});
	}
	return out;
}
