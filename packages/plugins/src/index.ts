export { PluginHost, definePlugin, PLUGIN_API_VERSION } from './lib/PluginHost.js';
export type { ExtensionPointRegistrar, Plugin, PluginContext, PluginHostOptions, PluginSetupResult } from './lib/PluginHost.js';
export { PluginManifestSchema, PluginPermissions } from './lib/manifest.js';
export type { PluginManifest, PluginManifestInput, PluginPermission } from './lib/manifest.js';
export { PluginError } from './lib/errors/PluginError.js';
export type { PluginErrorCode } from './lib/errors/PluginError.js';
