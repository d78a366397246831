import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import { preferBrandTypes } from '../src/index.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester();

tester.run('prefer-brand-types', preferBrandTypes, {
	valid: [
		'export function ban(guildId: GuildId, userId: UserId): void {}',
		'export interface Options { readonly channelId: ChannelId; readonly roleIds: readonly RoleId[] }',
		'function internal(userId: string): void {}',
		'interface Internal { guildId: string }',
		'export class Cache { private byGuildId: string = ""; public get(guildId: GuildId): void {} }',
		'export class Cache { #byGuildId = ""; #drop(guildId: string): void {} public get(guildId: GuildId): void {} }',
		'export function format(name: string, nonce: string): void {}',
		'export interface Raw { readonly foo_id: string; readonly guild_id: string }',
		'export interface Options { readonly nonceId: string }',
	],
	invalid: [
		{
			code: 'export function ban(guildId: string, userId: UserId): void {}',
			errors: [{ messageId: 'useBrand', data: { name: 'guildId', brand: 'GuildId', actual: 'string' } }],
		},
		{
			code: 'export interface Options { readonly channelId: Snowflake }',
			errors: [{ messageId: 'useBrand', data: { name: 'channelId', brand: 'ChannelId', actual: 'Snowflake' } }],
		},
		{
			code: 'export interface Options { readonly roleIds: readonly string[] }',
			errors: [{ messageId: 'useBrand' }],
		},
		{ code: 'export type Fn = (messageId: string) => void;', errors: [{ messageId: 'useBrand' }] },
		{
			code: 'export class Client { public constructor(public readonly applicationId: string) {} }',
			errors: [{ messageId: 'useBrand' }],
		},
		{
			code: 'export class Client { public fetch(userId: string | undefined): void {} }',
			errors: [{ messageId: 'useBrand' }],
		},
		{
			code: 'export interface Ban { targetUserId: string }',
			errors: [{ messageId: 'useBrand', data: { name: 'targetUserId', brand: 'UserId', actual: 'string' } }],
		},
	],
});
