import { describe, expect, it } from 'vitest';
import {
	ALL_PERMISSIONS,
	addPermissions,
	asGuildId,
	asRoleId,
	asUserId,
	computePermissions,
	hasAnyPermission,
	hasPermission,
	NO_PERMISSIONS,
	PermissionFlags as F,
	permissionNames,
	removePermissions,
	resolvePermissions,
	TypesError,
	type PermissionContext,
} from '@ovenjs/types';

const guildId = asGuildId('100000000000000000');
const ownerId = asUserId('200000000000000000');
const userId = asUserId('300000000000000000');
const mods = asRoleId('400000000000000000');
const muted = asRoleId('500000000000000000');

const everyonePerms =
	F.ViewChannel | F.SendMessages | F.ReadMessageHistory | F.AddReactions | F.EmbedLinks | F.AttachFiles;
const base: PermissionContext = {
	guildId,
	ownerId,
	userId,
	memberRoleIds: [],
	roles: [
		{ id: asRoleId(guildId), permissions: everyonePerms.toString() },
		{ id: mods, permissions: (F.ManageMessages | F.KickMembers).toString() },
		{ id: muted, permissions: '0' },
	],
};

describe('permission bitfields', () => {
	it('resolves names, bigints, decimal strings and lists', () => {
		expect(resolvePermissions('SendMessages')).toBe(F.SendMessages);
		expect(resolvePermissions(['SendMessages', 'ViewChannel'])).toBe(F.SendMessages | F.ViewChannel);
		expect(resolvePermissions('2048')).toBe(F.SendMessages);
		expect(resolvePermissions(F.Administrator)).toBe(F.Administrator);
		expect(resolvePermissions([])).toBe(0n);
	});

	it('rejects unknown names and undefined bits with a typed error', () => {
		// @ts-expect-error not a permission name
		expect(() => resolvePermissions('SendMessage')).toThrow(TypesError);
		expect(() => resolvePermissions(1n << 62n)).toThrow(/bits Discord does not define/);
		expect(() => resolvePermissions(-1n)).toThrow(TypesError);
	});

	it('has/add/remove/names', () => {
		const bits = resolvePermissions(['SendMessages', 'ViewChannel']);
		expect(hasPermission(bits, 'SendMessages')).toBe(true);
		expect(hasPermission(bits, ['SendMessages', 'BanMembers'])).toBe(false);
		expect(hasAnyPermission(bits, ['SendMessages', 'BanMembers'])).toBe(true);
		expect(hasPermission(resolvePermissions('Administrator'), 'BanMembers')).toBe(true);
		expect(hasPermission(resolvePermissions('Administrator'), 'BanMembers', false)).toBe(false);
		const more = addPermissions(bits, 'BanMembers');
		expect(hasPermission(more, 'BanMembers')).toBe(true);
		expect(removePermissions(more, ['BanMembers', 'ViewChannel'])).toBe(F.SendMessages);
		expect(permissionNames(bits)).toEqual(['ViewChannel', 'SendMessages']);
		expect(permissionNames(NO_PERMISSIONS)).toEqual([]);
		expect(permissionNames(ALL_PERMISSIONS).length).toBe(Object.keys(F).length - duplicates());
	});
});

/** discord-api-types keeps a deprecated alias (ManageEmojisAndStickers = ManageGuildExpressions). */
function duplicates(): number {
	const values = Object.values(F);
	return values.length - new Set(values).size;
}

describe("computePermissions (Discord's documented algorithm)", () => {
	it('the owner has everything', () => {
		expect(computePermissions({ ...base, userId: ownerId })).toBe(ALL_PERMISSIONS);
	});

	it("base permissions are @everyone OR the member's roles", () => {
		const perms = computePermissions({ ...base, memberRoleIds: [mods] });
		expect(perms).toBe(everyonePerms | F.ManageMessages | F.KickMembers);
	});

	it('Administrator on any role grants everything, overwrites cannot remove it', () => {
		const ctx: PermissionContext = {
			...base,
			roles: [...base.roles, { id: asRoleId('600000000000000000'), permissions: F.Administrator }],
			memberRoleIds: [asRoleId('600000000000000000')],
			overwrites: [{ id: guildId, type: 0, allow: '0', deny: F.ViewChannel.toString() }],
		};
		expect(computePermissions(ctx)).toBe(ALL_PERMISSIONS);
	});

	it('worked example: @everyone deny, role allow, member deny — applied in that order', () => {
		// #mod-chat: @everyone cannot view; Mods may view and send; this member is denied SendMessages personally.
		const ctx: PermissionContext = {
			...base,
			memberRoleIds: [mods],
			overwrites: [
				{ id: guildId, type: 0, allow: '0', deny: F.ViewChannel.toString() },
				{ id: mods, type: 0, allow: (F.ViewChannel | F.SendMessages).toString(), deny: '0' },
				{ id: userId, type: 1, allow: '0', deny: F.SendMessages.toString() },
			],
		};
		const perms = computePermissions(ctx);
		expect(hasPermission(perms, 'ViewChannel')).toBe(true);
		expect(hasPermission(perms, 'SendMessages')).toBe(false);
		// Without SendMessages, the implicit rule removes embeds and attachments too.
		expect(hasPermission(perms, 'EmbedLinks')).toBe(false);
		expect(hasPermission(perms, 'AttachFiles')).toBe(false);
		expect(hasPermission(perms, 'ManageMessages')).toBe(true);
	});

	it("role allows win over role denies across the member's roles", () => {
		const ctx: PermissionContext = {
			...base,
			memberRoleIds: [mods, muted],
			overwrites: [
				{ id: muted, type: 0, allow: '0', deny: F.AddReactions.toString() },
				{ id: mods, type: 0, allow: F.AddReactions.toString(), deny: '0' },
			],
		};
		expect(hasPermission(computePermissions(ctx), 'AddReactions')).toBe(true);
	});

	it('no ViewChannel in the channel means no permission at all', () => {
		const ctx: PermissionContext = {
			...base,
			overwrites: [{ id: guildId, type: 0, allow: '0', deny: F.ViewChannel.toString() }],
		};
		expect(computePermissions(ctx)).toBe(0n);
	});

	it('tolerates permission bits newer than this library and rejects malformed values with a typed error', () => {
		const future = 1n << 60n;
		const ctx: PermissionContext = {
			...base,
			roles: [{ id: asRoleId(guildId), permissions: (everyonePerms | future).toString() }],
		};
		expect(computePermissions(ctx)).toBe(everyonePerms);
		const broken: PermissionContext = { ...base, roles: [{ id: asRoleId(guildId), permissions: 'lots' }] };
		expect(() => computePermissions(broken)).toThrow(
			expect.objectContaining({ code: 'TYPES_INVALID_PERMISSIONS' }) as Error,
		);
		expect(() => computePermissions(broken)).toThrow(/role 100000000000000000 must be a decimal string/);
	});

	it('a timed-out member keeps only ViewChannel and ReadMessageHistory', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		const ctx: PermissionContext = {
			...base,
			memberRoleIds: [mods],
			communicationDisabledUntil: '2026-01-01T01:00:00Z',
			now,
		};
		expect(computePermissions(ctx)).toBe(F.ViewChannel | F.ReadMessageHistory);
		expect(computePermissions({ ...ctx, communicationDisabledUntil: '2025-12-31T23:00:00Z' })).toBe(
			everyonePerms | F.ManageMessages | F.KickMembers,
		);
	});
});
