/**
 * Real-server gates for OvenJS's tests.
 *
 * Tests of the Redis and PostgreSQL tiers, the shared rate limiter and cross-process sync talk to real servers
 * (`OVENJS_REDIS_URL`, default `redis://127.0.0.1:6379`; `OVENJS_PG_URL`, default
 * `postgres://postgres@127.0.0.1:5432/test`). With `CI=true` a missing server fails the run; elsewhere the
 * tests that need it are skipped with one visible line saying what was skipped.
 *
 * ```ts
 * const redis = await redisAvailable();
 * describe.skipIf(!redis.available)('RedisTier', () => { ... });
 * ```
 */
import { Socket } from 'node:net';

export const REDIS_URL = process.env.OVENJS_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PG_URL = process.env.OVENJS_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const NATS_URL = process.env.OVENJS_NATS_URL ?? 'nats://127.0.0.1:4222';

export interface ServiceGate {
	readonly available: boolean;
	readonly url: string;
}

const probes = new Map<string, Promise<ServiceGate>>();

function probe(url: string, defaultPort: number): Promise<boolean> {
	const parsed = new URL(url);
	return new Promise((resolve) => {
		const socket = new Socket();
		const done = (ok: boolean): void => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_500, () => {
			done(false);
		});
		socket.once('error', () => {
			done(false);
		});
		socket.connect(Number(parsed.port || defaultPort), parsed.hostname.replace(/^\[|\]$/g, ''), () => {
			done(true);
		});
	});
}

async function gate(name: string, url: string, defaultPort: number, what: string): Promise<ServiceGate> {
	const reachable = await probe(url, defaultPort);
	if (!reachable) {
		const line = `${name} is not reachable at ${url}: ${what}`;
		if (process.env.CI === 'true') {
			throw new Error(`[CI] ${line}. CI requires the real server; start it or set the URL variable.`);
		}
		const variable = name === 'Redis' ? 'REDIS' : name === 'NATS' ? 'NATS' : 'PG';
		console.warn(`[skip] ${line} are skipped (set OVENJS_${variable}_URL or start the server).`);
	}
	return { available: reachable, url };
}

/** Checks once per process whether the Redis server answers; `what` names the tests that would be skipped. */
export function redisAvailable(what = 'Redis-backed tests'): Promise<ServiceGate> {
	const key = `redis:${what}`;
	let p = probes.get(key);
	if (p === undefined) {
		p = gate('Redis', REDIS_URL, 6379, what);
		probes.set(key, p);
	}
	return p;
}

/** Checks once per process whether the PostgreSQL server answers; `what` names the tests that would be skipped. */
export function postgresAvailable(what = 'PostgreSQL-backed tests'): Promise<ServiceGate> {
	const key = `pg:${what}`;
	let p = probes.get(key);
	if (p === undefined) {
		p = gate('PostgreSQL', PG_URL, 5432, what);
		probes.set(key, p);
	}
	return p;
}

/** Checks once per process whether the NATS server (JetStream on) answers; `what` names the tests that would be skipped. */
export function natsAvailable(what = 'NATS-backed tests'): Promise<ServiceGate> {
	const key = `nats:${what}`;
	let p = probes.get(key);
	if (p === undefined) {
		p = gate('NATS', NATS_URL, 4222, what);
		probes.set(key, p);
	}
	return p;
}

/** A key prefix unique to this test run, so parallel runs against one server do not collide. */
export function uniquePrefix(label: string): string {
	return `ovenjs-test:${label}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}
