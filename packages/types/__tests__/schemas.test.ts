import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	DefaultValidationSampling,
	ValidationSampler,
	getValidationMode,
	hasModelShape,
	parsePayload,
	setValidationMode,
	TypesError,
	asUserId,
} from '@ovenjs/types';

const rawUser = {
	id: '80351110224678912',
	username: 'Nelly',
	discriminator: '0',
	global_name: null,
	avatar: null,
	extra_field: 1,
};
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

beforeEach(() => {
	setValidationMode('full');
});

afterEach(() => {
	setValidationMode('sampled');
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

	it('only checks the key fields when validation is off (the hot path)', () => {
		setValidationMode('off');
		expect(getValidationMode()).toBe('off');
		const unchecked = { ...rawMessage, tts: 'not-checked' };
		expect(parsePayload('Message', unchecked)).toBe(unchecked);
		expect(() => parsePayload('Message', null)).toThrow(/must be an object/);
		for (const bad of [
			{ ...rawMessage, id: 'abc' },
			{ ...rawMessage, author: {} },
			{ ...rawMessage, content: 5 },
			{ ...rawMessage, guild_id: 7 },
		]) {
			expect(() => parsePayload('Message', bad)).toThrow(TypesError);
		}
		expect(() => parsePayload('Channel', { id: '290926798999357250' })).toThrow(/type/);
	});

	it("defaults to 'sampled' whatever NODE_ENV says: the first payloads of a model in full, then a sample", () => {
		setValidationMode('sampled');
		const drifted = { ...rawMessage, tts: 'drifted' };
		// A fresh sampler validates the first `first` payloads of each kind, then one in `every`.
		const sampler = new ValidationSampler({ first: 2, every: 3 });
		expect(Array.from({ length: 9 }, () => sampler.take('Message'))).toEqual([
			true,
			true,
			false,
			false,
			true,
			false,
			false,
			true,
			false,
		]);
		expect(sampler.take('User')).toBe(true);
		// A kind may take fewer first payloads (large ones), never more.
		const large = new ValidationSampler({ first: 2, every: 3 });
		expect(Array.from({ length: 5 }, () => large.take('Guild', 1))).toEqual([true, false, false, true, false]);
		expect(Array.from({ length: 3 }, () => large.take('Role', 10))).toEqual([true, true, false]);
		expect(DefaultValidationSampling).toEqual({ first: 100, every: 1000 });
		// The process-wide sampler: once past the first payloads of a kind, any `every` in a row hold one sample.
		for (let index = 0; index < DefaultValidationSampling.first; index++) parsePayload('Message', rawMessage);
		const rejected = Array.from({ length: DefaultValidationSampling.every }, () => {
			try {
				return !Object.is(parsePayload('Message', drifted), drifted);
			} catch {
				return true;
			}
		});
		expect(rejected.filter(Boolean)).toHaveLength(1);
		expect(() => parsePayload('Message', { ...rawMessage, id: 'abc' })).toThrow(TypesError);
	});

	it('hasModelShape checks the fields consumers key on', () => {
		expect(hasModelShape('User', rawUser)).toBe(true);
		expect(hasModelShape('User', { ...rawUser, id: 5 })).toBe(false);
		expect(hasModelShape('Guild', { id: '290926798999357249', roles: [], emojis: [] })).toBe(true);
		expect(hasModelShape('Guild', { id: '290926798999357249' })).toBe(false);
		expect(hasModelShape('Member', { roles: [], user: { id: 'x' } })).toBe(false);
		expect(hasModelShape('Emoji', { id: null, name: '🔥' })).toBe(true);
		expect(hasModelShape('Interaction', { id: '290926798999357249', token: 't', type: 2 })).toBe(true);
		expect(hasModelShape('Role', [])).toBe(false);
	});

	it('parses guilds with nested roles, channels and members', () => {
		const guild = parsePayload('Guild', {
			id: '290926798999357249',
			name: 'g',
			icon: null,
			owner_id: '80351110224678912',
			roles: [
				{
					id: '290926798999357249',
					name: '@everyone',
					color: 0,
					hoist: false,
					position: 0,
					permissions: '1024',
					managed: false,
					mentionable: false,
				},
			],
			emojis: [],
			features: [],
			channels: [{ id: '290926798999357250', type: 0, name: 'general' }],
			members: [{ user: rawUser, roles: [], joined_at: '2017-01-01T00:00:00Z' }],
		});
		expect(guild.roles[0]?.permissions).toBe('1024');
		expect(guild.members?.[0]?.user?.id).toBe('80351110224678912');
	});
});
