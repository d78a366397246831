import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { isSnowflake, uncheckedSnowflake, type GuildId } from '@ovenjs/types';
import type { z } from 'zod';
import type { World } from '../world/World.js';
import type { GatewaySession } from './GatewaySession.js';
import type { RequestGuildMembersSchema } from './schemas.js';

/** Discord's limit on members per `GUILD_MEMBERS_CHUNK`. */
export const MEMBERS_PER_CHUNK = 1000;

/**
 * Answers op 8 REQUEST_GUILD_MEMBERS: `GUILD_MEMBERS_CHUNK` dispatches of at most 1,000 members, echoing the
 * nonce, and a `RATE_LIMITED` dispatch when the same guild is asked again within the cooldown (`memberRequestCooldownMs`).
 */
export class MemberChunker {
	readonly #lastRequest = new Map<string, number>();
	readonly #world: World;
	readonly #cooldownMs: number;

	public constructor(world: World, cooldownMs: number) {
		this.#world = world;
		this.#cooldownMs = cooldownMs;
	}

	/** Handles one request; returns a close code when the request is invalid, else `undefined`. */
	public async handle(
		session: GatewaySession,
		request: z.output<typeof RequestGuildMembersSchema>,
	): Promise<number | undefined> {
		const guildIds = Array.isArray(request.guild_id) ? request.guild_id : [request.guild_id];
		const hasMembersIntent = (session.intents & GatewayIntentBits.GuildMembers) !== 0;
		const wantsAll = request.user_ids === undefined && (request.query ?? '') === '';
		if (request.user_ids === undefined && request.query === undefined) return GatewayCloseCodes.DecodeError;
		if ((wantsAll || request.limit === 0) && !hasMembersIntent) return GatewayCloseCodes.InvalidIntents;
		if (request.presences === true && (session.intents & GatewayIntentBits.GuildPresences) === 0)
			return GatewayCloseCodes.InvalidIntents;
		for (const rawGuildId of guildIds) {
			if (!isSnowflake(rawGuildId)) return GatewayCloseCodes.DecodeError;
			const guildId: GuildId = uncheckedSnowflake('Guild', rawGuildId);
			const key = `${session.id}:${guildId}`;
			const now = Date.now();
			const last = this.#lastRequest.get(key);
			if (last !== undefined && now - last < this.#cooldownMs) {
				await session.dispatch(GatewayDispatchEvents.RateLimited, {
					opcode: GatewayOpcodes.RequestGuildMembers,
					retry_after: (last + this.#cooldownMs - now) / 1000,
					meta: { guild_id: guildId, ...(request.nonce === undefined ? {} : { nonce: request.nonce }) },
				});
				continue;
			}
			this.#lastRequest.set(key, now);
			await this.#sendChunks(session, guildId, request);
		}
		return undefined;
	}

	async #sendChunks(
		session: GatewaySession,
		guildId: GuildId,
		request: z.output<typeof RequestGuildMembersSchema>,
	): Promise<void> {
		const guild = this.#world.guilds.get(guildId);
		const all = guild === undefined ? [] : [...guild.members.values()];
		let members = all;
		const notFound: string[] = [];
		if (request.user_ids !== undefined) {
			const wanted = Array.isArray(request.user_ids) ? request.user_ids : [request.user_ids];
			const byId = new Map<string, (typeof all)[number]>(all.map((member) => [member.user.id, member]));
			members = [];
			for (const id of wanted.slice(0, 100)) {
				const member = byId.get(id);
				if (member === undefined) notFound.push(id);
				else members.push(member);
			}
		} else {
			const query = (request.query ?? '').toLowerCase();
			if (query !== '')
				members = all.filter(
					(member) =>
						member.user.username.toLowerCase().startsWith(query) ||
						(member.nick ?? '').toLowerCase().startsWith(query),
				);
			const limit = request.limit ?? 0;
			if (limit > 0 || query !== '')
				members = members.slice(0, limit > 0 ? Math.min(limit, query === '' ? limit : 100) : 100);
		}
		const chunkCount = Math.max(1, Math.ceil(members.length / MEMBERS_PER_CHUNK));
		for (let index = 0; index < chunkCount; index++) {
			const slice = members.slice(index * MEMBERS_PER_CHUNK, (index + 1) * MEMBERS_PER_CHUNK);
			await session.dispatch(GatewayDispatchEvents.GuildMembersChunk, {
				guild_id: guildId,
				members: slice,
				chunk_index: index,
				chunk_count: chunkCount,
				...(index === 0 && notFound.length > 0 ? { not_found: notFound } : {}),
				...(request.presences === true ? { presences: [] } : {}),
				...(request.nonce === undefined ? {} : { nonce: request.nonce }),
			});
		}
	}

	/** Forgets cooldowns (tests). */
	public reset(): void {
		this.#lastRequest.clear();
	}
}
