import type { JetStreamManager, StreamConfig } from 'nats';
import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats';
import { ClusterError } from '../errors/ClusterError.js';

/** Default names of the JetStream stream and subjects. */
export const DefaultJetStreamNames = {
	stream: 'OVENJS_DISPATCH',
	subjectPrefix: 'ovenjs.dispatch',
	durable: 'ovenjs-worker',
} as const;

/** Headers of a published dispatch. */
export const DispatchHeaders = {
	shard: 'Ovenjs-Shard',
	session: 'Ovenjs-Session',
	sequence: 'Ovenjs-Seq',
	/** The sequence published before this one in the same session (0: the first since READY). */
	previous: 'Ovenjs-Prev',
	event: 'Ovenjs-Event',
} as const;

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** `<prefix>.<shard>.<EVENT>`: one subject per shard and event type. */
export function dispatchSubject(prefix: string, shardId: number, t: string): string {
	return `${prefix}.${shardId}.${TOKEN.test(t) ? t : 'UNKNOWN'}`;
}

/** Options of {@link ensureDispatchStream}. */
export interface DispatchStreamOptions {
	/** @defaultValue `'OVENJS_DISPATCH'` */
	readonly stream?: string;
	/** @defaultValue `'ovenjs.dispatch'` */
	readonly subjectPrefix?: string;
	/**
	 * The most bytes the stream holds while workers catch up; past it publishes fail and the gateway shards stall
	 * (bounded, reported, recovered by a resume). @defaultValue `1_073_741_824` (1 GiB)
	 */
	readonly maxBytes?: number;
	/** The most events the stream holds. @defaultValue `-1` (only `maxBytes` limits) */
	readonly maxMessages?: number;
	/** How long an event not yet consumed is kept, in ms. @defaultValue `86_400_000` (24 h) */
	readonly maxAge?: number;
	/** The window of `Nats-Msg-Id` deduplication, in ms. @defaultValue `120_000` */
	readonly duplicateWindow?: number;
	/** `'file'` survives a NATS restart. @defaultValue `'file'` */
	readonly storage?: 'file' | 'memory';
	/** Replicas in a NATS cluster. @defaultValue `1` */
	readonly replicas?: number;
}

/**
 * Creates (or updates) the work-queue stream gateway processes publish to: an event is removed once a worker
 * acknowledged it, and a full stream refuses new events rather than dropping old ones.
 */
export async function ensureDispatchStream(
	jsm: JetStreamManager,
	options: DispatchStreamOptions = {},
): Promise<StreamConfig> {
	const name = options.stream ?? DefaultJetStreamNames.stream;
	const prefix = options.subjectPrefix ?? DefaultJetStreamNames.subjectPrefix;
	if (!/^[A-Za-z0-9_-]+$/.test(name))
		throw ClusterError.of('CLUSTER_INVALID_OPTION', [
			`stream "${name}"`,
			'is not a valid JetStream stream name (letters, digits, - and _).',
		]);
	if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix))
		throw ClusterError.of('CLUSTER_INVALID_OPTION', [
			`subjectPrefix "${prefix}"`,
			'must be dot-separated tokens without wildcards.',
		]);
	const config: Partial<StreamConfig> = {
		name,
		subjects: [`${prefix}.>`],
		retention: RetentionPolicy.Workqueue,
		discard: DiscardPolicy.New,
		storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
		max_bytes: options.maxBytes ?? 1_073_741_824,
		max_msgs: options.maxMessages ?? -1,
		max_age: nanos(options.maxAge ?? 86_400_000),
		duplicate_window: nanos(options.duplicateWindow ?? 120_000),
		num_replicas: options.replicas ?? 1,
	};
	try {
		const info = await jsm.streams.info(name);
		return (await jsm.streams.update(name, { ...info.config, ...config })).config;
	} catch (error) {
		if (!(error instanceof Error) || !/not found/i.test(error.message)) throw error;
		return (await jsm.streams.add(config)).config;
	}
}
