import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { Client } from '@ovenjs/core';
import { redactSecrets, registerSecret, unregisterSecret } from '@ovenjs/types';
import { ObservabilityError } from '../errors/ObservabilityError.js';
import { instrument, type Instrumentation } from '../Instrumentation.js';
import { dashboardPage } from './page.js';
import { Sampler } from './Sampler.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
	/** The client to show. */
	readonly client: Client;
	/**
	 * The TCP port (`0` picks a free one; read it from {@link Dashboard.port}).
	 * @defaultValue {@link DefaultDashboardOptions.port} (`9464`)
	 */
	readonly port?: number;
	/**
	 * The address to bind. Anything but a loopback address exposes bot internals to the network: set `token` then.
	 * @defaultValue {@link DefaultDashboardOptions.host} (`'127.0.0.1'`)
	 */
	readonly host?: string;
	/**
	 * A bearer token every request must carry (`Authorization: Bearer <token>`, or `?token=<token>` for the page
	 * and its live stream, which browsers open without headers). At least 16 characters.
	 * @defaultValue none (no authentication; a warning is emitted when `host` is not a loopback address)
	 */
	readonly token?: string;
	/** The instrumentation to show. @defaultValue `instrument(client)` */
	readonly instrumentation?: Instrumentation;
	/**
	 * How often a sample is taken and pushed to open pages, in ms.
	 * @defaultValue {@link DefaultDashboardOptions.intervalMs} (`1_000`)
	 */
	readonly intervalMs?: number;
	/**
	 * How many samples the plots keep.
	 * @defaultValue {@link DefaultDashboardOptions.historySize} (`300`)
	 */
	readonly historySize?: number;
	/**
	 * The page title.
	 * @defaultValue {@link DefaultDashboardOptions.title} (`'OvenJS'`)
	 */
	readonly title?: string;
}

/** The defaults of {@link DashboardOptions}, in one place. */
export const DefaultDashboardOptions = {
	port: 9464,
	host: '127.0.0.1',
	intervalMs: 1_000,
	historySize: 300,
	title: 'OvenJS',
} as const satisfies Required<Pick<DashboardOptions, 'port' | 'host' | 'intervalMs' | 'historySize' | 'title'>>;

/** A running dashboard. */
export interface Dashboard {
	/** The page's URL (with `?token=` when a token guards it: treat it as a secret). */
	readonly url: string;
	/** The bound address. */
	readonly host: string;
	/** The bound port. */
	readonly port: number;
	/** The instrumentation it shows. */
	readonly instrumentation: Instrumentation;
	/** Stops sampling, ends live streams and closes the server. Safe to call twice. */
	close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function digest(text: string): Buffer {
	return createHash('sha256').update(text).digest();
}

function checkOptions(options: DashboardOptions): void {
	const given: unknown = options;
	if (typeof given !== 'object' || given === null)
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'startDashboard(options): options',
			'an object with a client',
			given === null ? 'null' : typeof given,
		]);
	const { port, intervalMs, historySize, token, host } = options;
	if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'DashboardOptions.port',
			'an integer from 0 to 65535',
			String(port),
		]);
	}
	if (intervalMs !== undefined && (!Number.isFinite(intervalMs) || intervalMs < 50)) {
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'DashboardOptions.intervalMs',
			'a number of milliseconds >= 50',
			String(intervalMs),
		]);
	}
	if (historySize !== undefined && (!Number.isInteger(historySize) || historySize < 2)) {
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'DashboardOptions.historySize',
			'an integer >= 2',
			String(historySize),
		]);
	}
	const shownToken: unknown = token;
	if (shownToken !== undefined && (typeof shownToken !== 'string' || shownToken.length < 16)) {
		// Never shows what was passed: it is a secret.
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'DashboardOptions.token',
			'a string of at least 16 characters (e.g. crypto.randomBytes(24).toString("base64url"))',
		]);
	}
	const shownHost: unknown = host;
	if (shownHost !== undefined && (typeof shownHost !== 'string' || shownHost === '')) {
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'DashboardOptions.host',
			'an address such as "127.0.0.1"',
			JSON.stringify(shownHost),
		]);
	}
}

