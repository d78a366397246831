import type { Redis } from 'ioredis';
import type { RedisClientLike } from '../StateStoreOptions.js';
import { StateError } from '../errors/StateError.js';
import { isList } from '../paths/paths.js';
import type { EngineState } from './ConflictEngine.js';
import { parseOp, parseSnapshot, type SharedSnapshot } from './schemas.js';
import type { CatchUpReport, SyncOp } from './types.js';

/** What {@link RedisSync} needs from its store. @internal */
export interface SyncHost {
	/** Applies remote operations in log order (duplicates and own operations are skipped by the engine). */
	applyRemote(ops: readonly SyncOp[], coalesce: boolean): number;
	/** Replaces the state with a shared snapshot. */
	loadShared(snapshot: SharedSnapshot): void;
	/** Re-applies local operations that a shared snapshot did not contain. */
	reapply(ops: readonly SyncOp[]): void;
	/** The state and conflict tables to share. */
	shared(): { readonly state: object; readonly engine: EngineState };
	/** Reports a failure that has no caller to reject (a publish that is being retried, a bad message). */
	fail(error: StateError): void;
}

/** Options of {@link RedisSync}. @internal */
export interface RedisSyncOptions {
	readonly name: string;
	readonly redis: string | RedisClientLike;
	readonly prefix: string;
	readonly streamLength: number;
	readonly snapshotEvery: number;
	readonly host: SyncHost;
}

const PUBLISH = `
local out = {}
for i = 2, #ARGV do
	local seq = redis.call('INCR', KEYS[1])
	redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'op', ARGV[i])
	redis.call('PUBLISH', KEYS[3], seq .. ' ' .. ARGV[i])
	out[#out + 1] = seq
end
return out`;

const SHARE = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if tonumber(ARGV[1]) > current then
	redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'data', ARGV[2])
	return 1
