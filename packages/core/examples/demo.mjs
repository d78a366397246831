#!/usr/bin/env node
// The OvenJS demo bot. Without DISCORD_TOKEN it starts the embedded mock Discord (@ovenjs/testing), logs in,
// shows shard start-up, registers /ping, then a scripted user says `!ping` and invokes `/ping`; the bot answers
// both with latencies and the demo exits 0 (pass --stay to keep it running). With DISCORD_TOKEN set it connects
// to the real Discord, registers /ping and answers `!ping` and `/ping` until stopped (Ctrl+C).
// --dashboard: instruments the client (@ovenjs/observability), serves the live dashboard, prints its URL and
// keeps the mock bot running with scripted traffic (messages, /ping, REST bursts, a 429 now and then, a forced
// reconnect every 30 s) until Ctrl+C. OVENJS_DASHBOARD_PORT picks the port (default 9464, a free one if taken).
// Plugins: the two example plugins in examples/ load before login (ovenjs-plugin-greetings in an isolate,
// ovenjs-plugin-welcome in a worker, using greetings' service); the scripted user says `!hello` and `!greetings`.
// Runs on the built packages: `pnpm --filter @ovenjs/core demo` (the repo root's `npm run demo` builds first).
import { GatewayIntentBits } from 'discord-api-types/v10';
import { ChatInputCommandInteraction, Client, SlashCommandBuilder } from '@ovenjs/core';

const dashboardMode = process.argv.includes('--dashboard');
const stay = process.argv.includes('--stay') || dashboardMode;
const realToken = process.env.DISCORD_TOKEN;
const started = performance.now();
const since = () => `${Math.round(performance.now() - started)}`.padStart(5) + ' ms';
// Once the dashboard's scripted traffic runs, per-message lines would flood the terminal: the page shows them.
let trafficRunning = false;
const log = (tag, text) => {
	if (trafficRunning && (tag === 'message' || tag === 'bot' || tag === 'command')) return;
	console.log(`${since()}  ${`[${tag}]`.padEnd(11)} ${text}`);
};

let discord;
if (realToken === undefined || realToken === '') {
	const { MockDiscord } = await import('@ovenjs/testing');
	discord = await MockDiscord.start({
		guilds: 2,
		membersPerGuild: 5,
		identifyIntervalMs: 10,
		heartbeatIntervalMs: 500,
		...(dashboardMode ? { faults: { latencyMs: [5, 60] }, rateLimits: { windowMs: 1_000, perRoute: 8 } } : {}),
	});
	log('demo', `no DISCORD_TOKEN: started the embedded mock Discord at ${discord.apiBase}`);
} else {
	log('demo', 'DISCORD_TOKEN is set: connecting to the real Discord');
}

const client = new Client({
	token: discord?.token ?? realToken,
	intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.MessageContent,
	...(discord === undefined ? {} : { rest: { api: discord.apiBase } }),
	plugins: {
		load: [
			new URL('../../../examples/ovenjs-plugin-greetings/', import.meta.url),
			new URL('../../../examples/ovenjs-plugin-welcome/', import.meta.url),
		],
		config: { 'ovenjs-plugin-greetings': { greeting: 'Welcome' } },
	},
});
client.on('pluginLoad', (info) =>
	log(
		'plugins',
		`${info.name}@${info.version} loaded (isolation '${info.isolation}'${info.dependencies.length > 0 ? `, after ${info.dependencies.join(', ')}` : ''})`,
	),
);
client.on('pluginError', ({ plugin, error }) => log('plugins', `${plugin} failed: ${error.code}: ${error.message}`));

let dashboard;
if (dashboardMode) {
	// The built @ovenjs/observability next to this package (core does not depend on it).
	const observability = await import(new URL('../../observability/dist/index.js', import.meta.url).href);
	const instrumentation = observability.instrument(client);
	const port = Number(process.env.OVENJS_DASHBOARD_PORT ?? 9464);
	dashboard = await observability
		.startDashboard({ client, instrumentation, port, title: 'OvenJS demo bot' })
		.catch((error) => {
			if (error?.code !== 'OBS_LISTEN_FAILED') throw error;
			log('demo', `port ${port} is taken; the dashboard uses a free port`);
			return observability.startDashboard({ client, instrumentation, port: 0, title: 'OvenJS demo bot' });
		});
}

client.on('shardProgress', (p) =>
	log('shards', `${p.identified}/${p.total} identified, ${p.ready}/${p.total} ready (shard count ${p.shardCount})`),
);
client.on('shardReady', (s) => log('shards', `shard ${s.shardId} is ready with ${s.guildCount} guild(s)`));
client.on('shardResume', (s) => log('shards', `shard ${s.shardId} resumed (${s.replayed} events replayed)`));
client.on('guildCreate', (id, guild) => log('cache', `guild ${guild?.name ?? id} is available`));
client.on('warn', (text) => log('warn', text));
client.on('fatal', (error) => log('error', error.message));

client.on('messageCreate', async (message) => {
	if (message.authorId === client.userId) {
		log(
			'bot',
			`said in #${client.cache.channel(message.channelId)?.name ?? message.channelId}: "${message.content}"`,
		);
		return;
	}
	log('message', `${message.author.username}: ${message.content}`);
	if (message.content !== '!ping') return;
	const sentAt = performance.now();
	await message.reply(`pong! gateway ${client.ping ?? 'n/a'} ms, message arrived after ${message.latency} ms`);
	log('bot', `answered !ping (reply sent in ${Math.round(performance.now() - sentAt)} ms)`);
});

