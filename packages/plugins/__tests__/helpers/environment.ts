import { fileURLToPath } from 'node:url';
import {
	PluginManager,
	type PluginEnvironment,
	type PluginErrorReport,
	type PluginManagerOptions,
} from '@ovenjs/plugins';

/** The fixtures folder (each subfolder is a plugin package). */
export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

export const TOKEN = 'MTIz.fake-token-for-plugin-tests.abcdef';

type Listener = (...args: readonly unknown[]) => unknown;

/**
 * A host environment standing in for the Client: events and hooks in maps, `api.channels.createMessage` and
 * `api.users.getMyUser` recording calls, a cache view, a state map.
 */
export function environment() {
	const events = new Map<string, Set<Listener>>();
	const hooks = new Map<string, { handler: Listener; priority: number; label: string }[]>();
	const sent: { channelId: string; content: string; at: number }[] = [];
	const state = new Map<string, unknown>();
	const env: PluginEnvironment = {
		on(event, listener) {
			const set = events.get(event) ?? new Set();
			set.add(listener);
			events.set(event, set);
			return () => void set.delete(listener);
		},
		hook(point, handler, options) {
			const list = hooks.get(point) ?? [];
			list.push({ handler, ...options });
			list.sort((a, b) => b.priority - a.priority);
			hooks.set(point, list);
			return () =>
				void hooks.set(
					point,
					(hooks.get(point) ?? []).filter((h) => h.handler !== handler),
				);
		},
		api: {
			channels: {
				async createMessage(channelId: string, body: { content: string }) {
					let content = body.content;
					for (const { handler } of hooks.get('message:beforeSend') ?? []) {
						const next = (await handler({ content }, channelId)) as { content: string } | undefined;
						if (next !== undefined) content = next.content;
					}
					sent.push({ channelId, content, at: performance.now() });
					return { id: String(sent.length), channel_id: channelId, content };
				},
			},
			users: { getMyUser: () => Promise.resolve({ id: '1', username: 'bot' }) },
		},
		request: (method, route) => Promise.resolve({ method, route }),
		cache: { guild: (id) => ({ id, name: 'A guild' }), guildIds: () => ['1', '2'] },
		state: {
			read: (key) => state.get(key),
			write: (key, value) => {
				state.set(key, value);
				return Promise.resolve();
			},
		},
		refuse: (value) => value === TOKEN,
	};
	const emit = (event: string, ...args: unknown[]): void => {
		for (const listener of events.get(event) ?? []) void listener(...args);
	};
	return { env, events, hooks, sent, state, emit };
}

/** A manager on a fresh environment, collecting reported errors; `close()` it after the test. */
export function manager(options: Partial<PluginManagerOptions> = {}) {
	const host = environment();
	const errors: PluginErrorReport[] = [];
	const warnings: string[] = [];
	const logs: string[] = [];
	const loads: string[] = [];
	const plugins = new PluginManager({
		environment: host.env,
		root: fixtures,
		env: { DISCORD_TOKEN: TOKEN, GREETING: 'hello from env' },
		events: {
			error: (report) => void errors.push(report),
			warn: (message) => void warnings.push(message),
			log: (entry) => void logs.push(`${entry.plugin} ${entry.level} ${entry.message}`),
			load: (info) => void loads.push(`${info.name}@${info.isolation}#${info.reloads}`),
		},
		...options,
		// Generous start-up time: workers and isolates start from source here (through tsx), on a machine that may be busy.
		limits: { setupMs: 60_000, ...options.limits },
	});
	return { plugins, host, errors, warnings, logs, loads };
}

/** Resolves once `check` holds (polling every 10 ms, at most `ms`: generous, the machine may be busy). */
export async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A message as plugins receive it. */
export function message(content: string) {
	return {
		id: '100',
		channelId: '200',
		guildId: '300',
		content,
		authorId: '400',
		author: { id: '400', username: 'someone' },
	};
}