end
return 0`;

const PAGE = 256;

function isNumberArray(value: unknown): value is number[] {
	return isList(value) && value.every((item) => typeof item === 'number');
}

function seqOf(id: string): number {
	return Number.parseInt(id, 10);
}

/**
 * Replicates a store through Redis: every local operation gets a sequence number from one Lua call that appends
 * it to a stream (the catch-up log) and publishes it (live). A replica applies operations in sequence order; a
 * gap (a lost message, a reconnect) triggers a catch-up from the stream, as a coalesced delta, or from the
 * shared snapshot when that is smaller or the log was trimmed.
 * @internal
 */
export class RedisSync {
	readonly #options: RedisSyncOptions;
	readonly #client: Redis;
	#subscriber: Redis | undefined;
	readonly #owned: boolean;
	readonly #keys: { readonly seq: string; readonly log: string; readonly live: string; readonly snapshot: string };
	#lastSeq = 0;
	#synced = false;
	#maxOwnSeq = 0;
	#sharedSeq = 0;
	readonly #outbox: { op: SyncOp; text: string }[] = [];
	#inflight: { op: SyncOp; text: string }[] = [];
	#draining = false;
	#inbox: Promise<void> = Promise.resolve();
	readonly #buffer = new Map<number, SyncOp>();
	#catchingUp = false;
	#closed = false;
	#lastCatchUp: CatchUpReport = { mode: 'none', from: 0, to: 0, operations: 0, changes: 0, rawChanges: 0, bytes: 0 };
	readonly #drained: (() => void)[] = [];

	private constructor(options: RedisSyncOptions, client: Redis, owned: boolean) {
		this.#options = options;
		this.#client = client;
		this.#owned = owned;
		const base = `${options.prefix}${options.name}`;
		this.#keys = { seq: `${base}:seq`, log: `${base}:log`, live: `${base}:live`, snapshot: `${base}:snapshot` };
		client.on('error', () => undefined);
	}

	/** Connects, subscribes and catches up. */
	public static async start(options: RedisSyncOptions): Promise<RedisSync> {
		let client: Redis;
		let owned = false;
		if (typeof options.redis === 'string') {
			const { Redis: RedisClient } = await import('ioredis');
			client = new RedisClient(options.redis, {
				maxRetriesPerRequest: null,
				retryStrategy: (attempt) => Math.min(attempt * 50, 500),
			});
			owned = true;
		} else if (isIoredis(options.redis)) client = options.redis;
		else
			throw StateError.of('STATE_INVALID_OPTIONS', [
				'sync.redis',
				'must be a Redis URL or an ioredis client (it has no xadd/publish/subscribe)',
			]);
		const sync = new RedisSync(options, client, owned);
		try {
			await sync.#connect();
		} catch (error) {
			await sync.close();
			throw StateError.of('STATE_SYNC_FAILED', [options.name, 'could not connect to Redis and catch up'], {
				cause: error,
			});
		}
		return sync;
	}

	/** The sequence number of the last operation applied from the log. */
	public get lastSeq(): number {
		return this.#lastSeq;
	}

	/** What the last catch-up read and applied. */
	public get lastCatchUp(): CatchUpReport {
		return this.#lastCatchUp;
	}

	/** Local operations not yet acknowledged by Redis. */
	public get pending(): number {
		return this.#outbox.length + this.#inflight.length;
	}

	async #connect(): Promise<void> {
		const subscriber = this.#client.duplicate();
		this.#subscriber = subscriber;
		subscriber.on('error', () => undefined);
		subscriber.on('message', (channel: string, message: string) => {
			if (channel === this.#keys.live) this.#receive(message);
		});
		let first = true;
		subscriber.on('ready', () => {
			if (first) {
				first = false;
				return;
			}
			// Reconnected (ioredis resubscribed): whatever was published meanwhile is in the log.
			this.#schedule(() => this.#catchUp());
		});
		await subscriber.subscribe(this.#keys.live);
		// Seed the shared snapshot when this is the first replica, so later ones start from its state.
		const { state, engine } = this.#options.host.shared();
		const current = await this.#client.hget(this.#keys.snapshot, 'seq');
		const head = Number((await this.#client.get(this.#keys.seq)) ?? 0);
		if (current === null && head === 0) {
			const seeded = await this.#client.eval(
				SHARE,
				1,
				this.#keys.snapshot,
				'0',
				JSON.stringify({ seq: 0, state, clocks: engine.clocks, seen: engine.seen }),
			);
			if (seeded === 1) this.#synced = true;
		}
		await this.#enqueue(() => this.#catchUp());
	}

	/** Queues a local operation for publishing. */
	public publish(op: SyncOp): void {
		if (this.#closed) return;
		this.#outbox.push({ op, text: JSON.stringify(op) });
		if (!this.#draining) {
			this.#draining = true;
			void this.#drain();
		}
	}

	/** Resolves when every operation queued so far is in Redis. */
	public async flush(): Promise<void> {
		if (this.pending === 0) return;
		await new Promise<void>((resolve) => this.#drained.push(resolve));
	}

	async #drain(): Promise<void> {
		let delay = 25;
		while (this.#outbox.length > 0 && !this.#closed) {
			this.#inflight = this.#outbox.splice(0, 64);
			try {
				const seqs: unknown = await this.#client.eval(
					PUBLISH,
					3,
					this.#keys.seq,
					this.#keys.log,
					this.#keys.live,
					String(this.#options.streamLength),
					...this.#inflight.map((item) => item.text),
				);
				if (isNumberArray(seqs)) for (const seq of seqs) this.#maxOwnSeq = Math.max(this.#maxOwnSeq, seq);
				this.#inflight = [];
				delay = 25;
			} catch (error) {
				if (this.#isClosed()) break;
				// Put them back in front, in order; a retry that duplicates one is dropped by the receivers (per-replica ids).
				this.#outbox.unshift(...this.#inflight);
				this.#inflight = [];
				this.#options.host.fail(
					StateError.of(
						'STATE_SYNC_FAILED',
						[this.#options.name, `publishing failed, retrying in ${delay} ms`],
						{ cause: error },
					),
				);
				await new Promise((resolve) => setTimeout(resolve, delay));
				delay = Math.min(delay * 2, 1_000);
			}
		}
		this.#draining = false;
		if (this.pending === 0) for (const resolve of this.#drained.splice(0)) resolve();
	}

	#receive(message: string): void {
		const space = message.indexOf(' ');
		const seq = seqOf(message.slice(0, space));
		const op = parseOp(message.slice(space + 1));
		if (!Number.isSafeInteger(seq) || op === undefined) {
			this.#options.host.fail(
				StateError.of('STATE_SYNC_FAILED', [
					this.#options.name,
					'a malformed live message was skipped (the log will be read on the next gap)',
				]),
			);
			return;
		}
		this.#schedule(() => {
			if (seq <= this.#lastSeq) return Promise.resolve();
			if (seq === this.#lastSeq + 1 && !this.#catchingUp) {
				this.#options.host.applyRemote([op], false);
				this.#lastSeq = seq;
				this.#drainBuffer();
				this.#maybeShare();
				return Promise.resolve();
			}
			this.#buffer.set(seq, op);
			return this.#catchUp();
		});
	}

	#drainBuffer(): void {
		for (;;) {
			const next = this.#buffer.get(this.#lastSeq + 1);
			if (next === undefined) break;
			this.#buffer.delete(this.#lastSeq + 1);
			this.#options.host.applyRemote([next], false);
			this.#lastSeq++;
		}
		for (const seq of this.#buffer.keys()) if (seq <= this.#lastSeq) this.#buffer.delete(seq);
	}

	#schedule(task: () => Promise<void>): void {
		void this.#enqueue(task).catch((error: unknown) => {
			if (!this.#closed)
				this.#options.host.fail(
					StateError.of(
						'STATE_SYNC_FAILED',
						[this.#options.name, 'catching up failed; retrying on the next message or reconnect'],
						{ cause: error },
					),
				);
		});
	}

	#enqueue(task: () => Promise<void>): Promise<void> {
		const run = this.#inbox.then(task);
		this.#inbox = run.catch(() => undefined);
		return run;
	}

	/** Reads what was missed: a coalesced delta from the log, or the shared snapshot when that is smaller. */
	async #catchUp(): Promise<void> {
		if (this.#closed) return;
		this.#catchingUp = true;
		try {
			const from = this.#lastSeq;
			const snapshotSeq = Number((await this.#client.hget(this.#keys.snapshot, 'seq')) ?? -1);
			const snapshotBytes =
				snapshotSeq >= 0 ? await this.#client.hstrlen(this.#keys.snapshot, 'data') : Number.POSITIVE_INFINITY;
			let useSnapshot = !this.#synced && snapshotSeq >= 0;
			const ops: SyncOp[] = [];
			let bytes = 0;
			let cursor = from + 1;
			while (!useSnapshot) {
				const page = await this.#client.xrange(this.#keys.log, `${cursor}-0`, '+', 'COUNT', PAGE);
				if (page.length === 0) break;
				const firstSeq = seqOf(page[0]?.[0] ?? '0');
				if (firstSeq > cursor) {
					// Trimmed: the operations in between only exist folded into the snapshot.
					useSnapshot = true;
					break;
				}
				for (const [id, fields] of page) {
					const text = fields[1] ?? '';
					bytes += text.length + id.length;
					const op = parseOp(text);
					if (op !== undefined) ops.push(op);
					cursor = seqOf(id) + 1;
				}
				if (bytes > snapshotBytes && snapshotSeq > from) useSnapshot = true;
				if (page.length < PAGE) break;
			}
			if (useSnapshot) {
				const text = await this.#client.hget(this.#keys.snapshot, 'data');
				const snapshot = parseSnapshot(text);
				if (snapshot === undefined)
					throw StateError.of('STATE_SYNC_FAILED', [
						this.#options.name,
						'the shared snapshot is missing or malformed',
					]);
				this.#options.host.loadShared(snapshot);
				this.#lastSeq = snapshot.seq;
				this.#synced = true;
				// Then the log after it (never trimmed that far: the snapshot is newer than the trim point).
				const after: SyncOp[] = [];
				let afterBytes = 0;
				let next = snapshot.seq + 1;
				for (;;) {
					const page = await this.#client.xrange(this.#keys.log, `${next}-0`, '+', 'COUNT', PAGE);
					for (const [id, fields] of page) {
						const opText = fields[1] ?? '';
						afterBytes += opText.length + id.length;
						const op = parseOp(opText);
						if (op !== undefined) after.push(op);
						next = seqOf(id) + 1;
					}
					if (page.length < PAGE) break;
				}
				const changes = this.#options.host.applyRemote(after, true);
				this.#lastSeq = next - 1;
				this.#options.host.reapply([...this.#inflight, ...this.#outbox].map((item) => item.op));
				this.#lastCatchUp = {
					mode: 'snapshot',
					from,
					to: this.#lastSeq,
					operations: after.length,
					changes,
					rawChanges: after.reduce((n, op) => n + op.c.length, 0),
					bytes: (text?.length ?? 0) + afterBytes,
				};
			} else {
				this.#synced = true;
				const changes = ops.length === 0 ? 0 : this.#options.host.applyRemote(ops, true);
				this.#lastSeq = cursor - 1;
				this.#lastCatchUp = {
					mode: ops.length === 0 ? 'none' : 'delta',
					from,
					to: this.#lastSeq,
					operations: ops.length,
					changes,
					rawChanges: ops.reduce((n, op) => n + op.c.length, 0),
					bytes,
				};
			}
		} finally {
			this.#catchingUp = false;
		}
		this.#drainBuffer();
		this.#maybeShare();
	}

	/** Writes the shared snapshot every `snapshotEvery` operations, when the state holds nothing unpublished. */
	#maybeShare(): void {
		const every = this.#options.snapshotEvery;
		if (
			every <= 0 ||
			this.#lastSeq - this.#sharedSeq < every ||
			this.pending > 0 ||
			this.#maxOwnSeq > this.#lastSeq
		)
			return;
		this.#sharedSeq = this.#lastSeq;
		const { state, engine } = this.#options.host.shared();
		const text = JSON.stringify({ seq: this.#lastSeq, state, clocks: engine.clocks, seen: engine.seen });
		this.#client.eval(SHARE, 1, this.#keys.snapshot, String(this.#lastSeq), text).catch((error: unknown) => {
			this.#options.host.fail(
				StateError.of('STATE_SYNC_FAILED', [this.#options.name, 'writing the shared snapshot failed'], {
					cause: error,
				}),
			);
		});
	}

	#isClosed(): boolean {
		return this.#closed;
	}

	/** Stops receiving; unpublished operations are dropped (call `flush()` first). */
	public async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		for (const resolve of this.#drained.splice(0)) resolve();
		const subscriber = this.#subscriber;
		this.#subscriber = undefined;
		subscriber?.disconnect();
		if (this.#owned) this.#client.disconnect();
		await this.#inbox.catch(() => undefined);
	}
}

/** Whether a client passed as `sync.redis` is an ioredis client (the commands the sync uses are there). */
function isIoredis(client: RedisClientLike): client is RedisClientLike & Redis {
	return ['xadd', 'xrange', 'publish', 'subscribe', 'duplicate'].every(
		(command) => typeof Reflect.get(client, command) === 'function',
	);
}
