import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIUser } from 'discord-api-types/v10';
import { registerSecret, unregisterSecret, uncheckedSnowflake, type ApplicationId, markClass } from '@ovenjs/types';
import { MockError } from './errors/MockError.js';
import { FaultInjector } from './faults/FaultInjector.js';
import { GatewayServer } from './gateway/GatewayServer.js';
import { DefaultMockDiscordOptions, type MockDiscordOptions } from './MockDiscordOptions.js';
import { InteractionHub } from './interactions/InteractionHub.js';
import { InteractionLedger } from './interactions/InteractionLedger.js';
import type { RequestLog } from './rest/RequestLog.js';
import { RestServer } from './rest/RestServer.js';
import { allRoutes } from './rest/routes/index.js';
import { World } from './world/World.js';

export type { MockDiscordOptions } from './MockDiscordOptions.js';

function check(condition: boolean, option: string, expected: string, got: unknown): void {
	if (!condition) throw MockError.of('MOCK_INVALID_OPTION', [option, expected, String(got)]);
}

function validate(options: MockDiscordOptions): void {
	const port = options.port ?? DefaultMockDiscordOptions.port;
	check(Number.isInteger(port) && port >= 0 && port <= 65_535, 'port', 'an integer from 0 to 65535', options.port);
	const host = options.publicHost;
	check(
		host === undefined || (/^[A-Za-z0-9.-]+$/.test(host) && URL.canParse(`http://${host}/`)),
		'publicHost',
		'a host name or IPv4 address',
		host,
	);
	for (const key of ['guilds', 'membersPerGuild', 'channelsPerGuild'] as const) {
		const value = options[key];
		check(value === undefined || (Number.isInteger(value) && value >= 0), key, 'a non-negative integer', value);
	}
	for (const key of [
		'shards',
		'maxConcurrency',
		'heartbeatIntervalMs',
		'payloadLimit',
		'replayBufferSize',
		'resumeTimeoutMs',
	] as const) {
		const value = options[key];
		check(value === undefined || (Number.isInteger(value) && value >= 1), key, 'a positive integer', value);
	}
	const rate = options.rateLimits;
	check(rate?.windowMs === undefined || rate.windowMs > 0, 'rateLimits.windowMs', 'positive', rate?.windowMs);
	check(rate?.global === undefined || rate.global > 0, 'rateLimits.global', 'positive', rate?.global);
	const faults = options.faults;
	for (const key of ['serverErrorRate', 'connectionResetRate'] as const) {
		const value = faults?.[key];
		check(value === undefined || (value >= 0 && value <= 1), `faults.${key}`, 'between 0 and 1', value);
	}
	const gateway = options.gatewayFaults;
	for (const key of ['closeRate', 'invalidSessionRate', 'reconnectRate', 'ackDropRate'] as const) {
		const value = gateway?.[key];
		check(value === undefined || (value >= 0 && value <= 1), `gatewayFaults.${key}`, 'between 0 and 1', value);
	}
	for (const code of gateway?.closeCodes ?? []) {
		check(
			Number.isInteger(code) &&
				((code >= 4000 && code <= 4999) || code === 1000 || code === 1001 || code === 1011),
			'each of gatewayFaults.closeCodes',
			'a WebSocket close code to send (4000-4999, 1000, 1001 or 1011)',
			code,
		);
	}
}

/**
 * A Discord that runs on 127.0.0.1: REST (v10) under {@link MockDiscord.apiBase} and the gateway at
 * {@link MockDiscord.gatewayUrl}, both over real sockets, backed by a scriptable {@link World}.
 *
 * @example
 * ```ts
 * const discord = await MockDiscord.start({ guilds: 1 });
 * // point your bot at discord.apiBase / discord.gatewayUrl with discord.token ...
 * await discord.stop();
 * ```
 */
export class MockDiscord {
	static {
		// instanceof across the ESM and CJS builds (and duplicated installs): see markClass.
		markClass(this, 'testing.MockDiscord');
	}

	/** The scenario API: the mock's users, guilds, channels and messages. */
	public readonly world: World;
	/** The gateway: sessions, dispatch, floods and fault injection. */
	public readonly gateway: GatewayServer;
	/** The REST server (rate limiter, routes, invalid-request counters). */
	public readonly rest: RestServer;
	/** REST fault injection, changeable at run time with `faults.configure()`. */
	public readonly faults: FaultInjector;
	/** Interactions triggered by the scenario and waiting for the bot's answer. */
	public readonly interactions: InteractionHub;
	/** The application the bot belongs to. */
	public readonly application: {
		readonly id: ApplicationId;
		readonly name: string;
		readonly bot_public: boolean;
		readonly flags: number;
	};
	readonly #secret: string;
	readonly #server: Server;
	#port = 0;
	#stopped = false;
	readonly #publicHost: string;

