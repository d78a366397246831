// Invalidation latency across tiers and processes' memory tiers, through a real Redis (127.0.0.1:6379).
//   node --conditions=@ovenjs/source --import tsx scripts/measure-invalidation.mjs [count=1000]
// Two caches with their own connections (as two processes would have) share a Redis tier and a pub/sub bus.
import { Redis } from 'ioredis';
import { MemoryTier, MultiTierCache } from '@ovenjs/cache';
import { RedisInvalidationBus, RedisTier } from '@ovenjs/cache/redis';

const count = Number(process.argv[2] ?? 1000);
const prefix = `ovenjs:measure:${process.pid}:`;
const make = (client) =>
	new MultiTierCache({
		tiers: [new MemoryTier(), new RedisTier({ client, prefix })],
		bus: new RedisInvalidationBus({ client, channel: `${prefix}bus` }),
		publishWrites: false,
	});
const clients = [new Redis(), new Redis()];
const [writer, reader] = clients.map(make);
await Promise.all([writer.whenReady(), reader.whenReady()]);
for (let i = 0; i < count; i++) {
	await writer.set(`k${i}`, { i });
	await reader.get(`k${i}`);
	const arrived = new Promise((resolve) => reader.once('invalidate', resolve));
	await writer.delete(`k${i}`);
	await arrived;
}
const { invalidationLatency } = writer.stats();
const { remoteInvalidationLatency } = reader.stats();
console.log(
	JSON.stringify(
		{ count, localAllTiersMicros: invalidationLatency, remoteMemoryTierMicros: remoteInvalidationLatency },
		null,
		2,
	),
);
await writer.close();
await reader.close();
await Promise.all(clients.map((client) => client.quit()));
