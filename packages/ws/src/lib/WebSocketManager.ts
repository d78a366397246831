import { registerSecret, unregisterSecret, shardIdForGuild, markClass, Emitter } from '@ovenjs/types';
import { GatewayError } from './errors/GatewayError.js';
import { GatewayDispatch } from './GatewayDispatch.js';
import type { IdentifyGrant, IdentifyThrottler } from './interfaces/IdentifyThrottler.js';
import type { ShardingStrategy } from './interfaces/ShardingStrategy.js';
import {
	MemberRequests,
	type GuildMembersChunk,
	type GuildMembersResult,
	type RequestGuildMembersOptions,
} from './MemberRequests.js';
import { simpleShardingStrategy } from './strategies/SimpleShardingStrategy.js';
import { SimpleIdentifyThrottler } from './throttlers/SimpleIdentifyThrottler.js';
import { type GatewayInformation, parseGatewayInformation } from './utils/gatewayInformation.js';
import { ReshardGate } from './utils/ReshardGate.js';
import type { ShardConfig, ShardEvent, ShardHooks, ShardSink, ShardSnapshot, ShardStatus } from './utils/types.js';
import { validateOptions } from './utils/validateOptions.js';
import { abortReason } from './utils/abort.js';
import { DefaultWebSocketManagerOptions, type WebSocketManagerOptions } from './WebSocketManagerOptions.js';

/** Start-up progress of a shard set. */
export interface ShardProgress {
	readonly identified: number;
	readonly ready: number;
	readonly total: number;
	readonly shardCount: number;
}

/** Events of {@link WebSocketManager}. */
export interface WebSocketManagerEvents {
	/** A dispatch, once, in order per shard. */
	dispatch: [event: GatewayDispatch];
	/** A shard identified and got READY. */
	ready: [event: { readonly shardId: number; readonly sessionId: string; readonly guildCount: number }];
	/** A shard resumed; `replayed` events were replayed by Discord (and delivered, without duplicates). */
	resumed: [event: { readonly shardId: number; readonly replayed: number }];
	/** A shard's connection closed. */
	closed: [
		event: {
			readonly shardId: number;
			readonly code: number;
			readonly reason: string;
			readonly willReconnect: boolean;
		},
	];
	/** An error; `fatal` ones (4004, 4010–4014) stop the shard. */
	error: [event: { readonly shardId: number; readonly error: GatewayError; readonly fatal: boolean }];
	/** Diagnostics (token redacted). */
	debug: [message: string, shardId: number | null];
	/** A heartbeat was acknowledged. */
	heartbeat: [event: { readonly shardId: number; readonly latency: number }];
	/** A shard's status changed. */
	status: [event: { readonly shardId: number; readonly status: ShardStatus }];
	/** A session could not be resumed: events after `lastSequence` that Discord will not replay are lost. */
	sessionLost: [event: { readonly shardId: number; readonly lastSequence: number | null; readonly reason: string }];
	/** Start-up progress (shards identified / ready of total). */
	progress: [progress: ShardProgress];
	/** Every shard is ready. */
	allReady: [];
	/** Live resharding progress. */
	reshard: [
		event: {
			readonly phase: 'started' | 'switched' | 'failed';
			readonly from: number;
			readonly to: number;
			readonly error?: GatewayError;
		},
	];
}

interface ShardSet {
	readonly shardCount: number;
	readonly shardIds: readonly number[];
	readonly strategy: ShardingStrategy;
	readonly identified: Set<number>;
	readonly ready: Set<number>;
	readonly guilds: Map<number, number>;
	readonly grants: Map<number, { readonly promise: Promise<void>; readonly resolve: () => void }>;
	retired: boolean;
}

const INTERNAL_EVENTS = new Set(['GUILD_MEMBERS_CHUNK', 'RATE_LIMITED']);

