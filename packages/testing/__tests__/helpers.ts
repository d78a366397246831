import { createInflate, constants } from 'node:zlib';
import { Decompress } from 'fzstd';
import WebSocket from 'ws';
import {
	GatewayOpcodes,
	type GatewayDispatchEvents,
	type GatewayDispatchPayload,
	type GatewayReceivePayload,
} from 'discord-api-types/v10';

export type Payload = GatewayReceivePayload;

/** The dispatch payload of one event. */
export type DispatchOf<T extends GatewayDispatchEvents> = Extract<GatewayDispatchPayload, { t: T }>;

function isDispatchOf<T extends GatewayDispatchEvents>(payload: Payload, event: T): payload is DispatchOf<T> {
	return payload.op === GatewayOpcodes.Dispatch && payload.t === event;
}

function decode(text: string): Payload {
	return JSON.parse(text) as Payload;
}

/** A minimal raw gateway client for protocol tests: decodes json / zlib-stream / zstd-stream. */
export class RawClient {
	public readonly ws: WebSocket;
	public readonly received: Payload[] = [];
	public readonly closed: Promise<{ code: number; reason: string }>;
	private waiters: { predicate: (p: Payload) => boolean; resolve: (p: Payload) => void }[] = [];
	private cursor = 0;

	public constructor(url: string, query = 'v=10&encoding=json', compression?: 'zlib-stream' | 'zstd-stream') {
		this.ws = new WebSocket(`${url}?${query}${compression ? `&compress=${compression}` : ''}`);
		this.closed = new Promise((resolve) => {
			this.ws.on('close', (code, reason) => {
				resolve({ code, reason: reason.toString() });
			});
		});
		this.ws.on('error', () => undefined);
		if (compression === 'zlib-stream') {
			const inflate = createInflate({ flush: constants.Z_SYNC_FLUSH });
			let text = '';
			inflate.on('data', (chunk: Buffer) => {
				text += chunk.toString('utf8');
				// Each message is a complete JSON document once its flush arrives.
				try {
					const parsed = decode(text);
					text = '';
					this.push(parsed);
				} catch {
					// wait for more
				}
			});
			this.ws.on('message', (data: Buffer) => {
				inflate.write(data);
			});
		} else if (compression === 'zstd-stream') {
			// One streaming decoder for the whole connection, as a real client keeps.
			const decoder = new Decompress((chunk) => {
				this.push(decode(Buffer.from(chunk).toString('utf8')));
			});
			this.ws.on('message', (data: Buffer) => {
				decoder.push(new Uint8Array(data));
			});
		} else {
			this.ws.on('message', (data: Buffer) => {
				this.push(decode(data.toString('utf8')));
			});
		}
	}

	public opened(): Promise<void> {
		return new Promise((resolve, reject) => {
			if (this.ws.readyState === WebSocket.OPEN) resolve();
			this.ws.once('open', () => {
				resolve();
			});
			this.ws.once('error', reject);
		});
	}

	/** Resolves with the next payload (after those already consumed) that matches. */
	public next(predicate: (p: Payload) => boolean = () => true, timeoutMs = 5000): Promise<Payload> {
		for (let i = this.cursor; i < this.received.length; i++) {
			const payload = this.received[i]!;
			if (predicate(payload)) {
				this.cursor = i + 1;
				return Promise.resolve(payload);
			}
		}
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				reject(
					new Error(
						`timed out waiting; got ${this.received.map((p) => (p.op === GatewayOpcodes.Dispatch ? p.t : String(p.op))).join(',')}`,
					),
				);
			}, timeoutMs);
			this.waiters.push({
				predicate,
				resolve: (p) => {
					clearTimeout(timer);
					this.cursor = this.received.indexOf(p) + 1;
					resolve(p);
				},
			});
		});
	}

	public async dispatch<T extends GatewayDispatchEvents>(event: T, timeoutMs?: number): Promise<DispatchOf<T>> {
		const payload = await this.next((p) => isDispatchOf(p, event), timeoutMs);
		if (!isDispatchOf(payload, event)) throw new Error('unreachable');
		return payload;
	}

	public send(payload: unknown): void {
		this.sendRaw(JSON.stringify(payload));
	}

	public sendRaw(text: string): void {
		if (this.ws.readyState === WebSocket.CONNECTING) {
			this.ws.once('open', () => {
				this.ws.send(text);
			});
		} else this.ws.send(text);
	}

	public identify(token: string, intents = 513, extra: Record<string, unknown> = {}): void {
		this.send({
			op: 2,
			d: { token, intents, properties: { os: 'linux', browser: 'test', device: 'test' }, ...extra },
		});
	}

	public close(code = 1000): void {
		if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
	}

	private push(payload: Payload): void {
		this.received.push(payload);
		const waiter = this.waiters.find((w) => w.predicate(payload));
		if (waiter) {
			this.waiters = this.waiters.filter((w) => w !== waiter);
			waiter.resolve(payload);
		}
	}
}

/** Calls the mock's REST API as the bot (or with another token / none) and parses JSON. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T names the JSON shape a test expects
export async function call<T = unknown>(
	apiBase: string,
	token: string | null,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
	const init: RequestInit = {
		method,
		headers: {
			...headers,
			...(token === null ? {} : { authorization: `Bot ${token}` }),
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
		},
	};
	if (body !== undefined) init.body = JSON.stringify(body);
	const response = await fetch(`${apiBase}/v10${path}`, init);
	const text = await response.text();
	return {
		status: response.status,
		body: (text === '' ? undefined : JSON.parse(text)) as T,
		headers: response.headers,
	};
}
