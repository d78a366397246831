import { describe, expect, it } from 'vitest';
import { computeRoute } from '../src/internal.js';

describe('computeRoute', () => {
	it('keeps major parameters and templates minor IDs', () => {
		const info = computeRoute('PATCH', '/channels/111111111111111111/messages/222222222222222222', true);
		expect(info).toMatchObject({
			route: 'PATCH /channels/:id/messages/:id',
			major: '111111111111111111',
			global: true,
			interactionCallback: false,
		});
		expect(computeRoute('GET', '/guilds/333333333333333333/members/444444444444444444', true)).toMatchObject({
			route: 'GET /guilds/:id/members/:id',
			major: '333333333333333333',
		});
		expect(computeRoute('GET', '/users/@me/guilds', true)).toMatchObject({
			route: 'GET /users/@me/guilds',
			major: '',
		});
	});

	it('keys webhooks by ID and token without exposing the token', () => {
		const token = 'aVerySecretWebhookTokenValue_123';
		const info = computeRoute('POST', `/webhooks/555555555555555555/${token}`, false);
		expect(info.route).toBe('POST /webhooks/:id/:token');
		expect(info.major.startsWith('555555555555555555:')).toBe(true);
		expect(info.major).not.toContain(token);
		expect(info.queueKey).not.toContain(token);
		expect(info.global).toBe(false);
		expect(computeRoute('POST', '/webhooks/555555555555555555/other', false).major).not.toBe(info.major);
	});

	it('collapses reaction routes and exempts interaction callbacks from the global limit', () => {
		expect(computeRoute('PUT', '/channels/1/messages/2/reactions/%F0%9F%91%8D/@me', true).route).toBe(
			'PUT /channels/:id/messages/:id/reactions/:reaction',
		);
		const callback = computeRoute('POST', '/interactions/666666666666666666/secret-token/callback', true);
		expect(callback).toMatchObject({
			route: 'POST /interactions/:id/:token/callback',
			interactionCallback: true,
			global: false,
		});
	});

	it('gives deletes of messages older than two weeks their own bucket', () => {
		const old = computeRoute('DELETE', '/channels/1/messages/175928847299117063', true);
		expect(old.route).toBe('DELETE /channels/:id/messages/:id(old)');
		const fresh = BigInt(Date.now() - 1_420_070_400_000) << 22n;
		expect(computeRoute('DELETE', `/channels/1/messages/${fresh}`, true).route).toBe(
			'DELETE /channels/:id/messages/:id',
		);
	});
});
