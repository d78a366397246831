import { isRecord } from './utils/payload.js';

/**
 * One dispatch event (op 0) as the application receives it. `d` is parsed on first access, so a consumer that
 * forwards `raw` elsewhere (a worker, a queue) never pays for a parse it does not need.
 */
export class GatewayDispatch {
	/** The shard that received the event. */
	public readonly shardId: number;
	/** The event name (`MESSAGE_CREATE`, ...). */
	public readonly t: string;
	/** The sequence number within the shard's session. */
	public readonly s: number | null;
	/** The payload's JSON text as Discord sent it (decompressed). */
	public readonly raw: string;
	#d: unknown;
	#parsed: boolean;

	public constructor(shardId: number, t: string, s: number | null, raw: string, payload?: { readonly d: unknown }) {
		this.shardId = shardId;
		this.t = t;
		this.s = s;
		this.raw = raw;
		this.#parsed = payload !== undefined;
		this.#d = payload?.d;
	}

	/** The event data (`d`), parsed from {@link raw} once, on first access. Validate it before use. */
	public get d(): unknown {
		if (!this.#parsed) {
			const value: unknown = JSON.parse(this.raw);
			this.#d = isRecord(value) ? value.d : undefined;
			this.#parsed = true;
		}
		return this.#d;
	}
}
