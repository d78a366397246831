/**
 * The hostile-server suite for REST: a scripted HTTP server on 127.0.0.1 sends what a broken server, a proxy or
 * a misconfiguration could — bodies dripped byte by byte, absurd rate-limit headers, JSON that is not JSON,
 * huge bodies, error bodies nested thousands deep or echoing the token — and callers send routes and headers
 * that would smuggle a second request. Each ends in a typed error or a documented bound: nothing crashes,
 * nothing is retried that must not be, the circuit breaker only counts Discord's failures, every request settles.
 */
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	DiscordAPIError,
	ErrorBodyLimits,
	HTTPError,
	REST,
	RateLimitError,
	RequestTimeoutError,
	RestError,
	type RestOptions,
} from '../src/index.js';
import { flattenFieldErrors } from '../src/internal.js';
import { Random } from './fixtures/random.js';
import { delay, json, startServer, type FixtureServer } from './fixtures/server.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhstlE.hostile-rest-token-abcdefghijklmnopq';

let server: FixtureServer;
const clients: REST[] = [];
const client = (options: RestOptions = {}): REST => {
	const rest = new REST({
		token: TOKEN,
		api: server.api,
		backoffBase: 5,
		backoffMax: 20,
		offset: 0,
		retries: 0,
		...options,
	});
	clients.push(rest);
	return rest;
};

/** Collects process-level trouble while a test runs: unhandled rejections, uncaught exceptions, timer overflow warnings. */
function watchProcess(): { readonly unhandled: unknown[]; readonly warnings: string[] } {
	const unhandled: unknown[] = [];
	const warnings: string[] = [];
	const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
	const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
	process.on('unhandledRejection', onUnhandled);
	process.on('uncaughtException', onUnhandled);
	process.on('warning', onWarning);
	undo.push(() => {
		process.off('unhandledRejection', onUnhandled);
		process.off('uncaughtException', onUnhandled);
		process.off('warning', onWarning);
	});
	return { unhandled, warnings };
}

const undo: (() => void)[] = [];

/** The settled outcome of a promise: the value, or the error it rejected with. */
const outcome = (promise: Promise<unknown>): Promise<unknown> =>
	promise.then(
		(value) => value,
		(error: unknown) => error,
	);

/** `'{"a":'` × depth around Discord's `_errors` leaf: an error body nested `depth` levels deep. */
function deepErrorBody(depth: number): string {
	return `{"code":50035,"message":"Invalid Form Body","errors":${'{"a":'.repeat(depth)}{"_errors":[{"code":"DEEP","message":"deep"}]}${'}'.repeat(depth)}}`;
}

beforeEach(async () => {
	server = await startServer();
});
afterEach(async () => {
	for (const rest of clients.splice(0)) await rest.destroy();
	await server.close();
	for (const fn of undo.splice(0)) fn();
});

