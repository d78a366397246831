import { EntityCache } from '@ovenjs/cache';
const cache = new EntityCache({ validation: 'off' });
const guildId = '1234567890123456789',
	channelId = '1234567890123456790',
	userId = '1234567890123456791';
cache.ingest('GUILD_CREATE', {
	id: guildId,
	name: 'g',
	roles: [
		{
			id: guildId,
			name: '@everyone',
			permissions: '0',
			position: 0,
			color: 0,
			hoist: false,
			managed: false,
			mentionable: false,
			flags: 0,
		},
	],
	emojis: [],
	channels: [{ id: channelId, type: 0, guild_id: guildId, name: 'c' }],
	members: [],
	member_count: 10,
	owner_id: userId,
	unavailable: false,
});
const N = 200000;
const texts = [];
for (let i = 0; i < N; i++)
	texts.push(
		JSON.stringify({
			id: String(1234567890123456800n + BigInt(i)),
			channel_id: channelId,
			guild_id: guildId,
			author: {
				id: userId,
				username: 'flooder',
				global_name: null,
				avatar: null,
				discriminator: '0',
				public_flags: 0,
				flags: 0,
				bot: false,
			},
			member: {
				roles: [],
				joined_at: '2024-01-01T00:00:00.000000+00:00',
				deaf: false,
				mute: false,
				flags: 0,
				pending: false,
				nick: null,
				avatar: null,
				premium_since: null,
			},
			content: 'flood ' + i,
			timestamp: '2024-01-01T00:00:00.000000+00:00',
			edited_timestamp: null,
			tts: false,
			mention_everyone: false,
			mentions: [],
			mention_roles: [],
			attachments: [],
			embeds: [],
			pinned: false,
			type: 0,
			flags: 0,
			components: [],
		}),
	);
const payloads = texts.map((t) => JSON.parse(t));
const mode = process.argv[2] ?? 'ingest';
for (let r = 0; r < 3; r++) {
	const t0 = process.hrtime.bigint();
	if (mode === 'ingest') for (const p of payloads) cache.ingest('MESSAGE_CREATE', p);
	else if (mode === 'parse') for (const t of texts) JSON.parse(t);
	const t1 = process.hrtime.bigint();
	console.log(mode, (Number(t1 - t0) / N).toFixed(0), 'ns/op');
}
