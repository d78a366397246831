import type { ChannelId, HttpMethod, InteractionId, MessageId } from '@ovenjs/types';
import type { World } from '../world/World.js';

/** A file the bot uploaded with a multipart request. */
export interface UploadedFile {
	/** The form field name, e.g. `files[0]`. */
	readonly field: string;
	readonly filename: string;
	readonly contentType: string;
	readonly data: Buffer;
}

/** What a route handler sees of a request. */
export interface RouteContext {
	readonly method: HttpMethod;
	readonly path: string;
	readonly params: Readonly<Record<string, string>>;
	readonly query: URLSearchParams;
	readonly headers: Readonly<Record<string, string>>;
	/** The JSON body, or `payload_json` of a multipart body; `undefined` without a body. */
	readonly body: unknown;
	readonly files: readonly UploadedFile[];
	readonly auditLogReason: string | undefined;
	readonly world: World;
	readonly services: RouteServices;
}

/** Mock-wide facts the routes need (gateway URL, shard advice, application). */
export interface RouteServices {
	readonly gatewayUrl: () => string;
	readonly shards: number;
	readonly sessionStartLimit: () => {
		total: number;
		remaining: number;
		reset_after: number;
		max_concurrency: number;
	};
	readonly application: { readonly id: string } & Record<string, unknown>;
	readonly interactions: InteractionRegistry;
}

/** What the callback and webhook routes need of the interactions the scenario triggered (see `World.triggerInteraction`). */
export interface InteractionRegistry {
	/** Resolves the interaction with the bot's callback body; returns false when unknown or already answered. */
	respond(interactionId: InteractionId, token: string, body: unknown): 'ok' | 'unknown' | 'acknowledged';
	/** Whether a token belongs to an interaction (for webhook follow-ups). */
	tokenKnown(token: string): boolean;
	/** The channel an interaction token belongs to. */
	channelOfToken(token: string): ChannelId | undefined;
	/** Remembers the original response message of an interaction token. */
	setOriginal(token: string, messageId: MessageId): void;
	/** The original response message of an interaction token. */
	originalOf(token: string): MessageId | undefined;
}

/** A handler's answer: a status and an optional JSON body. */
export interface RouteResult {
	readonly status: number;
	readonly body?: unknown;
}

/** How a route authenticates. */
export type RouteAuth = 'bot' | 'none';

/** One route the mock serves. `path` uses the OpenAPI spec's templates, e.g. `/channels/{channel_id}`. */
export interface RouteDefinition {
	readonly method: HttpMethod;
	readonly path: string;
	/** Routes with the same bucket name share one rate-limit hash. @defaultValue `${method} ${path}` */
	readonly bucket?: string;
	/** @defaultValue 'bot' */
	readonly auth?: RouteAuth;
	readonly handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
}
