import type { PluginDefinition } from '@ovenjs/plugins';

/** The service this plugin provides to plugins that depend on it (`ctx.use('greetings')`). */
export interface GreetingsService {
	/** Greets `name` and counts it. */
	greet(name: string): Promise<string>;
	/** How many greetings so far. */
	count(): Promise<number>;
}

declare module '@ovenjs/plugins' {
	interface PluginServices {
		greetings: GreetingsService;
	}
}

declare const plugin: PluginDefinition<{ greeting: string; command: string }, { greeted: number; last?: string }>;
export default plugin;
