/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the ready workload: 100 guilds, every member cached, fresh mock and client process per measurement.
// Two ways members arrive: requested with op 8 after GUILD_CREATE (1,000 per guild), or inside GUILD_CREATE
// (240 per guild: with more than large_threshold, at most 250, Discord sends only the bot in GUILD_CREATE).
import { runChild } from '../lib/child.mjs';
import { withMock } from '../lib/mock.mjs';

/** id → [client variant, members per guild (full run)]. */
const VARIANTS = { op8: ['op8', 1000], guild: ['guild', 240] };

/** @type {import('./types.mjs').Plan} */
export const ready = {
	id: 'ready',
	title: 'ready (100 guilds × 1,000 members via op 8; 100 guilds × 240 members in GUILD_CREATE)',
	description:
		"The clock starts at the login call (library imported, `Client` constructed with its defaults) and stops when every guild and member is in the cache: OvenJS's `login()` resolves at its `ready` event, which waits for every guild announced in READY; discord.js's `clientReady` does the same. " +
		"**op 8**: 100 guilds × 1,000 members, each guild's members requested with op 8 (`requestGuildMembers` / `guild.members.fetch()`). " +
		'**GUILD_CREATE**: 100 guilds × 240 members sent inside GUILD_CREATE (`large_threshold` 250; Discord sends no member list in GUILD_CREATE above it). Every subject reads uncompressed JSON.',
	subjects: ['ovenjs', 'discordjs', 'ceiling'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const metrics = {};
		const unavailable = {};
		for (const [id, [variant, fullMembers]] of Object.entries(VARIANTS)) {
			const prefix = id === 'op8' ? 'ready' : 'ready.guild';
			const guilds = quick ? 5 : 100;
			const membersPerGuild = quick ? 100 : fullMembers;
			const result = await withMock({ guilds, membersPerGuild, channelsPerGuild: 3 }, (info) =>
				runChild('workloads/ready-client.mjs', [subject, variant], {
					timeoutMs: 300_000,
					env: { MOCK_INFO: JSON.stringify(info) },
				}),
			);
			if (result.status !== 'ok') return { ...result, reason: `${id}: ${result.reason}` };
			// Every guild also holds its owner and the bot besides the generated members.
			if (result.guilds !== guilds || result.members < guilds * membersPerGuild) {
				return {
					status: 'error',
					reason: `${id}: cached ${result.guilds} guilds and ${result.members} members, expected ${guilds} and about ${guilds * (membersPerGuild + 2)}`,
				};
			}
			metrics[`${prefix}.time`] = result.seconds * 1000;
			metrics[`${prefix}.cpu`] = result.cpuMs;
			if (subject === 'ceiling') {
				unavailable[`${prefix}.heap`] = 'the ceiling caches nothing, so its memory is no yardstick';
				unavailable[`${prefix}.rss`] = 'the ceiling caches nothing, so its memory is no yardstick';
			} else {
				metrics[`${prefix}.heap`] = result.heapUsed + result.arrayBuffers;
				metrics[`${prefix}.rss`] = result.rss;
			}
		}
		return { status: 'ok', metrics, unavailable };
	},
};
