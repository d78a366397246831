#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MockDiscord, type MockDiscordOptions } from './lib/MockDiscord.js';
import { MockError } from './lib/errors/MockError.js';

const HELP = `ovenjs-mock — a mock Discord (REST v10 + gateway) on 127.0.0.1

Usage: ovenjs-mock [options]

  --port <n>                 TCP port (default: 0 = any free port)
  --seed <n>                 seed of names, token and faults (default: 1)
  --guilds <n>               guilds to generate (default: 2)
  --members <n>              members per guild (default: 10)
  --channels <n>             text channels per guild (default: 3)
  --shards <n>               recommended shard count (default: 1)
  --max-concurrency <n>      session_start_limit.max_concurrency (default: 1)
  --heartbeat <ms>           HELLO heartbeat_interval (default: 41250)
  --rate-window <ms>         REST bucket window (default: 1000)
  --rate-limit <n>           requests per bucket window (default: 5)
  --global-limit <n>         global requests per second (default: 50)
  --latency <ms|min-max>     REST latency fault (default: 0)
  --error-rate <0-1>         share of REST 500/502/503 answers (default: 0)
  --reset-rate <0-1>         share of REST connection resets (default: 0)
  --gw-close-rate <0-1>      share of dispatches followed by a forced close (default: 0)
  --gw-close-codes <a,b>     close codes drawn for forced closes (default: 4000)
  --gw-invalid-session-rate <0-1>  share of dispatches followed by INVALID_SESSION (default: 0)
  --gw-reconnect-rate <0-1>  share of dispatches followed by RECONNECT (default: 0)
  --gw-ack-drop-rate <0-1>   share of heartbeats left without ACK (default: 0)
  --bot-permissions <bits>   permissions of the bot's role in generated guilds (default: 8)
  --json                     print the connection details as one JSON line
  -h, --help                 show this help
`;

function integer(name: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) throw MockError.of('MOCK_INVALID_OPTION', [`--${name}`, 'a number', `"${raw}"`]);
	return value;
}

function latency(raw: string | undefined): number | readonly [number, number] | undefined {
	if (raw === undefined) return undefined;
	const range = /^(\d+)-(\d+)$/.exec(raw);
	if (range !== null) return [Number(range[1]), Number(range[2])];
	return integer('latency', raw);
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			seed: { type: 'string' },
			guilds: { type: 'string' },
			members: { type: 'string' },
			channels: { type: 'string' },
			shards: { type: 'string' },
			'max-concurrency': { type: 'string' },
			heartbeat: { type: 'string' },
			'rate-window': { type: 'string' },
			'rate-limit': { type: 'string' },
			'global-limit': { type: 'string' },
			latency: { type: 'string' },
			'error-rate': { type: 'string' },
			'reset-rate': { type: 'string' },
			'gw-close-rate': { type: 'string' },
			'gw-close-codes': { type: 'string' },
			'gw-invalid-session-rate': { type: 'string' },
			'gw-reconnect-rate': { type: 'string' },
			'gw-ack-drop-rate': { type: 'string' },
			'bot-permissions': { type: 'string' },
			json: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help === true) {
		process.stdout.write(HELP);
		return;
	}
	const port = integer('port', values.port);
	const seed = integer('seed', values.seed);
	const guilds = integer('guilds', values.guilds);
	const members = integer('members', values.members);
	const channels = integer('channels', values.channels);
	const shards = integer('shards', values.shards);
	const maxConcurrency = integer('max-concurrency', values['max-concurrency']);
	const heartbeat = integer('heartbeat', values.heartbeat);
	const windowMs = integer('rate-window', values['rate-window']);
	const perRoute = integer('rate-limit', values['rate-limit']);
	const global = integer('global-limit', values['global-limit']);
	const latencyMs = latency(values.latency);
	const serverErrorRate = integer('error-rate', values['error-rate']);
	const connectionResetRate = integer('reset-rate', values['reset-rate']);
	const closeRate = integer('gw-close-rate', values['gw-close-rate']);
	const closeCodes = values['gw-close-codes']?.split(',').map((code) => integer('gw-close-codes', code) ?? 4000);
	const invalidSessionRate = integer('gw-invalid-session-rate', values['gw-invalid-session-rate']);
	const reconnectRate = integer('gw-reconnect-rate', values['gw-reconnect-rate']);
	const ackDropRate = integer('gw-ack-drop-rate', values['gw-ack-drop-rate']);
	const botPermissions = values['bot-permissions'];
	const options: MockDiscordOptions = {
		...(botPermissions === undefined ? {} : { botPermissions }),
		gatewayFaults: {
			...(closeRate === undefined ? {} : { closeRate }),
			...(closeCodes === undefined ? {} : { closeCodes }),
			...(invalidSessionRate === undefined ? {} : { invalidSessionRate }),
			...(reconnectRate === undefined ? {} : { reconnectRate }),
			...(ackDropRate === undefined ? {} : { ackDropRate }),
		},
		...(port === undefined ? {} : { port }),
		...(seed === undefined ? {} : { seed }),
		...(guilds === undefined ? {} : { guilds }),
		...(members === undefined ? {} : { membersPerGuild: members }),
		...(channels === undefined ? {} : { channelsPerGuild: channels }),
		...(shards === undefined ? {} : { shards }),
		...(maxConcurrency === undefined ? {} : { maxConcurrency }),
		...(heartbeat === undefined ? {} : { heartbeatIntervalMs: heartbeat }),
		rateLimits: {
			...(windowMs === undefined ? {} : { windowMs }),
			...(perRoute === undefined ? {} : { perRoute }),
			...(global === undefined ? {} : { global }),
		},
		faults: {
			...(latencyMs === undefined ? {} : { latencyMs }),
			...(serverErrorRate === undefined ? {} : { serverErrorRate }),
			...(connectionResetRate === undefined ? {} : { connectionResetRate }),
		},
	};
	const discord = await MockDiscord.start(options);
	const info = {
		apiBase: discord.apiBase,
		gatewayUrl: discord.gatewayUrl,
		token: discord.token,
		applicationId: discord.application.id,
		guilds: discord.world.guilds.size,
	};
	if (values.json === true) process.stdout.write(`${JSON.stringify(info)}\n`);
	else
		process.stdout.write(
			`ovenjs-mock listening\n  REST:    ${info.apiBase}\n  Gateway: ${info.gatewayUrl}\n  Token:   ${info.token}\n  App ID:  ${info.applicationId}\n  Guilds:  ${info.guilds}\n`,
		);
	const shutdown = (): void => {
		void discord.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
