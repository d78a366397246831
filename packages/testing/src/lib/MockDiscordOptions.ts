import type { RestFaultOptions } from './faults/FaultInjector.js';
import type { GatewayOptions } from './gateway/GatewayOptions.js';
import type { RateLimitOptions } from './rest/RateLimiter.js';

/** Options of `MockDiscord.start` (the gateway's are in {@link GatewayOptions}). */
export interface MockDiscordOptions extends GatewayOptions {
	/** TCP port on 127.0.0.1; `0` picks a free one. @defaultValue {@link DefaultMockDiscordOptions.port} */
	readonly port?: number;
	/**
	 * The host clients are told to reach the mock at: in `apiBase`, `gatewayUrl`, the `url` of `GET /gateway/bot`
	 * and READY's `resume_gateway_url`. The mock still listens on 127.0.0.1; set this when clients reach it through
	 * a port forward on another address, with the same port (another network namespace, a container).
	 * @defaultValue {@link DefaultMockDiscordOptions.publicHost}
	 */
	readonly publicHost?: string;
	/** Seed of names, tokens and the fault sequence: the same seed gives the same run. @defaultValue {@link DefaultMockDiscordOptions.seed} */
	readonly seed?: number;
	/** Fixed clock origin (ms since 1970) for snowflakes, making every ID repeatable. @defaultValue the wall clock */
	readonly epoch?: number;
	/** Guilds generated at start (the bot is a member of each). @defaultValue {@link DefaultMockDiscordOptions.guilds} */
	readonly guilds?: number;
	/** Members generated per guild, besides the owner and the bot. @defaultValue {@link DefaultMockDiscordOptions.membersPerGuild} */
	readonly membersPerGuild?: number;
	/** Text channels generated per guild. @defaultValue {@link DefaultMockDiscordOptions.channelsPerGuild} */
	readonly channelsPerGuild?: number;
	/** REST rate limits. @defaultValue `{ windowMs: 1000, perRoute: 5, global: 50 }` */
	readonly rateLimits?: RateLimitOptions;
	/** REST faults (latency, 5xx share, connection resets). @defaultValue none */
	readonly faults?: RestFaultOptions;
	/**
	 * Permission bits (decimal string) of the bot's managed role in every generated guild. Lower them to test
	 * 403 `Missing Permissions` (50013) handling. @defaultValue {@link DefaultMockDiscordOptions.botPermissions} (Administrator)
	 */
	readonly botPermissions?: string;
}

/** The defaults of {@link MockDiscordOptions} (the gateway's are `DefaultGatewayOptions`). */
export const DefaultMockDiscordOptions = {
	port: 0,
	publicHost: '127.0.0.1',
	seed: 1,
	guilds: 2,
	membersPerGuild: 10,
	channelsPerGuild: 3,
	botPermissions: '8',
} as const satisfies Required<
	Pick<
		MockDiscordOptions,
		'port' | 'publicHost' | 'seed' | 'guilds' | 'membersPerGuild' | 'channelsPerGuild' | 'botPermissions'
	>
>;
