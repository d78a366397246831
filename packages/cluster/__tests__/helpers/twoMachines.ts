/**
 * Two "machines" on one host, for tests: two network namespaces (A and B), each joined by a veth pair to one bridge
 * in the root namespace, on a /24 of its own (bridge .1, A .2, B .3). The services (Redis, NATS, the mock Discord)
 * listen on 127.0.0.1 only, so {@link TwoMachines.forward} starts small TCP forwarders on the bridge address that
 * pipe to them, and counts the connections and bytes of each peer address: what a namespace reached, it reached
 * over its veth link. Processes run in a namespace with `ip netns exec <namespace> node ...`
 * ({@link TwoMachines.launch}).
 *
 * Names carry this process's pid, so namespaces and bridges left behind by a test process that was killed are
 * removed by the next run; {@link TwoMachines.destroy} removes this run's, also after a failed start.
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where `ip` lives (root's PATH may lack the sbin directories). */
function ipPath(): string | undefined {
	return ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((path) => existsSync(path));
}

async function ip(...args: string[]): Promise<string> {
	const path = ipPath();
	if (path === undefined) throw new Error('iproute2 (`ip`) is not installed');
	try {
		return (await run(path, args, { timeout: 15_000 })).stdout;
	} catch (error) {
		const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
		throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, { cause: error });
	}
}

/** Runs every step, even when one fails; rethrows the first failure at the end. */
async function all(steps: readonly (() => Promise<unknown>)[]): Promise<void> {
	const failures: unknown[] = [];
	for (const step of steps) {
		try {
			await step();
		} catch (error) {
			failures.push(error);
		}
	}
	if (failures.length > 0) throw new AggregateError(failures, 'the test network could not be removed completely');
}

const PREFIX = 'ovenjs-';

/** A tag unique to this run: this process's pid (base 36) and three random characters. */
function newTag(): string {
	return `${process.pid.toString(36)}${randomInt(36 ** 3)
		.toString(36)
		.padStart(3, '0')}`;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
	}
}

/** Removes namespaces and bridges of earlier runs whose test process is gone. */
async function sweepStale(): Promise<void> {
	const names = (await ip('netns', 'list')).split('\n').map((line) => line.split(' ')[0] ?? '');
	for (const name of names) {
		const match = /^ovenjs-([0-9a-z]+)-[ab]$/.exec(name);
		const tag = match?.[1];
		if (tag === undefined || tag.length < 4) continue;
		if (alive(Number.parseInt(tag.slice(0, -3), 36))) continue;
		await ip('netns', 'del', name).catch(() => undefined);
		await ip('link', 'del', `oj${tag}br`).catch(() => undefined);
	}
}

/** A /24 in 10.200.0.0–10.249.255.0 that no interface or route of this host uses. */
async function freeSubnet(): Promise<string> {
	const used = (await ip('-4', '-o', 'addr', 'show')) + (await ip('-4', 'route', 'show', 'table', 'all'));
	for (let attempt = 0; attempt < 50; attempt++) {
		const subnet = `10.${200 + randomInt(50)}.${randomInt(256)}`;
		if (!used.includes(`${subnet}.`)) return subnet;
	}
	throw new Error('no free 10.x.y.0/24 subnet for the test network');
}

/** What a namespace is: its name and its address on the link. */
export interface Machine {
	readonly namespace: string;
	readonly address: string;
}

/** Connections and bytes a forwarder carried for one peer address. */
export interface PeerTraffic {
	connections: number;
	/** Bytes from the peer to the service. */
	bytesUp: number;
	/** Bytes from the service to the peer. */
	bytesDown: number;
}

interface Forwarder {
	readonly name: string;
	readonly server: Server;
	readonly sockets: Set<Socket>;
	readonly peers: Map<string, PeerTraffic>;
}

/**
 * Whether this process can create network namespaces and veth pairs (root, or CAP_NET_ADMIN with iproute2). With
 * `CI=true` it throws when it cannot (CI runs as root); elsewhere it prints one line saying why the tests that need
 * it are skipped.
 */
