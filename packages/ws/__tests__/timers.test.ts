import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, SimpleIdentifyThrottler } from '../src/index.js';
import { Heartbeater, SendRateLimiter } from '../src/internal.js';

beforeEach(() => {
	vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('Heartbeater', () => {
	it('beats first after interval × jitter, then every interval', () => {
		const beats: number[] = [];
		const hb = new Heartbeater(
			() => beats.push(Date.now()),
			() => beats.push(-1),
			() => 0.25,
		);
		hb.start(40_000);
		vi.advanceTimersByTime(9_999);
		expect(beats).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(beats).toEqual([10_000]);
		hb.ack();
		vi.advanceTimersByTime(40_000);
		hb.ack();
		vi.advanceTimersByTime(40_000);
		expect(beats).toEqual([10_000, 50_000, 90_000]);
		hb.stop();
	});

	it('reports a zombie when an interval passes without an ACK, and stops', () => {
		const onBeat = vi.fn();
		const onZombie = vi.fn();
		const hb = new Heartbeater(onBeat, onZombie, () => 0);
		hb.start(1_000);
		vi.advanceTimersByTime(0);
		expect(onBeat).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1_000);
		expect(onZombie).toHaveBeenCalledTimes(1);
		expect(onBeat).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(10_000);
		expect(onZombie).toHaveBeenCalledTimes(1);
	});

	it('measures latency from beat to ACK and beats on request', () => {
		const onBeat = vi.fn();
		const hb = new Heartbeater(
			onBeat,
			() => undefined,
			() => 0.5,
		);
		expect(hb.latency).toBe(-1);
		hb.start(1_000);
		vi.advanceTimersByTime(500);
		vi.advanceTimersByTime(42);
		expect(hb.ack()).toBe(42);
		expect(hb.latency).toBe(42);
		hb.beatNow();
		expect(onBeat).toHaveBeenCalledTimes(2);
		expect(hb.awaitingAck).toBe(true);
		hb.stop();
	});
});

describe('SendRateLimiter', () => {
	it('allows 120 per 60 s with slots reserved for heartbeats', () => {
		const limiter = new SendRateLimiter();
		limiter.reserveForHeartbeats(41_250);
		expect(limiter.reserved).toBe(3);
		let sent = 0;
		while (limiter.take(false) === 0) sent++;
		expect(sent).toBe(117);
		expect(limiter.take(false)).toBe(60_000);
		expect(limiter.take(true)).toBe(0);
		expect(limiter.take(true)).toBe(0);
		expect(limiter.take(true)).toBe(0);
		expect(limiter.take(true)).toBeGreaterThan(0);
		vi.advanceTimersByTime(60_000);
		expect(limiter.remaining()).toBe(117);
		expect(limiter.take(false)).toBe(0);
	});

	it('reserves more heartbeat slots for short intervals and resets per connection', () => {
		const limiter = new SendRateLimiter();
		limiter.reserveForHeartbeats(1_000);
		expect(limiter.reserved).toBe(61);
		for (let i = 0; i < 59; i++) expect(limiter.take(false)).toBe(0);
		expect(limiter.take(false)).toBeGreaterThan(0);
		limiter.reset();
		expect(limiter.remaining()).toBe(59);
	});
});

describe('SimpleIdentifyThrottler', () => {
	it('serves max_concurrency buckets once per 5 s, in call order', async () => {
		const throttler = new SimpleIdentifyThrottler();
		throttler.setLimits({ total: 1_000, remaining: 1_000, resetAfter: 86_400_000, maxConcurrency: 2 });
		const granted: [number, number][] = [];
		// Each shard sends its IDENTIFY as soon as it is granted.
		const all = [0, 1, 2, 3, 4, 5].map(async (id) => {
			const grant = await throttler.waitForIdentify(id);
			granted.push([id, Date.now()]);
			await grant.sent();
		});
		await vi.advanceTimersByTimeAsync(0);
		expect(granted).toEqual([
			[0, 0],
			[1, 0],
		]);
		await vi.advanceTimersByTimeAsync(5_000);
		expect(granted.slice(2)).toEqual([
			[2, 5_000],
			[3, 5_000],
		]);
		await vi.advanceTimersByTimeAsync(5_000);
		await Promise.all(all);
		expect(granted.slice(4)).toEqual([
			[4, 10_000],
			[5, 10_000],
		]);
		expect(throttler.remaining).toBe(994);
	});

	it('times a bucket from the send, not the grant: a slow send holds the next identify back', async () => {
		const throttler = new SimpleIdentifyThrottler();
		throttler.setLimits({ total: 1_000, remaining: 1_000, resetAfter: 86_400_000, maxConcurrency: 2 });
		const granted: [number, number][] = [];
		const grants = [0, 1, 2, 3].map((id) =>
			throttler.waitForIdentify(id).then((grant) => {
				granted.push([id, Date.now()]);
				return grant;
			}),
		);
		const [first, other] = await Promise.all([grants[0], grants[1]]);
		// Shard 0's connection is slow: its IDENTIFY leaves 3 s after the grant. Bucket 1 sends at once.
		await other?.sent();
		await vi.advanceTimersByTimeAsync(3_000);
		expect(granted).toEqual([
			[0, 0],
			[1, 0],
		]);
		await first?.sent();
		await vi.advanceTimersByTimeAsync(2_000);
		// Bucket 1's window ran from its send at 0; bucket 0's runs from 3 s, so shard 2 waits until 8 s.
		expect(granted).toEqual([
			[0, 0],
			[1, 0],
			[3, 5_000],
		]);
		await vi.advanceTimersByTimeAsync(2_999);
		expect(granted.map(([id]) => id)).toEqual([0, 1, 3]);
		await vi.advanceTimersByTimeAsync(1);
		expect(granted.at(-1)).toEqual([2, 8_000]);
		await Promise.all(grants);
	});

	it('reopens the bucket at once and gives the session start back when the IDENTIFY was not sent', async () => {
		const throttler = new SimpleIdentifyThrottler();
		throttler.setLimits({ total: 1_000, remaining: 10, resetAfter: 86_400_000, maxConcurrency: 1 });
		const first = await throttler.waitForIdentify(0);
		expect(throttler.remaining).toBe(9);
		let nextAt = -1;
		const next = throttler.waitForIdentify(1).then((grant) => {
			nextAt = Date.now();
			return grant;
		});
		await vi.advanceTimersByTimeAsync(700);
		expect(nextAt).toBe(-1);
		// The connection closed between the grant and the send: nothing reached Discord.
		await first.notSent();
		await vi.advanceTimersByTimeAsync(0);
		expect(nextAt).toBe(700);
		expect(throttler.remaining).toBe(9);
		// Only the first report counts: a later one changes nothing.
		await first.sent();
		await (await next).sent();
		expect(throttler.remaining).toBe(9);
	});

	it('counts a grant never reported as sent at sendTimeoutMs, and still honours a late report', async () => {
		const throttler = new SimpleIdentifyThrottler({ sendTimeoutMs: 2_000 });
		throttler.setLimits({ total: 1_000, remaining: 1_000, resetAfter: 86_400_000, maxConcurrency: 1 });
		const lost = await throttler.waitForIdentify(0);
		const at: number[] = [];
		const later = [1, 2].map((id) =>
			throttler.waitForIdentify(id).then(async (grant) => {
				at.push(Date.now());
				if (id === 1) await grant.sent();
				return grant;
			}),
		);
		await vi.advanceTimersByTimeAsync(7_000);
		expect(at).toEqual([7_000]);
		// The lost report turns up after all, 500 ms after shard 1's send: the next window covers it.
		await vi.advanceTimersByTimeAsync(500);
		await lost.sent();
		await vi.advanceTimersByTimeAsync(5_000);
		expect(at).toEqual([7_000, 12_500]);
		await Promise.all(later);
		expect(() => new SimpleIdentifyThrottler({ sendTimeoutMs: 0 })).toThrow(
			expect.objectContaining({ code: 'GATEWAY_INVALID_OPTION' }) as Error,
		);
	});

	it('never overdraws session_start_limit: waits for the reset instead', async () => {
		const exhausted = vi.fn();
		const throttler = new SimpleIdentifyThrottler({ onBudgetExhausted: exhausted });
		throttler.setLimits({ total: 10, remaining: 2, resetAfter: 60_000, maxConcurrency: 1 });
		const granted: number[] = [];
		const all = [0, 0, 0].map(async (id) => {
			const grant = await throttler.waitForIdentify(id);
			granted.push(Date.now());
			await grant.sent();
		});
		await vi.advanceTimersByTimeAsync(5_000);
		expect(granted).toEqual([0, 5_000]);
		expect(exhausted).toHaveBeenCalled();
		await vi.advanceTimersByTimeAsync(50_000);
		expect(granted).toHaveLength(2);
		await vi.advanceTimersByTimeAsync(5_000);
		await Promise.all(all);
		expect(granted).toEqual([0, 5_000, 60_000]);
		expect(throttler.remaining).toBe(9);
	});

	it('rejects an aborted wait and serves the next caller', async () => {
		const throttler = new SimpleIdentifyThrottler();
		await (await throttler.waitForIdentify(0)).sent();
		const controller = new AbortController();
		const aborted = throttler.waitForIdentify(0, controller.signal);
		const next = throttler.waitForIdentify(0);
		controller.abort(new GatewayError('GATEWAY_DESTROYED', 'gone'));
		await expect(aborted).rejects.toMatchObject({ code: 'GATEWAY_DESTROYED' });
		await vi.advanceTimersByTimeAsync(5_000);
		await expect(next).resolves.toMatchObject({ sent: expect.any(Function) as unknown });
		expect(throttler.remaining).toBe(998);
	});

	it('rejects a bad max_concurrency with a typed error', () => {
		expect(() => {
			new SimpleIdentifyThrottler().setLimits({ total: 1, remaining: 1, resetAfter: 1, maxConcurrency: 0 });
		}).toThrow(GatewayError);
	});
});

describe('identify budget guard', () => {
	it('lets three identifies per 10 minutes through, then doubles the delay from 30 s', async () => {
		const { identifyDelay } = await import('../src/lib/utils/identifyBackoff.js');
		const history: number[] = [];
		const delays: number[] = [];
		for (let i = 0; i < 7; i++) {
			delays.push(identifyDelay(history, 1_000_000));
			history.push(1_000_000);
		}
		expect(delays).toEqual([0, 0, 0, 30_000, 60_000, 120_000, 240_000]);
		expect(identifyDelay(history, 1_000_000 + 10 * 60_000 + 1)).toBe(0);
		expect(history).toEqual([]);
		expect(identifyDelay(new Array<number>(20).fill(5), 5)).toBe(600_000);
	});
});