	private constructor(options: MockDiscordOptions) {
		const seed = options.seed ?? DefaultMockDiscordOptions.seed;
		this.#publicHost = options.publicHost ?? DefaultMockDiscordOptions.publicHost;
		this.world = new World(seed, options.epoch, options.botPermissions ?? DefaultMockDiscordOptions.botPermissions);
		const botId = this.world.botUser.id;
		this.application = {
			id: uncheckedSnowflake('Application', botId),
			name: this.world.botUser.username,
			bot_public: true,
			flags: 0,
		};
		this.#secret = `${Buffer.from(botId).toString('base64url')}.${this.world.random.token(6)}.${this.world.random.token(38)}`;
		registerSecret(this.#secret);
		this.faults = new FaultInjector(seed, options.faults);
		this.gateway = new GatewayServer(
			this.world,
			{ token: this.#secret, url: () => this.gatewayUrl, applicationId: this.application.id },
			options,
			seed,
		);
		const ledger = new InteractionLedger();
		this.interactions = new InteractionHub(this.world, this.application.id, ledger);
		this.rest = new RestServer(
			this.world,
			this.#secret,
			{
				gatewayUrl: () => this.gatewayUrl,
				shards:
					options.shards ??
					Math.max(1, Math.ceil((options.guilds ?? DefaultMockDiscordOptions.guilds) / 1000)),
				sessionStartLimit: () => this.gateway.sessionStartLimit(),
				application: this.application,
				interactions: ledger,
			},
			this.faults,
			options.rateLimits ?? {},
			allRoutes,
		);
		this.world.generate(
			options.guilds ?? DefaultMockDiscordOptions.guilds,
			options.membersPerGuild ?? DefaultMockDiscordOptions.membersPerGuild,
			options.channelsPerGuild ?? DefaultMockDiscordOptions.channelsPerGuild,
		);
		this.#server = createServer((req, res) => {
			if ((req.url ?? '').startsWith('/api')) {
				this.rest.handle(req, res).catch(() => {
					if (!res.headersSent) res.writeHead(500).end();
				});
				return;
			}
			res.writeHead(404, { 'content-type': 'application/json' }).end(
				JSON.stringify({ message: '404: Not Found', code: 0 }),
			);
		});
		this.#server.on('upgrade', (req, socket, head) => {
			const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
			if (path === '/gateway' || path === '/gateway/' || path === '/') this.gateway.upgrade(req, socket, head);
			else socket.destroy();
		});
	}

	/** Starts a mock Discord and resolves once it listens. */
	public static async start(options: MockDiscordOptions = {}): Promise<MockDiscord> {
		validate(options);
		const mock = new MockDiscord(options);
		const port = options.port ?? DefaultMockDiscordOptions.port;
		await new Promise<void>((resolve, reject) => {
			mock.#server.once('error', (error) => {
				reject(MockError.of('MOCK_LISTEN_FAILED', [`127.0.0.1:${port}`, error.message], { cause: error }));
			});
			mock.#server.listen(port, '127.0.0.1', () => {
				resolve();
			});
		});
		const address: AddressInfo | string | null = mock.#server.address();
		mock.#port = typeof address === 'object' && address !== null ? address.port : 0;
		return mock;
	}

	/** `http://127.0.0.1:PORT/api` (versioned routes under `/api/v10`; the host is `publicHost` when set). */
	public get apiBase(): string {
		return `http://${this.#publicHost}:${this.#port}/api`;
	}

	/** `ws://127.0.0.1:PORT/gateway` (the host is `publicHost` when set). */
	public get gatewayUrl(): string {
		return `ws://${this.#publicHost}:${this.#port}/gateway`;
	}

	/** The TCP port the mock listens on, on 127.0.0.1 (what a port forward to it targets). */
	public get port(): number {
		return this.#port;
	}

	/** The one valid bot token (other tokens get 401 and close 4004). Never printed by `inspect`. */
	public get token(): string {
		return this.#secret;
	}

	/** The bot's user. */
	public get botUser(): APIUser {
		return this.world.botUser;
	}

	/** What the bot sent over REST: method, route, headers, body, files, audit-log reason, status. */
	public get requests(): RequestLog {
		return this.rest.requests;
	}

	/** Closes every socket and the HTTP server. Safe to call twice. */
	public async stop(): Promise<void> {
		if (this.#stopped) return;
		this.#stopped = true;
		this.interactions.close();
		await this.gateway.close();
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => {
			this.#server.close(() => {
				resolve();
			});
		});
		unregisterSecret(this.#secret);
	}

	/** Keeps the token out of `console.log(discord)`. */
	public [Symbol.for('nodejs.util.inspect.custom')](): string {
		return `MockDiscord { apiBase: '${this.apiBase}', gatewayUrl: '${this.gatewayUrl}', token: [REDACTED], guilds: ${this.world.guilds.size} }`;
	}
}