export async function netnsAvailable(what: string): Promise<boolean> {
	let reason: string | undefined;
	const tag = newTag();
	const namespace = `${PREFIX}${tag}-a`;
	try {
		await ip('netns', 'add', namespace);
		try {
			await ip('link', 'add', `oj${tag}va`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
		} finally {
			await ip('netns', 'del', namespace).catch(() => undefined);
		}
	} catch (error) {
		reason = error instanceof Error ? error.message : String(error);
	}
	if (reason === undefined) return true;
	const line = `network namespaces cannot be created here (${reason.split('\n')[0] ?? ''}; needs root or CAP_NET_ADMIN and iproute2)`;
	if (process.env.CI === 'true') throw new Error(`[CI] ${line}: ${what} must run in CI.`);
	console.warn(`[skip] ${line}: ${what} skipped.`);
	return false;
}

/** Two network namespaces on one bridge, with forwarders to the loopback-only services; see the file comment. */
export class TwoMachines {
	/** The root namespace's address on the bridge, where the forwarders listen: the services' host for A and B. */
	public readonly servicesHost: string;
	public readonly a: Machine;
	public readonly b: Machine;
	readonly #tag: string;
	readonly #forwarders: Forwarder[] = [];
	#destroyed = false;

	private constructor(tag: string, subnet: string) {
		this.#tag = tag;
		this.servicesHost = `${subnet}.1`;
		this.a = { namespace: `${PREFIX}${tag}-a`, address: `${subnet}.2` };
		this.b = { namespace: `${PREFIX}${tag}-b`, address: `${subnet}.3` };
	}

	/** Creates both namespaces, their veth pairs and the bridge; on any failure removes what it created and throws. */
	public static async create(): Promise<TwoMachines> {
		await sweepStale();
		const machines = new TwoMachines(newTag(), await freeSubnet());
		try {
			await machines.#build();
		} catch (error) {
			await machines.destroy().catch(() => undefined);
			throw error;
		}
		return machines;
	}

	async #build(): Promise<void> {
		const bridge = `oj${this.#tag}br`;
		await ip('link', 'add', bridge, 'type', 'bridge');
		await ip('addr', 'add', `${this.servicesHost}/24`, 'dev', bridge);
		await ip('link', 'set', bridge, 'up');
		for (const [machine, end] of [
			[this.a, `oj${this.#tag}va`],
			[this.b, `oj${this.#tag}vb`],
		] as const) {
			await ip('netns', 'add', machine.namespace);
			// The namespace's end is its eth0; the root end joins the bridge.
			await ip('link', 'add', end, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', machine.namespace);
			await ip('link', 'set', end, 'master', bridge);
			await ip('link', 'set', end, 'up');
			await ip('-n', machine.namespace, 'addr', 'add', `${machine.address}/24`, 'dev', 'eth0');
			await ip('-n', machine.namespace, 'link', 'set', 'eth0', 'up');
			await ip('-n', machine.namespace, 'link', 'set', 'lo', 'up');
		}
	}

	/**
	 * Listens on `servicesHost:port` and pipes every connection to `target` (a service on loopback), counting
	 * connections and bytes per peer address under `name`.
	 */
	public async forward(name: string, port: number, target: { readonly host: string; readonly port: number }) {
		const forwarder: Forwarder = { name, server: createServer(), sockets: new Set(), peers: new Map() };
		forwarder.server.on('connection', (client) => {
			const peer = client.remoteAddress ?? 'unknown';
			let traffic = forwarder.peers.get(peer);
			if (traffic === undefined) {
				traffic = { connections: 0, bytesUp: 0, bytesDown: 0 };
				forwarder.peers.set(peer, traffic);
			}
			const counted = traffic;
			counted.connections++;
			const upstream = connect(target.port, target.host);
			for (const socket of [client, upstream]) {
				forwarder.sockets.add(socket);
				socket.setNoDelay(true);
				socket.on('close', () => {
					forwarder.sockets.delete(socket);
					client.destroy();
					upstream.destroy();
				});
				socket.on('error', () => {
					client.destroy();
					upstream.destroy();
				});
			}
			client.on('data', (chunk: Buffer) => {
				counted.bytesUp += chunk.length;
			});
			upstream.on('data', (chunk: Buffer) => {
				counted.bytesDown += chunk.length;
			});
			client.pipe(upstream);
			upstream.pipe(client);
		});
		this.#forwarders.push(forwarder);
		await new Promise<void>((resolve, reject) => {
			forwarder.server.once('error', reject);
			forwarder.server.listen(port, this.servicesHost, () => {
				forwarder.server.off('error', reject);
				resolve();
			});
		});
	}

	/** What each forwarder carried, by peer address: `{ redis: { '10.x.y.2': { connections, bytesUp, bytesDown } } }`. */
	public traffic(): Record<string, Record<string, PeerTraffic>> {
		return Object.fromEntries(
			this.#forwarders.map((f) => [
				f.name,
				Object.fromEntries([...f.peers].map(([peer, t]) => [peer, { ...t }])),
			]),
		);
	}

	/** How to start Node in `machine`: `ip netns exec <namespace> <node>` then Node's own arguments. */
	public launch(machine: Machine): { readonly execPath: string; readonly execArgv: readonly string[] } {
		const path = ipPath();
		if (path === undefined) throw new Error('iproute2 (`ip`) is not installed');
		return { execPath: path, execArgv: ['netns', 'exec', machine.namespace, process.execPath] };
	}

	/** Runs `node -e <code>` in `machine` and resolves with its stdout. */
	public async node(machine: Machine, code: string): Promise<string> {
		const { execPath, execArgv } = this.launch(machine);
		return (await run(execPath, [...execArgv, '-e', code], { timeout: 15_000 })).stdout;
	}

	/** Closes the forwarders and removes both namespaces (their veth pairs go with them) and the bridge. */
	public async destroy(): Promise<void> {
		if (this.#destroyed) return;
		this.#destroyed = true;
		for (const forwarder of this.#forwarders) {
			for (const socket of forwarder.sockets) socket.destroy();
			await new Promise<void>((resolve) => {
				forwarder.server.close(() => {
					resolve();
				});
			});
		}
		const exists = async (namespace: string): Promise<boolean> =>
			(await ip('netns', 'list')).split('\n').some((line) => line.split(' ')[0] === namespace);
		await all([
			async () => {
				if (await exists(this.a.namespace)) await ip('netns', 'del', this.a.namespace);
			},
			async () => {
				if (await exists(this.b.namespace)) await ip('netns', 'del', this.b.namespace);
			},
			async () => {
				const bridge = `oj${this.#tag}br`;
				if ((await ip('-o', 'link', 'show')).includes(`${bridge}:`)) await ip('link', 'del', bridge);
			},
		]);
	}

	/** Whether any namespace or bridge of this run is still there (for the test's own cleanup check). */
	public async leftovers(): Promise<string[]> {
		const namespaces = (await ip('netns', 'list')).split('\n').map((line) => line.split(' ')[0] ?? '');
		const links = await ip('-o', 'link', 'show');
		return [
			...namespaces.filter((name) => name === this.a.namespace || name === this.b.namespace),
			...(links.includes(`oj${this.#tag}br:`) ? [`oj${this.#tag}br`] : []),
		];
	}
}
