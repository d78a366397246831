import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Busboy } from '@fastify/busboy';
import type { HttpMethod } from '@ovenjs/types';
import type { World } from '../world/World.js';
import type { FaultInjector } from '../faults/FaultInjector.js';
import { AppliedFaults } from './AppliedFaults.js';
import { DiscordHttpError } from './DiscordHttpError.js';
import { RateLimiter, type RateLimitOptions } from './RateLimiter.js';
import { RequestLog, recordRequest, type LoggedRequest } from './RequestLog.js';
import { Router } from './Router.js';
import type { RouteDefinition, RouteServices, UploadedFile } from './types.js';

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_BODY = 26_214_400;

/**
 * The response header carrying {@link RestServer.sequence} as it was when the answer was produced (not a Discord
 * header: tests use it to prove an answer was produced after something else happened).
 */
export const SEQUENCE_HEADER = 'x-mock-sequence';

function isMethod(value: string): value is HttpMethod {
	return METHODS.includes(value);
}

/** Counters of requests Discord treats as invalid (401, 403 and 429 count towards Cloudflare bans). */
export interface InvalidRequestCounters {
	unauthorized: number;
	forbidden: number;
	rateLimited: number;
}

/** Serves Discord's REST API (v10) from the {@link World}. */
export class RestServer {
	/** The requests the bot sent. */
	public readonly requests = new RequestLog();
	/** The rate limiter (exposed so tests can reset it). */
	public readonly limiter: RateLimiter;
	/** Errors thrown inside the mock's own route handlers (answered with 500); empty unless the mock has a bug. */
	public readonly internalErrors: unknown[] = [];
	/** 401/403/429 answers so far. */
	public readonly invalid: InvalidRequestCounters = { unauthorized: 0, forbidden: 0, rateLimited: 0 };
	/** Faults injected after a request was applied (its effect exists, its answer is lost), changeable at run time. */
	public readonly appliedFaults = new AppliedFaults();
	readonly #router = new Router();
	#applied = 0;
	readonly #world: World;
	readonly #token: string;
	readonly #services: RouteServices;
	readonly #faults: FaultInjector;

	public constructor(
		world: World,
		token: string,
		services: RouteServices,
		faults: FaultInjector,
		rateLimits: RateLimitOptions,
		routes: readonly RouteDefinition[],
	) {
		this.#world = world;
		this.#token = token;
		this.#services = services;
		this.#faults = faults;
		this.limiter = new RateLimiter(rateLimits);
		this.#router.add(routes);
	}

	/**
	 * Requests whose route handler ran, so far (reads included). Every answer carries the value it was produced
	 * at in the `x-mock-sequence` header ({@link SEQUENCE_HEADER}): an answer whose sequence is at most the value
	 * read before a call was produced before that call.
	 */
	public get sequence(): number {
		return this.#applied;
	}

	/** Every route the mock serves (`method`, OpenAPI-style `path`). */
	public routes(): { method: string; path: string }[] {
		return this.#router.list();
	}

