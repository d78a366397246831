import { registerSecret } from '@ovenjs/types';
import { describe, expect, it } from 'vitest';
import { DiscordAPIError, HTTPError, RateLimitError, RequestTimeoutError, RestError } from '../src/index.js';
import { CircuitBreaker, flattenFieldErrors } from '../src/internal.js';

describe('errors', () => {
	it('flattens Discord field errors into the message', () => {
		const raw = {
			code: 50035,
			message: 'Invalid Form Body',
			errors: {
				content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
				embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } } },
			},
		};
		const error = new DiscordAPIError(raw, 400, { method: 'POST', route: '/channels/1/messages' });
		expect(error.discordCode).toBe(50035);
		expect(error.code).toBe('REST_DISCORD_API_ERROR');
		expect(error.name).toBe('DiscordAPIError[REST_DISCORD_API_ERROR]');
		expect(error.fieldErrors.map((e) => e.path)).toEqual(['content', 'embeds[0].title']);
		expect(error.message).toContain('embeds[0].title[BASE_TYPE_REQUIRED]: This field is required');
		expect(error).toBeInstanceOf(RestError);
		expect(flattenFieldErrors(undefined)).toEqual([]);
	});

	it('never puts a registered token in a message', () => {
		const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';
		registerSecret(token);
		const errors = [
			new HTTPError(502, 'Bad Gateway', { method: 'GET', route: `/webhooks/1/${token}` }),
			new RequestTimeoutError(100, { method: 'GET', route: `/webhooks/1/${token}` }),
			new RateLimitError({ method: 'GET', route: `/x/${token}`, retryAfter: 10, global: false, scope: 'user', routeKey: 'GET /x' }),
			new DiscordAPIError({ code: 0, message: `bad ${token}` }, 400, { method: 'GET', route: '/x' }),
		];
		for (const error of errors) {
			expect(error.message).not.toContain(token);
			expect(JSON.stringify(error)).not.toContain(token);
		}
	});
});

describe('CircuitBreaker', () => {
	it('opens after the threshold, fails fast, lets one probe through and closes on success', () => {
		const breaker = new CircuitBreaker(3, 1_000);
		for (let i = 0; i < 3; i++) breaker.failure(0);
		expect(breaker.state).toBe('open');
		expect(breaker.allow(500)).toBe(false);
		expect(breaker.retryIn(500)).toBe(500);
		expect(breaker.allow(1_000)).toBe(true);
		expect(breaker.state).toBe('half-open');
		expect(breaker.allow(1_001)).toBe(false);
		breaker.success();
		expect(breaker.state).toBe('closed');
		expect(breaker.allow(1_002)).toBe(true);
	});

	it('re-opens when the probe fails and never opens with threshold 0', () => {
		const breaker = new CircuitBreaker(1, 100);
		breaker.failure(0);
		expect(breaker.allow(100)).toBe(true);
		breaker.failure(100);
		expect(breaker.state).toBe('open');
		expect(breaker.allow(150)).toBe(false);
		const off = new CircuitBreaker(0, 100);
		for (let i = 0; i < 100; i++) off.failure(0);
		expect(off.allow(0)).toBe(true);
	});
});
