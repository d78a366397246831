import type { AcquireResult, RateLimitReason } from '../interfaces/RateLimitStore.js';
import type { RouteInfo } from '../utils/routes.js';
import { clampDelay } from '../utils/timers.js';
import { type PendingRequest, RequestState } from './PendingRequest.js';

/** What a {@link BucketQueue} needs from its owner. */
export interface QueueHost {
	/** Asks the store for a slot. */
	acquire(info: RouteInfo): Promise<AcquireResult>;
	/** Sends a granted request (must not throw). */
	dispatch(request: PendingRequest, grant: Extract<AcquireResult, { granted: true }>): void;
	/** A granted slot whose request settled meanwhile (aborted): hands the grant back. */
	release(request: PendingRequest, grant: Extract<AcquireResult, { granted: true }>): void;
	/**
	 * The store refused: returns `true` when the head was rejected instead of waiting (`rejectOnRateLimit`).
	 * `repeat` is set when the same head was already refused for the same reason (no new event is due).
	 */
	onLimited(request: PendingRequest, result: Exclude<AcquireResult, { granted: true }>, repeat: boolean): boolean;
	/** The store could not be asked: the head must be failed. */
	onStoreError(request: PendingRequest, error: unknown): void;
	/** The queue drained and may be dropped. */
	onIdle(queue: BucketQueue): void;
	/** Caps a wait (discovery waits are polled so other processes' completions are seen). */
	waitFor(result: Exclude<AcquireResult, { granted: true }>): number;
}

/**
 * The FIFO queue of one route + major parameter. Requests are ordered by priority (higher first), FIFO
 * within a priority. Only the head asks the store; granted requests are dispatched at once without waiting
 * for their response, so a bucket with room is pipelined.
 */
export class BucketQueue {
	readonly #items: PendingRequest[] = [];
	#running = false;
	#timer: NodeJS.Timeout | undefined = undefined;
	#wake: (() => void) | undefined = undefined;
	#waitingFor: RateLimitReason | undefined = undefined;

	public readonly info: RouteInfo;
	readonly #host: QueueHost;

	public constructor(info: RouteInfo, host: QueueHost) {
		this.info = info;
		this.#host = host;
	}

	/** What the queue is waiting for, while it waits. */
	public get waitingFor(): RateLimitReason | undefined {
		return this.#waitingFor;
	}

	/** Requests waiting in this queue. */
	public get size(): number {
		return this.#items.length;
	}

	/** Adds a request; `front` puts it ahead of its priority peers (retries). */
	public push(request: PendingRequest, front = false): void {
		request.state = RequestState.Queued;
		const items = this.#items;
		let index = items.length;
		if (front) {
			index = 0;
			while (index < items.length && (items[index]?.priority ?? 0) > request.priority) index++;
		} else {
			while (index > 0 && (items[index - 1]?.priority ?? 0) < request.priority) index--;
		}
		if (index === items.length) items.push(request);
		else items.splice(index, 0, request);
		if (!this.#running) void this.#pump();
	}

	/** Takes a request out (abort); returns whether it was queued here. */
	public remove(request: PendingRequest): boolean {
		const index = this.#items.indexOf(request);
		if (index === -1) return false;
		this.#items.splice(index, 1);
		return true;
	}

	/** Ends the current wait early (a completion may have freed the bucket). */
	public wake(): void {
		const wake = this.#wake;
		if (wake === undefined) return;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#wake = undefined;
		wake();
	}

	/** Rejects every queued request with `error` and stops waiting. */
	public rejectAll(error: unknown): void {
		const items = this.#items.splice(0);
		for (const request of items) request.fail(error);
		this.wake();
	}

	async #pump(): Promise<void> {
		this.#running = true;
		const items = this.#items;
		let limitedHead: PendingRequest | undefined;
		let limitedReason: RateLimitReason | undefined;
		try {
			while (items.length > 0) {
				const head = items[0];
				if (head === undefined || head.isSettled()) {
					items.shift();
					continue;
				}
				let result: AcquireResult;
				try {
					result = await this.#host.acquire(this.info);
				} catch (error) {
					if (items[0] === head) items.shift();
					this.#host.onStoreError(head, error);
					continue;
				}
				if (result.granted) {
					if (items[0] === head) items.shift();
					else this.remove(head);
					if (head.isSettled()) this.#host.release(head, result);
					else this.#host.dispatch(head, result);
					continue;
				}
				if (head.isSettled() || items[0] !== head) continue;
				const repeat = limitedHead === head && limitedReason === result.reason;
				limitedHead = head;
				limitedReason = result.reason;
				if (this.#host.onLimited(head, result, repeat)) {
					this.remove(head);
					continue;
				}
				this.#waitingFor = result.reason;
				await this.#sleep(this.#host.waitFor(result));
				this.#waitingFor = undefined;
			}
		} finally {
			this.#running = false;
			this.#host.onIdle(this);
		}
	}

	#sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			this.#wake = resolve;
			this.#timer = setTimeout(() => {
				this.#wake = undefined;
				this.#timer = undefined;
				resolve();
			}, clampDelay(ms));
		});
	}
}
