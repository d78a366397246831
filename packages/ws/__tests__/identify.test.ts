/**
 * The shard's side of identify timing: every grant a throttler hands out is reported exactly once, `sent` only
 * after IDENTIFY was written to the socket and `notSent` when the connection went away between the grant and the
 * write, for shards in this thread and in worker threads. (The throttlers' side, windows timed from the report,
 * is tested in timers.test.ts and redis.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
	type IdentifyGrant,
	type IdentifyThrottler,
	type ShardingStrategyFactory,
	WebSocketManager,
	workerShardingStrategy,
} from '../src/index.js';
import { FakeGateway, until } from './helpers/FakeGateway.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const fn of cleanup.splice(0).reverse()) await fn();
});

interface Entry {
	readonly shardId: number;
	/** Which call of `waitForIdentify` the grant answered (from 1). */
	readonly call: number;
	readonly what: 'granted' | 'sent' | 'notSent';
}

/** A throttler that grants at once (or when `hold` lets it) and records every grant and report. */
function recordingThrottler(hold?: (shardId: number, call: number) => Promise<void>) {
	const log: Entry[] = [];
	let calls = 0;
	const record = (shardId: number, call: number, what: Entry['what']): void => {
		log.push({ shardId, call, what });
	};
	const throttler: IdentifyThrottler = {
		setLimits: () => undefined,
		waitForIdentify: async (shardId) => {
			const call = ++calls;
			await hold?.(shardId, call);
			record(shardId, call, 'granted');
			const grant: IdentifyGrant = {
				sent: () => {
					record(shardId, call, 'sent');
					return Promise.resolve();
				},
				notSent: () => {
					record(shardId, call, 'notSent');
					return Promise.resolve();
				},
			};
			return grant;
		},
	};
	return { throttler, log };
}

function start(
	throttler: IdentifyThrottler,
	gw: FakeGateway,
	shardCount: number,
	strategy?: ShardingStrategyFactory,
): WebSocketManager {
	const manager = new WebSocketManager({
		token: gw.token,
		intents: 1,
		shardCount,
		gatewayUrl: gw.url,
		identifyThrottler: throttler,
		reconnectBackoff: { initial: 10, max: 50 },
		...(strategy === undefined ? {} : { strategy }),
	});
	cleanup.push(() => manager.destroy());
	return manager;
}

describe('identify grants', () => {
	for (const [name, strategy] of [
		['in this thread', undefined],
		['in worker threads', workerShardingStrategy({ shardsPerWorker: 2 })],
	] as const) {
		it(`reports each grant sent exactly once, after IDENTIFY was written (${name})`, async () => {
			const gw = await FakeGateway.start();
			cleanup.push(() => gw.stop());
			const { throttler, log } = recordingThrottler();
			const manager = start(throttler, gw, 3, strategy);
			await manager.connect();
			await until(() => log.filter((e) => e.what === 'sent').length === 3, 5_000, 'three reports');
			for (const shardId of [0, 1, 2]) {
				expect(log.filter((e) => e.shardId === shardId).map((e) => e.what)).toEqual(['granted', 'sent']);
			}
			expect(gw.identifies.map((i) => i.shardId).sort()).toEqual([0, 1, 2]);
		});
	}

	it('gives the slot back when the connection dies between the grant and the send, then reports the next one sent', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const statuses: string[] = [];
		// The first grant reaches the shard only once its connection was cut and the shard saw it (a slow throttler
		// on a dying link).
		const { throttler, log } = recordingThrottler(async (_shardId, call) => {
			if (call !== 1) return;
			gw.terminateAll();
			await until(() => statuses.includes('reconnecting'), 5_000, 'the shard to see the close');
		});
		const manager = start(throttler, gw, 1);
		manager.on('status', ({ status }) => statuses.push(status));
		await manager.connect();
		// The shard reconnected and identified without waiting for the late grant; that one is given back when it
		// finally arrives.
		await until(() => log.length === 4, 5_000, 'both grants and their reports');
		const ofCall = (call: number): string[] => log.filter((e) => e.call === call).map((e) => e.what);
		expect(ofCall(1)).toEqual(['granted', 'notSent']);
		expect(ofCall(2)).toEqual(['granted', 'sent']);
		// Only the grant reported sent put an IDENTIFY on the wire.
		expect(gw.identifies).toHaveLength(1);
	});

	it('keeps working with a throttler that returns no grant (windows timed from the grant)', async () => {
		const gw = await FakeGateway.start();
		cleanup.push(() => gw.stop());
		const granted: number[] = [];
		const manager = start(
			{
				setLimits: () => undefined,
				waitForIdentify: (shardId) => {
					granted.push(shardId);
					return Promise.resolve();
				},
			},
			gw,
			2,
		);
		await manager.connect();
		expect(granted.sort()).toEqual([0, 1]);
		expect(gw.identifies).toHaveLength(2);
	});
});
