/** What one process tells the others to drop from their memory tiers. */
export interface InvalidationMessage {
	/** The id of the sending cache, so a process ignores its own messages. */
	readonly origin: string;
	readonly keys: readonly string[];
	readonly tags: readonly string[];
	readonly patterns: readonly string[];
	/** Sender's wall clock in fractional ms (`performance.timeOrigin + performance.now()`), for latency. */
	readonly sentAt: number;
}

/**
 * Carries invalidations between processes so their memory tiers stay coherent. `@ovenjs/cache/redis` ships
 * `RedisInvalidationBus` (Redis pub/sub).
 */
export interface InvalidationBus {
	publish(message: InvalidationMessage): Promise<void>;
	/** Starts delivering messages from every process (including this one) to `handler`. */
	subscribe(handler: (message: InvalidationMessage) => void): Promise<void>;
	close(): Promise<void>;
}

/** A type guard for {@link InvalidationMessage}, for decoding messages off the wire. */
export function isInvalidationMessage(value: unknown): value is InvalidationMessage {
	if (typeof value !== 'object' || value === null) return false;
	const origin: unknown = Reflect.get(value, 'origin');
	const sentAt: unknown = Reflect.get(value, 'sentAt');
	return (
		typeof origin === 'string' &&
		typeof sentAt === 'number' &&
		isStringArray(Reflect.get(value, 'keys')) &&
		isStringArray(Reflect.get(value, 'tags')) &&
		isStringArray(Reflect.get(value, 'patterns'))
	);
}

function isArray(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
	return isArray(value) && value.every((item) => typeof item === 'string');
}