describe('requests that would never settle', () => {
	it.each([
		['without Content-Length', {}],
		['with a Content-Length', { 'content-length': '1000' }],
	])(
		'times out a body dripped one byte every 300 ms (%s): the per-attempt timeout covers the whole body',
		async (_name, headers) => {
			server.handler = (_req, res) => {
				res.writeHead(200, { 'content-type': 'application/json', ...headers });
				res.write('[');
				const timer = setInterval(() => res.write(' '), 300);
				res.on('close', () => {
					clearInterval(timer);
				});
			};
			const rest = client({ timeout: 700, retries: 1 });
			const started = Date.now();
			const error = await outcome(rest.get('/channels/1'));
			const elapsed = Date.now() - started;
			expect(error).toBeInstanceOf(RequestTimeoutError);
			expect(error).toMatchObject({ code: 'REST_TIMEOUT', timeout: 700 });
			// Two attempts of 700 ms plus a short backoff — not the minutes a dripped body could last.
			expect(elapsed).toBeLessThan(3_000);
			expect(server.seen).toHaveLength(2);
		},
	);

	it('rejects the next request of a bucket whose X-RateLimit-Reset-After is 1e9 with RateLimitError, without a timer overflow loop', async () => {
		const watch = watchProcess();
		server.handler = (_req, res) => {
			json(
				res,
				200,
				{ ok: true },
				{
					'x-ratelimit-bucket': 'huge',
					'x-ratelimit-limit': '1',
					'x-ratelimit-remaining': '0',
					'x-ratelimit-reset-after': '1000000000',
				},
			);
		};
		const rest = client();
		expect(await rest.get('/channels/1/messages')).toEqual({ ok: true });
		const error = await outcome(rest.get('/channels/1/messages'));
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error).toMatchObject({ code: 'REST_RATE_LIMITED', rejection: 'maxRateLimitWait', global: false });
		expect((error as RateLimitError).message).toContain('longer than maxRateLimitWait');
		expect((error as RateLimitError).message).toMatch(/24 days/);
		expect(server.seen).toHaveLength(1);

		// With no cap the request waits (clamped to 2³¹ − 1 ms, one timer), and destroy() still settles it.
		const patient = client({ maxRateLimitWait: Number.POSITIVE_INFINITY });
		expect(await patient.get('/channels/2/messages')).toEqual({ ok: true });
		const waiting = outcome(patient.get('/channels/2/messages'));
		await delay(300);
		expect(server.seen).toHaveLength(2);
		await patient.destroy();
		expect(await waiting).toMatchObject({ code: 'REST_DESTROYED' });
		expect(watch.warnings.filter((w) => w.includes('TimeoutOverflowWarning'))).toEqual([]);
		expect(watch.unhandled).toEqual([]);
	});

	it('rejects a 429 with Retry-After: 999999 at once with RateLimitError saying how long Discord asked', async () => {
		server.handler = (_req, res) => {
			json(
				res,
				429,
				{ message: 'You are being rate limited.', retry_after: 999_999, global: false },
				{
					'retry-after': '999999',
					'x-ratelimit-scope': 'user',
					'x-ratelimit-bucket': 'slow',
					'x-ratelimit-limit': '5',
					'x-ratelimit-remaining': '0',
					'x-ratelimit-reset-after': '999999',
				},
			);
		};
		const rest = client();
		const started = Date.now();
		const error = await outcome(rest.post('/channels/1/messages', { body: { content: 'x' } }));
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error).toMatchObject({
			code: 'REST_RATE_LIMITED',
			rejection: 'maxRateLimitWait',
			retryAfter: 999_999_000,
			global: false,
			scope: 'user',
			method: 'POST',
			route: '/channels/1/messages',
		});
		expect((error as RateLimitError).message).toContain('Discord asked to wait 999999 s');
		// The limiter remembers the block: the next request of the bucket rejects without reaching the server.
		await expect(rest.post('/channels/1/messages', { body: { content: 'y' } })).rejects.toMatchObject({
			rejection: 'maxRateLimitWait',
		});
		expect(server.seen).toHaveLength(1);
	});

	it('rejects every route at once on a global 429 of 999999 s instead of stalling them for 11.6 days', async () => {
		server.handler = (_req, res) => {
			json(
				res,
				429,
				{ message: 'You are being rate limited.', retry_after: 999_999, global: true },
				{ 'retry-after': '999999', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
			);
		};
		const rest = client();
		const started = Date.now();
		const first = await outcome(rest.get('/gateway/bot'));
		expect(first).toBeInstanceOf(RateLimitError);
		expect(first).toMatchObject({ rejection: 'maxRateLimitWait', global: true, retryAfter: 999_999_000 });
		expect((first as RateLimitError).message).toContain('(global limit)');
		const others = await Promise.all([
			outcome(rest.get('/users/@me')),
			outcome(rest.get('/guilds/1')),
			outcome(rest.patch('/channels/5', { body: {} })),
		]);
		for (const error of others)
			expect(error).toMatchObject({ code: 'REST_RATE_LIMITED', rejection: 'maxRateLimitWait', global: true });
		expect(Date.now() - started).toBeLessThan(2_000);
		expect(server.seen).toHaveLength(1);
	});

	it('validates maxRateLimitWait: a non-negative number or Infinity', () => {
		for (const bad of [-1, Number.NaN, '60' as unknown as number]) {
			expect(() => new REST({ maxRateLimitWait: bad })).toThrow(
				expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
			);
		}
		expect(() => new REST({ maxRateLimitWait: 0 })).not.toThrow();
	});
});

