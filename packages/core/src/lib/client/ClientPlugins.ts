import type { APIInteraction } from 'discord-api-types/v10';
import type { CachedGuild, CachedMember, CachedUser } from '@ovenjs/cache';
import {
	PluginError,
	PluginManager,
	type ConfigSources,
	type IsolationLevel,
	type PluginEnvironment,
	type PluginLimits,
	type PluginSource,
} from '@ovenjs/plugins';
import {
	asChannelId,
	asGuildId,
	asMessageId,
	asRoleId,
	asUserId,
	type Channel,
	type ChannelId,
	type ExtensionHandler,
	type ExtensionPointName,
	type GuildId,
	type Message,
	type MessageId,
	type Role,
	type RoleId,
	type UserId,
} from '@ovenjs/types';
import type { Api } from '../api/generated/Api.js';
import { BaseInteraction } from '../interactions/BaseInteraction.js';
import type { Client } from './Client.js';
import { ClientMessage } from './ClientMessage.js';
import type { ClientEvents } from './ClientOptions.js';

/** Options of `new Client({ plugins })`. */
export interface ClientPluginsOptions extends ConfigSources {
	/** Plugins to load before `login()` connects: package names, folders, or `definePlugin` objects (in-process). */
	readonly load?: readonly PluginSource[];
	/** Also load every `ovenjs-plugin-*` the bot's package.json (in `root`) depends on. @defaultValue `false` */
	readonly discover?: boolean;
	/** The bot's folder (package resolution, `discover`). @defaultValue `process.cwd()` */
	readonly root?: string;
	/**
	 * The isolation to run plugins at, for all or per plugin; never stronger than a plugin's manifest accepts.
	 * @defaultValue each manifest's `isolation`
	 */
	readonly isolation?: IsolationLevel | Readonly<Record<string, IsolationLevel>>;
	/** Each plugin's config by plugin name (`{ "$env": "NAME" }` / `{ "$secret": "NAME" }` references resolved). */
	readonly config?: Readonly<Record<string, unknown>>;
	/** Time and memory limits. @defaultValue `DefaultPluginLimits` of `@ovenjs/plugins` */
	readonly limits?: Partial<PluginLimits>;
	/** Reload a plugin when its folder changes (development only). @defaultValue `false` */
	readonly watch?: boolean;
}

/** A message as plugins receive it: plain data (the same at every isolation level). */
export interface PluginMessage {
	readonly id: MessageId;
	readonly channelId: ChannelId;
	readonly guildId: GuildId | undefined;
	readonly content: string;
	readonly authorId: UserId;
	readonly author: Message['author'];
	readonly fromBot: boolean;
	readonly shardId: number;
	readonly receivedAt: number;
	/** The validated payload. */
	readonly data: Message;
}

/** Client event arguments as plugins receive them: messages as {@link PluginMessage}, interactions as their payload. */
type PlainArg<T> = T extends ClientMessage ? PluginMessage : T extends BaseInteraction ? APIInteraction : T;

/** The client events plugins can subscribe to (`events:<name>`), with plain-data arguments. */
export type PluginClientEvents = {
	readonly [K in keyof ClientEvents]: { readonly [I in keyof ClientEvents[K]]: PlainArg<ClientEvents[K][I]> };
};

/** `ctx.cache`: read-only views of the entity cache (copies), with `cache:read`. */
export interface PluginCacheViews {
	self(): CachedUser | undefined;
	guild(id: GuildId): CachedGuild | undefined;
	guildIds(): GuildId[];
	channel(id: ChannelId): Channel | undefined;
	channels(guildId: GuildId): Channel[];
	role(guildId: GuildId, roleId: RoleId): Role | undefined;
	roles(guildId: GuildId): Role[];
	user(id: UserId): CachedUser | undefined;
	member(guildId: GuildId, userId: UserId): CachedMember | undefined;
	message(channelId: ChannelId, messageId: MessageId): Message | undefined;
	messages(channelId: ChannelId): Message[];
}

declare module '@ovenjs/plugins' {
	interface PluginHostTypes {
		api: Api;
		events: PluginClientEvents;
		cache: PluginCacheViews;
	}
}

/** Every client event name (plugins may only subscribe to these). */
const CLIENT_EVENTS = [
	'ready',
	'shardsReady',
	'shardProgress',
	'shardReady',
	'shardResume',
	'shardDisconnect',
	'messageCreate',
	'messageUpdate',
	'messageDelete',
	'guildCreate',
	'guildUpdate',
	'guildDelete',
	'channelCreate',
	'channelUpdate',
	'channelDelete',
	'guildMemberAdd',
	'guildMemberUpdate',
	'guildMemberRemove',
	'interactionCreate',
	'raw',
	'error',
	'fatal',
	'warn',
	'debug',
	'pluginLoad',
	'pluginUnload',
	'pluginError',
] as const satisfies readonly (keyof ClientEvents)[];
const EVENT_NAMES: ReadonlySet<string> = new Set(CLIENT_EVENTS);

function isClientEvent(name: string): name is keyof ClientEvents {
	return EVENT_NAMES.has(name);
}

function isPointName(point: string): point is ExtensionPointName {
	return /^[a-zA-Z]+:[a-zA-Z:]+$/.test(point);
}