/**
 * The gateway client: connects the bot's shards, keeps them alive through every reconnectable failure without
 * losing or duplicating a dispatch, and reshards live when Discord asks for more shards.
 *
 * ```ts
 * const manager = new WebSocketManager({ token, intents: GatewayIntentBits.Guilds, rest });
 * manager.on('dispatch', (event) => console.log(event.shardId, event.t));
 * await manager.connect();
 * ```
 */
export class WebSocketManager extends Emitter<WebSocketManagerEvents> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'ws.WebSocketManager');
	}

	readonly #options: WebSocketManagerOptions;
	readonly #throttler: IdentifyThrottler;
	readonly #members: MemberRequests;
	readonly #wantAll: boolean;
	readonly #wantedSet: ReadonlySet<string>;
	readonly #wants: ((t: string) => boolean) | undefined;
	#active: ShardSet | null = null;
	#gate: { readonly gate: ReshardGate; readonly old: ShardSet; readonly next: ShardSet } | null = null;
	#graceTimer: ReturnType<typeof setTimeout> | undefined;
	#checkTimer: ReturnType<typeof setInterval> | undefined;
	#state: 'idle' | 'connecting' | 'ready' | 'destroyed' = 'idle';
	#maxConcurrency = 1;
	#resharding: Promise<boolean> | null = null;

	public constructor(options: WebSocketManagerOptions) {
		super();
		validateOptions(options);
		this.#options = options;
		registerSecret(options.token);
		this.#throttler =
			options.identifyThrottler ??
			new SimpleIdentifyThrottler({
				onBudgetExhausted: (ms) =>
					this.emit('debug', `Session start budget spent; identifies wait ${ms} ms for the reset.`, null),
			});
		this.#members = new MemberRequests((shardId, payload) => this.send(shardId, payload));
		const events = options.dispatchEvents ?? DefaultWebSocketManagerOptions.dispatchEvents;
		this.#wantAll = events === 'all';
		this.#wants = typeof events === 'function' ? events : undefined;
		this.#wantedSet = new Set(typeof events === 'function' || events === 'all' ? [] : events);
	}

	/** The shard count in use (after `connect`), or `null` before. */
	public get shardCount(): number | null {
		return this.#active?.shardCount ?? null;
	}

	/** The shards this manager runs. */
	public get shardIds(): readonly number[] {
		return this.#active?.shardIds ?? [];
	}

	/** Fetches and checks `GET /gateway/bot`, or `null` without a `rest` client or `fetchGatewayInformation`. */
	public async fetchGatewayInformation(): Promise<GatewayInformation | null> {
		const { rest, fetchGatewayInformation } = this.#options;
		if (fetchGatewayInformation !== undefined) return parseGatewayInformation(await fetchGatewayInformation());
		if (rest !== undefined) return parseGatewayInformation(await rest.get('/gateway/bot'));
		return null;
	}

	/** Connects every shard; resolves when all are ready. Rejects with the first fatal {@link GatewayError}. */
	public async connect(): Promise<void> {
		if (this.#state !== 'idle') throw GatewayError.of('GATEWAY_ALREADY_CONNECTED', [this.#state]);
		this.#state = 'connecting';
		const info = await this.fetchGatewayInformation();
		if (info !== null) {
			this.#maxConcurrency = info.sessionStartLimit.maxConcurrency;
			await this.#throttler.setLimits(info.sessionStartLimit);
		}
		const requested = this.#options.shardCount ?? DefaultWebSocketManagerOptions.shardCount;
		const shardCount = requested === 'auto' ? (info?.shards ?? 1) : requested;
		const maxShards = this.#options.maxShards ?? DefaultWebSocketManagerOptions.maxShards;
		if (maxShards !== null && shardCount > maxShards) {
			throw this.#refuse(
				GatewayError.of('GATEWAY_INVALID_OPTION', [
					'maxShards',
					`(${maxShards}) is lower than the ${shardCount} shards ${requested === 'auto' ? 'Discord recommends' : 'shardCount asks for'}; raise maxShards or run the shards across processes with \`shardIds\`.`,
				]),
			);
		}
		const shardIds = this.#options.shardIds ?? range(shardCount);
		for (const id of shardIds) {
			if (id >= shardCount)
				throw this.#refuse(
					GatewayError.of('GATEWAY_INVALID_OPTION', [
						'shardIds',
						`contains ${id}, but shardCount is ${shardCount}: ids must be in [0, ${shardCount}).`,
					]),
				);
		}
		// Each shard without a stored session identifies once: refuse up front what the daily budget cannot pay for.
		const limit = info?.sessionStartLimit;
		if (
			limit !== undefined &&
			this.#options.retrieveSessionInfo === undefined &&
			shardIds.length > limit.remaining
		) {
			throw this.#refuse(
				GatewayError.of('GATEWAY_SESSION_START_LIMIT', [
					shardIds.length,
					limit.remaining,
					limit.total,
					limit.resetAfter,
				]),
			);
		}
		const set = this.#createSet(shardCount, shardIds, info?.url);
		this.#active = set;
		if (this.#destroyed()) return;
		await set.strategy.connect();
		if (this.#destroyed()) return;
		this.#state = 'ready';
		this.emit('allReady');
		const threshold =
			this.#options.guildsPerShardThreshold ?? DefaultWebSocketManagerOptions.guildsPerShardThreshold;
		if ([...set.guilds.values()].some((count) => count > threshold)) void this.#checkReshard();
		const interval = this.#options.reshardCheckInterval ?? DefaultWebSocketManagerOptions.reshardCheckInterval;
		if (interval !== null) {
			this.#checkTimer = setInterval(() => {
				void this.#checkReshard();
			}, interval);
			this.#checkTimer.unref();
		}
	}

	/** connect() refused before any shard started: the manager can be connected again. */
	#refuse(error: GatewayError): GatewayError {
		if (this.#state === 'connecting') this.#state = 'idle';
		return error;
	}

	#destroyed(): boolean {
		return this.#state === 'destroyed';
	}

	#config(shardCount: number, url: string | undefined): ShardConfig {
		const o = this.#options;
		const d = DefaultWebSocketManagerOptions;
		return {
			token: o.token,
			intents: o.intents,
			shardCount,
			gatewayUrl: url ?? o.gatewayUrl ?? d.gatewayUrl,
			compression: o.compression ?? d.compression,
			largeThreshold: o.largeThreshold ?? d.largeThreshold,
			presence: o.presence,
			identifyProperties: o.identifyProperties ?? d.identifyProperties,
			handshakeTimeout: o.handshakeTimeout ?? d.handshakeTimeout,
			helloTimeout: o.helloTimeout ?? d.helloTimeout,
			readyTimeout: o.readyTimeout ?? d.readyTimeout,
			maxPayloadSize: o.maxPayloadSize ?? d.maxPayloadSize,
			decompressor: o.decompressor ?? d.decompressor,
			reconnectBackoff: o.reconnectBackoff ?? d.reconnectBackoff,
		};
	}

	#createSet(shardCount: number, shardIds: readonly number[], url: string | undefined): ShardSet {
		const grants: ShardSet['grants'] = new Map();
		for (const id of shardIds) {
			let resolve = (): void => undefined;
			const promise = new Promise<void>((r) => {
				resolve = r;
			});
			grants.set(id, { promise, resolve });
		}
		const factory = this.#options.strategy ?? simpleShardingStrategy;
		const set: ShardSet = {
			shardCount,
			shardIds: [...shardIds].sort((a, b) => a - b),
			identified: new Set(),
			ready: new Set(),
			guilds: new Map(),
			grants,
			retired: false,
			strategy: factory({
				shardIds,
				config: this.#config(shardCount, url),
				hooks: this.#hooks(() => set),
				sink: this.#sink(() => set),
			}),
		};
		return set;
	}

	#hooks(set: () => ShardSet): ShardHooks {
		const update = this.#options.updateSessionInfo;
		return {
			waitForIdentify: async (shardId, signal) => {
				const s = set();
				const grant = s.grants.get(shardId);
				const previous = s.shardIds
					.filter((id) => id < shardId && id % this.#maxConcurrency === shardId % this.#maxConcurrency)
					.at(-1);
				const before = previous === undefined ? undefined : s.grants.get(previous);
				if (before !== undefined) await abortable(before.promise, signal);
				const granted = await this.#throttler.waitForIdentify(shardId, signal);
				grant?.resolve();
				return isIdentifyGrant(granted) ? granted : UNREPORTED_GRANT;
			},
			retrieveSessionInfo: this.#options.retrieveSessionInfo,
			// A set retired by a reshard must not overwrite (or clear) the sessions of the set that replaced it.
			updateSessionInfo:
				update === undefined
					? undefined
					: (shardId, info) => (set().retired ? undefined : update(shardId, info)),
			wants: (t) => this.#wanted(t) || INTERNAL_EVENTS.has(t) || (t === 'GUILD_CREATE' && this.#gate !== null),
			dispatchFilter: {
				all: this.#wantAll || this.#wants !== undefined,
				events: [...this.#wantedSet, ...INTERNAL_EVENTS, 'GUILD_CREATE'],
				dynamic: this.#wants !== undefined,
			},
			forwardRaw: false,
			extensions: this.#options.extensions,
		};
	}

	#sink(set: () => ShardSet): ShardSink {
		return {
			dispatch: (shardId, t, s, raw, payload) => {
				const event = new GatewayDispatch(shardId, t, s, raw, payload);
				const gate = this.#gate;
				if (gate !== null) {
					const from = set();
					if (from === gate.old && !gate.gate.fromOld(event)) return;
					if (from === gate.next && !gate.gate.fromNew(event)) return;
				} else if (set() !== this.#active) return;
				this.#deliver(event);
			},
			event: (event) => {
				this.#onShardEvent(set(), event);
			},
		};
	}

	#deliver(event: GatewayDispatch): void {
		if (
			this.#members.size > 0 &&
			INTERNAL_EVENTS.has(event.t) &&
			this.#members.handle(event.t, event.d) &&
			!this.#wanted(event.t)
		)
			return;
		if (this.#wanted(event.t)) this.emit('dispatch', event);
	}

	/** Whether the application wants dispatch `t` (see {@link WebSocketManagerOptions.dispatchEvents}). */
	#wanted(t: string): boolean {
		return this.#wantAll || this.#wantedSet.has(t) || (this.#wants?.(t) ?? false);
	}

	#onShardEvent(set: ShardSet, event: ShardEvent): void {
		const current =
			set === this.#active && (this.#gate === null || this.#gate.gate.switched || set !== this.#gate.next);
		const next = this.#gate !== null && set === this.#gate.next && !this.#gate.gate.switched;
		if (!current && !next) {
			if (event.type === 'debug') this.emit('debug', `[old shard set] ${event.message}`, event.shardId);
			return;
		}
		const label = next ? `[reshard ${set.shardCount}] ` : '';
		switch (event.type) {
			case 'identifying':
				if (!set.identified.has(event.shardId)) {
					set.identified.add(event.shardId);
					this.#progress(set);
				}
				break;
			case 'ready':
				set.guilds.set(event.shardId, event.guildCount);
				set.grants.get(event.shardId)?.resolve();
				set.identified.add(event.shardId);
				set.ready.add(event.shardId);
				this.#progress(set);
				if (next) this.emit('debug', `${label}shard ${event.shardId} ready`, event.shardId);
				else {
					this.emit('ready', {
						shardId: event.shardId,
						sessionId: event.sessionId,
						guildCount: event.guildCount,
					});
					if (
						event.guildCount >
							(this.#options.guildsPerShardThreshold ??
								DefaultWebSocketManagerOptions.guildsPerShardThreshold) &&
						this.#state === 'ready'
					)
						void this.#checkReshard();
				}
				break;
			case 'resumed':
				set.grants.get(event.shardId)?.resolve();
				if (!set.ready.has(event.shardId)) {
					set.ready.add(event.shardId);
					this.#progress(set);
				}
				if (!next) this.emit('resumed', { shardId: event.shardId, replayed: event.replayed });
				break;
			case 'closed':
				if (!next) this.emit('closed', event);
				break;
			case 'heartbeat':
				if (!next) this.emit('heartbeat', event);
				break;
			case 'status':
				if (!next) this.emit('status', event);
				break;
			case 'sessionLost':
				if (!next) this.emit('sessionLost', event);
				break;
			case 'debug':
				this.emit('debug', label + event.message, event.shardId);
				break;
			case 'error':
				if (event.fatal) set.grants.get(event.shardId)?.resolve();
				this.emit('error', { shardId: event.shardId, error: event.error, fatal: event.fatal });
				break;
		}
	}

	#progress(set: ShardSet): void {
		if (this.#gate !== null && set === this.#gate.next) return;
		this.emit('progress', {
			identified: set.identified.size,
			ready: set.ready.size,
			total: set.shardIds.length,
			shardCount: set.shardCount,
		});
	}

	/** Queues a payload on a shard (sent once it is ready, within Discord's send limit). */
	public send(shardId: number, payload: { readonly op: number; readonly d: unknown }): Promise<void> {
		const set = this.#active;
		if (set === null || this.#state === 'destroyed')
			return Promise.reject(
				GatewayError.of('GATEWAY_NOT_CONNECTED', ['send()', 'the manager is not connected'], { shardId }),
			);
		return set.strategy.send(shardId, payload);
	}

	/** Requests guild members (op 8) and resolves with every chunk merged. */
	public requestGuildMembers(options: RequestGuildMembersOptions): Promise<GuildMembersResult> {
		return this.#members.collect(this.#shardOf(options), options);
	}

	/** Requests guild members (op 8) and yields each GUILD_MEMBERS_CHUNK as it arrives. */
	public requestGuildMembersIterator(options: RequestGuildMembersOptions): AsyncIterableIterator<GuildMembersChunk> {
		return this.#members.iterate(this.#shardOf(options), options);
	}

	#shardOf(options: RequestGuildMembersOptions): number {
		const count = this.#active?.shardCount;
		if (count === undefined)
			throw GatewayError.of('GATEWAY_NOT_CONNECTED', ['requestGuildMembers()', 'the manager is not connected']);
		return shardIdForGuild(options.guildId, count);
	}

	/** A snapshot of every shard: status, latency, sequence and counters. */
	public async fetchStatus(): Promise<ShardSnapshot[]> {
		return (await this.#active?.strategy.fetchStatus()) ?? [];
	}

	/**
	 * Reshards live: starts `shardCount` shards (default: Discord's recommendation) beside the current ones,
	 * waits until they are ready, switches dispatch over and closes the old set, without losing or duplicating
	 * an event. Resolves `false` when no more shards are needed.
	 */
	public reshard(shardCount?: number): Promise<boolean> {
		this.#resharding ??= this.#reshard(shardCount).finally(() => {
			this.#resharding = null;
		});
		return this.#resharding;
	}

	async #reshard(requested: number | undefined): Promise<boolean> {
		const old = this.#active;
		if (old === null || this.#state !== 'ready') throw GatewayError.of('GATEWAY_RESHARD_FAILED', ['not-connected']);
		if (this.#options.shardIds !== undefined)
			throw GatewayError.of('GATEWAY_RESHARD_FAILED', ['partial-shard-ids']);
		if (requested !== undefined && (!Number.isInteger(requested) || requested < 1))
			throw GatewayError.of('GATEWAY_INVALID_OPTION', [
				'reshard(shardCount)',
				`takes a positive integer, got ${String(requested)}.`,
			]);
		const info = await this.fetchGatewayInformation();
		if (info !== null) await this.#throttler.setLimits(info.sessionStartLimit);
		const threshold =
			this.#options.guildsPerShardThreshold ?? DefaultWebSocketManagerOptions.guildsPerShardThreshold;
		const guilds = [...old.guilds.values()].reduce((a, b) => a + b, 0);
		const target = requested ?? Math.max(info?.shards ?? 1, Math.ceil(guilds / threshold));
		if (target <= old.shardCount) return false;
		this.emit('reshard', { phase: 'started', from: old.shardCount, to: target });
		const next = this.#createSet(target, range(target), info?.url);
		const gate = new ReshardGate();
		this.#gate = { gate, old, next };
		try {
			await next.strategy.connect();
		} catch (error) {
			this.#gate = null;
			await next.strategy.destroy();
			const failure =
				error instanceof GatewayError
					? error
					: GatewayError.of('GATEWAY_RESHARD_FAILED', ['connect-failed'], { cause: error });
			this.emit('reshard', { phase: 'failed', from: old.shardCount, to: target, error: failure });
			throw failure;
		}
		if (this.#destroyed()) {
			await next.strategy.destroy();
			return false;
		}
		this.#active = next;
		old.retired = true;
		for (const event of gate.switchOver()) this.#deliver(event);
		this.emit(
			'debug',
			`Reshard ${old.shardCount} → ${target}: switched; ${gate.duplicatesSkipped} duplicates skipped, ${gate.syncSuppressed} state-sync events suppressed.`,
			null,
		);
		this.emit('reshard', { phase: 'switched', from: old.shardCount, to: target });
		await old.strategy.destroy();
		this.#graceTimer = setTimeout(() => {
			if (this.#gate?.gate === gate) this.#gate = null;
		}, 30_000);
		this.#graceTimer.unref();
		return true;
	}

	async #checkReshard(): Promise<void> {
		if (this.#resharding !== null || this.#state !== 'ready') return;
		try {
			await this.reshard();
		} catch (error) {
			this.emit('debug', `Reshard check failed: ${error instanceof Error ? error.message : String(error)}`, null);
		}
	}

	/**
	 * Closes every shard and fails pending member requests. `keepSession` keeps the sessions resumable (and
	 * persisted through `updateSessionInfo`) so the next process resumes instead of identifying.
	 */
	public async destroy(options: { readonly keepSession?: boolean } = {}): Promise<void> {
		if (this.#state === 'destroyed') return;
		this.#state = 'destroyed';
		if (this.#checkTimer !== undefined) clearInterval(this.#checkTimer);
		if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
		this.#members.rejectAll(GatewayError.of('GATEWAY_DESTROYED', ['The manager']));
		const sets = [this.#active, this.#gate?.next].filter((s): s is ShardSet => s !== null && s !== undefined);
		this.#gate = null;
		await Promise.all([...new Set(sets)].map((set) => set.strategy.destroy(options)));
		unregisterSecret(this.#options.token);
	}

	/** Keeps the token out of `console.log(manager)`. */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `WebSocketManager { shardCount: ${String(this.shardCount)}, state: '${this.#state}' }`;
	}
}

function range(count: number): number[] {
	return Array.from({ length: count }, (_, i) => i);
}

/** The grant of a throttler that times windows from the grant: reports change nothing. */
const UNREPORTED_GRANT: IdentifyGrant = { sent: () => Promise.resolve(), notSent: () => Promise.resolve() };

function isIdentifyGrant(value: unknown): value is IdentifyGrant {
	return (
		typeof value === 'object' &&
		value !== null &&
		'sent' in value &&
		typeof value.sent === 'function' &&
		'notSent' in value &&
		typeof value.notSent === 'function'
	);
}

function abortable(promise: Promise<void>, signal: AbortSignal): Promise<void> {
	if (signal.aborted) return Promise.reject(abortReason(signal));
	return new Promise<void>((resolve, reject) => {
		const onAbort = (): void => {
			reject(abortReason(signal));
		};
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			() => {
				signal.removeEventListener('abort', onAbort);
				resolve();
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error instanceof Error ? error : abortReason(signal));
			},
		);
	});
}