describe('bodies that are not what they claim', () => {
	it.each([
		[
			'with a Content-Length',
			(res: Parameters<FixtureServer['handler']>[1]) =>
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"id": "1", '),
		],
		[
			'chunked',
			(res: Parameters<FixtureServer['handler']>[1]) => {
				res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
				res.write('{"id":');
				res.end(' oops');
			},
		],
	])(
		'rejects a 2xx whose JSON content type carries invalid JSON with REST_INVALID_RESPONSE (%s), not retried',
		async (_name, answer) => {
			server.handler = (_req, res) => {
				answer(res);
			};
			const rest = client({ retries: 3 });
			const error = await outcome(rest.get('/channels/1'));
			expect(error).toBeInstanceOf(RestError);
			expect(error).toMatchObject({ code: 'REST_INVALID_RESPONSE' });
			expect(typeof error).not.toBe('string');
			expect(server.seen).toHaveLength(1);
			expect(rest.circuitState).toBe('closed');
		},
	);

	it('maps an error status with invalid JSON to HTTPError', async () => {
		server.handler = (_req, res) =>
			res.writeHead(400, { 'content-type': 'application/json' }).end('<html>bad request</html>');
		await expect(client().get('/channels/1')).rejects.toBeInstanceOf(HTTPError);
	});

	it('stops reading a body past maxResponseSize, by Content-Length and while streamed, without a retry', async () => {
		const watch = watchProcess();
		server.handler = (req, res) => {
			if (req.url.includes('/declared')) {
				res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' }).end(
					`"${'x'.repeat(4094)}"`,
				);
				return;
			}
			res.writeHead(200, {
				'content-type': req.url.includes('/bytes') ? 'application/octet-stream' : 'application/json',
			});
			for (let i = 0; i < 8; i++) res.write('x'.repeat(512));
			res.end();
		};
		const rest = client({ maxResponseSize: 1_024, retries: 3 });
		for (const route of ['/declared', '/streamed', '/bytes']) {
			const error = await outcome(rest.get(route));
			expect(error).toMatchObject({ code: 'REST_RESPONSE_TOO_LARGE' });
			expect((error as RestError).message).toContain('maxResponseSize (1024 bytes');
		}
		expect(server.seen).toHaveLength(3);
		expect(await client({ maxResponseSize: 4_096 }).get('/declared')).toHaveLength(4_094);
		expect(() => new REST({ maxResponseSize: 0 })).toThrow(
			expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
		);
		// Giving up on a body must not leave its stream's AbortError unhandled (that crashed the process).
		await delay(50);
		expect(watch.unhandled).toEqual([]);
	});

	it('stops a 100 MB streamed body at the default 10 MiB instead of buffering it whole', async () => {
		let written = 0;
		let closed = false;
		server.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			const chunk = Buffer.alloc(1024 * 1024, 0x20);
			const pump = (): void => {
				while (!closed && written < 100 * 1024 * 1024) {
					written += chunk.length;
					if (!res.write(chunk)) {
						res.once('drain', pump);
						return;
					}
				}
				if (!closed) res.end();
			};
			res.on('close', () => {
				closed = true;
			});
			pump();
		};
		const error = await outcome(client().get('/channels/1/messages'));
		expect(error).toMatchObject({ code: 'REST_RESPONSE_TOO_LARGE' });
		await delay(50);
		expect(written).toBeLessThan(40 * 1024 * 1024);
	});
});