client.on('interactionCreate', async (interaction) => {
	if (!(interaction instanceof ChatInputCommandInteraction)) return;
	log('command', `/${interaction.commandName} from ${interaction.user?.username ?? 'someone'}`);
	if (interaction.commandName === 'ping') {
		await interaction.reply(
			`pong! gateway ${client.ping ?? 'n/a'} ms, interaction arrived after ${interaction.latency} ms`,
		);
	}
});

try {
	await client.login();
} catch (error) {
	log('error', `login failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
	await client.destroy();
	await discord?.stop();
	process.exit(1);
}
log(
	'ready',
	`logged in as ${client.cache.self?.username ?? client.userId} — ${client.cache.guildIds().length} guild(s) cached, ${Math.round(performance.now() - started)} ms after start`,
);

try {
	const commands = await client.registerCommands([new SlashCommandBuilder('ping', 'Replies with the latency')]);
	log('commands', `registered ${commands.map((command) => `/${command.name}`).join(', ')}`);
} catch (error) {
	log('warn', `could not register /ping: ${error instanceof Error ? error.message : String(error)}`);
}

async function shutdown(code) {
	await dashboard?.close();
	await client.destroy();
	await discord?.stop();
	log('demo', 'client destroyed, bye');
	process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));

if (discord !== undefined) {
	// Give the first heartbeat a moment so the gateway latency is known (the mock beats every 500 ms).
	for (let waited = 0; client.ping === undefined && waited < 1_000; waited += 25)
		await new Promise((resolve) => setTimeout(resolve, 25));
	log('gateway', `heartbeat round trip ${client.ping ?? 'n/a'} ms`);
	// The scripted user.
	const guild = [...discord.world.guilds.values()][0];
	const channelId = [...guild.channels][0];
	const user = discord.world.addMember(guild.id).user;
	const botAnswer = new Promise((resolve) => {
		const listener = (message) => {
			if (message.authorId !== client.userId) return;
			client.off('messageCreate', listener);
			resolve(message);
		};
		client.on('messageCreate', listener);
	});
	log('user', `${user.username} says "!ping" in #${discord.world.channel(channelId).channel.name ?? channelId}`);
	const saidAt = performance.now();
	discord.world.sendMessage(channelId, user.id, '!ping');
	await botAnswer;
	log('user', `saw the bot's answer ${Math.round(performance.now() - saidAt)} ms after saying !ping`);

	// The example plugins: welcome answers !hello through greetings' service; greetings counts in its state.
	for (const command of ['!hello', '!greetings']) {
		const answer = new Promise((resolve) => {
			const listener = (message) => {
				if (message.authorId !== client.userId) return;
				client.off('messageCreate', listener);
				resolve(message);
			};
			client.on('messageCreate', listener);
		});
		log('user', `${user.username} says "${command}"`);
		const at = performance.now();
		discord.world.sendMessage(channelId, user.id, command);
		await answer;
		log('user', `saw the plugin's answer ${Math.round(performance.now() - at)} ms after saying ${command}`);
	}

	log('user', `${user.username} invokes /ping`);
	const invokedAt = performance.now();
	const response = await discord.world.triggerInteraction({
		type: 2,
		data: { id: '1', name: 'ping', type: 1 },
		channelId,
		userId: user.id,
	});
	log('user', `got "${response.data?.content}" ${Math.round(performance.now() - invokedAt)} ms after invoking /ping`);

	if (dashboardMode) {
		log(
			'dashboard',
			`live dashboard at ${dashboard.url} (Prometheus metrics at ${new URL('/metrics', dashboard.url).href})`,
		);
		log('demo', 'scripted traffic runs until Ctrl+C');
		runTraffic(guild, channelId);
	} else if (stay) log('demo', 'staying connected (--stay); press Ctrl+C to stop');
	else await shutdown(0);
} else {
	log('demo', 'running; press Ctrl+C to stop');
}

/** Scripted traffic for the dashboard: chat, /ping, REST bursts, an occasional 429 and a reconnect every 30 s. */
function runTraffic(guild, channelId) {
	const channels = [...guild.channels];
	const quiet = channels[1] ?? channelId;
	const users = [0, 1, 2, 3].map(() => discord.world.addMember(guild.id).user);
	trafficRunning = true;
	const lines = ['hello', 'anyone here?', '!ping', 'nice bot', '!ping', 'gg'];
	let tick = 0;
	setInterval(() => {
		tick++;
		const user = users[tick % users.length];
		discord.world.sendMessage(channelId, user.id, lines[tick % lines.length]);
		if (tick % 7 === 0)
			void discord.world
				.triggerInteraction({ type: 2, data: { id: '1', name: 'ping', type: 1 }, channelId, userId: user.id })
				.catch(() => undefined);
		// A burst that outruns the bucket: the queue fills and drains.
		if (tick % 40 === 0)
			for (let i = 0; i < 10; i++) void client.send(channelId, `announcement ${i + 1}/10`).catch(() => undefined);
		// Another process spends the bot's bucket: its next message meets a 429 and is retried.
		if (tick % 100 === 50) {
			void (async () => {
				for (let i = 0; i < 10; i++) {
					const response = await globalThis.fetch(`${discord.apiBase}/v10/channels/${quiet}/messages`, {
						method: 'POST',
						headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
						body: '{"content":"from elsewhere"}',
					});
					await response.arrayBuffer();
					if (response.status === 429) break;
				}
				await client.send(quiet, 'this one met a 429').catch(() => undefined);
			})();
		}
		if (tick % 150 === 0) {
			log('demo', 'forcing a gateway reconnect');
			discord.gateway.closeAll(4000);
		}
	}, 200);
}
