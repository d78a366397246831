import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClusterError, ClusterManager, type ClusterManagerOptions, type ClusterProgress } from '@ovenjs/cluster';

const script = fileURLToPath(new URL('./fixtures/echo.ts', import.meta.url));
const base = {
	script,
	execArgv: ['--conditions=@ovenjs/source', '--import', 'tsx'],
	stdio: 'ignore',
	healthInterval: 200,
	healthTimeout: 1_500,
	respawnDelay: { initial: 50, max: 200 },
	stopTimeout: 5_000,
} as const satisfies Partial<ClusterManagerOptions>;
const Who = z.object({
	id: z.number(),
	shardIds: z.array(z.number()),
	shardCount: z.number(),
	processCount: z.number(),
	generation: z.number(),
	role: z.string(),
	pid: z.number(),
});

let manager: ClusterManager | undefined;

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
	const error: unknown = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	if (!(error instanceof ClusterError)) throw new Error(`expected a ClusterError, got ${String(error)}`);
	return error;
}
afterEach(async () => {
	await manager?.stop();
	manager = undefined;
});

describe('ClusterManager', () => {
	it('forks N shards per process, reports progress and answers typed requests', async () => {
		manager = new ClusterManager({ ...base, shards: 6, perProcess: 2 });
		const progress: ClusterProgress[] = [];
		manager.on('progress', (p) => progress.push(p));
		await manager.spawn();
		expect(manager.processes.map((p) => p.shardIds)).toEqual([
			[0, 1],
			[2, 3],
			[4, 5],
		]);
		expect(progress.at(-1)).toEqual({ processesReady: 3, processes: 3, shardsReady: 6, shards: 6 });
		const who = await manager.request(1, 'whoami', null, { result: Who });
		expect(who).toMatchObject({
			id: 1,
			shardIds: [2, 3],
			shardCount: 6,
			processCount: 3,
			generation: 0,
			role: 'gateway',
		});
		expect(await manager.request(2, 'echo', { nested: [1, 2n] })).toEqual({ nested: [1, 2n] });
		expect(manager.processOf(5)).toBe(2);
	}, 30_000);

	it('runs only its part of the shards when the bot is split across machines', async () => {
		manager = new ClusterManager({ ...base, shards: 8, perProcess: 3, shardIds: [7, 4, 5, 6] });
		await manager.spawn();
		expect(manager.processes.map((p) => p.shardIds)).toEqual([[4, 5, 6], [7]]);
		expect(await manager.request(1, 'whoami', null, { result: Who })).toMatchObject({
			shardIds: [7],
			shardCount: 8,
		});
		const outside = await failure(new ClusterManager({ ...base, shards: 4, shardIds: [4] }).spawn());
		expect(outside.code).toBe('CLUSTER_INVALID_OPTION');
		expect(outside.message).toMatch(/shardIds must be a non-empty list of shard ids in \[0, 4\), got 4/);
		expect(() => manager?.processOf(0)).toThrow(
			expect.objectContaining({ code: 'CLUSTER_UNKNOWN_SHARD', shardId: 0 }),
		);
		await expect(manager.spawn()).rejects.toMatchObject({ code: 'CLUSTER_ALREADY_SPAWNED' });
	}, 30_000);

	it('fails a request fast and precisely: handler error, unknown name, bad answer, deadline', async () => {
		manager = new ClusterManager({ ...base, shards: null, processes: 1 });
		await manager.spawn();
		const failed = await failure(manager.request(0, 'fail', null));
		expect([failed.code, failed.message]).toEqual([
			'CLUSTER_REQUEST_FAILED',
			'Process 0 failed the request: the handler failed on purpose',
		]);
		const unknown = await failure(manager.request(0, 'nope', null));
		expect(unknown.code).toBe('CLUSTER_UNKNOWN_REQUEST');
		expect(unknown.message).toContain('no handler for "nope"');
		await expect(manager.request(0, 'echo', 'text', { result: z.number() })).rejects.toMatchObject({
			code: 'CLUSTER_INVALID_RESULT',
			processId: 0,
		});
		const broadcast = await manager.broadcast('echo', 'text', { result: z.number() });
		expect(broadcast).toMatchObject([{ processId: 0, ok: false, error: { code: 'CLUSTER_INVALID_RESULT' } }]);
		const started = Date.now();
		await expect(manager.request(0, 'hang', null, { timeout: 300 })).rejects.toMatchObject({
			code: 'CLUSTER_TIMEOUT',
		});
		expect(Date.now() - started).toBeLessThan(3_000);
		await expect(manager.request(7, 'echo', null)).rejects.toMatchObject({
			code: 'CLUSTER_UNKNOWN_PROCESS',
			processId: 7,
		});
	}, 30_000);

	it('broadcasts with partial results: a dead process answers CLUSTER_PROCESS_DOWN at once, then is respawned', async () => {
		manager = new ClusterManager({ ...base, shards: 4, perProcess: 2 });
		await manager.spawn();
		const exited = new Promise<void>((resolve) => {
			manager?.once('exit', () => {
				resolve();
			});
		});
		expect(manager.kill(0)).toBe(true);
		await exited;
		const results = await manager.broadcast('whoami', null, { timeout: 5_000, result: Who });
		expect(results.map((r) => r.ok)).toEqual([false, true]);
		expect(results[0]).toMatchObject({ processId: 0, ok: false, error: { code: 'CLUSTER_PROCESS_DOWN' } });
		await manager.waitForReady(0);
		const again = await manager.request(0, 'whoami', null, { result: Who });
		expect(again).toMatchObject({ id: 0, shardIds: [0, 1], generation: 1 });
		// A broadcast with a hanging handler resolves by its deadline with every process's reason.
		const hanging = await manager.broadcast('hang', null, { timeout: 300 });
		expect(hanging.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['CLUSTER_TIMEOUT', 'CLUSTER_TIMEOUT']);
		// A process asks every process through the manager (broadcastEval-style).
		const fanout = await manager.request(1, 'fanout', null, {
			result: z.array(z.object({ processId: z.number(), ok: z.boolean() })),
		});
		expect(fanout.map((r) => [r.processId, r.ok])).toEqual([
			[0, true],
			[1, true],
		]);
	}, 30_000);

	it('kills a process that stops answering health checks and respawns it; pending requests fail instead of hanging', async () => {
		manager = new ClusterManager({ ...base, shards: null, processes: 1 });
		const unhealthy: number[] = [];
		manager.on('unhealthy', ({ processId }) => unhealthy.push(processId));
		await manager.spawn();
		const frozen = manager.request(0, 'freeze', null, { timeout: 40_000 });
		await expect(frozen).rejects.toMatchObject({ code: 'CLUSTER_PROCESS_DOWN' });
		expect(unhealthy).toEqual([0]);
		await manager.waitForReady(0);
		expect(await manager.request(0, 'whoami', null, { result: Who })).toMatchObject({ generation: 1 });
	}, 60_000);

	it('restarts processes one at a time: an old generation has exited before its successor starts', async () => {
		manager = new ClusterManager({ ...base, shards: 4, perProcess: 2 });
		await manager.spawn();
		const events: string[] = [];
		manager.on('exit', ({ processId, willRespawn }) =>
			events.push(`exit ${processId}${willRespawn ? ' respawn' : ''}`),
		);
		manager.on('spawn', ({ processId, generation }) => events.push(`spawn ${processId}.${generation}`));
		manager.on('ready', ({ processId, generation }) => events.push(`ready ${processId}.${generation}`));
		await manager.rollingRestart();
		expect(events).toEqual(['exit 0', 'spawn 0.1', 'ready 0.1', 'exit 1', 'spawn 1.1', 'ready 1.1']);
		await manager.stop();
		expect(manager.processes.every((p) => p.status === 'down')).toBe(true);
		await expect(manager.request(0, 'echo', 1)).rejects.toMatchObject({ code: 'CLUSTER_STOPPED' });
		await expect(manager.restart(0)).rejects.toMatchObject({ code: 'CLUSTER_STOPPED' });
	}, 30_000);

	it('refuses to start when the daily session start limit cannot pay for the identifies, counting stored sessions', async () => {
		const sessionStartLimit = { total: 1000, remaining: 3, resetAfter: 3_600_000, maxConcurrency: 1 };
		const refused = new ClusterManager({
			...base,
			shards: 'auto',
			gatewayInformation: () => Promise.resolve({ shards: 6, sessionStartLimit }),
		});
		const refusal = await failure(refused.spawn());
		expect(refusal.code).toBe('CLUSTER_SESSION_START_LIMIT');
		expect(refusal.message).toContain('3 of 1000 left');
		expect(refused.processes).toEqual([]);
		manager = new ClusterManager({
			...base,
			shards: 'auto',
			perProcess: 6,
			gatewayInformation: () => Promise.resolve({ shards: 6, sessionStartLimit }),
			storedSessions: (ids) => Promise.resolve(ids.length - 3),
		});
		await manager.spawn();
		expect(manager.shardCount).toBe(6);
	}, 30_000);

	it('starts the processes through execPath (a wrapper that execs Node): same pid, IPC kept', async () => {
		// `env` sets a variable and execs Node, as `ip netns exec <namespace> node` does in two-machines.test.ts.
		manager = new ClusterManager({
			...base,
			execPath: '/usr/bin/env',
			execArgv: ['OVENJS_WRAPPED=by-env', process.execPath, ...base.execArgv],
			shards: null,
			processes: 1,
		});
		await manager.spawn();
		const who = await manager.request(0, 'whoami', null, { result: Who });
		expect(who.pid).toBe(manager.processes[0]?.pid);
		expect(await manager.request(0, 'getenv', 'OVENJS_WRAPPED')).toBe('by-env');
		expect(() => new ClusterManager({ script, shards: 1, execPath: '' })).toThrow(
			expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }) as Error,
		);
	}, 30_000);

	it('checks its options with typed errors', () => {
		const invalid = expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }) as Error;
		expect(() => new ClusterManager({ script: '' })).toThrow(/script must be the path/);
		expect(() => new ClusterManager({ script: '' })).toThrow(invalid);
		expect(() => new ClusterManager({ script, shards: 'auto' })).toThrow(/needs gatewayInformation/);
		expect(() => new ClusterManager({ script, shards: 'auto' })).toThrow(invalid);
		expect(() => new ClusterManager({ script, shards: 4, perProcess: 0 })).toThrow(
			/perProcess must be a positive integer/,
		);
		expect(() => new ClusterManager({ script, shards: 4, perProcess: 0 })).toThrow(invalid);
	});
});
