import { inspect } from 'node:util';
import {
	ApplicationCommandType,
	GatewayIntentBits,
	type APIMessage,
	type RESTPostAPIChannelMessageJSONBody,
	type RESTPutAPIApplicationCommandsJSONBody,
	type RESTPutAPIApplicationGuildCommandsJSONBody,
	type RESTPutAPIApplicationGuildCommandsResult,
} from 'discord-api-types/v10';
import { EntityCache } from '@ovenjs/cache';
import type { PluginManager } from '@ovenjs/plugins';
import { REST } from '@ovenjs/rest';
import { StateStore } from '@ovenjs/state';
import { WebSocketManager, type GatewayDispatch } from '@ovenjs/ws';
import {
	getValidationMode,
	hasPermission,
	parsePayload,
	permissionNames,
	resolvePermissions,
	redactSecrets,
	registerSecret,
	unregisterSecret,
	type ApplicationId,
	type ChannelId,
	type GuildId,
	type PermissionBits,
	type PermissionResolvable,
	type UserId,
	type ValidationMode,
	type ValidationSampling,
	markClass,
	Emitter,
	type Listener,
	type ListenerFailurePhase,
} from '@ovenjs/types';
import { Api } from '../api/generated/Api.js';
import { ExtensionBus } from '../bus/ExtensionBus.js';
import type { DispatchEnvelope } from '../bus/points.js';
import type { ContextMenuCommandBuilder, SlashCommandBuilder } from '../builders/commands.js';
import { CoreError } from '../errors/CoreError.js';
import { composePlugins } from './ClientPlugins.js';
import {
	DefaultClientOptions,
	DefaultClientStateOptions,
	type ClientEvents,
	type ClientAppState,
	type ClientOptions,
	type ClientStateOptions,
} from './ClientOptions.js';
import { DispatchValidator } from './DispatchValidator.js';
import { EventPipeline, type RecordedDispatch } from './EventPipeline.js';
import { permissionsFromCache } from './permissions.js';
import { ReadyTracker } from './ReadyTracker.js';
import { announceText, audience, EventPoints, HANDLERS, LISTENERS, ROUTED_DISPATCHES } from './announcements.js';
import { reportInvalid, routeDispatch } from './routes.js';
import { ReadySchema } from './schemas.js';
import { checked } from './DispatchValidator.js';

/** A command for {@link Client.registerCommands}: a builder or a payload. */
export type CommandInput =
	SlashCommandBuilder | ContextMenuCommandBuilder | RESTPutAPIApplicationCommandsJSONBody[number];

type ClientState = 'idle' | 'connecting' | 'ready' | 'destroyed';

const VALIDATION_MODES: ReadonlySet<unknown> = new Set<ValidationMode>(['full', 'sampled', 'off']);

function validationOf(options: ClientOptions): ValidationMode {
	const mode = options.validation ?? getValidationMode();
	if (!VALIDATION_MODES.has(mode))
		throw CoreError.of('CORE_INVALID_OPTION', [
			'ClientOptions.validation',
			"'sampled', 'full' or 'off'",
			JSON.stringify(mode),
		]);
	return mode;
}

function samplingOf(options: ClientOptions): ValidationSampling {
	const sampling = { ...DefaultClientOptions.validationSampling, ...options.validationSampling };
	if (!Number.isSafeInteger(sampling.first) || sampling.first < 0) {
		throw CoreError.of('CORE_INVALID_OPTION', [
			'ClientOptions.validationSampling.first',
			'a non-negative integer',
			String(sampling.first),
		]);
	}
	if (!Number.isSafeInteger(sampling.every) || sampling.every < 1) {
		throw CoreError.of('CORE_INVALID_OPTION', [
			'ClientOptions.validationSampling.every',
			'a positive integer (1 validates every dispatch)',
			String(sampling.every),
		]);
	}
	return sampling;
}

