/**
 * The worker-thread entry of {@link WorkerShardingStrategy}: runs N shards and forwards their dispatches to the
 * main thread as the decompressed JSON text (the worker never parses a dispatch it forwards; the main thread
 * parses it once, when it is read). Identify throttling and session persistence are asked of the main thread.
 */
import * as threads from 'node:worker_threads';
import { GatewayError } from './lib/errors/GatewayError.js';
import {
	deserializeError,
	type FromWorker,
	isSerializedError,
	isSessionInfo,
	serializeError,
	type WorkerInit,
} from './lib/strategies/workerProtocol.js';
import { isArray, isRecord } from './lib/utils/payload.js';
import type { SessionInfo, ShardConfig, ShardHooks, ShardSink } from './lib/utils/types.js';
import { WebSocketShard } from './lib/WebSocketShard.js';

function isConfig(value: unknown): value is ShardConfig {
	if (!isRecord(value)) return false;
	const {
		token,
		intents,
		shardCount,
		gatewayUrl,
		compression,
		largeThreshold,
		identifyProperties,
		handshakeTimeout,
		helloTimeout,
		readyTimeout,
		maxPayloadSize,
		decompressor,
		reconnectBackoff,
		presence,
	} = value;
	return (
		typeof token === 'string' &&
		typeof intents === 'number' &&
		typeof shardCount === 'number' &&
		typeof gatewayUrl === 'string' &&
		(compression === null || compression === 'zlib-stream' || compression === 'zstd-stream') &&
		typeof largeThreshold === 'number' &&
		isRecord(identifyProperties) &&
		typeof identifyProperties.os === 'string' &&
		typeof identifyProperties.browser === 'string' &&
		typeof identifyProperties.device === 'string' &&
		typeof handshakeTimeout === 'number' &&
		typeof helloTimeout === 'number' &&
		typeof readyTimeout === 'number' &&
		typeof maxPayloadSize === 'number' &&
		(decompressor === 'auto' ||
			decompressor === 'zlib-sync' ||
			decompressor === 'node:zlib' ||
			decompressor === 'fzstd') &&
		isRecord(reconnectBackoff) &&
		typeof reconnectBackoff.initial === 'number' &&
		typeof reconnectBackoff.max === 'number' &&
		(presence === undefined || isPresence(presence))
	);
}

function isPresence(value: unknown): value is ShardConfig['presence'] {
	return (
		isRecord(value) &&
		(value.since === null || typeof value.since === 'number') &&
		isArray(value.activities) &&
		value.activities.every((activity) => isRecord(activity)) &&
		(value.status === 'online' ||
			value.status === 'dnd' ||
			value.status === 'idle' ||
			value.status === 'invisible' ||
			value.status === 'offline') &&
		typeof value.afk === 'boolean'
	);
}

function isInit(value: unknown): value is WorkerInit {
	return (
		isRecord(value) &&
		isArray(value.shardIds) &&
		value.shardIds.every((id) => typeof id === 'number') &&
		isConfig(value.config) &&
		typeof value.wantAll === 'boolean' &&
		isArray(value.wanted) &&
		value.wanted.every((t) => typeof t === 'string') &&
		typeof value.hasRetrieve === 'boolean' &&
		typeof value.hasUpdate === 'boolean'
	);
}

function dataOf(module: { readonly workerData: unknown }): unknown {
	return module.workerData;
}

const port = threads.parentPort;
const init = dataOf(threads);
if (port === null || !isInit(init)) throw GatewayError.of('GATEWAY_WORKER_FAILED', [[], { kind: 'bad-start' }]);

// Dispatches are batched per tick (one postMessage for every frame read at once); anything else flushes the
// batch first, so the main thread sees everything in the order the shards produced it.
let batch: { shardId: number; t: string; s: number | null; raw: string }[] = [];
const sessions = new Map<number, SessionInfo | null>();
let scheduled = false;
const flush = (): void => {
	scheduled = false;
	if (batch.length > 0) {
		port.postMessage({ type: 'dispatches', items: batch } satisfies FromWorker);
		batch = [];
	}
	for (const [shardId, info] of sessions)
		port.postMessage({ type: 'update-session', shardId, info } satisfies FromWorker);
	sessions.clear();
};
const schedule = (): void => {
	if (scheduled) return;
	scheduled = true;
	setImmediate(flush);
};
const post = (message: FromWorker): void => {
	if (batch.length > 0 || sessions.size > 0) flush();
	port.postMessage(message);
};
let nonce = 0;
const pending = new Map<
	number,
	{ readonly resolve: (value: unknown) => void; readonly reject: (error: Error) => void }
