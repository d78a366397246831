import { fork, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisAvailable } from '@ovenjs/test-services';
import { canonical, until } from './helpers.js';

const redis = await redisAvailable('StateStore multi-process sync test');

/** A TCP proxy on loopback in front of Redis that the test can stop (cutting every connection) and restart. */
class CutProxy {
	#server: Server | undefined;
	readonly #sockets = new Set<Socket>();
	public port = 0;
	readonly #target: URL;

	public constructor(target: string) {
		this.#target = new URL(target);
	}

	public async start(): Promise<void> {
		const server = createServer((client) => {
			const upstream = connect(Number(this.#target.port || 6379), this.#target.hostname);
			this.#sockets.add(client);
			this.#sockets.add(upstream);
			const drop = (): void => {
				client.destroy();
				upstream.destroy();
				this.#sockets.delete(client);
				this.#sockets.delete(upstream);
			};
			client.on('error', drop).on('close', drop);
			upstream.on('error', drop).on('close', drop);
			client.pipe(upstream);
			upstream.pipe(client);
		});
		await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
		const address = server.address();
		if (address !== null && typeof address === 'object') this.port = address.port;
		this.#server = server;
	}

	public async stop(): Promise<void> {
		const server = this.#server;
		this.#server = undefined;
		for (const socket of this.#sockets) socket.destroy();
		this.#sockets.clear();
		if (server !== undefined)
			await new Promise<void>((resolve) =>
				server.close(() => {
					resolve();
				}),
			);
	}
}

interface Reply {
	readonly id?: number;
	readonly ready?: boolean;
	readonly error?: string;
	readonly state?: {
		title: string;
		hits: number;
		tags: string[];
		claims: Record<string, string>;
		nodes: Record<string, Record<string, number>>;
		bulk: Record<string, string>;
	};
	readonly info?: {
		node: string;
		lastSeq: number;
		pending: number;
		lastCatchUp: { mode: string; operations: number; changes: number; rawChanges: number; bytes: number };
	};
	readonly conflicts?: number;
	readonly writes?: { path: string; value: unknown; clock: string }[];
}

class Replica {
	readonly #child: ChildProcess;
	#next = 0;
	readonly #waiting = new Map<number, (reply: Reply) => void>();
	public readonly ready: Promise<void>;

	public constructor(
		name: string,
		url: string,
		public readonly label: string,
	) {
		const script = fileURLToPath(new URL('./fixtures/replica.ts', import.meta.url));
		this.#child = fork(script, [name, url, label], {
			execArgv: ['--conditions=@ovenjs/source', '--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		this.ready = new Promise((resolve, reject) => {
			this.#child.once('exit', (code) => {
				reject(new Error(`replica ${label} exited with ${String(code)}`));
			});
			this.#child.on('message', (reply: Reply) => {
				if (reply.ready === true) resolve();
				if (reply.id !== undefined) this.#waiting.get(reply.id)?.(reply);
			});
		});
	}

	public async call(cmd: string, extra: object = {}): Promise<Reply> {
		const id = ++this.#next;
		const reply = await new Promise<Reply>((resolve) => {
			this.#waiting.set(id, resolve);
			this.#child.send({ id, cmd, ...extra });
		});
		this.#waiting.delete(id);
		if (reply.error !== undefined) throw new Error(`replica ${this.label}: ${reply.error}`);
		return reply;
	}

	public kill(): void {
		this.#child.kill();
	}
}

