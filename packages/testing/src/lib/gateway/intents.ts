import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';

/** Every intent bit Discord defines (higher bits → close 4013). */
export const ALL_INTENTS = Object.values(GatewayIntentBits).reduce<number>(
	(all, bit) => (typeof bit === 'number' ? all | bit : all),
	0,
);

/** The privileged intents (need enabling in the developer portal; otherwise close 4014). */
export const PRIVILEGED_INTENTS =
	GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

const GUILD_EVENTS: Partial<Record<GatewayDispatchEvents, number>> = {
	[GatewayDispatchEvents.GuildCreate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildUpdate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildDelete]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildRoleCreate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildRoleUpdate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildRoleDelete]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ChannelCreate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ChannelUpdate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ChannelDelete]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ThreadCreate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ThreadUpdate]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.ThreadDelete]: GatewayIntentBits.Guilds,
	[GatewayDispatchEvents.GuildMemberAdd]: GatewayIntentBits.GuildMembers,
	[GatewayDispatchEvents.GuildMemberUpdate]: GatewayIntentBits.GuildMembers,
	[GatewayDispatchEvents.GuildMemberRemove]: GatewayIntentBits.GuildMembers,
	[GatewayDispatchEvents.GuildBanAdd]: GatewayIntentBits.GuildModeration,
	[GatewayDispatchEvents.GuildBanRemove]: GatewayIntentBits.GuildModeration,
	[GatewayDispatchEvents.GuildAuditLogEntryCreate]: GatewayIntentBits.GuildModeration,
	[GatewayDispatchEvents.WebhooksUpdate]: GatewayIntentBits.GuildWebhooks,
	[GatewayDispatchEvents.InviteCreate]: GatewayIntentBits.GuildInvites,
	[GatewayDispatchEvents.InviteDelete]: GatewayIntentBits.GuildInvites,
	[GatewayDispatchEvents.PresenceUpdate]: GatewayIntentBits.GuildPresences,
	[GatewayDispatchEvents.MessageCreate]: GatewayIntentBits.GuildMessages,
	[GatewayDispatchEvents.MessageUpdate]: GatewayIntentBits.GuildMessages,
	[GatewayDispatchEvents.MessageDelete]: GatewayIntentBits.GuildMessages,
	[GatewayDispatchEvents.MessageDeleteBulk]: GatewayIntentBits.GuildMessages,
	[GatewayDispatchEvents.MessageReactionAdd]: GatewayIntentBits.GuildMessageReactions,
	[GatewayDispatchEvents.MessageReactionRemove]: GatewayIntentBits.GuildMessageReactions,
	[GatewayDispatchEvents.MessageReactionRemoveAll]: GatewayIntentBits.GuildMessageReactions,
	[GatewayDispatchEvents.MessageReactionRemoveEmoji]: GatewayIntentBits.GuildMessageReactions,
	[GatewayDispatchEvents.TypingStart]: GatewayIntentBits.GuildMessageTyping,
};

const DM_EVENTS: Partial<Record<GatewayDispatchEvents, number>> = {
	[GatewayDispatchEvents.MessageCreate]: GatewayIntentBits.DirectMessages,
	[GatewayDispatchEvents.MessageUpdate]: GatewayIntentBits.DirectMessages,
	[GatewayDispatchEvents.MessageDelete]: GatewayIntentBits.DirectMessages,
	[GatewayDispatchEvents.MessageReactionAdd]: GatewayIntentBits.DirectMessageReactions,
	[GatewayDispatchEvents.MessageReactionRemove]: GatewayIntentBits.DirectMessageReactions,
	[GatewayDispatchEvents.TypingStart]: GatewayIntentBits.DirectMessageTyping,
};

/** Whether a session with `intents` receives `event` (guild or DM). Events no intent governs always pass. */
export function intentAllows(intents: number, event: GatewayDispatchEvents, inGuild: boolean): boolean {
	const required = (inGuild ? GUILD_EVENTS : DM_EVENTS)[event];
	return required === undefined || (intents & required) !== 0;
}
