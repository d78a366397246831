/* eslint-disable @typescript-eslint/explicit-module-boundary-types -- plain .mjs (run without a build step) cannot carry type annotations. */
// The physical ceiling of a gateway client: a bare `ws` socket that identifies, heartbeats and runs nothing but
// `JSON.parse` (after inflate for zlib-stream) on each frame. No validation, no events, no cache.
import { clearInterval, setInterval } from 'node:timers';
import { constants, createInflate } from 'node:zlib';
import WebSocket from 'ws';

const SUFFIX = [0x00, 0x00, 0xff, 0xff];

/**
 * Connects to `gatewayUrl` and calls `onPayload(payload)` for every parsed frame. `identify` is the op 2 `d`.
 * Returns `{ send, close }`.
 */
export function connectBare({ gatewayUrl, compress, identify, onPayload }) {
	const url = `${gatewayUrl}?v=10&encoding=json${compress ? '&compress=zlib-stream' : ''}`;
	const socket = new WebSocket(url, { perMessageDeflate: false });
	let heartbeat;
	let seq = null;
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
		// One inflate context for the connection; a frame ending with 00 00 ff ff completes a message.
		const inflate = createInflate({ chunkSize: 65_535, flush: constants.Z_SYNC_FLUSH });
		let chunks = [];
		inflate.on('data', (chunk) => chunks.push(chunk));
		socket.on('message', (data) => {
			const complete = data.length >= 4 && SUFFIX.every((byte, i) => data[data.length - 4 + i] === byte);
			inflate.write(data, () => {
				if (!complete) return;
				const text = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
				chunks = [];
				handle(text);
			});
		});
	} else {
		socket.on('message', (data) => handle(data.toString()));
	}
	return {
		send,
		close() {
			clearInterval(heartbeat);
			socket.terminate();
		},
	};
}