/**
 * Serves a live dashboard of a client over HTTP: `/` (the page, updated live over Server-Sent Events),
 * `/metrics` (Prometheus text), `/api/snapshot` (JSON) and `/api/stream` (the events the page listens to).
 *
 * @throws {@link ObservabilityError} `OBS_INVALID_OPTION` for bad options, `OBS_LISTEN_FAILED` when the port is taken.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
	checkOptions(options);
	const settings = { ...DefaultDashboardOptions, ...options };
	const instrumentation = options.instrumentation ?? instrument(options.client);
	const sampler = new Sampler(instrumentation, settings.historySize);
	const token = options.token;
	const expected = token === undefined ? undefined : digest(token);
	if (token !== undefined) registerSecret(token);
	else if (!LOOPBACK.has(settings.host)) {
		process.emitWarning(
			`The OvenJS dashboard listens on ${settings.host} without a token: anyone who reaches it sees the bot's metrics. Pass { token }.`,
			{ code: 'OVENJS_DASHBOARD_UNGUARDED' },
		);
	}
	const streams = new Set<ServerResponse>();
	const page = dashboardPage(settings.title, settings.intervalMs, settings.historySize);

	const authorized = (request: IncomingMessage, url: URL): boolean => {
		if (expected === undefined) return true;
		const header = request.headers.authorization;
		const given = header?.startsWith('Bearer ') === true ? header.slice(7) : url.searchParams.get('token');
		return given !== null && timingSafeEqual(digest(given), expected);
	};

	const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
		const url = new URL(request.url ?? '/', 'http://dashboard');
		response.setHeader('cache-control', 'no-store');
		response.setHeader('x-content-type-options', 'nosniff');
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.writeHead(405, { allow: 'GET, HEAD' }).end();
			return;
		}
		if (!authorized(request, url)) {
			response
				.writeHead(401, {
					'www-authenticate': 'Bearer realm="ovenjs"',
					'content-type': 'text/plain; charset=utf-8',
				})
				.end('401: a bearer token is required\n');
			return;
		}
		switch (url.pathname) {
			case '/': {
				response
					.writeHead(200, {
						'content-type': 'text/html; charset=utf-8',
						'content-security-policy':
							"default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
					})
					.end(page);
				return;
			}
			case '/metrics': {
				const text = await instrumentation.metrics();
				response.writeHead(200, { 'content-type': instrumentation.contentType }).end(text);
				return;
			}
			case '/api/snapshot': {
				await instrumentation.refresh();
				const body = JSON.stringify({
					title: settings.title,
					intervalMs: settings.intervalMs,
					snapshot: instrumentation.snapshot(),
					history: sampler.history,
				});
				response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
				return;
			}
			case '/api/stream': {
				response.writeHead(200, {
					'content-type': 'text/event-stream; charset=utf-8',
					connection: 'keep-alive',
				});
				response.write(`retry: ${settings.intervalMs}\n\n`);
				streams.add(response);
				request.once('close', () => {
					streams.delete(response);
				});
				return;
			}
			case '/favicon.ico': {
				response.writeHead(204).end();
				return;
			}
			default:
				response
					.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
					.end('404: try /, /metrics, /api/snapshot or /api/stream\n');
		}
	};

	const server: Server = createServer((request, response) => {
		handle(request, response).catch((error: unknown) => {
			if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
			response.end(`500: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`);
		});
	});
	server.listen(settings.port, settings.host);
	try {
		await once(server, 'listening');
	} catch (error) {
		if (token !== undefined) unregisterSecret(token);
		throw ObservabilityError.of(
			'OBS_LISTEN_FAILED',
			[settings.host, settings.port, error instanceof Error ? error.message : String(error)],
			{ cause: error },
		);
	}
	const timer = setInterval(() => {
		void instrumentation.refresh().then(() => {
			const { snapshot, sample } = sampler.sample();
			if (streams.size === 0) return;
			const data = `event: sample\ndata: ${JSON.stringify({ snapshot, sample })}\n\n`;
			for (const stream of streams) stream.write(data);
		});
	}, settings.intervalMs);
	timer.unref();
	const address = server.address();
	const port = typeof address === 'object' && address !== null ? (address satisfies AddressInfo).port : settings.port;
	const shownHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
	let closed: Promise<void> | undefined;
	const dashboard: Dashboard = {
		url: `http://${shownHost}:${port}/${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`,
		host: settings.host,
		port,
		instrumentation,
		close: () => {
			closed ??= (async () => {
				clearInterval(timer);
				for (const stream of streams) stream.end();
				streams.clear();
				server.closeAllConnections();
				await new Promise<void>((resolve) => {
					server.close(() => {
						resolve();
					});
				});
				if (token !== undefined) unregisterSecret(token);
			})();
			return closed;
		},
	};
	Object.defineProperty(dashboard, inspect.custom, {
		value: () =>
			`Dashboard { host: '${settings.host}', port: ${port}, token: ${token === undefined ? 'none' : '[REDACTED]'} }`,
	});
	return dashboard;
}
