import { inspect } from 'node:util';
import type { ExtensionPointEmitter, ExtensionPointName } from '@ovenjs/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	DiscordAPIError,
	HTTPError,
	REST,
	RateLimitError,
	RequestPriority,
	RequestTimeoutError,
	type RestError,
	type RateLimitedEvent,
	type RestOptions,
} from '../src/index.js';
import { delay, json, startServer, type FixtureServer } from './fixtures/server.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.behaviour-test-token-abcdefghijklmnopqr';

let server: FixtureServer;
const clients: REST[] = [];
const client = (options: RestOptions = {}): REST => {
	const rest = new REST({ token: TOKEN, api: server.api, backoffBase: 5, backoffMax: 20, offset: 0, ...options });
	clients.push(rest);
	return rest;
};
const bucketHeaders = (hash: string, limit: number, remaining: number, resetAfter: number): Record<string, string> => ({
	'x-ratelimit-bucket': hash,
	'x-ratelimit-limit': String(limit),
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset-after': String(resetAfter),
});
const path = (url: string): string => url.split('?')[0]!.replace('/api/v10', '');

beforeEach(async () => {
	server = await startServer();
});
afterEach(async () => {
	for (const rest of clients.splice(0)) await rest.destroy();
	await server.close();
});

describe('REST against a scripted server', () => {
	it('sends Discord headers and parses JSON typed by the generic', async () => {
		server.handler = (req, res) => {
			json(res, 200, { id: '1', path: path(req.url) });
		};
		const rest = client();
		const data = await rest.get<{ id: string; path: string }>('/users/@me', {
			query: { with_counts: true, skip: undefined },
		});
		expect(data).toEqual({ id: '1', path: '/users/@me' });
		const seen = server.seen[0]!;
		expect(seen.url).toBe('/api/v10/users/@me?with_counts=true');
		expect(seen.headers.authorization).toBe(`Bot ${TOKEN}`);
		expect(seen.headers['user-agent']).toMatch(
			/^DiscordBot \(https:\/\/github\.com\/ovenjs\/ovenjs, \d+\.\d+\.\d+\)$/,
		);
	});

	it('URL-encodes the audit-log reason and rejects one over 512 characters', async () => {
		server.handler = (_req, res) => res.writeHead(204).end();
		const rest = client();
		expect(await rest.delete('/guilds/1/bans/2', { reason: 'spam & abuse — ✓' })).toBeUndefined();
		expect(server.seen[0]!.headers['x-audit-log-reason']).toBe(encodeURIComponent('spam & abuse — ✓'));
		await expect(rest.delete('/guilds/1/bans/2', { reason: 'x'.repeat(513) })).rejects.toMatchObject({
			code: 'REST_INVALID_REASON',
		});
		expect(server.seen).toHaveLength(1);
	});

	it('rejects bad input with typed errors', async () => {
		const rest = client();
		await expect(rest.get('channels/1')).rejects.toMatchObject({ code: 'REST_INVALID_ROUTE' });
		expect(() => new REST({ api: 'not a url' })).toThrow(expect.objectContaining({ code: 'REST_INVALID_OPTION' }));
		expect(() => new REST({ globalRequestsPerSecond: 0 })).toThrow(/globalRequestsPerSecond/);
		const anonymous = new REST({ api: server.api });
		clients.push(anonymous);
		await expect(anonymous.get('/users/@me')).rejects.toMatchObject({ code: 'REST_TOKEN_MISSING' });
		await expect(anonymous.request('PUSH' as 'GET', '/users/@me')).rejects.toMatchObject({
			code: 'REST_INVALID_METHOD',
		});
		expect(server.seen).toHaveLength(0);
	});

	it('maps a Discord JSON error to DiscordAPIError with flattened field errors and no token', async () => {
		server.handler = (_req, res) => {
			json(res, 400, {
				code: 50035,
				message: 'Invalid Form Body',
				errors: { content: { _errors: [{ code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }] } },
			});
		};
		const error: unknown = await client()
			.post('/channels/1/messages', { body: {} })
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DiscordAPIError);
		const api = error as DiscordAPIError;
		expect([api.status, api.discordCode, api.method, api.route]).toEqual([
			400,
			50035,
			'POST',
			'/channels/1/messages',
		]);
		expect(api.message).toContain('content[BASE_TYPE_REQUIRED]: This field is required');
		expect(api.message).not.toContain(TOKEN);
	});

	it('retries 5xx with backoff and succeeds, or gives up with HTTPError after the bound', async () => {
		let calls = 0;
		server.handler = (_req, res) => {
			if (++calls <= 2) res.writeHead(502).end('bad gateway');
			else json(res, 200, { ok: true });
		};
		const rest = client({ retries: 3 });
		expect(await rest.get('/gateway')).toEqual({ ok: true });
		expect(calls).toBe(3);
		server.handler = (_req, res) => res.writeHead(503).end();
		calls = 0;
		server.seen.length = 0;
		const error = await rest.get('/gateway/bot').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(HTTPError);
		expect((error as HTTPError).status).toBe(503);
		expect(server.seen).toHaveLength(4);
	});

	it('retries network errors (connection resets) and reports REST_NETWORK_ERROR after the bound', async () => {
		let calls = 0;
		server.handler = (_req, res) => {
			if (++calls === 1) res.socket?.destroy();
			else json(res, 200, { ok: true });
		};
		const rest = client({ retries: 2 });
		expect(await rest.get('/gateway')).toEqual({ ok: true });
		server.handler = (_req, res) => res.socket?.destroy();
		await expect(rest.get('/gateway/bot')).rejects.toMatchObject({ code: 'REST_NETWORK_ERROR' });
	});

	it('times out an attempt and rejects with RequestTimeoutError after retries', async () => {
		server.handler = () => undefined; // never answers
		const rest = client({ timeout: 100, retries: 1 });
		const error = await rest.get('/gateway').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RequestTimeoutError);
		expect(server.seen).toHaveLength(2);
	});

	it('opens the circuit after consecutive failures, fails fast, then probes back', async () => {
		server.handler = (_req, res) => res.writeHead(503).end();
		const rest = client({ retries: 0, circuitBreakerThreshold: 2, circuitBreakerCooldown: 150 });
		await expect(rest.get('/gateway')).rejects.toBeInstanceOf(HTTPError);
		await expect(rest.get('/gateway')).rejects.toBeInstanceOf(HTTPError);
		expect(rest.circuitState).toBe('open');
		await expect(rest.get('/gateway')).rejects.toMatchObject({ code: 'REST_CIRCUIT_OPEN' });
		expect(server.seen).toHaveLength(2);
		server.handler = (_req, res) => {
			json(res, 200, { up: true });
		};
		await delay(200);
		expect(await rest.get('/gateway')).toEqual({ up: true });
		expect(rest.circuitState).toBe('closed');
	});

	it('coalesces identical GETs queued together into one request, each caller with its own copy', async () => {
		server.handler = async (_req, res) => {
			await delay(30);
			json(res, 200, { n: server.seen.length });
		};
		const rest = client();
		const results = await Promise.all([
			rest.get('/users/@me'),
			rest.get('/users/@me'),
			rest.get('/users/@me'),
			rest.get('/users/@me', { query: { a: 1 } }),
		]);
		expect(server.seen).toHaveLength(2);
		expect(results[0]).toEqual(results[1]);
		expect(results[1]).toEqual(results[2]);
		expect(results[0]).not.toBe(results[1]);
		expect(results[1]).not.toBe(results[2]);
	});

	it('waits for a bucket to reset instead of sending into a 429, and lets a critical request jump the queue', async () => {
		let remaining = 1;
		server.handler = (req, res) => {
			if (remaining <= 0) {
				json(
					res,
					429,
					{ message: 'You are being rate limited.', retry_after: 0.2, global: false },
					{ ...bucketHeaders('b1', 1, 0, 0.2), 'retry-after': '1' },
				);
				return;
			}
			remaining--;
			setTimeout(() => (remaining = 1), 200);
			json(res, 200, { body: req.body }, bucketHeaders('b1', 1, 0, 0.2));
		};
		const rest = client();
		const order: string[] = [];
		const send = (content: string, priority?: number): Promise<void> =>
			rest
				.post('/channels/1/messages', { body: { content }, ...(priority === undefined ? {} : { priority }) })
				.then(() => void order.push(content));
		const all = [send('a'), send('b'), send('c'), send('urgent', RequestPriority.Critical)];
		await Promise.all(all);
		expect(order).toEqual(['a', 'urgent', 'b', 'c']);
		expect(server.seen.every((s) => s.url.startsWith('/api/v10/channels/1/messages'))).toBe(true);
		expect(server.seen).toHaveLength(4); // no 429 was ever provoked
	});

	it('does not stall unrelated requests in a bucket on a shared-scope 429 and retries after Retry-After', async () => {
		let first = true;
		server.handler = (req, res) => {
			if (req.url.includes('/reactions/') && first) {
				first = false;
				json(
					res,
					429,
					{ message: 'shared', retry_after: 0.3, global: false },
					{ ...bucketHeaders('r1', 5, 3, 1), 'x-ratelimit-scope': 'shared', 'retry-after': '1' },
				);
				return;
			}
			json(res, 204, undefined, bucketHeaders('r1', 5, 4, 1));
		};
		const rest = client();
		const events: RateLimitedEvent[] = [];
		rest.on('rateLimited', (event) => events.push(event));
		const done: string[] = [];
		const a = rest.put('/channels/1/messages/2/reactions/%F0%9F%91%8D/@me').then(() => done.push('a'));
		await delay(20);
		const b = rest.put('/channels/1/messages/3/reactions/%F0%9F%91%8D/@me').then(() => done.push('b'));
		await Promise.all([a, b]);
		expect(done).toEqual(['b', 'a']);
		expect(events).toContainEqual(expect.objectContaining({ reason: '429', scope: 'shared', retryAfter: 300 }));
	});

	it('honours a global 429 for every route', async () => {
		server.handler = (req, res) => {
			if (server.seen.length === 1) {
				json(
					res,
					429,
					{ message: 'global', retry_after: 0.4, global: true },
					{ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global', 'retry-after': '1' },
				);
				return;
			}
			json(res, 200, { path: path(req.url) });
		};
		const rest = client();
		const first = rest.get('/gateway');
		await delay(50);
		const second = rest.get('/users/@me');
		await delay(150);
		// The global block holds the unrelated route too.
		expect(server.seen).toHaveLength(1);
		expect(await Promise.all([first, second])).toEqual([{ path: '/gateway' }, { path: '/users/@me' }]);
		expect(server.seen).toHaveLength(3);
	});

	it('rejects with a typed RateLimitError instead of waiting on routes matched by rejectOnRateLimit', async () => {
		server.handler = (_req, res) => {
			json(
				res,
				429,
				{ message: 'global', retry_after: 30, global: true },
				{ 'x-ratelimit-global': 'true', 'retry-after': '30' },
			);
		};
		const rest = client({ rejectOnRateLimit: ['/channels'] });
		const fromDiscord = await rest.get('/channels/9').catch((e: unknown) => e);
		expect(fromDiscord).toBeInstanceOf(RateLimitError);
		expect(fromDiscord).toMatchObject({
			code: 'REST_RATE_LIMITED',
			global: true,
			method: 'GET',
			route: '/channels/9',
			retryAfter: 30_000,
		});
		// Now the limiter knows about the block: the next matching request rejects without reaching the server.
		const fromLimiter = await rest.get('/channels/10').catch((e: unknown) => e);
		expect(fromLimiter).toBeInstanceOf(RateLimitError);
		expect(fromLimiter).toMatchObject({ global: true, routeKey: 'GET /channels/:id' });
		expect(server.seen).toHaveLength(1);
	});

	it('stops sending once the invalid-request guard is reached, and warns on the way', async () => {
		server.handler = (_req, res) => {
			json(res, 403, { code: 50001, message: 'Missing Access' });
		};
		const rest = client({
			invalidRequestLimit: 2,
			invalidRequestWarningInterval: 1,
			maxRateLimitWait: Number.POSITIVE_INFINITY,
		});
		const warnings: number[] = [];
		rest.on('invalidRequestWarning', (event) => warnings.push(event.count));
		const limited: string[] = [];
		rest.on('rateLimited', (event) => limited.push(event.reason));
		await expect(rest.get('/guilds/1/bans')).rejects.toMatchObject({ status: 403 });
		await expect(rest.get('/guilds/2/bans')).rejects.toMatchObject({ status: 403 });
		const held = rest.get('/guilds/3/bans');
		const outcome = held.catch((e: unknown) => e);
		await delay(100);
		expect(server.seen).toHaveLength(2); // the third request waits for the window instead of risking a ban
		expect(warnings).toEqual([1, 2]);
		expect(limited).toContain('invalid');
		await rest.destroy();
		expect(await outcome).toMatchObject({ code: 'REST_DESTROYED' });
		// With the default maxRateLimitWait (60 s) a 10-minute guard wait rejects at once instead, still unsent.
		const strict = client({ invalidRequestLimit: 1 });
		await expect(strict.get('/guilds/1/bans')).rejects.toMatchObject({ status: 403 });
		await expect(strict.get('/guilds/2/bans')).rejects.toMatchObject({
			code: 'REST_RATE_LIMITED',
			rejection: 'maxRateLimitWait',
		});
		expect(server.seen).toHaveLength(3);
	});

	it('bursts interaction callbacks without a queue or the global limit', async () => {
		server.handler = async (_req, res) => {
			await delay(50);
			res.writeHead(204).end();
		};
		const rest = client({ globalRequestsPerSecond: 1 });
		await Promise.all(
			Array.from({ length: 5 }, (_, i) =>
				rest.post(`/interactions/${100 + i}/tok${i}/callback`, { body: { type: 4 }, auth: false }),
			),
		);
		expect(server.seen).toHaveLength(5);
		expect(server.seen.every((s) => s.headers.authorization === undefined)).toBe(true);
	});

	it('settles every request on abort (queued or in flight) and on destroy', async () => {
		server.handler = () => undefined; // never answers
		const rest = client({ timeout: 60_000 });
		const controller = new AbortController();
		const inFlight = rest.post('/channels/1/messages', { body: {}, signal: controller.signal });
		const queued = rest.post('/channels/1/messages', { body: {}, signal: controller.signal }); // waits behind the discovery probe
		const other = rest.post('/channels/1/messages', { body: {} });
		const elsewhere = rest.get('/guilds/5');
		await delay(50);
		expect(rest.pendingRequests).toBe(2);
		const others = Promise.allSettled([other, elsewhere]);
		controller.abort(new Error('user cancelled'));
		await expect(inFlight).rejects.toMatchObject({ code: 'REST_ABORTED' });
		await expect(queued).rejects.toMatchObject({ code: 'REST_ABORTED' });
		await rest.destroy();
		const settled = await others;
		expect(settled.map((s) => (s.status === 'rejected' ? (s.reason as RestError).code : 'fulfilled'))).toEqual([
			'REST_DESTROYED',
			'REST_DESTROYED',
		]);
		await expect(rest.get('/gateway')).rejects.toMatchObject({ code: 'REST_DESTROYED' });
		const aborted = new AbortController();
		aborted.abort();
		const fresh = client();
		await expect(fresh.get('/x', { signal: aborted.signal })).rejects.toMatchObject({ code: 'REST_ABORTED' });
	});

	it('runs middleware (use / useIf) and extension points around requests', async () => {
		server.handler = (req, res) => {
			if (path(req.url) === '/fail') json(res, 404, { code: 10003, message: 'Unknown Channel' });
			else json(res, 200, { seen: req.headers['x-trace'] ?? null });
		};
		const calls: string[] = [];
		const emitter: ExtensionPointEmitter = {
			has: (point: ExtensionPointName) =>
				point === 'rest:beforeRequest' || point === 'rest:afterRequest' || point === 'rest:onError',
			emit: (point: ExtensionPointName, ..._args: readonly unknown[]) => {
				calls.push(point);
			},
			transform: (_point, request) => {
				calls.push('rest:beforeRequest');
				return Promise.resolve({ ...request, headers: { ...request.headers, 'x-trace': 'from-bus' } } as never);
			},
		};
		const rest = client({ emitter });
		rest.use({
			onRequest: (request) => {
				calls.push(`mw:${request.method}`);
			},
			onResponse: (response) => ({ ...response, data: { wrapped: response.data } }),
		});
		rest.useIf((request) => request.route === '/fail', {
			onError: (error) => ({
				status: 200,
				headers: {},
				data: { recovered: (error as DiscordAPIError).discordCode },
			}),
		});
		expect(await rest.get('/ok')).toEqual({ wrapped: { seen: 'from-bus' } });
		expect(await rest.get('/fail')).toEqual({ recovered: 10003 });
		expect(calls).toEqual([
			'mw:GET',
			'rest:beforeRequest',
			'rest:afterRequest',
			'mw:GET',
			'rest:beforeRequest',
			'rest:onError',
		]);
	});

	it('never shows the token in inspect output', () => {
		const rest = client();
		expect(inspect(rest)).not.toContain(TOKEN);
		expect(inspect(rest)).toContain('[REDACTED]');
	});
});