	/** Handles one HTTP request under `/api`. */
	public async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const versioned = /^\/api(?:\/v(\d+))?(\/.*)?$/.exec(url.pathname);
		const path = versioned?.[2] ?? '/';
		const method = (req.method ?? 'GET').toUpperCase();
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(req.headers)) {
			if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
		}
		const authorized = headers.authorization === `Bot ${this.#token}`;
		const reasonHeader = headers['x-audit-log-reason'];
		const entry: LoggedRequest = {
			method,
			route: path,
			path,
			query: Object.fromEntries(url.searchParams),
			headers:
				'authorization' in headers
					? { ...headers, authorization: authorized ? 'Bot [REDACTED]' : '[REDACTED]' }
					: headers,
			authorized,
			body: undefined,
			files: [],
			auditLogReason: reasonHeader === undefined ? undefined : safeDecode(reasonHeader),
			status: 0,
			at: Date.now(),
		};
		let raw: Buffer;
		try {
			raw = await readBody(req);
		} catch {
			req.socket.destroy();
			return;
		}
		const version = versioned?.[1];
		if (versioned === null || (version !== undefined && version !== '10' && version !== '9')) {
			this.#respond(res, entry, 404, { message: '404: Not Found', code: 0 }, {});
			return;
		}
		const match = isMethod(method) ? this.#router.match(method, path) : 'method';
		if (match === undefined || match === 'method') {
			this.#respond(
				res,
				entry,
				match === 'method' ? 405 : 404,
				{ message: match === 'method' ? '405: Method Not Allowed' : '404: Not Found', code: 0 },
				{},
			);
			return;
		}
		const logged = { ...entry, route: match.route.definition.path };
		if (match.route.definition.auth !== 'none' && !authorized) {
			this.invalid.unauthorized++;
			this.#respond(res, logged, 401, { message: '401: Unauthorized', code: 0 }, {});
			return;
		}
		const fault = this.#faults.next();
		if (fault.kind === 'reset') {
			recordRequest(this.requests, logged);
			req.socket.destroy();
			return;
		}
		const latency = this.#faults.latency();
		if (latency > 0) await sleep(latency);
		if (fault.kind === 'status') {
			recordRequest(this.requests, { ...logged, status: fault.status });
			res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`${fault.status}: mock upstream error`);
			return;
		}
		const decision = this.limiter.take(
			match.route.key,
			match.route.hash,
			match.majorParameter,
			match.route.definition.auth !== 'none',
		);
		if (decision.limited !== false) {
			this.invalid.rateLimited++;
			this.#respond(
				res,
				logged,
				429,
				{
					message: 'You are being rate limited.',
					retry_after: Math.round(decision.retryAfter * 1000) / 1000,
					global: decision.limited === 'global',
				},
				decision.headers,
			);
			return;
		}
		let body: unknown;
		let files: UploadedFile[] = [];
		try {
			({ body, files } = await parseBody(raw, headers['content-type'] ?? ''));
		} catch {
			this.#respond(
				res,
				logged,
				400,
				{ message: 'The request body contains invalid JSON.', code: 50109 },
				decision.headers,
			);
			return;
		}
		const withBody = { ...logged, body, files };
		let result: Awaited<ReturnType<RouteDefinition['handler']>>;
		try {
			result = await match.route.definition.handler({
				method: isMethod(method) ? method : 'GET',
				path,
				params: match.params,
				query: url.searchParams,
				headers,
				body,
				files,
				auditLogReason: entry.auditLogReason,
				world: this.#world,
				services: this.#services,
			});
		} catch (error) {
			this.#applied++;
			if (error instanceof DiscordHttpError) {
				if (error.status === 403) this.invalid.forbidden++;
				this.#respond(res, withBody, error.status, error.toJSON(), decision.headers);
				return;
			}
			// A bug in the mock, not in the bot: answer like Discord's 500 and keep the error for inspection.
			this.internalErrors.push(error);
			this.#respond(res, withBody, 500, { message: '500: Internal Server Error', code: 0 }, decision.headers);
			return;
		}
		const producedAt = ++this.#applied;
		const lost = result.status < 300 ? this.appliedFaults.next(method) : { kind: 'none' as const };
		if (lost.kind === 'reset') {
			recordRequest(this.requests, { ...withBody, status: 0 });
			req.socket.destroy();
			return;
		}
		if (lost.kind === 'status') {
			recordRequest(this.requests, { ...withBody, status: lost.status });
			res.writeHead(lost.status, { 'content-type': 'text/plain', [SEQUENCE_HEADER]: String(producedAt) }).end(
				`${lost.status}: mock upstream error`,
			);
			return;
		}
		const delay = result.status < 300 ? this.appliedFaults.latency(method) : 0;
		if (delay <= 0) {
			this.#respond(res, withBody, result.status, result.body, decision.headers, producedAt);
			return;
		}
		// A delayed answer is the state as it was when produced: a snapshot, not the live world object.
		const snapshot: unknown = result.body === undefined ? undefined : JSON.parse(JSON.stringify(result.body));
		await sleep(delay);
		this.#respond(res, withBody, result.status, snapshot, decision.headers, producedAt);
	}

	#respond(
		res: ServerResponse,
		entry: LoggedRequest,
		status: number,
		body: unknown,
		limits: Record<string, string>,
		producedAt = this.#applied,
	): void {
		recordRequest(this.requests, { ...entry, status });
		const headers = { ...limits, [SEQUENCE_HEADER]: String(producedAt) };
		if (status === 204 || body === undefined) {
			res.writeHead(status === 200 ? 204 : status, headers).end();
			return;
		}
		const text = JSON.stringify(body);
		res.writeHead(status, {
			...headers,
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(text)),
		}).end(text);
	}
}

function safeDecode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY) {
				reject(new RangeError('body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			resolve(Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
	if (raw.length === 0) return { body: undefined, files: [] };
	if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
	if (contentType.includes('application/json')) {
		const parsed: unknown = JSON.parse(raw.toString('utf8'));
		return { body: parsed, files: [] };
	}
	return { body: raw.toString('utf8'), files: [] };
}

/** Parses `multipart/form-data` (Discord's `payload_json` + `files[n]`) with busboy. */
function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: unknown; files: UploadedFile[] }> {
	return new Promise((resolve, reject) => {
		const files: UploadedFile[] = [];
		let body: unknown;
		let failure: unknown;
		const parser = Busboy({ headers: { 'content-type': contentType }, limits: { fileSize: MAX_BODY } });
		parser.on('field', (field, value) => {
			if (field !== 'payload_json') return;
			try {
				body = JSON.parse(value);
			} catch (error) {
				failure = error;
			}
		});
		parser.on('file', (field, stream, filename, _encoding, mimeType) => {
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => files.push({ field, filename, contentType: mimeType, data: Buffer.concat(chunks) }));
		});
		parser.on('error', reject);
		parser.on('finish', () => {
			if (failure === undefined) resolve({ body, files });
			else reject(failure instanceof Error ? failure : new SyntaxError('Invalid payload_json'));
		});
		parser.end(raw);
	});
}
