import { randomBytes } from 'node:crypto';
import { type GuildId, type UserId, isSnowflake, uncheckedSnowflake } from '@ovenjs/types';
import { GatewayError } from './errors/GatewayError.js';
import { GatewayOp } from './utils/constants.js';
import { isArray, isRecord, numberField, stringField } from './utils/payload.js';

/**
 * Options of `requestGuildMembers` (gateway op 8).
 *
 * @see {@link https://discord.com/developers/docs/events/gateway-events#request-guild-members}
 */
export interface RequestGuildMembersOptions {
	/** The guild whose members to fetch. */
	readonly guildId: GuildId;
	/** Members whose username starts with this; `''` with `limit: 0` fetches all (needs GUILD_MEMBERS). @defaultValue `''` when `userIds` is not set */
	readonly query?: string;
	/** Maximum members; 0 means no limit with an empty query. @defaultValue `0` */
	readonly limit?: number;
	/** Also return presences (needs GUILD_PRESENCES). @defaultValue `false` */
	readonly presences?: boolean;
	/** Fetch these members instead of querying (up to 100). */
	readonly userIds?: readonly UserId[];
	/** A nonce to match chunks (at most 32 bytes); generated when absent. */
	readonly nonce?: string;
	/** Milliseconds to wait for the next chunk before failing with `GATEWAY_TIMEOUT`. @defaultValue `30_000` */
	readonly timeout?: number;
	/** How many times to wait and retry when Discord answers `RATE_LIMITED`. @defaultValue `3` */
	readonly rateLimitRetries?: number;
}

/** One GUILD_MEMBERS_CHUNK. Members and presences are Discord's objects: validate them before use. */
export interface GuildMembersChunk {
	readonly guildId: GuildId;
	readonly nonce: string;
	readonly chunkIndex: number;
	readonly chunkCount: number;
	readonly members: readonly unknown[];
	readonly presences: readonly unknown[];
	readonly notFound: readonly UserId[];
}

/** Every chunk of one request, merged. */
export interface GuildMembersResult {
	readonly guildId: GuildId;
	readonly nonce: string;
	readonly members: readonly unknown[];
	readonly presences: readonly unknown[];
	readonly notFound: readonly UserId[];
	readonly chunkCount: number;
}

interface Pending {
	readonly guildId: GuildId;
	readonly shardId: number;
	readonly payload: { readonly op: number; readonly d: Record<string, unknown> };
	readonly timeout: number;
	retriesLeft: number;
	timer: ReturnType<typeof setTimeout> | undefined;
	received: number;
	readonly push: (chunk: GuildMembersChunk) => void;
	readonly fail: (error: GatewayError) => void;
}

/** Tracks op 8 requests by nonce and routes GUILD_MEMBERS_CHUNK and RATE_LIMITED to them. */
export class MemberRequests {
	readonly #pending = new Map<string, Pending>();
	readonly #send: (shardId: number, payload: { readonly op: number; readonly d: unknown }) => Promise<void>;

	public constructor(
		send: (shardId: number, payload: { readonly op: number; readonly d: unknown }) => Promise<void>,
	) {
		this.#send = send;
	}

	/** How many requests wait for chunks. */
	public get size(): number {
		return this.#pending.size;
	}

	/** Starts a request on `shardId`; chunks arrive as an async iterator. */
	public iterate(shardId: number, options: RequestGuildMembersOptions): AsyncIterableIterator<GuildMembersChunk> {
		const nonce = options.nonce ?? randomBytes(12).toString('hex');
		const bad = validate(options, nonce);
		const chunks: GuildMembersChunk[] = [];
		let failure: GatewayError | null = bad;
		let done = bad !== null;
		let wake: (() => void) | null = null;
		const notify = (): void => {
			const w = wake;
			wake = null;
			w?.();
		};
		if (bad === null) {
			const d: Record<string, unknown> = { guild_id: options.guildId, limit: options.limit ?? 0, nonce };
			if (options.userIds !== undefined) d.user_ids = options.userIds;
			else d.query = options.query ?? '';
			if (options.presences === true) d.presences = true;
			const pending: Pending = {
				guildId: options.guildId,
				shardId,
				payload: { op: GatewayOp.RequestGuildMembers, d },
				timeout: options.timeout ?? 30_000,
				retriesLeft: options.rateLimitRetries ?? 3,
				timer: undefined,
				received: 0,
				push: (chunk) => {
					chunks.push(chunk);
					if (chunk.chunkIndex + 1 >= chunk.chunkCount || pending.received >= chunk.chunkCount) {
						this.#finish(nonce);
						done = true;
					}
					notify();
				},
				fail: (error) => {
					failure = error;
					done = true;
					notify();
				},
			};
			this.#pending.set(nonce, pending);
			this.#dispatch(nonce, pending);
		}
		const finish = (): void => {
			this.#finish(nonce);
			done = true;
		};
		async function* generate(): AsyncGenerator<GuildMembersChunk, void, undefined> {
			try {
				for (;;) {
					const chunk = chunks.shift();
					if (chunk !== undefined) {
						yield chunk;
						continue;
					}
					if (failure !== null) throw failure;
					if (done) return;
					await new Promise<void>((resolve) => {
						wake = resolve;
					});
				}
			} finally {
				finish();
			}
		}
		return generate();
	}