function waitGuildTimeoutOf(options: ClientOptions): number {
	const timeout = options.waitGuildTimeout ?? DefaultClientOptions.waitGuildTimeout;
	if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
		throw CoreError.of('CORE_INVALID_OPTION', [
			'ClientOptions.waitGuildTimeout',
			'a number of milliseconds >= 0',
			String(timeout),
		]);
	}
	return timeout;
}

/**
 * Without `state`, the store starts empty: {@link ClientAppState} is only augmented together with passing its
 * `initial` value, so an empty object is a value of the un-augmented interface.
 */
function isClientAppState(_value: object): _value is ClientAppState {
	return true;
}

function stateOf(options: ClientStateOptions | undefined, bus: ExtensionBus): StateStore<ClientAppState> {
	const initial: unknown = options?.initial ?? {};
	if (typeof initial !== 'object' || initial === null || !isClientAppState(initial)) {
		throw CoreError.of('CORE_INVALID_OPTION', [
			'ClientOptions.state.initial',
			'the initial state object (of your ClientAppState shape)',
			initial === null ? 'null' : typeof initial,
		]);
	}
	return new StateStore<ClientAppState>(initial, {
		name: options?.name ?? DefaultClientStateOptions.name,
		emitter: bus,
		...(options?.persist === undefined ? {} : { persist: options.persist }),
		...(options?.sync === undefined ? {} : { sync: options.sync }),
		historyLimit: options?.historyLimit ?? DefaultClientStateOptions.historyLimit,
	});
}

/** Guild commands cannot carry install contexts, and the primary entry point command is global only. */
function toGuildCommands(body: RESTPutAPIApplicationCommandsJSONBody): RESTPutAPIApplicationGuildCommandsJSONBody {
	const out: RESTPutAPIApplicationGuildCommandsJSONBody = [];
	for (const command of body) {
		if (command.type === ApplicationCommandType.PrimaryEntryPoint) {
			throw CoreError.of('CORE_ENTRY_POINT_GLOBAL_ONLY', [command.name]);
		}
		const { contexts: _contexts, integration_types: _integrationTypes, ...rest } = command;
		out.push(rest);
	}
	return out;
}

/**
 * The OvenJS client: composes `@ovenjs/rest`, `@ovenjs/ws` and `@ovenjs/cache` through one {@link ExtensionBus}.
 *
 * @example
 * ```ts
 * const client = new Client({ token: process.env.DISCORD_TOKEN, intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent });
 * client.on('messageCreate', async (message) => {
 *   if (message.content === '!ping') await message.reply(`pong (${message.latency} ms)`);
 * });
 * await client.login();
 * ```
 */
