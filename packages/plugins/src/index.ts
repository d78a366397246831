export { definePlugin } from './lib/definePlugin.js';
export type {
	PluginDefinition,
	PluginContext,
	PluginHostTypes,
	PluginServices,
	PluginApiView,
	PluginEventMap,
	PluginEventName,
	PluginEventArgs,
	PluginCacheView,
	PluginRestView,
	PluginStateView,
	PluginLogger,
	PluginHookOptions,
	Remote,
	ServiceOf,
} from './lib/definePlugin.js';
export { PluginManager, DefaultPluginLimits } from './lib/PluginManager.js';
export type {
	PluginManagerOptions,
	PluginManagerEvents,
	PluginLimits,
	PluginSource,
	PluginInfo,
	PluginLoadResult,
	PluginErrorReport,
} from './lib/PluginManager.js';
export type { PluginEnvironment, PluginStateBackend, PluginLogEntry } from './lib/environment.js';
export {
	PluginManifestBlockSchema,
	PLUGINS_ENGINE_VERSION,
	PLUGIN_NAME_PATTERN,
	IsolationLevels,
	parseManifest,
	checkEngine,
	compareIsolation,
} from './lib/manifest.js';
export type { IsolationLevel, ResolvedManifest, PluginManifestBlockInput, JsonSchema } from './lib/manifest.js';
export { CapabilitySet, isCapability } from './lib/capabilities.js';
export { resolveGraph, dependentsOf } from './lib/graph.js';
export type { GraphNode, GraphResolution } from './lib/graph.js';
export { validateConfig, resolveReferences, checkSchema } from './lib/config.js';
export type { ConfigSources } from './lib/config.js';
export { discoverPlugins, locatePlugin } from './lib/discovery.js';
export type { PluginPackage } from './lib/discovery.js';
export { stateKey } from './lib/PluginGate.js';
export { PluginError, PluginErrorMessages } from './lib/errors/PluginError.js';
export type {
	PluginErrorCode,
	PluginErrorDetails,
	PluginErrorFacts,
	PluginErrorOptions,
	PluginFailure,
	PluginDefinitionProblem,
	PluginNotFound,
	PluginManifestProblem,
	PluginInvalidCall,
	PluginDependencyProblem,
	PluginConfigProblem,
	PluginIsolationProblem,
	PluginServiceProblem,
	PluginTimeoutOutcome,
	PluginCrash,
	PluginNotLoaded,
	PluginInternalPart,
} from './lib/errors/PluginError.js';