describe('routes and headers that would reach another endpoint or smuggle a request', () => {
	const badRoutes = [
		'/channels/../users/@me',
		'/channels/1/..',
		'/channels/./1',
		'/channels/%2e%2E/guilds/1',
		'/channels/1?limit=5',
		'/channels/1#x',
		'/channels/1\\..\\x',
		'/channels/1\r\nX-Evil: 1',
		'/channels/1 HTTP/1.1\r\nHost: evil',
		'/channels/1\n',
		'/channels/\u00001',
		'channels/1',
		`/${'a'.repeat(3_000)}`,
	];

	it.each(badRoutes.map((route) => [JSON.stringify(route).slice(0, 60), route]))(
		'rejects route %s with REST_INVALID_ROUTE, unsent',
		async (_shown, route) => {
			const rest = client({ retries: 3, circuitBreakerThreshold: 1 });
			const attempts: number[] = [];
			rest.on('request', (event) => attempts.push(event.attempt));
			const error = await outcome(rest.get(route));
			expect(error).toBeInstanceOf(RestError);
			expect(error).toMatchObject({ code: 'REST_INVALID_ROUTE' });
			expect(attempts).toEqual([]);
			expect(server.seen).toHaveLength(0);
			expect(rest.circuitState).toBe('closed');
		},
	);

	it('rejects CRLF or control characters in headers and auth with REST_INVALID_OPTION: never retried, never opening the circuit', async () => {
		server.handler = (_req, res) => {
			json(res, 200, { ok: true });
		};
		const rest = client({ retries: 3, circuitBreakerThreshold: 1 });
		const attempts: number[] = [];
		rest.on('request', (event) => attempts.push(event.attempt));
		const bad: Readonly<Record<string, string>>[] = [
			{ 'x-trace': 'a\r\nx-evil: 1' },
			{ 'x-trace': 'a\nb' },
			{ 'x-trace': 'a\u0000b' },
			{ 'x-trace': 'snowman ☃' },
			{ 'x trace': 'a' },
			{ 'x-trace\r\nx-evil': 'a' },
			{ 'content-length': '5' },
			{ host: 'evil' },
			{ 'x-trace': 5 as unknown as string },
		];
		for (const headers of bad) {
			const error = await outcome(rest.get('/channels/1', { headers }));
			expect(error, JSON.stringify(headers)).toMatchObject({ code: 'REST_INVALID_OPTION' });
		}
		for (const auth of ['Bot a\r\nx-evil: 1', 'Bot ☃', '']) {
			await expect(rest.get('/channels/1', { auth })).rejects.toMatchObject({ code: 'REST_INVALID_OPTION' });
		}
		expect(attempts).toEqual([]);
		expect(server.seen).toHaveLength(0);
		expect(rest.circuitState).toBe('closed');
		// The valid request after all of them goes through: nothing was counted as a Discord failure.
		expect(await rest.get('/channels/1', { headers: { 'x-trace': 'ok' }, reason: 'line\r\nbreak' })).toEqual({
			ok: true,
		});
		expect(server.seen[0]?.headers['x-trace']).toBe('ok');
		expect(server.seen[0]?.headers['x-audit-log-reason']).toBe('line%0D%0Abreak');
		expect(() => new REST({ token: 'abc\r\nx-evil: 1' })).toThrow(
			expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
		);
		expect(() => new REST({ headers: { 'x-a': 'b\r\nc' } })).toThrow(
			expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
		);
		expect(() => new REST({ userAgentAppendix: 'x\r\ny' })).toThrow(
			expect.objectContaining({ code: 'REST_INVALID_OPTION' }),
		);
	});
});

