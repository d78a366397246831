import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AcquireResult } from '../src/index.js';
import { BucketQueue, type QueueHost } from '../src/lib/handlers/BucketQueue.js';
import { PendingRequest } from '../src/lib/handlers/PendingRequest.js';
import { computeRoute } from '../src/lib/utils/routes.js';

const info = computeRoute('POST', '/channels/1/messages', true);
const request = (name: string, priority = 0): PendingRequest =>
	new PendingRequest(
		'POST',
		'/channels/1/messages',
		`/api/v10/channels/1/messages?${name}`,
		info,
		{},
		undefined,
		priority,
		undefined,
		'none',
		{},
	);

/** A host whose store grants `slots` requests per 1,000 ms window (fake time). */
function host(slots: number) {
	const sent: string[] = [];
	const limited: { reason: string; repeat: boolean }[] = [];
	let windowStart = Date.now();
	let used = 0;
	const h: QueueHost & { sent: string[]; limited: typeof limited } = {
		sent,
		limited,
		acquire: (): Promise<AcquireResult> => {
			const now = Date.now();
			if (now - windowStart >= 1_000) {
				windowStart = now;
				used = 0;
			}
			if (used < slots) {
				used++;
				return Promise.resolve({ granted: true, bucket: 'b', lease: '' });
			}
			return Promise.resolve({
				granted: false,
				reason: 'bucket',
				waitMs: windowStart + 1_000 - now,
				bucket: 'b',
			});
		},
		dispatch: (r) => {
			sent.push(r.path.split('?')[1]!);
			r.succeed({ status: 200, headers: {}, data: undefined });
		},
		release: () => undefined,
		onLimited: (_r, result, repeat) => {
			limited.push({ reason: result.reason, repeat });
			return false;
		},
		onStoreError: (r, error) => {
			r.fail(error);
		},
		onIdle: () => undefined,
		waitFor: (result) => result.waitMs,
	};
	return h;
}

describe('BucketQueue (fake timers)', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('sends in FIFO order within a priority, higher priorities first, never more than the limit per window', async () => {
		const h = host(2);
		const queue = new BucketQueue(info, h);
		const requests = [request('a'), request('b'), request('c'), request('d'), request('urgent', 100), request('e')];
		for (const r of requests) queue.push(r);
		await vi.advanceTimersByTimeAsync(0);
		// 'a' was already at the head being granted; the critical request jumps every other waiting one.
		expect(h.sent).toEqual(['a', 'urgent']);
		await vi.advanceTimersByTimeAsync(999);
		expect(h.sent).toHaveLength(2);
		await vi.advanceTimersByTimeAsync(1);
		expect(h.sent).toEqual(['a', 'urgent', 'b', 'c']);
		await vi.advanceTimersByTimeAsync(1_000);
		expect(h.sent).toEqual(['a', 'urgent', 'b', 'c', 'd', 'e']);
		expect(queue.size).toBe(0);
		// One event per wait, not one per re-check.
		expect(h.limited.filter((l) => !l.repeat)).toHaveLength(2);
		await Promise.all(requests.map((r) => r.promise));
	});

	it('puts retries ahead of their priority peers and skips requests that settled while queued', async () => {
		const h = host(1);
		const queue = new BucketQueue(info, h);
		const a = request('a');
		const b = request('b');
		const gone = request('gone');
		const goneOutcome = gone.promise.catch((e: unknown) => e);
		queue.push(a);
		queue.push(gone);
		queue.push(b);
		await vi.advanceTimersByTimeAsync(0);
		gone.fail(new Error('aborted'));
		const retry = request('retry');
		queue.push(retry, true);
		await vi.advanceTimersByTimeAsync(2_000);
		expect(h.sent).toEqual(['a', 'retry', 'b']);
		expect(await goneOutcome).toMatchObject({ message: 'aborted' });
	});

	it('rejects everything on rejectAll and stops waiting', async () => {
		const h = host(0);
		const queue = new BucketQueue(info, h);
		const requests = [request('a'), request('b')];
		for (const r of requests) queue.push(r);
		await vi.advanceTimersByTimeAsync(10);
		queue.rejectAll(new Error('destroyed'));
		const settled = await Promise.allSettled(requests.map((r) => r.promise));
		expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
		expect(queue.size).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('fails the head when the store throws, and carries on with the rest', async () => {
		const h = host(5);
		let calls = 0;
		const original = h.acquire.bind(h);
		h.acquire = (i) => (++calls === 1 ? Promise.reject(new Error('redis down')) : original(i));
		const queue = new BucketQueue(info, h);
		const a = request('a');
		const b = request('b');
		const aOutcome = a.promise.catch((e: unknown) => e);
		queue.push(a);
		queue.push(b);
		await vi.advanceTimersByTimeAsync(0);
		expect(await aOutcome).toMatchObject({ message: 'redis down' });
		await expect(b.promise).resolves.toMatchObject({ status: 200 });
	});
});
