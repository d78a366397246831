export { ExtensionBus } from './lib/bus/ExtensionBus.js';
export type { ExtensionHandlerOptions } from './lib/bus/ExtensionBus.js';
export type {
	UnhandledErrorContext,
	ValidationErrorContext,
	MetricSample,
	ClientConnectInfo,
	ClientReadyInfo,
	ClientDisconnectInfo,
	ShardLifecycleInfo,
	DispatchEnvelope,
	AuthAttemptInfo,
	PermissionCheckInfo,
	ListenerCall,
} from './lib/bus/points.js';
export { CoreError, CoreErrorMessages } from './lib/errors/CoreError.js';
export type { CoreErrorCode, CoreErrorDetails } from './lib/errors/CoreError.js';
export { BuilderValidationError } from './lib/errors/BuilderValidationError.js';
export type { BuilderIssue } from './lib/errors/BuilderValidationError.js';
export { ApiResource, param } from './lib/api/ApiResource.js';
export type {
	HttpMethod,
	ApiFile,
	RequestData,
	RequestContract,
	ApiRequestOptions,
	QueryValue,
} from './lib/api/ApiResource.js';
export * from './lib/api/generated/index.js';
export { EmbedBuilder, EmbedLimits, embedLength } from './lib/builders/EmbedBuilder.js';
export {
	ButtonBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
	ActionRowBuilder,
	ComponentLimits,
} from './lib/builders/components.js';
export { ModalBuilder, ModalLimits } from './lib/builders/ModalBuilder.js';
export {
	SlashCommandBuilder,
	SlashSubcommandBuilder,
	ContextMenuCommandBuilder,
	CommandLimits,
	COMMAND_NAME_PATTERN,
} from './lib/builders/commands.js';
export type {
	CommandOptionInput,
	StringOptionInput,
	NumberOptionInput,
	ChannelOptionInput,
} from './lib/builders/commands.js';
export { BaseInteraction, toMessageBody } from './lib/interactions/BaseInteraction.js';
export type {
	InteractionContext,
	InteractionMessageOptions,
	InteractionReply,
} from './lib/interactions/BaseInteraction.js';
export {
	ChatInputCommandInteraction,
	ContextMenuCommandInteraction,
	ComponentInteraction,
	ModalSubmitInteraction,
	AutocompleteInteraction,
	CommandOptions,
	createInteraction,
} from './lib/interactions/interactions.js';
export type { AnyInteraction } from './lib/interactions/interactions.js';
export { Client } from './lib/client/Client.js';
export type { CommandInput } from './lib/client/Client.js';
export type {
	ClientOptions,
	ClientAppState,
	ClientStateOptions,
	ClientEvents,
	ClientReadyEventInfo,
	ShardEventInfo,
	ShardsReadyInfo,
} from './lib/client/ClientOptions.js';
export { DefaultClientOptions, DefaultClientStateOptions } from './lib/client/ClientOptions.js';
export type { Listener, WaitForOptions } from '@ovenjs/types';
export { ClientMessage } from './lib/client/ClientMessage.js';
export type {
	ClientPluginsOptions,
	PluginMessage,
	PluginClientEvents,
	PluginCacheViews,
} from './lib/client/ClientPlugins.js';
export { EventPipeline, DefaultBatchOptions } from './lib/client/EventPipeline.js';
export type {
	DispatchFilter,
	DispatchTransformer,
	BatchOptions,
	BatchHandle,
	RecordedDispatch,
} from './lib/client/EventPipeline.js';
export { isAPIInteraction } from './lib/client/guards.js';
export type { MessageUpdate, MessageDelete, GuildMemberEvent, GuildMemberRemove } from './lib/client/schemas.js';
