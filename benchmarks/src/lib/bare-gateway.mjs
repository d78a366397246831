/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// The physical ceiling of a gateway client: a bare `ws` socket that identifies, heartbeats and runs nothing but
// `JSON.parse` (after inflate for zlib-stream, with zlib-sync: the fastest inflate that installs here) on each
// frame. No validation, no events, no cache. `parse: false` after `stopParsing()` makes it the yardstick of the
// mock and the socket: frames are counted, not decoded.
import { createRequire } from 'node:module';
import { clearInterval, setInterval } from 'node:timers';
import WebSocket from 'ws';

/** zlib-sync, resolved where `@ovenjs/ws` resolves it (its optional dependency), or undefined when absent. */
export function loadZlibSync() {
	try {
		return createRequire(import.meta.resolve('@ovenjs/ws'))('zlib-sync');
	} catch {
		return undefined;
	}
}

/**
 * Connects to `gatewayUrl` and calls `onPayload(payload)` for every parsed frame, or `onFrame()` for every frame
 * once `stopParsing()` was called. `identify` is the op 2 `d`. Returns `{ send, close, stopParsing }`.
 */
export function connectBare({ gatewayUrl, compress, identify, onPayload, onFrame }) {
	const url = `${gatewayUrl}?v=10&encoding=json${compress ? '&compress=zlib-stream' : ''}`;
	const socket = new WebSocket(url, { perMessageDeflate: false });
	let heartbeat;
	let seq = null;
	let parsing = true;
	const send = (payload) => {
		socket.send(JSON.stringify(payload));
	};
	const handle = (text) => {
		const payload = JSON.parse(text);
		if (payload.s !== null && payload.s !== undefined) seq = payload.s;
		if (payload.op === 10) {
			heartbeat = setInterval(() => send({ op: 1, d: seq }), payload.d.heartbeat_interval);
			send({ op: 2, d: identify });
		} else if (payload.op === 1) {
			send({ op: 1, d: seq });
		}
		onPayload(payload);
	};
	if (compress) {
		const zlib = loadZlibSync();
		if (zlib === undefined)
			throw new Error('zlib-sync is not installed (it is an optional dependency of @ovenjs/ws)');
		// One inflate context for the connection; a frame ending with 00 00 ff ff completes a message.
		const inflate = new zlib.Inflate({ chunkSize: 128 * 1024, to: 'string' });
		socket.on('message', (data) => {
			if (!parsing) return onFrame();
			const n = data.length;
			const complete =
				n >= 4 && data[n - 4] === 0x00 && data[n - 3] === 0x00 && data[n - 2] === 0xff && data[n - 1] === 0xff;
			inflate.push(data, complete ? zlib.Z_SYNC_FLUSH : false);
			if (!complete) return;
			if (inflate.err < 0) throw new Error(`inflate failed: ${inflate.msg}`);
			handle(inflate.result);
		});
	} else {
		socket.on('message', (data) => (parsing ? handle(data.toString()) : onFrame()));
	}
	return {
		send,
		stopParsing() {
			parsing = false;
		},
		close() {
			clearInterval(heartbeat);
			socket.terminate();
		},
	};
}
