import type { ChannelId, InteractionId, MessageId } from '@ovenjs/types';
import { MockError } from '../errors/MockError.js';
import type { InteractionRegistry } from '../rest/types.js';
import type { InteractionResponse } from './InteractionHub.js';

/** An interaction the scenario triggered and whose callback has not arrived yet. */
interface Pending {
	readonly resolve: (response: InteractionResponse) => void;
	readonly reject: (error: MockError) => void;
	readonly timer: NodeJS.Timeout;
}

/** What {@link InteractionLedger.open} needs to wait for one interaction's callback. */
export interface OpenInteraction {
	readonly interactionId: InteractionId;
	readonly token: string;
	readonly channelId: ChannelId;
	readonly timeoutMs: number;
	readonly resolve: (response: InteractionResponse) => void;
	readonly reject: (error: MockError) => void;
}

/**
 * The record of the interactions the scenario triggered: their tokens, the bot's answers and the messages those
 * answers created. The {@link InteractionHub} (the scenario's side) opens entries and reads them; the callback and
 * webhook routes (through {@link InteractionRegistry}) answer them. Package-private: not exported from
 * `src/index.ts`.
 */
export class InteractionLedger implements InteractionRegistry {
	readonly #pending = new Map<string, Pending>();
	readonly #answered = new Map<string, InteractionResponse>();
	/** Interaction tokens (valid for follow-ups; Discord: 15 minutes) with their interaction and channel. */
	readonly #tokens = new Map<string, { interactionId: InteractionId; channelId: ChannelId }>();
	readonly #originals = new Map<string, MessageId>();

	/**
	 * Waits for the callback of an interaction about to be dispatched: `resolve` gets the bot's answer, `reject`
	 * a `MOCK_INTERACTION_TIMEOUT` after `timeoutMs`, or `MOCK_ALREADY_STOPPED` on {@link InteractionLedger.close}.
	 */
	public open(interaction: OpenInteraction): void {
		const { interactionId, token, channelId, timeoutMs, resolve, reject } = interaction;
		const timer = setTimeout(() => {
			this.#pending.delete(interactionId);
			reject(MockError.of('MOCK_INTERACTION_TIMEOUT', [interactionId, timeoutMs]));
		}, timeoutMs);
		timer.unref();
		this.#pending.set(interactionId, { resolve, reject, timer });
		this.#tokens.set(token, { interactionId, channelId });
	}

	/** Resolves the interaction with the bot's callback body (the callback route). */
	public respond(interactionId: InteractionId, token: string, body: unknown): 'ok' | 'unknown' | 'acknowledged' {
		const known = this.#tokens.get(token);
		if (known?.interactionId !== interactionId) return 'unknown';
		if (this.#answered.has(interactionId)) return 'acknowledged';
		const type: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'type') : undefined;
		const data: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'data') : undefined;
		const response: InteractionResponse = {
			interactionId: known.interactionId,
			token,
			type: typeof type === 'number' ? type : 0,
			data,
		};
		this.#answered.set(interactionId, response);
		const pending = this.#pending.get(interactionId);
		if (pending !== undefined) {
			clearTimeout(pending.timer);
			this.#pending.delete(interactionId);
			pending.resolve(response);
		}
		return 'ok';
	}

	/** Whether a token belongs to a triggered interaction (for follow-up webhooks). */
	public tokenKnown(token: string): boolean {
		return this.#tokens.has(token);
	}

	/** Remembers the message the bot's callback (type 4 or 5) created. */
	public setOriginal(token: string, messageId: MessageId): void {
		this.#originals.set(token, messageId);
	}

	/** The message the bot's callback created, by interaction token. */
	public originalOf(token: string): MessageId | undefined {
		return this.#originals.get(token);
	}

	/** The channel an interaction token belongs to. */
	public channelOfToken(token: string): ChannelId | undefined {
		return this.#tokens.get(token)?.channelId;
	}

	/** The answer the bot gave to an interaction, if any. */
	public responseOf(interactionId: InteractionId): InteractionResponse | undefined {
		return this.#answered.get(interactionId);
	}

	/** Rejects every interaction still waiting (the mock is stopping). */
	public close(): void {
		for (const [id, pending] of this.#pending) {
			clearTimeout(pending.timer);
			pending.reject(MockError.of('MOCK_ALREADY_STOPPED', [`the bot answered interaction ${id}`]));
		}
		this.#pending.clear();
	}
}
