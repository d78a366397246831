import {
	ApplicationCommandType,
	ApplicationIntegrationType,
	InteractionContextType,
	type APIApplicationCommand,
	type APIApplicationCommandOption,
} from 'discord-api-types/v10';
import type { GuildId } from '@ovenjs/types';
import { z } from 'zod';
import { DiscordHttpError } from '../DiscordHttpError.js';
import type { RouteContext, RouteDefinition, RouteResult } from '../types.js';
import { guildOf, ids, parseBody, snowflakeParam } from './shared.js';

const option: z.ZodType = z.lazy(() =>
	z.looseObject({
		type: z.number().int().min(1).max(11),
		name: z.string().regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, 'Invalid command option name.'),
		description: z.string().min(1).max(100),
		required: z.boolean().exactOptional(),
		options: z.array(option).max(25).exactOptional(),
	}),
);

const commandName = z.string().regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, 'Invalid command name.');

/** Body of command create (and each element of a bulk overwrite). */
export const CommandBody = z.object({
	name: commandName,
	description: z.string().max(100).exactOptional(),
	type: z.enum(ApplicationCommandType).exactOptional(),
	options: z.array(option).max(25).exactOptional(),
	default_member_permissions: z.string().nullable().exactOptional(),
	nsfw: z.boolean().exactOptional(),
	name_localizations: z.record(z.string(), z.string()).nullable().exactOptional(),
	description_localizations: z.record(z.string(), z.string()).nullable().exactOptional(),
	integration_types: z.array(z.number().int()).exactOptional(),
	contexts: z.array(z.number().int()).nullable().exactOptional(),
	dm_permission: z.boolean().nullable().exactOptional(),
});

type CommandInput = z.output<typeof CommandBody>;

/** Options already passed the zod schema above; this re-checks the discriminating fields for the compiler. */
function isOptionList(options: readonly unknown[]): options is APIApplicationCommandOption[] {
	return options.every(
		(entry) =>
			typeof entry === 'object' &&
			entry !== null &&
			typeof Reflect.get(entry, 'type') === 'number' &&
			typeof Reflect.get(entry, 'name') === 'string' &&
			typeof Reflect.get(entry, 'description') === 'string',
	);
}

function scopeOf(ctx: RouteContext): GuildId | null {
	if (snowflakeParam(ctx, 'application_id') !== ctx.services.application.id)
		throw new DiscordHttpError(403, 50001, 'Missing Access');
	return ctx.params.guild_id === undefined ? null : guildOf(ctx).id;
}

function build(
	ctx: RouteContext,
	input: CommandInput,
	guildId: GuildId | null,
	existing?: APIApplicationCommand,
): APIApplicationCommand {
	const type = input.type ?? ApplicationCommandType.ChatInput;
	if (type === ApplicationCommandType.ChatInput && (input.description ?? '').length === 0) {
		throw DiscordHttpError.field(['description'], 'BASE_TYPE_REQUIRED', 'This field is required');
	}
	const id = existing === undefined ? ctx.world.ids.next('Command') : ids.command(existing.id);
	return {
		id,
		type,
		application_id: ctx.services.application.id,
		...(guildId === null ? {} : { guild_id: guildId }),
		name: input.name,
		name_localizations: input.name_localizations ?? null,
		description: type === ApplicationCommandType.ChatInput ? (input.description ?? '') : '',
		description_localizations: input.description_localizations ?? null,
		...(input.options !== undefined && isOptionList(input.options) ? { options: input.options } : {}),
		default_member_permissions: input.default_member_permissions ?? null,
		nsfw: input.nsfw ?? false,
		integration_types: [ApplicationIntegrationType.GuildInstall],
		contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
		version: ctx.world.ids.next('Command'),
	};
}

function list(ctx: RouteContext, guildId: GuildId | null): APIApplicationCommand[] {
	return [...ctx.world.data.commands.values()]
		.filter((entry) => entry.guildId === guildId)
		.map((entry) => entry.command);
}

function commandOf(ctx: RouteContext, guildId: GuildId | null): APIApplicationCommand {
	const entry = ctx.world.data.commands.get(ids.command(snowflakeParam(ctx, 'command_id')));
	if (entry?.guildId !== guildId) throw DiscordHttpError.unknown('Application Command');
	return entry.command;
}

function upsert(
	ctx: RouteContext,
	guildId: GuildId | null,
	input: CommandInput,
): { command: APIApplicationCommand; created: boolean } {
	const type = input.type ?? ApplicationCommandType.ChatInput;
	const existing = list(ctx, guildId).find((command) => command.name === input.name && command.type === type);
	const command = build(ctx, input, guildId, existing);
	ctx.world.data.commands.set(ids.command(command.id), { command, guildId });
	return { command, created: existing === undefined };
}

function routesFor(base: string, bucket: string): RouteDefinition[] {
	return [
		{
			method: 'GET',
			path: base,
			bucket,
			handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: list(ctx, scopeOf(ctx)) }),
		},
		{
			method: 'POST',
			path: base,
			bucket,
			handler: (ctx: RouteContext): RouteResult => {
				const guildId = scopeOf(ctx);
				if (list(ctx, guildId).length >= 100)
					throw new DiscordHttpError(400, 30032, 'Maximum number of application commands reached (100)');
				const { command, created } = upsert(ctx, guildId, parseBody(CommandBody, ctx.body));
				return { status: created ? 201 : 200, body: command };
			},
		},
		{
			method: 'PUT',
			path: base,
			bucket,
			handler: (ctx: RouteContext): RouteResult => {
				const guildId = scopeOf(ctx);
				const inputs = parseBody(z.array(CommandBody).max(100), ctx.body);
				const kept = new Set<string>();
				const result = inputs.map((input) => {
					const { command } = upsert(ctx, guildId, input);
					kept.add(command.id);
					return command;
				});
				for (const [id, entry] of ctx.world.data.commands) {
					if (entry.guildId === guildId && !kept.has(id)) ctx.world.data.commands.delete(id);
				}
				return { status: 200, body: result };
			},
		},
		{
			method: 'GET',
			path: `${base}/{command_id}`,
			bucket,
			handler: (ctx: RouteContext): RouteResult => ({ status: 200, body: commandOf(ctx, scopeOf(ctx)) }),
		},
		{
			method: 'PATCH',
			path: `${base}/{command_id}`,
			bucket,
			handler: (ctx: RouteContext): RouteResult => {
				const guildId = scopeOf(ctx);
				const existing = commandOf(ctx, guildId);
				const patch = parseBody(CommandBody.extend({ name: commandName.exactOptional() }), ctx.body);
				const command = build(
					ctx,
					{
						...patch,
						name: patch.name ?? existing.name,
						description: patch.description ?? existing.description,
						type: patch.type ?? existing.type,
						...(patch.options === undefined
							? existing.options === undefined
								? {}
								: { options: existing.options }
							: { options: patch.options }),
					},
					guildId,
					existing,
				);
				ctx.world.data.commands.set(ids.command(command.id), { command, guildId });
				return { status: 200, body: command };
			},
		},
		{
			method: 'DELETE',
			path: `${base}/{command_id}`,
			bucket,
			handler: (ctx: RouteContext): RouteResult => {
				const guildId = scopeOf(ctx);
				ctx.world.data.commands.delete(ids.command(commandOf(ctx, guildId).id));
				return { status: 204 };
			},
		},
	];
}

/** Global and guild application commands. */
export const commandRoutes: readonly RouteDefinition[] = [
	...routesFor('/applications/{application_id}/commands', 'commands'),
	...routesFor('/applications/{application_id}/guilds/{guild_id}/commands', 'guild-commands'),
];
