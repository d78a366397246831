/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// Plan of the cache workload: memory per cached member (OvenJS entity cache vs discord.js managers), tier
// latencies on the real Redis/PostgreSQL servers, and the hit ratio with and without predictive warming.
import { runChild } from '../lib/child.mjs';

/** @type {import('./types.mjs').Plan} */
export const cache = {
	id: 'cache',
	title: 'cache (member memory, tier latency, predictive warming)',
	description:
		'Memory: members (+ their users) ingested as `GUILD_MEMBERS_CHUNK`s of 1,000 into fresh guilds, then heap + ArrayBuffers after GC minus the same process before the members; 1,000,000 members in the full run. ' +
		'Tiers: sequential `get`s of a 1,000-key working set on the real servers (127.0.0.1:6379, :5432), timed one by one. ' +
		'Warming: a seeded trace (80 % of reads on 4 hot guilds that change every 10,000 reads, 70 % of member reads followed by the user) replayed against a 1,000-entry L1 in front of a tier holding every key; warming every 1,000 reads with the access model (top 200).',
	subjects: ['ovenjs', 'discordjs'],
	runs: (quick) => (quick ? 1 : 3),
	async runOnce(subject, { quick }) {
		const members = quick ? 10_000 : 1_000_000;
		const metrics = {};
		const unavailable = {};
		const notes = {};
		const mem = await runChild('workloads/cache.mjs', ['members', subject, String(members)], {
			timeoutMs: 300_000,
		});
		if (mem.status === 'unavailable') {
			unavailable['cache.member.bytes'] = mem.reason;
			unavailable['cache.million.heap'] = mem.reason;
		} else if (mem.status !== 'ok') return { status: 'error', reason: `members: ${mem.reason}` };
		else {
			if (mem.members !== members)
				return { status: 'error', reason: `members: cached ${mem.members} of ${members}` };
			metrics['cache.member.bytes'] = mem.bytesDelta / members;
			if (quick) unavailable['cache.million.heap'] = 'measured in the full run only';
			else metrics['cache.million.heap'] = mem.bytesDelta;
		}
		if (subject === 'discordjs') {
			const reason = 'discord.js has no cache tiers or predictive warming';
			for (const id of [
				'cache.redis.get.p50',
				'cache.redis.get.p99',
				'cache.postgres.get.p50',
				'cache.postgres.get.p99',
				'cache.hit.cold',
				'cache.hit.warm',
			])
				unavailable[id] = reason;
			return { status: 'ok', metrics, unavailable };
		}
		const tiers = await runChild('workloads/cache.mjs', ['tiers', subject, String(quick ? 300 : 20_000)], {
			timeoutMs: 180_000,
		});
		if (tiers.status === 'ok') {
			for (const name of ['redis', 'postgres']) {
				const r = tiers.results[name];
				if (r === undefined) {
					unavailable[`cache.${name}.get.p50`] = tiers.skipped[name];
					unavailable[`cache.${name}.get.p99`] = tiers.skipped[name];
					notes[`${name} tier`] = `skipped: ${tiers.skipped[name]}`;
				} else {
					metrics[`cache.${name}.get.p50`] = r.p50;
					metrics[`cache.${name}.get.p99`] = r.p99;
				}
			}
		} else if (tiers.status === 'unavailable') {
			for (const id of [
				'cache.redis.get.p50',
				'cache.redis.get.p99',
				'cache.postgres.get.p50',
				'cache.postgres.get.p99',
			])
				unavailable[id] = tiers.reason;
		} else return { status: 'error', reason: `tiers: ${tiers.reason}` };
		const warm = await runChild('workloads/cache.mjs', ['warming', subject, String(quick ? 10_000 : 200_000)], {
			timeoutMs: 180_000,
		});
		if (warm.status === 'ok') {
			metrics['cache.hit.cold'] = warm.ratios.cold;
			metrics['cache.hit.warm'] = warm.ratios.warm;
		} else if (warm.status === 'unavailable') {
			unavailable['cache.hit.cold'] = warm.reason;
			unavailable['cache.hit.warm'] = warm.reason;
		} else return { status: 'error', reason: `warming: ${warm.reason}` };
		return { status: 'ok', metrics, unavailable, notes };
	},
};