describe('hostile error bodies', () => {
	it.each([5_000, 100_000])(
		'settles a 400 whose errors nest %i levels deep with a bounded DiscordAPIError',
		async (depth) => {
			const watch = watchProcess();
			const body = deepErrorBody(depth);
			server.handler = (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end(body);
			const error = await outcome(client().post('/channels/1/messages', { body: {} }));
			expect(error).toBeInstanceOf(DiscordAPIError);
			const api = error as DiscordAPIError;
			expect(api.discordCode).toBe(50035);
			expect(api.fieldErrors).toHaveLength(1);
			expect(api.fieldErrors[0]).toMatchObject({ code: 'DEPTH_LIMIT' });
			expect(api.fieldErrors[0]?.path.length).toBeLessThanOrEqual(ErrorBodyLimits.text + 1);
			expect(() => JSON.stringify(api.rawError)).not.toThrow();
			expect(inspect(api)).toContain('DEPTH_LIMIT');
			expect(watch.unhandled).toEqual([]);
		},
	);

	it('settles a request whose deep error body is in flight when destroy() runs, and everything after', async () => {
		const watch = watchProcess();
		const body = deepErrorBody(5_000);
		server.handler = async (_req, res) => {
			await delay(150);
			res.writeHead(400, { 'content-type': 'application/json' }).end(body);
		};
		const rest = client();
		const handled = outcome(rest.post('/channels/1/messages', { body: {} }));
		const inFlight = outcome(rest.post('/channels/2/messages', { body: {} }));
		await delay(30);
		await rest.destroy();
		expect(await handled).toMatchObject({ code: 'REST_DESTROYED' });
		expect(await inFlight).toMatchObject({ code: 'REST_DESTROYED' });
		await expect(rest.get('/channels/1')).rejects.toMatchObject({ code: 'REST_DESTROYED' });
		await delay(200);
		expect(watch.unhandled).toEqual([]);
	});

	it('redacts a token echoed anywhere in an error body: message, field error paths, codes and messages, rawError', async () => {
		const bare = TOKEN;
		server.handler = (_req, res) => {
			json(res, 400, {
				code: 50035,
				message: `Invalid Form Body for Bot ${bare}`,
				errors: {
					[bare]: { _errors: [{ code: bare, message: `got ${bare}` }] },
					content: { code: `X_${bare}`, message: `value ${bare} is wrong` },
					embeds: {
						0: {
							[`f${bare}`]: {
								_errors: [{ code: 'BASE_TYPE_REQUIRED', message: `Authorization: Bot ${bare}` }],
							},
						},
					},
				},
				echo: { headers: { authorization: `Bot ${bare}` }, list: [bare, { [bare]: bare }] },
			});
		};
		const rest = client();
		const error = await outcome(rest.post('/channels/1/messages', { body: {} }));
		expect(error).toBeInstanceOf(DiscordAPIError);
		const api = error as DiscordAPIError;
		expect(api.fieldErrors).toHaveLength(3);
		for (const text of [
			api.message,
			JSON.stringify(api.fieldErrors),
			JSON.stringify(api.rawError),
			inspect(api, { depth: 10 }),
			String(api.stack),
		]) {
			expect(text).not.toContain(bare);
		}
		expect(JSON.stringify(api.fieldErrors)).toContain('[REDACTED]');

		server.handler = (_req, res) => res.writeHead(500, `Internal ${bare}`).end(`trace ${bare}`);
		const http = await outcome(rest.get('/channels/1'));
		expect(http).toBeInstanceOf(HTTPError);
		expect(`${(http as HTTPError).message} ${inspect(http)}`).not.toContain(bare);
	});
});

describe('two clients sharing a token', () => {
	it('keeps the token redacted for one client after the other is destroyed (reference-counted secrets)', async () => {
		// Not token-shaped, so only the registration (not the token pattern) can redact it.
		const secret = 'shared-secret-of-two-clients-0123456789';
		server.handler = (_req, res) => {
			json(res, 400, {
				code: 50035,
				message: `bad ${secret}`,
				errors: { content: { _errors: [{ code: 'X', message: secret }] } },
			});
		};
		const first = client({ token: secret });
		const second = client({ token: secret });
		await first.destroy();
		const error = await outcome(second.post('/channels/1/messages', { body: {} }));
		expect(error).toBeInstanceOf(DiscordAPIError);
		expect(
			`${(error as DiscordAPIError).message}${JSON.stringify((error as DiscordAPIError).fieldErrors)}${inspect(error, { depth: 10 })}`,
		).not.toContain(secret);
		expect(inspect(second)).not.toContain(secret);
		await second.destroy();
		// Once its last user is gone the secret is released: redaction is not a global leak of registrations.
		const plain = new DiscordAPIError({ code: 0, message: secret }, 400, { method: 'GET', route: '/x' });
		expect(plain.message).toContain(secret);
	});
});

describe('rejectOnRateLimit from JavaScript', () => {
	const limited = (): void => {
		let first = true;
		server.handler = (_req, res) => {
			if (first) {
				first = false;
				json(
					res,
					429,
					{ message: 'limited', retry_after: 0.05, global: false },
					{ 'retry-after': '1', 'x-ratelimit-scope': 'user' },
				);
				return;
			}
			json(res, 200, { ok: true });
		};
	};

	it('rejects the request with REST_CALLBACK_FAILED when the predicate throws, and keeps working', async () => {
		const watch = watchProcess();
		limited();
		let calls = 0;
		const rest = client({
			rejectOnRateLimit: () => {
				calls++;
				throw new Error(`predicate failed ${TOKEN}`);
			},
		});
		const error = await outcome(rest.get('/channels/1'));
		expect(error).toBeInstanceOf(RestError);
		expect(error).toMatchObject({ code: 'REST_CALLBACK_FAILED' });
		expect((error as RestError).message).toContain('rejectOnRateLimit');
		expect((error as RestError).message).not.toContain(TOKEN);
		expect(calls).toBe(1);
		expect(await rest.get('/channels/1')).toEqual({ ok: true });
		expect(watch.unhandled).toEqual([]);
	});

	it('treats a predicate result other than true as "wait"', async () => {
		limited();
		const rest = client({ rejectOnRateLimit: (() => 'yes') as unknown as () => boolean });
		expect(await rest.get('/channels/1')).toEqual({ ok: true });
		expect(server.seen).toHaveLength(2);
	});

	it.each([
		['a string', '/channels'],
		['an object', { '/channels': true }],
		['a number', 1],
		['an array with a non-string', ['/channels', 5]],
		['null', null],
	])('refuses %s at construction with REST_INVALID_OPTION', (_name, value) => {
		expect(() => new REST({ rejectOnRateLimit: value as unknown as boolean })).toThrow(
			expect.objectContaining({
				code: 'REST_INVALID_OPTION',
				message: expect.stringContaining('rejectOnRateLimit') as string,
			}),
		);
	});
});

describe('fuzz (seeded)', () => {
	/** A random JSON value shaped like (and unlike) Discord's error bodies; built without recursion. */
	function randomErrorBody(random: Random): unknown {
		const leaf = (): unknown =>
			random.pick<() => unknown>([
				() => random.int(-1e6, 1e6),
				() =>
					random.pick([
						'',
						'x',
						TOKEN,
						`Bot ${TOKEN}`,
						'x'.repeat(random.int(0, 5_000)),
						'__proto__',
						'_errors',
					]),
				() => null,
				() => random.chance(0.5),
				() => ({
					code: random.pick(['BASE_TYPE_REQUIRED', TOKEN, 5]),
					message: random.pick(['bad', TOKEN, 'm'.repeat(3_000), null]),
				}),
				() => ({
					_errors: Array.from({ length: random.int(0, 3) }, () => ({
						code: random.pick(['A', TOKEN, 7]),
						message: random.pick(['b', TOKEN, null]),
					})),
				}),
				() => ({ _errors: random.pick([null, 'x', 5, {}]) }),
			])();
		const key = (): string =>
			random.pick([
				'content',
				'embeds',
				'0',
				'12',
				'_errors',
				'__proto__',
				'constructor',
				TOKEN,
				'k'.repeat(random.int(1, 2_000)),
				'code',
				'message',
			]);
		let value = leaf();
		const depth = random.pick([0, 1, 3, 10, 70, 500, 5_000]);
		for (let level = 0; level < depth; level++) {
			if (random.chance(0.2)) value = [value, leaf()];
			else {
				const node: Record<string, unknown> = {};
				const siblings = random.int(0, 2);
				for (let i = 0; i < siblings; i++)
					Object.defineProperty(node, key(), {
						value: leaf(),
						enumerable: true,
						writable: true,
						configurable: true,
					});
				Object.defineProperty(node, key(), { value, enumerable: true, writable: true, configurable: true });
				value = node;
			}
		}
		if (random.chance(0.2)) return value;
		// Wide bodies too: many field errors side by side.
		const wide: Record<string, unknown> = {};
		if (random.chance(0.2))
			for (let i = 0; i < 3_000; i++) wide[String(i)] = { _errors: [{ code: 'WIDE', message: String(i) }] };
		return {
			code: random.pick([50035, 0, 'x', 1e308, null]),
			message: random.pick(['Invalid Form Body', TOKEN, 5]),
			errors: random.chance(0.3) ? wide : value,
		};
	}

	it('DiscordAPIError and flattenFieldErrors: 400 random bodies never throw, stay bounded and never show the token', () => {
		const client = new REST({ token: TOKEN });
		clients.push(client);
		const random = new Random(19);
		for (let run = 0; run < 400; run++) {
			const body = randomErrorBody(random);
			const error = new DiscordAPIError(body, 400, { method: 'POST', route: '/channels/1/messages' });
			expect(error.code).toBe('REST_DISCORD_API_ERROR');
			expect(error.fieldErrors.length).toBeLessThanOrEqual(ErrorBodyLimits.fieldErrors);
			for (const field of error.fieldErrors) {
				for (const text of [field.path, field.code, field.message])
					expect(text.length).toBeLessThanOrEqual(ErrorBodyLimits.text + 1);
			}
			const shown = `${error.message}${JSON.stringify(error.fieldErrors)}${JSON.stringify(error.rawError)}`;
			expect(shown).not.toContain(TOKEN);
			expect(flattenFieldErrors(body).length).toBeLessThanOrEqual(ErrorBodyLimits.fieldErrors);
			// The copy keeps "__proto__" as data: it never becomes a prototype.
			if (typeof error.rawError === 'object' && error.rawError !== null && !Array.isArray(error.rawError))
				expect(Object.getPrototypeOf(error.rawError)).toBe(Object.prototype);
		}
	});

	it('a server answering 300 random statuses, headers and bodies: every request settles with a value or a RestError', async () => {
		const watch = watchProcess();
		const random = new Random(1919);
		const answers: ((res: Parameters<FixtureServer['handler']>[1]) => void)[] = [];
		const weird = ['NaN', '-1', '1e308', '1e9', 'abc', '', '0', '0.001', '99999999999999999999'];
		for (let i = 0; i < 300; i++) {
			const status = random.pick([200, 201, 204, 304, 400, 401, 403, 404, 405, 429, 500, 502, 503, 504, 520]);
			const type = random.pick([
				'application/json',
				'application/json; charset=utf-8',
				'text/plain',
				'application/octet-stream',
				'none',
			]);
			const headers: Record<string, string> = {};
			if (type !== 'none') headers['content-type'] = type;
			if (random.chance(0.5)) {
				headers['x-ratelimit-bucket'] = random.pick(['b', 'x'.repeat(500), TOKEN]);
				headers['x-ratelimit-limit'] = random.pick(weird);
				headers['x-ratelimit-remaining'] = random.pick(weird);
				headers['x-ratelimit-reset-after'] = random.pick(weird);
			}
			if (random.chance(0.3)) headers['retry-after'] = random.pick(weird);
			if (random.chance(0.2)) headers['x-ratelimit-global'] = 'true';
			const bodyKind = random.int(0, 4);
			const value = randomErrorBody(random);
			let text: string;
			try {
				text =
					bodyKind === 0
						? ''
						: bodyKind === 1
							? JSON.stringify(value)
							: bodyKind === 2
								? JSON.stringify(value).slice(0, random.int(0, 200))
								: bodyKind === 3
									? deepErrorBody(random.int(1, 20_000))
									: '\u0000\uffff{"';
			} catch {
				text = deepErrorBody(20_000);
			}
			answers.push((res) => {
				try {
					res.writeHead(status, headers).end(status === 204 || status === 304 ? undefined : text);
				} catch {
					res.destroy();
				}
			});
		}
		let next = 0;
		server.handler = (_req, res) => {
			const answer = answers[next++ % answers.length];
			answer?.(res);
		};
		const rest = client({
			maxRateLimitWait: 200,
			rateLimitRetries: 1,
			retries: 1,
			timeout: 2_000,
			circuitBreakerThreshold: 0,
		});
		let slowest = 0;
		for (let i = 0; i < 300; i++) {
			const method = random.pick(['GET', 'POST', 'PATCH', 'DELETE'] as const);
			const started = Date.now();
			const settled = await Promise.race([
				outcome(
					rest.request(
						method,
						`/channels/${i % 7}/messages`,
						method === 'GET' ? {} : { body: { content: String(i) } },
					),
				),
				delay(5_000).then(() => 'hung'),
			]);
			expect(settled, `request ${i}`).not.toBe('hung');
			slowest = Math.max(slowest, Date.now() - started);
			if (settled instanceof Error) {
				expect(settled, `request ${i}: ${settled.message}`).toBeInstanceOf(RestError);
				expect(settled.message).not.toContain(TOKEN);
			}
		}
		// The server answers at once: a request only waits for rate limits (at most maxRateLimitWait, twice). Hash
		// changes and answers without a bucket used to leave a major waiting on a stale probe for timeout + 1 s.
		expect(slowest).toBeLessThan(1_500);
		expect(watch.unhandled).toEqual([]);
	}, 60_000);
});
