import { createServer, connect, type Server, type Socket } from 'node:net';

/** A TCP proxy a test can stop and restart on the same port, to simulate a server outage without touching it. */
export class TcpProxy {
	private server: Server | undefined;
	private readonly sockets = new Set<Socket>();
	public port = 0;

	public constructor(
		private readonly targetPort: number,
		private readonly targetHost = '127.0.0.1',
	) {}

	public async start(): Promise<number> {
		const server = createServer((client) => {
			const upstream = connect(this.targetPort, this.targetHost);
			this.sockets.add(client);
			this.sockets.add(upstream);
			client.pipe(upstream).pipe(client);
			const close = (): void => {
				client.destroy();
				upstream.destroy();
				this.sockets.delete(client);
				this.sockets.delete(upstream);
			};
			client.on('error', close).on('close', close);
			upstream.on('error', close).on('close', close);
		});
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.port, '127.0.0.1', () => {
				resolve();
			});
		});
		const address = server.address();
		if (typeof address === 'object' && address !== null) this.port = address.port;
		return this.port;
	}

	/** Stops listening and cuts every open connection. */
	public async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		const server = this.server;
		this.server = undefined;
		if (server !== undefined)
			await new Promise<void>((resolve) =>
				server.close(() => {
					resolve();
				}),
			);
	}
}

/** Polls `check` every 20 ms until it is true or `timeout` ms passed. */
export async function waitFor(check: () => boolean, timeout = 10_000): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('waitFor timed out');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
