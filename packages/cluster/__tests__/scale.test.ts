/**
 * The scale-out proof on this machine, every process over loopback, on the real Redis and NATS JetStream servers
 * against the mock Discord: 3 gateway processes (4 shards each, 12 shards, max_concurrency 2 enforced by the mock)
 * and 2 worker processes running a Client. A 20,000-event flood with a gateway process and a worker process killed
 * mid-flood, then a rolling restart of every gateway process while events keep coming: nothing lost, duplicated or
 * reordered per guild, no identify after start-up, no 429. The scenario and its checks are in
 * helpers/scaleOutProof.ts (two-machines.test.ts runs the same one across two network namespaces).
 *
 * Nothing here depends on how fast the machine is: the checks are counts, order and identify spacing on the mock's
 * own clock, and waits fail only when the work stops moving. Speed is the benchmark's business
 * (benchmarks/src/workloads/cluster.mjs).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { natsAvailable, redisAvailable } from '@ovenjs/test-services';
import { ScaleOutProof } from './helpers/scaleOutProof.js';

const redisGate = await redisAvailable('the cluster scale test');
const natsGate = await natsAvailable('the cluster scale test');

describe.skipIf(!redisGate.available || !natsGate.available)(
	'cluster: 3 gateway processes × 2 workers on Redis and JetStream',
	() => {
		const proof = new ScaleOutProof('cluster');

		beforeAll(async () => {
			await proof.startMock();
			await proof.startProcesses();
		}, 300_000);

		afterAll(() => proof.stop(), 60_000);

		it('identifies the 12 shards once each, in shard order per max_concurrency bucket, without a rejected identify', () => {
			proof.checkIdentifies();
		});

		it('delivers a 20,000-event flood exactly once, in order per guild, through a gateway crash, a worker crash and a rolling restart', async () => {
			await proof.checkFlood();
		}, 600_000);
	},
);
