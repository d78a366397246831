import type { PluginDefinition } from '@ovenjs/plugins';
import type {} from 'ovenjs-plugin-greetings';

declare const plugin: PluginDefinition;
export default plugin;
