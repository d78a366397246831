import type { Redis } from 'ioredis';
import { isInvalidationMessage, type InvalidationBus, type InvalidationMessage } from './interfaces/InvalidationBus.js';

/** Options of a {@link RedisInvalidationBus}. */
export interface RedisInvalidationBusOptions {
	/** The client messages are published with; a duplicate of it subscribes. Not closed by the bus. */
	readonly client: Redis;
	/** The pub/sub channel. @defaultValue `'ovenjs:cache:invalidate'` */
	readonly channel?: string;
}

/**
 * Cross-process invalidation over Redis pub/sub: each {@link MultiTierCache} publishes what it invalidates and
 * drops what others publish from its memory tiers. Messages that cannot be published (Redis down) are kept
 * and re-sent, in order, when the connection is ready again.
 */
export class RedisInvalidationBus implements InvalidationBus {
	readonly #client: Redis;
	readonly #subscriber: Redis;
	readonly #channel: string;
	readonly #backlog: string[] = [];
	#sending: Promise<void> | undefined;
	#subscribed = false;

	public constructor(options: RedisInvalidationBusOptions) {
		this.#client = options.client;
		this.#channel = options.channel ?? 'ovenjs:cache:invalidate';
		this.#subscriber = options.client.duplicate();
		this.#subscriber.on('error', () => undefined);
		this.#client.on('ready', () => void this.#drain());
	}

	/** Messages waiting for Redis. */
	public get pending(): number {
		return this.#backlog.length;
	}

	public async publish(message: InvalidationMessage): Promise<void> {
		this.#backlog.push(JSON.stringify(message));
		await this.#drain();
	}

	/**
	 * Starts delivering messages to `handler`. Resolves after the first subscription attempt and never rejects:
	 * if Redis is unreachable, the subscription is retried each time the connection becomes ready.
	 */
	public async subscribe(handler: (message: InvalidationMessage) => void): Promise<void> {
		this.#subscriber.on('message', (channel: string, raw: string) => {
			if (channel !== this.#channel) return;
			let parsed: unknown;
			try {
				parsed = JSON.parse(raw);
			} catch {
				return;
			}
			if (isInvalidationMessage(parsed)) handler(parsed);
		});
		this.#subscriber.on('ready', () => {
			if (!this.#subscribed) void this.#trySubscribe();
		});
		await this.#trySubscribe();
	}

	/** Whether the subscription is active. */
	public get isSubscribed(): boolean {
		return this.#subscribed;
	}

	async #trySubscribe(): Promise<void> {
		try {
			await this.#subscriber.subscribe(this.#channel);
			this.#subscribed = true;
		} catch {
			this.#subscribed = false;
		}
	}

	public async close(): Promise<void> {
		await this.#drain().catch(() => undefined);
		await this.#subscriber.quit().catch(() => {
			this.#subscriber.disconnect();
		});
	}

	#drain(): Promise<void> {
		if (this.#sending !== undefined) return this.#sending;
		// `.finally` runs after the assignment below even when send() finishes synchronously.
		const task = this.#send().finally(() => {
			if (this.#sending === task) this.#sending = undefined;
		});
		this.#sending = task;
		return task;
	}

	async #send(): Promise<void> {
		try {
			while (this.#backlog.length > 0 && this.#client.status === 'ready') {
				const next = this.#backlog[0];
				if (next === undefined) break;
				await this.#client.publish(this.#channel, next);
				this.#backlog.shift();
			}
		} catch {
			// Kept in the backlog; re-sent on the next 'ready'.
		}
	}
}
