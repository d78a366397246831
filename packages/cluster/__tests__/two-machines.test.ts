/**
 * The scale-out proof across two "machines": the gateway processes run in network namespace A, the worker processes
 * in network namespace B, and both reach Redis, NATS and the mock Discord (REST and gateway) only over their veth
 * link to the root namespace, where small forwarders on the bridge address pipe to the services (which listen on
 * 127.0.0.1 only). The scenario and its checks are the proof's own (helpers/scaleOutProof.ts): identify order and
 * spacing per max_concurrency bucket, every event exactly once and in order per guild through a gateway kill, a
 * worker kill and a rolling restart, and no identify during the restart. On top: the processes really run in their
 * namespace, were given the link's addresses, cannot reach the services over loopback, and the forwarders carried
 * each namespace's traffic.
 *
 * Needs root (or CAP_NET_ADMIN) and iproute2: with CI=true it fails without them; elsewhere it is skipped with one
 * line saying why. Run it with `CI=true npx vitest run --project cluster __tests__/two-machines.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_URL, REDIS_URL, natsAvailable, redisAvailable } from '@ovenjs/test-services';
import { ScaleOutProof } from './helpers/scaleOutProof.js';
import { TwoMachines, netnsAvailable } from './helpers/twoMachines.js';

const WHAT = 'the two-machine cluster test';
const redisGate = await redisAvailable(WHAT);
const natsGate = await natsAvailable(WHAT);
const netns = await netnsAvailable(WHAT);
/** The flood's size: the proof's phases (kills at 30 %, a rolling restart over the last 20 %) scaled to it. */
const EVENTS = 10_000;

function target(url: string, defaultPort: number): { host: string; port: number } {
	const parsed = new URL(url);
	return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

describe.skipIf(!redisGate.available || !natsGate.available || !netns)(
	'cluster across two network namespaces: 3 gateway processes in A, 2 workers in B',
	() => {
		const proof = new ScaleOutProof('cluster-netns', EVENTS);
		let machines: TwoMachines | undefined;

		const net = (): TwoMachines => {
			if (machines === undefined) throw new Error('the namespaces were not created');
			return machines;
		};

		beforeAll(async () => {
			machines = await TwoMachines.create();
			const redis = target(REDIS_URL, 6379);
			const nats = target(NATS_URL, 4222);
			await machines.forward('redis', redis.port, redis);
			await machines.forward('nats', nats.port, nats);
			const mockPort = await proof.startMock(machines.servicesHost);
			await machines.forward('discord', mockPort, { host: '127.0.0.1', port: mockPort });
			await proof.startProcesses({
				servicesHost: machines.servicesHost,
				gateways: machines.launch(machines.a),
				workers: machines.launch(machines.b),
			});
		}, 300_000);

		afterAll(async () => {
			try {
				await proof.stop();
			} finally {
				const left = machines;
				await left?.destroy();
				// Nothing of this run is left on the host.
				if (left !== undefined) expect(await left.leftovers()).toEqual([]);
			}
		}, 60_000);

		it('runs the gateway processes in namespace A and the workers in B, configured with the link addresses only', async () => {
			const { a, b, servicesHost } = net();
			const where = await proof.where();
			expect(where.gateways).toHaveLength(3);
			expect(where.workers).toHaveLength(2);
			for (const [processes, machine] of [
				[where.gateways, a],
				[where.workers, b],
			] as const) {
				for (const proc of processes) {
					expect(proc.addresses).toEqual([machine.address]);
					expect(new URL(proc.redisUrl).hostname).toBe(servicesHost);
					expect(new URL(proc.natsUrl).hostname).toBe(servicesHost);
					expect(new URL(proc.api).hostname).toBe(servicesHost);
				}
			}
			expect(proof.discord?.gatewayUrl).toBe(`ws://${servicesHost}:${String(proof.discord?.port)}/gateway`);
			// Inside a namespace, loopback has no Redis: the services are reachable over the link only.
			const probe = `require('node:net').connect(${String(target(REDIS_URL, 6379).port)}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
			expect((await net().node(a, probe)).trim()).toBe('ECONNREFUSED');
			expect((await net().node(b, probe)).trim()).toBe('ECONNREFUSED');
		});

		it('identifies the 12 shards once each, in shard order per max_concurrency bucket, without a rejected identify', () => {
			proof.checkIdentifies();
		});

		it(`delivers a ${EVENTS.toLocaleString('en-US')}-event flood exactly once, in order per guild, through a gateway crash, a worker crash and a rolling restart`, async () => {
			await proof.checkFlood();
		}, 600_000);

		it("carried each namespace's traffic through the forwarders: A to Redis, NATS and Discord (REST and gateway), B to Redis, NATS and Discord's REST", () => {
			const { a, b } = net();
			const traffic = net().traffic();
			for (const service of ['redis', 'nats', 'discord']) {
				const peers = traffic[service] ?? {};
				// Only the two namespaces used the forwarders, and both did, in both directions.
				expect(Object.keys(peers).sort()).toEqual([a.address, b.address].sort());
				for (const machine of [a, b]) {
					const seen = peers[machine.address];
					expect(seen?.connections).toBeGreaterThan(0);
					expect(seen?.bytesUp).toBeGreaterThan(0);
					expect(seen?.bytesDown).toBeGreaterThan(0);
				}
			}
			// The gateway processes (A) received the whole flood from Discord over the link; the workers (B) only
			// talked REST to it (one reply per 1,000 events), so A's Discord traffic is far larger.
			const discord = traffic.discord ?? {};
			expect(discord[a.address]?.bytesDown ?? 0).toBeGreaterThan(EVENTS * 100);
			expect(discord[a.address]?.bytesDown ?? 0).toBeGreaterThan((discord[b.address]?.bytesDown ?? 0) * 10);
			console.log(`[two-machines] forwarded: ${JSON.stringify(traffic)}`);
		});
	},
);
