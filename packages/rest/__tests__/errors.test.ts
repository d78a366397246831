import { registerSecret } from '@ovenjs/types';
import { describe, expect, it } from 'vitest';
import {
	DiscordAPIError,
	HTTPError,
	MaybeAppliedError,
	RateLimitError,
	RequestTimeoutError,
	RestError,
	RestErrorMessages,
	type RestErrorDetails,
} from '../src/index.js';
import { CircuitBreaker, flattenFieldErrors } from '../src/internal.js';

describe('errors', () => {
	it('flattens Discord field errors into the message', () => {
		const raw = {
			code: 50035,
			message: 'Invalid Form Body',
			errors: {
				content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] },
				embeds: {
					0: { title: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } },
				},
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
			new RateLimitError({
				method: 'GET',
				route: `/x/${token}`,
				retryAfter: 10,
				global: false,
				scope: 'user',
				routeKey: 'GET /x',
			}),
			new DiscordAPIError({ code: 0, message: `bad ${token}` }, 400, { method: 'GET', route: '/x' }),
		];
		for (const error of errors) {
			expect(error.message).not.toContain(token);
			expect(JSON.stringify(error)).not.toContain(token);
		}
	});
});

describe('RestErrorMessages', () => {
	const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.messages-table-token-abcdefghijklmnop';
	const context = { method: 'GET', route: `/webhooks/1/${token}` };
	const details: RestErrorDetails = {
		REST_INVALID_OPTION: ['option "timeout"', 'must be a positive finite number; got -1'],
		REST_INVALID_ROUTE: [`/a\r\n${token}`, 'it contains a control character'],
		REST_INVALID_METHOD: ['PUSH'],
		REST_INVALID_REASON: [600, 512],
		REST_INVALID_FILE: ['files[0]', 'it has no name'],
		REST_TOKEN_MISSING: ['GET', '/users/@me'],
		REST_CALLBACK_FAILED: ['rejectOnRateLimit', 'GET', '/x', `Error: ${token}`],
		REST_DISCORD_API_ERROR: [
			'POST',
			'/x',
			400,
			50035,
			'Invalid Form Body',
			[{ path: 'content', code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }],
		],
		REST_HTTP_ERROR: ['GET', '/x', 502, 'Bad Gateway'],
		REST_RATE_LIMITED: [
			{ ...context, retryAfter: 5_000, global: true, scope: 'global', routeKey: 'GET /webhooks/:id/:token' },
			'rejectOnRateLimit',
		],
		REST_TIMEOUT: ['GET', '/x', 15_000],
		REST_ABORTED: ['GET', '/x'],
		REST_DESTROYED: [],
		REST_CIRCUIT_OPEN: ['GET', '/x', 1_200],
		REST_NETWORK_ERROR: ['GET', '/x', 4, 'ECONNRESET'],
		REST_STORE_ERROR: ['Redis answered nothing'],
		REST_MAYBE_APPLIED: [
			{ ...context, reason: 'timeout', status: undefined, attempts: 1, detail: 'timed out after 15000 ms' },
		],
		REST_INVALID_RESPONSE: ['GET', '/x', 200, 12],
		REST_RESPONSE_TOO_LARGE: ['GET', '/x', 1_024, 4_096],
	};

	it('builds one text per code, redacted, with the code in the name', () => {
		registerSecret(token);
		for (const code of Object.keys(RestErrorMessages) as (keyof RestErrorDetails)[]) {
			const error = RestError.of(code, details[code]);
			expect(error.code).toBe(code);
			expect(error.name).toBe(`RestError[${code}]`);
			expect(error.message.length, code).toBeGreaterThan(10);
			expect(error.message, code).not.toContain(token);
		}
		expect(RestError.of('REST_RESPONSE_TOO_LARGE', ['GET', '/x', 1_024, 4_096]).message).toContain(
			'maxResponseSize (1024 bytes; Content-Length 4096)',
		);
		expect(RestError.of('REST_INVALID_METHOD', [5]).message).toBe(
			'Unknown HTTP method number; use GET, POST, PUT, PATCH or DELETE.',
		);
	});

	it('gives the subclasses the same texts as the table', () => {
		const data = { ...context, reason: 'status' as const, status: 500, attempts: 2, detail: 'HTTP 500' };
		expect(new MaybeAppliedError(data).message).toBe(RestError.of('REST_MAYBE_APPLIED', [data]).message);
		expect(new HTTPError(502, 'Bad Gateway', context).message).toBe(
			RestError.of('REST_HTTP_ERROR', [context.method, context.route, 502, 'Bad Gateway']).message,
		);
		expect(new RequestTimeoutError(100, context).message).toBe(
			RestError.of('REST_TIMEOUT', [context.method, context.route, 100]).message,
		);
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
