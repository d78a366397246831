// @ts-check
// Answers `!hello` with a greeting from the greetings plugin's service: `ctx.use('greetings')` works because
// ovenjs-plugin-greetings is in this plugin's "ovenjs.dependencies", so it loads first and its service is reachable.
import { definePlugin } from '@ovenjs/plugins';
/** @typedef {import('ovenjs-plugin-greetings').GreetingsService} GreetingsService */
/** @typedef {import('@ovenjs/core').PluginMessage} PluginMessage */

export default definePlugin({
	setup(ctx) {
		/** @type {import('@ovenjs/plugins').Remote<GreetingsService>} */
		const greetings = ctx.use('greetings');
		ctx.on('messageCreate', async (message) => {
			if (message.content !== '!hello' || message.fromBot) return;
			const text = await greetings.greet(message.author.username);
			await ctx.api.channels.createMessage(message.channelId, {
				content: text,
				message_reference: { message_id: message.id, fail_if_not_exists: false },
			});
		});
		ctx.logger.info('ready: say !hello');
	},
});