/** A handler built from a plugin's (checked by its gate) for `point`: the bus passes it the point's arguments. */
function isHandlerOf<P extends ExtensionPointName>(handler: unknown): handler is ExtensionHandler<P> {
	return typeof handler === 'function';
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
function httpMethod(value: string): (typeof HTTP_METHODS)[number] {
	const found = HTTP_METHODS.find((method) => method === value);
	if (found === undefined) throw PluginError.of('PLUGIN_INVALID_CALL', '(rest)', [{ kind: 'http-method', value }]);
	return found;
}

/** `instanceof` with the class's default type argument (instead of `any`). */
function isInteraction(value: unknown): value is BaseInteraction {
	return value instanceof BaseInteraction;
}

/** One argument as plugins receive it. */
function plain(value: unknown): unknown {
	if (value instanceof ClientMessage) {
		const message: PluginMessage = {
			id: value.id,
			channelId: value.channelId,
			guildId: value.guildId,
			content: value.content,
			authorId: value.authorId,
			author: value.author,
			fromBot: value.fromBot,
			shardId: value.shardId,
			receivedAt: value.receivedAt,
			data: value.data,
		};
		return message;
	}
	if (isInteraction(value)) return value.raw;
	if (value instanceof Error) {
		const code: unknown = Reflect.get(value, 'code');
		return { name: value.name, message: value.message, code };
	}
	return value;
}

/**
 * Composes `client.plugins`: a `PluginManager` whose `ctx` doors are this client's events, bus, `api`, REST, cache
 * and state (each plugin's namespace is `plugin:<name>` in `client.state`). Loads `options.load` (and discovered
 * plugins) before `login()` connects, and unloads every plugin when the client is destroyed.
 */
export function composePlugins(
	client: Client,
	token: string,
	options: ClientPluginsOptions | undefined,
): PluginManager {
	const bus = client.extensions;
	const id = (value: unknown): string => (typeof value === 'string' ? value : '');
	const environment: PluginEnvironment = {
		on: (event, listener) => {
			if (!isClientEvent(event))
				throw PluginError.of('PLUGIN_INVALID_CALL', '(events)', [
					{ kind: 'client-event', event, events: CLIENT_EVENTS },
				]);
			const wrapped = (...args: readonly unknown[]): void => {
				void listener(...args.map(plain));
			};
			client.on(event, wrapped);
			return () => {
				client.off(event, wrapped);
			};
		},
		hook: (point, handler, hookOptions) => {
			if (!isPointName(point) || !isHandlerOf(handler))
				throw PluginError.of('PLUGIN_INVALID_CALL', hookOptions.label, [{ kind: 'extension-point', point }]);
			return bus.on(point, handler, hookOptions);
		},
		api: client.api,
		request: (method, route, data) => client.rest.request(httpMethod(method), route, data),
		cache: {
			self: () => client.cache.self,
			guild: (guildId) => client.cache.guild(asGuildId(id(guildId))),
			guildIds: () => client.cache.guildIds(),
			channel: (channelId) => client.cache.channel(asChannelId(id(channelId))),
			channels: (guildId) => client.cache.channels(asGuildId(id(guildId))),
			role: (guildId, roleId) => client.cache.role(asGuildId(id(guildId)), asRoleId(id(roleId))),
			roles: (guildId) => client.cache.roles(asGuildId(id(guildId))),
			user: (userId) => client.cache.user(asUserId(id(userId))),
			member: (guildId, userId) => client.cache.member(asGuildId(id(guildId)), asUserId(id(userId))),
			message: (channelId, messageId) =>
				client.cache.message(asChannelId(id(channelId)), asMessageId(id(messageId))),
			messages: (channelId) => client.cache.messages(asChannelId(id(channelId))),
		},
		state: {
			read: (key) => {
				const value: unknown = Reflect.get(client.state.get(), key);
				return value;
			},
			write: async (key, value, source) => {
				await client.state.update(
					(draft) => {
						Reflect.set(draft, key, value);
					},
					{ who: source, why: 'plugin state' },
				);
			},
		},
		refuse: (value) => value === token || value.includes(token),
	};
	const plugins = new PluginManager({
		environment,
		...(options?.root === undefined ? {} : { root: options.root }),
		...(options?.isolation === undefined ? {} : { isolation: options.isolation }),
		...(options?.config === undefined ? {} : { config: options.config }),
		...(options?.limits === undefined ? {} : { limits: options.limits }),
		...(options?.env === undefined ? {} : { env: options.env }),
		...(options?.secrets === undefined ? {} : { secrets: options.secrets }),
		watch: options?.watch === true,
		events: {
			load: (info) => client.emit('pluginLoad', info),
			unload: (info) => client.emit('pluginUnload', info),
			error: (report) => client.emit('pluginError', report),
			warn: (message) => client.emit('warn', message),
			log: (entry) =>
				client.emit(
					entry.level === 'warn' || entry.level === 'error' ? 'warn' : 'debug',
					`[${entry.plugin}] ${entry.message}`,
				),
		},
	});
	const sources = [...(options?.load ?? [])];
	if (options?.discover === true || sources.length > 0) {
		const initial = Promise.resolve().then(() =>
			plugins.load(
				...sources,
				...(options?.discover === true ? plugins.discover().filter((name) => !sources.includes(name)) : []),
			),
		);
		// Reported on pluginError; login() waits for the load to finish.
		initial.catch((error: unknown) => {
			client.emit('pluginError', {
				plugin: '(discover)',
				error: PluginError.from('(discover)', error, 'PLUGIN_NOT_FOUND', 'discovery failed'),
			});
		});
		bus.on(
			'client:beforeConnect',
			async () => {
				await initial.catch(() => undefined);
			},
			{ label: '@ovenjs/plugins' },
		);
	}
	bus.on('client:beforeDisconnect', () => plugins.close(), { label: '@ovenjs/plugins' });
	return plugins;
}
