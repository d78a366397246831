import { parseHostMessage, toWire, wireToError, type RemoteInit } from './wire.js';

/** What the runtime side of the protocol does with the host's requests. */
export interface EndpointHandlers {
	init(init: RemoteInit, bridge: RemoteBridge): Promise<unknown>;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	dispatch(kind: 'event' | 'hook' | 'service', target: string, args: readonly unknown[]): Promise<unknown>;
}

/** How the plugin's `ctx` reaches the host. */
export interface RemoteBridge {
	call(op: string, args: readonly unknown[]): Promise<unknown>;
	post(op: string, args: readonly unknown[]): void;
}

/**
 * The runtime side of the host protocol (a worker thread, the isolate child process): answers `init`, `setup`,
 * `teardown` and `dispatch`, and sends the plugin's `ctx` calls with their answers routed back.
 */
export function serveRemote(
	send: (message: unknown) => void,
	subscribe: (listener: (message: unknown) => void) => void,
	handlers: EndpointHandlers,
): void {
	const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	let seq = 0;
	const bridge: RemoteBridge = {
		call: (op, args) =>
			new Promise((resolve, reject) => {
				const id = ++seq;
				calls.set(id, { resolve, reject });
				send({ t: 'call', id, op, args });
			}),
		post: (op, args) => {
			send({ t: 'post', op, args });
		},
	};
	const answer = (id: number, work: () => Promise<unknown>): void => {
		work().then(
			(value) => {
				try {
					send({ t: 'done', id, ok: true, value });
				} catch (error) {
					send({
						t: 'done',
						id,
						ok: false,
						error: {
							code: 'PLUGIN_HANDLER_FAILED',
							message: `returned a value that cannot be sent (plain data only): ${toWire(error).message}`,
						},
					});
				}
			},
			(error: unknown) => {
				send({ t: 'done', id, ok: false, error: toWire(error) });
			},
		);
	};
	subscribe((raw) => {
		const message = parseHostMessage(raw);
		if (message === undefined) return;
		switch (message.t) {
			case 'result': {
				const call = calls.get(message.id);
				if (call === undefined) return;
				calls.delete(message.id);
				if (message.ok) call.resolve(message.value);
				else call.reject(wireToError(message.error));
				return;
			}
			case 'init':
				answer(message.id, () => handlers.init(message.init, bridge));
				return;
			case 'setup':
				answer(message.id, () => handlers.setup());
				return;
			case 'teardown':
				answer(message.id, () => handlers.teardown());
				return;
			case 'dispatch':
				answer(message.id, () => handlers.dispatch(message.kind, message.target, message.args));
				return;
		}
	});
}