export class Client extends Emitter<ClientEvents> {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'core.Client');
	}

	/** The REST client all requests go through. */
	public readonly rest: REST;
	/** `client.api.<resource>.<operation>(...)`: every operation of Discord's HTTP API, typed. */
	public readonly api: Api;
	/** The entity cache, fed by every dispatch. An empty cache when the `cache` option is `false`. */
	public readonly cache: EntityCache;
	/** The gateway event pipeline: filters, transformers, batches, record/replay. */
	public readonly pipeline: EventPipeline;
	/**
	 * Application state (`@ovenjs/state`): a typed store of {@link ClientAppState} (declare its shape by augmenting that
	 * interface), observable on the bus as `state:*`; plugins take slices of it with `state.namespace(key)`.
	 */
	public readonly state: StateStore<ClientAppState>;
	/** Plugins (`@ovenjs/plugins`): `load`, `unload`, `reload`, `list`, `get`; see `ClientOptions.plugins`. */
	public readonly plugins: PluginManager;
	readonly #bus: ExtensionBus;
	readonly #options: ClientOptions;
	readonly #token: string;
	readonly #cacheEnabled: boolean;
	readonly #latencies = new Map<number, number>();
	readonly #validator: DispatchValidator;
	readonly #waitGuildTimeout: number;
	/** Tracks the announced guilds from `login()` to `ready`; `undefined` otherwise (nothing to do per dispatch). */
	#readiness: ReadyTracker | undefined;
	#state: ClientState = 'idle';
	#loginStarted = 0;
	#gateway: WebSocketManager | undefined;
	#userId: UserId | undefined;
	#applicationId: ApplicationId | undefined;

	/** @throws {@link CoreError} `CORE_INVALID_OPTION` when the token or intents are missing or malformed. */
	public constructor(options: ClientOptions) {
		super();
		const bus = options.bus ?? new ExtensionBus();
		this.#bus = bus;
		if (typeof options.token !== 'string' || options.token.trim() === '') {
			// Never shows what was passed: it may be a token.
			throw CoreError.of('CORE_INVALID_OPTION', [
				'ClientOptions.token',
				'your bot token (a non-empty string; find it under Bot in the Discord developer portal)',
			]);
		}
		if (!Number.isInteger(options.intents) || options.intents < 0) {
			throw CoreError.of('CORE_INVALID_OPTION', [
				'ClientOptions.intents',
				'a non-negative integer bit field (GatewayIntentBits)',
				String(options.intents),
			]);
		}
		this.#validator = new DispatchValidator(validationOf(options), samplingOf(options));
		this.#waitGuildTimeout = waitGuildTimeoutOf(options);
		this.#token = options.token.replace(/^Bot\s+/i, '');
		registerSecret(this.#token);
		this.#options = options;
		this.rest = new REST({ ...options.rest, token: this.#token, emitter: bus });
		this.api = new Api(this.rest);
		this.#cacheEnabled = options.cache !== false;
		// Dispatches reach the cache after the client's validator checked them: no second validation there.
		this.cache = new EntityCache(
			options.cache === false ? { flags: 0 } : { ...options.cache, emitter: bus, validation: 'checked' },
		);
		this.pipeline = new EventPipeline(bus);
		this.state = stateOf(options.state, bus);
		this.plugins = composePlugins(this, this.#token, options.plugins);
		if (bus.has('lifecycle:init'))
			bus.emit('lifecycle:init', { intents: options.intents, shardCount: this.#shardCountOption() });
	}

	/** The gateway manager (created by `login()`, `undefined` before and after a failed login). */
	public get gateway(): WebSocketManager | undefined {
		return this.#gateway;
	}

	/** The bot user's ID (known once `login()` fetched the bot user; set again by READY). */
	public get userId(): UserId | undefined {
		return this.#userId;
	}

	/** The application's ID (after the first READY). */
	public get applicationId(): ApplicationId | undefined {
		return this.#applicationId;
	}

	/** The extension bus (register plugins' handlers here). */
	public get extensions(): ExtensionBus {
		return this.#bus;
	}

	/** Whether `login()` completed and `destroy()` was not called. */
	public get isReady(): boolean {
		return this.#state === 'ready';
	}

	/** The average heartbeat round trip over the shards, in ms (`undefined` before the first ACK). */
	public get ping(): number | undefined {
		if (this.#latencies.size === 0) return undefined;
		let total = 0;
		for (const latency of this.#latencies.values()) total += latency;
		return Math.round(total / this.#latencies.size);
	}

	/**
	 * Connects every shard and resolves once the client is ready: every shard got READY (`shardsReady`) and every
	 * guild READY announced arrived, or `waitGuildTimeout` ran out (`ready` fires first, with the missing guilds).
	 * @throws {@link CoreError} `CORE_ALREADY_LOGGED_IN` / `CORE_DESTROYED`; REST and gateway errors (a bad token
	 * fails here with the REST package's 401 error, redacted).
	 */
	public async login(): Promise<void> {
		if (this.#state === 'destroyed') throw CoreError.of('CORE_DESTROYED', ['before login()']);
		if (this.#state !== 'idle') throw CoreError.of('CORE_ALREADY_LOGGED_IN', []);
		this.#state = 'connecting';
		this.#loginStarted = Date.now();
		const bus = this.#bus;
		const auth = { kind: 'rest' as const, shardId: undefined };
		if (bus.has('security:authAttempt')) bus.emit('security:authAttempt', auth);
		try {
			const me = await this.api.users.getMyUser();
			this.#userId = parsePayload('User', me).id;
		} catch (error) {
			if (this.#current() !== 'destroyed') this.#state = 'idle';
			if (bus.has('security:authFailure')) bus.emit('security:authFailure', auth, error);
			throw error;
		}
		if (bus.has('security:authSuccess')) bus.emit('security:authSuccess', auth);
		if (this.#current() === 'destroyed') throw CoreError.of('CORE_DESTROYED', ['while logging in']);
		if (bus.has('client:beforeConnect'))
			await bus.emitAsync('client:beforeConnect', {
				intents: this.#options.intents,
				shardCount: this.#shardCountOption(),
			});
		const gateway = new WebSocketManager({
			...this.#options.gateway,
			token: this.#token,
			intents: this.#options.intents,
			rest: this.rest,
			extensions: bus,
			dispatchEvents: this.#options.gateway?.dispatchEvents ?? ((t) => this.#wants(t)),
		});
		this.#gateway = gateway;
		const readiness = new ReadyTracker();
		this.#readiness = readiness;
		this.#wire(gateway);
		const allReady = new Promise<void>((resolve, reject) => {
			gateway.once('allReady', resolve);
			gateway.on('error', ({ error, fatal }) => {
				if (fatal && this.#state === 'connecting') reject(error);
			});
		});
		try {
			await Promise.all([gateway.connect(), allReady]);
		} catch (error) {
			this.#readiness = undefined;
			await gateway.destroy().catch(() => undefined);
			this.#gateway = undefined;
			// A destroy() during login stays destroyed; any other failure lets the caller retry.
			if (this.#current() !== 'destroyed') this.#state = 'idle';
			throw error;
		}
		// destroy() may have run while the shards connected.
		if (this.#current() === 'destroyed') return;
		this.emit('shardsReady', {
			shardIds: gateway.shardIds,
			guildCount: readiness.announced,
			durationMs: Date.now() - this.#loginStarted,
		});
		// Without the Guilds intent Discord sends no GUILD_CREATE: nothing to wait for.
		const waitMs = (this.#options.intents & GatewayIntentBits.Guilds) === 0 ? 0 : this.#waitGuildTimeout;
		const { missingGuildIds } = await readiness.wait(waitMs);
		this.#readiness = undefined;
		if (this.#current() === 'destroyed') return;
		this.#state = 'ready';
		if (missingGuildIds.length > 0 && waitMs > 0) {
			const shown = missingGuildIds.slice(0, 10).join(', ');
			const text = `${missingGuildIds.length} of ${readiness.announced} guilds announced in READY did not arrive within waitGuildTimeout (${waitMs} ms): ${shown}${missingGuildIds.length > 10 ? ', ...' : ''}. They stay unavailable in the cache until their GUILD_CREATE.`;
			announceText(this, bus, 'warn', text);
		}
		const guildCount = this.cache.guildIds().length;
		const durationMs = Date.now() - this.#loginStarted;
		this.emit('ready', { guildCount, durationMs, missingGuildIds });
		const userId = this.#userId;
		const applicationId = this.#applicationId;
		if (applicationId !== undefined && (bus.has('client:ready') || bus.has('client:afterConnect'))) {
			const info = { userId, applicationId, guildCount, shardIds: gateway.shardIds, durationMs };
			bus.emit('client:ready', info);
			bus.emit('client:afterConnect', info);
		}
	}

	/**
	 * Closes every shard, delivers buffered batches, finishes the recording and drains REST. Safe to call twice.
	 */
	public async destroy(): Promise<void> {
		if (this.#state === 'destroyed') return;
		const bus = this.#bus;
		const info = { reason: 'destroy' };
		if (bus.has('client:beforeDisconnect')) await bus.emitAsync('client:beforeDisconnect', info);
		this.#state = 'destroyed';
		this.#readiness?.cancel();
		await this.gateway?.destroy();
		await this.pipeline.close();
		await this.rest.destroy();
		this.cache.destroy();
		await this.state.destroy();
		unregisterSecret(this.#token);
		if (bus.has('lifecycle:shutdown')) bus.emit('lifecycle:shutdown', info);
		if (bus.has('client:afterDisconnect')) bus.emit('client:afterDisconnect', info);
	}

	/** Sends a message, after the `message:beforeSend` waterfall; emits `message:afterSend`. */
	public async send(channelId: ChannelId, body: string | RESTPostAPIChannelMessageJSONBody): Promise<APIMessage> {
		const initial: RESTPostAPIChannelMessageJSONBody = typeof body === 'string' ? { content: body } : body;
		const bus = this.#bus;
		const final = bus.has('message:beforeSend')
			? await bus.transform('message:beforeSend', initial, channelId)
			: initial;
		const message = await this.api.channels.createMessage(channelId, final);
		if (bus.has('message:afterSend')) bus.emit('message:afterSend', message);
		return message;
	}

	/**
	 * A member's permissions from the entity cache (guild level, or in `channelId` with its overwrites);
	 * `undefined` when the guild, member or channel is not cached.
	 */
	public permissionsIn(guildId: GuildId, userId: UserId, channelId?: ChannelId): PermissionBits | undefined {
		return permissionsFromCache(this.cache, guildId, userId, channelId);
	}

	/**
	 * Whether a member has `required` (from the entity cache); `undefined` when the cache cannot tell.
	 * Reports every decided check on `security:permissionCheck`.
	 */
	public can(
		guildId: GuildId,
		userId: UserId,
		required: PermissionResolvable,
		channelId?: ChannelId,
	): boolean | undefined {
		const bits = this.permissionsIn(guildId, userId, channelId);
		if (bits === undefined) return undefined;
		const allowed = hasPermission(bits, required);
		if (this.#bus.has('security:permissionCheck')) {
			this.#bus.emit('security:permissionCheck', {
				guildId,
				channelId,
				userId,
				required: permissionNames(resolvePermissions(required)),
				allowed,
			});
		}
		return allowed;
	}

	/**
	 * Replaces the application's commands (globally, or in one guild) in a single bulk request.
	 * @throws {@link CoreError} `CORE_NOT_LOGGED_IN` before `ready` (the application ID is unknown);
	 * `CORE_ENTRY_POINT_GLOBAL_ONLY` for an entry point command with a `guildId`;
	 * `BuilderValidationError` when a builder breaks a limit.
	 */
	public async registerCommands(
		commands: readonly CommandInput[],
		guildId?: GuildId,
	): Promise<RESTPutAPIApplicationGuildCommandsResult> {
		const applicationId = this.applicationId;
		if (applicationId === undefined) throw CoreError.of('CORE_NOT_LOGGED_IN', ['registerCommands()']);
		const initial: RESTPutAPIApplicationCommandsJSONBody = commands.map((command) =>
			'toJSON' in command ? command.toJSON() : command,
		);
		const bus = this.#bus;
		const body = bus.has('command:beforeRegister')
			? await bus.transform('command:beforeRegister', initial, guildId)
			: initial;
		const result =
			guildId === undefined
				? await this.api.applications.bulkSetApplicationCommands(applicationId, body)
				: await this.api.applications.bulkSetGuildApplicationCommands(
						applicationId,
						guildId,
						toGuildCommands(body),
					);
		if (bus.has('command:afterRegister')) bus.emit('command:afterRegister', result.length, guildId);
		return result;
	}

	/**
	 * Feeds recorded dispatches (a file written by `client.pipeline.record()`, or the events themselves) through
	 * the pipeline, cache and events exactly as live ones. Works without `login()`.
	 * @param options.speed - `0` (default) replays at once; `1` keeps the recorded timing; `2` twice as fast.
	 */
	public async replay(
		source: string | readonly RecordedDispatch[],
		options: { readonly speed?: number } = {},
	): Promise<number> {
		const events = typeof source === 'string' ? await EventPipeline.readRecording(source) : source;
		const speed = options.speed ?? 0;
		if (!Number.isFinite(speed) || speed < 0)
			throw CoreError.of('CORE_INVALID_OPTION', [
				'replay() options.speed',
				'0 (instant) or a positive number',
				String(speed),
			]);
		let previous = events[0]?.at ?? 0;
		for (const event of events) {
			if (this.#state === 'destroyed') break;
			if (speed > 0 && event.at > previous)
				await new Promise((resolve) => setTimeout(resolve, (event.at - previous) / speed));
			previous = event.at;
			this.#handle({ t: event.t, d: event.d, s: event.s, shardId: event.shardId });
		}
		return events.length;
	}

	#identify(d: unknown): void {
		if (!checked(ReadySchema, d)) return;
		this.#userId = d.user.id;
		this.#applicationId = d.application.id;
	}

	#current(): ClientState {
		return this.#state;
	}

	#shardCountOption(): number | undefined {
		const count = this.#options.gateway?.shardCount;
		return typeof count === 'number' ? count : undefined;
	}

	#wire(gateway: WebSocketManager): void {
		const bus = this.#bus;
		gateway.on('dispatch', (dispatch: GatewayDispatch) => {
			this.#handle({ t: dispatch.t, d: dispatch.d, s: dispatch.s ?? 0, shardId: dispatch.shardId });
		});
		gateway.on('progress', (progress) => {
			this.emit('shardProgress', progress);
		});
		gateway.on('ready', ({ shardId, guildCount }) => {
			const to = audience(this, bus, 'shardReady');
			if ((to & LISTENERS) !== 0) this.emit('shardReady', { shardId, guildCount });
			if ((to & HANDLERS) !== 0)
				bus.emit(EventPoints.shardReady, { shardId, shardCount: gateway.shardCount ?? 1 });
		});
		gateway.on('resumed', ({ shardId, replayed }) => {
			const to = audience(this, bus, 'shardResume');
			if ((to & LISTENERS) !== 0) this.emit('shardResume', { shardId, replayed });
			if ((to & HANDLERS) !== 0)
				bus.emit(EventPoints.shardResume, {
					shardId,
					shardCount: gateway.shardCount ?? 1,
					detail: `${replayed} replayed`,
				});
		});
		gateway.on('closed', ({ shardId, code, reason, willReconnect }) => {
			const to = audience(this, bus, 'shardDisconnect');
			if ((to & LISTENERS) !== 0) this.emit('shardDisconnect', { shardId, code, reason, willReconnect });
			if ((to & HANDLERS) !== 0)
				bus.emit(EventPoints.shardDisconnect, {
					shardId,
					shardCount: gateway.shardCount ?? 1,
					detail: `${code} ${reason}`,
				});
		});
		gateway.on('heartbeat', ({ shardId, latency }) => {
			this.#latencies.set(shardId, latency);
			if (bus.has('metrics:gauge'))
				bus.emit('metrics:gauge', {
					name: 'ovenjs.gateway.latency',
					value: latency,
					labels: { shard: String(shardId) },
				});
		});
		gateway.on('error', ({ error, fatal }) => {
			if (fatal) {
				if (error.code === 'GATEWAY_AUTHENTICATION_FAILED' && bus.has('security:authFailure'))
					bus.emit('security:authFailure', { kind: 'identify', shardId: undefined }, error);
				this.emit('fatal', error);
			}
			this.emit('error', error);
		});
		gateway.on('debug', (message, shardId) => {
			if (audience(this, bus, 'debug') === 0) return;
			announceText(
				this,
				bus,
				'debug',
				redactSecrets(shardId === null ? message : `[shard ${shardId}] ${message}`, this.#token),
			);
		});
		gateway.on('sessionLost', ({ shardId, reason }) => {
			announceText(
				this,
				bus,
				'warn',
				`Shard ${shardId} could not resume (${reason}); events while it was away may be missing.`,
			);
		});
	}

	/**
	 * Whether a dispatch is of use to anyone: the cache or the client's own events use it, or something sees every
	 * dispatch (a `raw` listener, the pipeline, a dispatch or metrics point). The gateway skips the others without
	 * parsing them; the answer follows listeners as they come and go.
	 */
	#wants(t: string): boolean {
		if (ROUTED_DISPATCHES.has(t) || (this.#cacheEnabled && EntityCache.events.has(t))) return true;
		const bus = this.#bus;
		return (
			this.listenerCount('raw') > 0 ||
			this.pipeline.active ||
			bus.has('gateway:beforeDispatch') ||
			bus.has('gateway:afterDispatch') ||
			bus.has('metrics:counter')
		);
	}

	#handle(incoming: DispatchEnvelope): void {
		const event = this.pipeline.process(incoming);
		if (event === undefined) return;
		// Before the validator: a guild whose GUILD_CREATE is unusable still arrived (ready does not wait for it).
		this.#readiness?.observe(event);
		const rejection = this.#validator.check(event);
		if (rejection !== undefined) {
			reportInvalid(this, event, rejection);
			return;
		}
		const bus = this.#bus;
		if (bus.has('metrics:counter'))
			bus.emit('metrics:counter', { name: 'ovenjs.gateway.dispatch', value: 1, labels: { t: event.t } });
		if (this.#cacheEnabled) {
			try {
				this.cache.ingest(event.t, event.d);
			} catch (error) {
				reportInvalid(this, event, error);
			}
		}
		try {
			// READY names the bot user and the application; every other routed dispatch becomes events and points.
			if (event.t === 'READY') this.#identify(event.d);
			else routeDispatch(this, event);
		} catch (error) {
			reportInvalid(this, event, error);
		}
		this.emit('raw', event);
		this.pipeline.deliver(event);
		if (bus.has('gateway:afterDispatch')) bus.emit('gateway:afterDispatch', event);
	}

	/**
	 * Instrumentation (timing, tracing) wraps listeners through `client:listener`: each listener is wrapped once
	 * and its wrapper reused until the bus's handlers change. Nobody hooked, listeners run as they are.
	 */
	protected override wrapRevision(): number {
		const bus = this.#bus;
		return bus.has('client:listener') ? bus.revision + 1 : 0;
	}

	protected override wrapListener(
		event: keyof ClientEvents,
		listener: Listener<readonly unknown[]>,
	): Listener<readonly unknown[]> {
		return this.#bus.transformSync('client:listener', listener, event);
	}

	/**
	 * A failed listener is reported on the bus's `error:unhandled` point and on the `error` event (unless an
	 * `error` listener itself failed); with neither, as a process warning.
	 */
	protected override onListenerError(error: unknown, event: keyof ClientEvents, phase: ListenerFailurePhase): void {
		const bus = this.#bus;
		if (bus.has('error:unhandled'))
			bus.emit('error:unhandled', error, { point: `client:event:${event}`, label: undefined, phase });
		if (event !== 'error' && this.hasListeners('error')) this.emit('error', error);
		else if (!bus.has('error:unhandled')) super.onListenerError(error, event, phase);
	}

	/** Never prints the token. */
	public [inspect.custom](): string {
		return `Client { state: '${this.#state}', userId: ${this.userId === undefined ? 'undefined' : `'${this.userId}'`}, shards: ${this.gateway?.shardIds.length ?? 0}, ping: ${String(this.ping)} }`;
	}
}