>();
const ask = (message: (n: number) => FromWorker): Promise<unknown> =>
	new Promise((resolve, reject) => {
		const n = ++nonce;
		pending.set(n, { resolve, reject });
		post(message(n));
	});

const wanted = new Set(init.wanted);
const hooks: ShardHooks = {
	waitForIdentify: async (shardId, signal) => {
		const n = nonce + 1;
		const onAbort = (): void => {
			post({ type: 'identify-cancel', nonce: n });
		};
		signal.addEventListener('abort', onAbort, { once: true });
		try {
			await ask((id) => ({ type: 'identify', nonce: id, shardId }));
		} finally {
			signal.removeEventListener('abort', onAbort);
		}
		// The grant lives on the main thread: the shard's report goes there.
		let reported = false;
		const report = (sent: boolean): Promise<void> => {
			if (!reported) {
				reported = true;
				post({ type: 'identify-report', nonce: n, sent });
			}
			return Promise.resolve();
		};
		return { sent: () => report(true), notSent: () => report(false) };
	},
	retrieveSessionInfo: init.hasRetrieve
		? async (shardId): Promise<SessionInfo | null> => {
				const info = await ask((id) => ({ type: 'retrieve-session', nonce: id, shardId }));
				return isSessionInfo(info) ? info : null;
			}
		: undefined,
	updateSessionInfo: init.hasUpdate
		? (shardId, info): void => {
				sessions.set(shardId, info);
				schedule();
			}
		: undefined,
	wants: (t) => init.wantAll || wanted.has(t),
	dispatchFilter: { all: init.wantAll, events: init.wanted, dynamic: false },
	forwardRaw: true,
	extensions: undefined,
};

const sink: ShardSink = {
	dispatch: (shardId, t, s, raw) => {
		batch.push({ shardId, t, s, raw });
		schedule();
	},
	event: (event) => {
		if (event.type === 'error')
			post({
				type: 'event',
				event: {
					type: 'error',
					shardId: event.shardId,
					error: serializeError(event.error),
					fatal: event.fatal,
				},
			});
		else post({ type: 'event', event });
	},
};

const shards = new Map(init.shardIds.map((id) => [id, new WebSocketShard(id, init.config, hooks, sink)]));

port.on('message', (message: unknown) => {
	if (!isRecord(message) || typeof message.type !== 'string') return;
	const n = typeof message.nonce === 'number' ? message.nonce : 0;
	switch (message.type) {
		case 'connect':
			Promise.all([...shards.values()].map((shard) => shard.connect())).then(
				() => {
					post({ type: 'connected', error: null });
				},
				(error: unknown) => {
					post({ type: 'connected', error: serializeError(error) });
				},
			);
			return;
		case 'send': {
			const shard = typeof message.shardId === 'number' ? shards.get(message.shardId) : undefined;
			const payload = message.payload;
			if (shard === undefined || !isRecord(payload) || typeof payload.op !== 'number') {
				post({
					type: 'sent',
					nonce: n,
					error: serializeError(
						GatewayError.of('GATEWAY_UNKNOWN_SHARD', [message.shardId, 'worker', [...shards.keys()]]),
					),
				});
				return;
			}
			shard.send({ op: payload.op, d: payload.d }).then(
				() => {
					post({ type: 'sent', nonce: n, error: null });
				},
				(error: unknown) => {
					post({ type: 'sent', nonce: n, error: serializeError(error) });
				},
			);
			return;
		}
		case 'destroy':
			void Promise.all(
				[...shards.values()].map((shard) => shard.destroy({ keepSession: message.keepSession === true })),
			).then(() => {
				post({ type: 'destroyed', nonce: n });
				port.close();
			});
			return;
		case 'status':
			post({ type: 'status', nonce: n, snapshots: [...shards.values()].map((shard) => shard.snapshot()) });
			return;
		case 'identify-result':
		case 'session-result': {
			const waiter = pending.get(n);
			pending.delete(n);
			if (waiter === undefined) return;
			if (message.type === 'identify-result' && isSerializedError(message.error))
				waiter.reject(deserializeError(message.error));
			else waiter.resolve(message.info);
			return;
		}
		default:
	}
});