	/** Starts a request and resolves with every chunk merged. */
	public async collect(shardId: number, options: RequestGuildMembersOptions): Promise<GuildMembersResult> {
		const members: unknown[] = [];
		const presences: unknown[] = [];
		const notFound: UserId[] = [];
		let nonce = options.nonce ?? '';
		let chunkCount = 0;
		for await (const chunk of this.iterate(shardId, options)) {
			members.push(...chunk.members);
			presences.push(...chunk.presences);
			notFound.push(...chunk.notFound);
			nonce = chunk.nonce;
			chunkCount = chunk.chunkCount;
		}
		return { guildId: options.guildId, nonce, members, presences, notFound, chunkCount };
	}

	#dispatch(nonce: string, pending: Pending): void {
		this.#arm(nonce, pending);
		this.#send(pending.shardId, pending.payload).catch((error: unknown) => {
			this.#finish(nonce);
			pending.fail(
				error instanceof GatewayError
					? error
					: GatewayError.of('GATEWAY_MEMBERS_REQUEST_FAILED', [pending.guildId], {
							cause: error,
							shardId: pending.shardId,
						}),
			);
		});
	}

	#arm(nonce: string, pending: Pending): void {
		if (pending.timer !== undefined) clearTimeout(pending.timer);
		pending.timer = setTimeout(() => {
			this.#finish(nonce);
			pending.fail(
				GatewayError.of('GATEWAY_TIMEOUT', [pending.guildId, pending.timeout], { shardId: pending.shardId }),
			);
		}, pending.timeout);
	}

	#finish(nonce: string): void {
		const pending = this.#pending.get(nonce);
		if (pending === undefined) return;
		if (pending.timer !== undefined) clearTimeout(pending.timer);
		this.#pending.delete(nonce);
	}

	/** Routes a dispatch; returns whether it belonged to a request made here. */
	public handle(t: string, d: unknown): boolean {
		if (t === 'GUILD_MEMBERS_CHUNK') {
			const nonce = stringField(d, 'nonce');
			const pending = nonce === undefined ? undefined : this.#pending.get(nonce);
			if (pending === undefined || nonce === undefined || !isRecord(d)) return false;
			pending.received++;
			this.#arm(nonce, pending);
			pending.push({
				guildId: pending.guildId,
				nonce,
				chunkIndex: numberField(d, 'chunk_index') ?? 0,
				chunkCount: numberField(d, 'chunk_count') ?? 1,
				members: isArray(d.members) ? d.members : [],
				presences: isArray(d.presences) ? d.presences : [],
				notFound: isArray(d.not_found)
					? d.not_found
							.filter((id) => typeof id === 'string' && isSnowflake(id))
							.map((id) => uncheckedSnowflake('User', String(id)))
					: [],
			});
			return true;
		}
		if (t === 'RATE_LIMITED') {
			const meta = isRecord(d) ? d.meta : undefined;
			const nonce = stringField(meta, 'nonce');
			const pending = nonce === undefined ? undefined : this.#pending.get(nonce);
			if (pending === undefined || nonce === undefined) return false;
			const retryAfter = numberField(d, 'retry_after') ?? 1;
			if (pending.retriesLeft <= 0) {
				this.#finish(nonce);
				pending.fail(
					GatewayError.of('GATEWAY_RATE_LIMITED', [pending.guildId, retryAfter], {
						shardId: pending.shardId,
						retryAfter,
					}),
				);
				return true;
			}
			pending.retriesLeft--;
			if (pending.timer !== undefined) clearTimeout(pending.timer);
			pending.timer = setTimeout(() => {
				this.#dispatch(nonce, pending);
			}, retryAfter * 1_000);
			return true;
		}
		return false;
	}

	/** Fails every pending request (the manager is being destroyed). */
	public rejectAll(error: GatewayError): void {
		for (const [nonce, pending] of [...this.#pending]) {
			this.#finish(nonce);
			pending.fail(error);
		}
	}
}

function validate(options: RequestGuildMembersOptions, nonce: string): GatewayError | null {
	if (Buffer.byteLength(nonce) > 32)
		return GatewayError.of('GATEWAY_INVALID_OPTION', ['nonce', 'of requestGuildMembers must be at most 32 bytes.']);
	if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 0)) {
		return GatewayError.of('GATEWAY_INVALID_OPTION', [
			'limit',
			`of requestGuildMembers must be a non-negative integer, got ${String(options.limit)}.`,
		]);
	}
	if (options.userIds !== undefined && options.userIds.length > 100)
		return GatewayError.of('GATEWAY_INVALID_OPTION', ['userIds', 'of requestGuildMembers takes at most 100 ids.']);
	if (options.userIds !== undefined && options.query !== undefined)
		return GatewayError.of('GATEWAY_INVALID_OPTION', [
			'userIds',
			'and `query` of requestGuildMembers exclude each other: pass one, not both.',
		]);
	return null;
}