describe.skipIf(!redis.available)('three replica processes on the real Redis, one cut off and reconnected', () => {
	const name = `procs-${process.pid}-${Date.now().toString(36)}`;
	const proxy = new CutProxy(redis.url);
	const replicas: Replica[] = [];
	const admin = new Redis(redis.url);

	afterAll(async () => {
		await Promise.all(
			replicas.map((replica) =>
				replica.call('stop').catch(() => {
					replica.kill();
				}),
			),
		);
		await proxy.stop();
		const keys = await admin.keys(`ovenjs-test:state-procs:${name}*`);
		if (keys.length > 0) await admin.del(...keys);
		await admin.quit();
	});

	it('all converge, no disjoint update is lost, conflicts resolve by policy, the catch-up is a delta', async () => {
		await proxy.start();
		const a = new Replica(name, redis.url, 'a');
		await a.ready;
		const b = new Replica(name, redis.url, 'b');
		const c = new Replica(name, `redis://127.0.0.1:${proxy.port}`, 'c');
		replicas.push(a, b, c);
		await Promise.all([b.ready, c.ready]);

		// Phase 1: all three write concurrently.
		for (let round = 0; round < 5; round++)
			await Promise.all(replicas.map((replica) => replica.call('write', { round })));
		await Promise.all(replicas.map((replica) => replica.call('flush')));

		// Phase 2: c is cut off; everyone keeps writing (c only locally).
		await proxy.stop();
		for (let round = 5; round < 10; round++)
			await Promise.all(replicas.map((replica) => replica.call('write', { round })));
		await Promise.all([a.call('hammer', { count: 100 }), b.call('hammer', { count: 100 })]);
		await Promise.all([a.call('flush'), b.call('flush')]);
		const before = await a.call('state');
		const fullStateBytes = JSON.stringify(before.state).length;

		// Phase 3: the proxy comes back; c catches up and publishes what it wrote while cut off.
		await proxy.start();
		await c.call('flush');
		const states = async (): Promise<Reply[]> => Promise.all(replicas.map((replica) => replica.call('state')));
		await until(
			async () => {
				const all = await states();
				return all.every(
					(reply) => canonical(reply.state) === canonical(all[0]!.state) && reply.info?.pending === 0,
				);
			},
			'the three replicas to converge',
			20_000,
		).catch(async (error: unknown) => {
			for (const reply of await states())
				console.log(
					JSON.stringify({
						hits: reply.state?.hits,
						title: reply.state?.title,
						claims: reply.state?.claims,
						tags: reply.state?.tags.length,
						nodes: reply.state?.nodes,
						info: reply.info,
					}),
				);
			throw error;
		});
		const [sa, sb, sc] = await states();
		const state = sa!.state!;

		// No update to a disjoint path is lost.
		for (const label of ['a', 'b', 'c']) {
			expect(state.nodes[label]).toEqual(
				Object.fromEntries(Array.from({ length: 10 }, (_, round) => [`r${round}`, round])),
			);
		}
		// Counter: every increment counted (3 × 10 rounds + 2 × 100 hammered).
		expect(state.hits).toBe(30 + 200);
		// Set: every replica's tags.
		expect(state.tags).toHaveLength(30);
		// Last-writer-wins on the hybrid logical clock: the title is the write with the greatest clock.
		const writes = [sa!, sb!, sc!].flatMap((reply) => reply.writes ?? []);
		const titles = writes.filter((write) => write.path === 'title');
		const latest = titles.reduce((best, write) => (write.clock > best.clock ? write : best));
		expect(state.title).toBe(latest.value);
		// First-writer-wins: each claim goes to the attempt with the earliest clock, whatever order replicas heard them in.
		expect(Object.keys(state.claims)).toHaveLength(10);
		for (let round = 0; round < 10; round++) {
			const attempts = writes.filter((write) => write.path === `claims.r${round}`);
			const first = attempts.reduce((best, write) => (write.clock < best.clock ? write : best));
			expect(state.claims[`r${round}`]).toBe(first.value);
		}
		expect(canonical(sb!.state)).toBe(canonical(state));
		expect(canonical(sc!.state)).toBe(canonical(state));
		expect((sa!.conflicts ?? 0) + (sb!.conflicts ?? 0) + (sc!.conflicts ?? 0)).toBeGreaterThan(0);

		// The catch-up after the cut was a delta, not the whole state, and coalesced the hammered paths.
		const catchUp = sc!.info!.lastCatchUp;
		expect(catchUp.mode).toBe('delta');
		expect(catchUp.operations).toBeGreaterThanOrEqual(200);
		expect(catchUp.changes).toBeLessThan(catchUp.rawChanges / 5);
		expect(catchUp.bytes).toBeGreaterThan(0);
		expect(catchUp.bytes).toBeLessThan(fullStateBytes / 2);
		console.log(
			`[state] catch-up after the cut: ${catchUp.operations} operations, ${catchUp.rawChanges} changes coalesced to ${catchUp.changes}, ${catchUp.bytes} bytes read (full state ${fullStateBytes} bytes)`,
		);
	});
});
