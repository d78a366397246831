// @ts-check
// An OvenJS plugin in one file whose only import is @ovenjs/plugins, so it runs at every isolation level,
// 'isolate' included. It offers the `greetings` service (see index.d.ts) and answers `!greetings` with a count
// kept in its state namespace, which survives reloads.
import { definePlugin } from '@ovenjs/plugins';

// Types only: brings the client's event map (ctx.on's typed messages) and ctx.api into the plugin's types.
/** @typedef {import('@ovenjs/core').PluginMessage} PluginMessage */

/** @typedef {{ greeting: string, command: string }} GreetingsConfig */
/** @typedef {{ greeted: number, last?: string }} GreetingsState */

export default definePlugin(
	/** @type {import('@ovenjs/plugins').PluginDefinition<GreetingsConfig, GreetingsState>} */ ({
		setup(ctx) {
			const { greeting, command } = ctx.config;
			ctx.provide('greetings', {
				/** @param {string} name */
				async greet(name) {
					const next = await ctx.state.update((state) => ({
						greeted: (state?.greeted ?? 0) + 1,
						last: name,
					}));
					ctx.logger.debug(`greeted ${name} (${next?.greeted ?? 0} so far)`);
					return `${greeting}, ${name}!`;
				},
				async count() {
					return (await ctx.state.get())?.greeted ?? 0;
				},
			});
			ctx.on('messageCreate', async (message) => {
				if (message.content !== command) return;
				const state = await ctx.state.get();
				const count = state?.greeted ?? 0;
				const text =
					count === 0
						? 'Nobody was greeted yet.'
						: `${count} greeting${count === 1 ? '' : 's'} so far, the last for ${state?.last ?? 'someone'}.`;
				await ctx.api.channels.createMessage(message.channelId, {
					content: text,
					message_reference: { message_id: message.id, fail_if_not_exists: false },
				});
			});
		},
	}),
);
