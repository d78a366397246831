import WebSocket, { type RawData } from 'ws';

/** A `ws` message as one Buffer. */
export function toBuffer(data: RawData): Buffer {
	if (Buffer.isBuffer(data)) return data;
	if (Array.isArray(data)) return Buffer.concat(data);
	return Buffer.from(data);
}

/** Closes `ws` with `code`, terminating it if the close handshake has not finished within 2 s. */
export function closeSocket(ws: WebSocket, code: number): Promise<void> {
	if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
	return new Promise<void>((resolve) => {
		const timer = setTimeout(() => {
			ws.terminate();
			resolve();
		}, 2_000);
		timer.unref();
		ws.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
		if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
		else ws.close(code);
	});
}
