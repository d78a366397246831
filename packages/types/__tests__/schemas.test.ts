import { afterEach, describe, expect, it } from 'vitest';
import { getValidationMode, parsePayload, setValidationMode, TypesError, asUserId } from '@ovenjs/types';

const rawUser = { id: '80351110224678912', username: 'Nelly', discriminator: '0', global_name: null, avatar: null, extra_field: 1 };
const rawMessage = {
	id: '334385199974967042',
	channel_id: '290926798999357250',
	guild_id: '290926798999357249',
	author: rawUser,
	content: 'hello',
	timestamp: '2017-07-11T17:27:07.299000+00:00',
	edited_timestamp: null,
	tts: false,
	mention_everyone: false,
	mentions: [],
	mention_roles: [],
	attachments: [],
	embeds: [],
	pinned: false,
	type: 0,
};

afterEach(() => {
	setValidationMode('full');
});

describe('parsePayload', () => {
	it('parses a raw payload into a branded model and keeps unknown fields', () => {
		const message = parsePayload('Message', rawMessage);
		expect(message.author.id).toBe(asUserId('80351110224678912'));
		expect(message.content).toBe('hello');
		const user = parsePayload('User', rawUser);
		expect(user).toMatchObject({ extra_field: 1 });
	});

	it('lists every wrong field in a typed error', () => {
		const bad = { ...rawMessage, id: 'abc', author: { ...rawUser, username: 5 } };
		let caught: unknown;
		try {
			parsePayload('Message', bad);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(TypesError);
		expect(caught).toMatchObject({ code: 'TYPES_VALIDATION_FAILED' });
		const message = (caught as TypesError).message;
		expect(message).toContain('id: Expected a Message ID');
		expect(message).toContain('author.username');
	});

	it('trusts payloads without parsing when validation is off (the hot path)', () => {
		setValidationMode('off');
		expect(getValidationMode()).toBe('off');
		const bad = { ...rawMessage, id: 'not-checked' };
		expect(parsePayload('Message', bad)).toBe(bad);
		expect(() => parsePayload('Message', null)).toThrow(/must be an object/);
	});

	it('parses guilds with nested roles, channels and members', () => {
		const guild = parsePayload('Guild', {
			id: '290926798999357249',
			name: 'g',
			icon: null,
			owner_id: '80351110224678912',
			roles: [{ id: '290926798999357249', name: '@everyone', color: 0, hoist: false, position: 0, permissions: '1024', managed: false, mentionable: false }],
			emojis: [],
			features: [],
			channels: [{ id: '290926798999357250', type: 0, name: 'general' }],
			members: [{ user: rawUser, roles: [], joined_at: '2017-01-01T00:00:00Z' }],
		});
		expect(guild.roles[0]?.permissions).toBe('1024');
		expect(guild.members?.[0]?.user?.id).toBe('80351110224678912');
	});
});
