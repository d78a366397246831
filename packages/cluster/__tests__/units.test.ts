import { describe, expect, it } from 'vitest';
import {
	ClusterError,
	ClusterErrorMessages,
	ClusterProcess,
	checkSessionBudget,
	parseClusterArgs,
	planProcesses,
	resolveShardCount,
} from '@ovenjs/cluster';
import { dispatchSubject } from '@ovenjs/cluster/jetstream';

describe('planning', () => {
	it('resolves shard counts Discord accepts', () => {
		expect(resolveShardCount('auto', 7, 1)).toBe(7);
		expect(resolveShardCount('auto', 20, 16)).toBe(32);
		expect(resolveShardCount(10, 1, 4)).toBe(12);
		expect(resolveShardCount(48, 1, 16)).toBe(48);
		expect(() => resolveShardCount(20, 1, 16)).toThrow(/multiples of 16, got 20; use 32/);
		expect(() => resolveShardCount(20, 1, 16)).toThrow(expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }));
		expect(() => resolveShardCount(0, 1, 1)).toThrow(expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }));
	});

	it('splits shards into processes of consecutive shards', () => {
		expect(planProcesses(10, 4)).toEqual([
			[0, 1, 2, 3],
			[4, 5, 6, 7],
			[8, 9],
		]);
		expect(planProcesses(1, 4)).toEqual([[0]]);
		expect(() => planProcesses(4, 0)).toThrow(/perProcess must be a positive integer/);
		expect(() => planProcesses(4, 0)).toThrow(expect.objectContaining({ code: 'CLUSTER_INVALID_OPTION' }));
	});

	it('refuses what the session start budget cannot pay, saying how many are left and when it resets', () => {
		const budget = { total: 1000, remaining: 5, resetAfter: 90 * 60_000, maxConcurrency: 1 };
		expect(() => {
			checkSessionBudget(5, budget);
		}).not.toThrow();
		expect(() => {
			checkSessionBudget(6, budget);
		}).toThrow(/needs 6 identifies .* 5 of 1000 left; it resets in 90 min/);
		try {
			checkSessionBudget(6, budget);
		} catch (error) {
			expect(error instanceof ClusterError && error.code).toBe('CLUSTER_SESSION_START_LIMIT');
		}
	});
});

describe('CLI arguments', () => {
	it('parses ovenjs cluster start and workers', () => {
		expect(
			parseClusterArgs(['cluster', 'start', './bot.js', '--shards', 'auto', '--per-process', '4']),
		).toMatchObject({ command: 'start', script: './bot.js', shards: 'auto', perProcess: 4 });
		expect(
			parseClusterArgs(['start', 'bot.js', '--shards', '16', '--redis', 'redis://r:6379', '--', '--flag']),
		).toMatchObject({ shards: 16, redis: 'redis://r:6379', args: ['--flag'] });
		expect(parseClusterArgs(['workers', 'worker.js', '--processes', '3'])).toMatchObject({
			command: 'workers',
			shards: null,
			processes: 3,
		});
		expect(parseClusterArgs(['start', 'bot.js', '--shards', '32', '--shard-range', '16-31']).shardIds).toEqual(
			Array.from({ length: 16 }, (_, i) => 16 + i),
		);
		expect(() => parseClusterArgs(['start', 'bot.js', '--shard-range', '9-3'])).toThrow(
			/--shard-range takes FIRST-LAST/,
		);
	});

	it('says what is wrong, with the usage', () => {
		expect(() => parseClusterArgs(['stop'])).toThrow(/Unknown command "stop"[\s\S]*Usage/);
		expect(() => parseClusterArgs(['start'])).toThrow(/needs the script/);
		expect(() => parseClusterArgs(['start', 'bot.js', '--per-process', 'two'])).toThrow(
			/--per-process takes a positive integer, got "two"/,
		);
		expect(() => parseClusterArgs(['workers', 'w.js', '--shards', '4'])).toThrow(/--shards belongs to "start"/);
		expect(() => parseClusterArgs(['start', 'bot.js', '--bogus'])).toThrow(/Unknown option "--bogus"/);
		for (const argv of [
			['stop'],
			['start'],
			['start', 'bot.js', '--api'],
			['start', 'bot.js', '--shard-range', 'x'],
		])
			expect(() => parseClusterArgs(argv)).toThrow(expect.objectContaining({ code: 'CLUSTER_INVALID_ARGUMENT' }));
	});
});

describe('ClusterProcess outside a cluster', () => {
	it('throws CLUSTER_NOT_IN_CLUSTER', () => {
		expect(ClusterProcess.inCluster).toBe(false);
		expect(() => ClusterProcess.current()).toThrow(expect.objectContaining({ code: 'CLUSTER_NOT_IN_CLUSTER' }));
	});
});

describe('ClusterError', () => {
	it('builds each message from its code and details, and keeps the process or shard it concerns', () => {
		const down = ClusterError.of('CLUSTER_PROCESS_DOWN', [2, { kind: 'exited', code: 1, signal: null }], {
			processId: 2,
		});
		expect(down).toMatchObject({ code: 'CLUSTER_PROCESS_DOWN', processId: 2, shardId: undefined });
		expect(down.name).toBe('ClusterError[CLUSTER_PROCESS_DOWN]');
		expect(down.message).toBe('Process 2 exited (code 1, signal null) before answering.');
		expect(ClusterErrorMessages.CLUSTER_STORE_FAILED({ kind: 'sessions', count: 3 })).toMatch(
			/^Writing 3 session\(s\) to Redis failed/,
		);
		expect(ClusterErrorMessages.CLUSTER_GATEWAY_INFORMATION_FAILED(401)).toContain('(Discord rejected it)');
		expect(ClusterErrorMessages.CLUSTER_UNKNOWN_PROCESS(3, 0)).toContain('call spawn() first');
	});
});

describe('subjects', () => {
	it('names one subject per shard and event type', () => {
		expect(dispatchSubject('bot.events', 3, 'MESSAGE_CREATE')).toBe('bot.events.3.MESSAGE_CREATE');
		expect(dispatchSubject('bot.events', 3, 'a.b>')).toBe('bot.events.3.UNKNOWN');
	});
});
