/** Recursively readonly: objects, arrays, maps and sets. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
	? T
	: T extends ReadonlyMap<infer K, infer V>
		? ReadonlyMap<DeepReadonly<K>, DeepReadonly<V>>
		: T extends ReadonlySet<infer V>
			? ReadonlySet<DeepReadonly<V>>
			: T extends readonly (infer U)[]
				? readonly DeepReadonly<U>[]
				: T extends object
					? { readonly [K in keyof T]: DeepReadonly<T[K]> }
					: T;

/** Counting down at the type level: `Prev[3]` is `2`. Depth-limited helpers stop at 0. */
export type Prev = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The default recursion depth of the depth-limited helpers (keeps the compiler fast on Discord's deep payloads). */
export type DefaultDepth = 5;

/** Recursively optional, to at most `Depth` levels. */
export type DeepPartial<T, Depth extends number = DefaultDepth> = [Depth] extends [never]
	? T
	: T extends (...args: never[]) => unknown
		? T
		: T extends readonly (infer U)[]
			? DeepPartial<U, Prev[Depth]>[]
			: T extends object
				? { [K in keyof T]?: DeepPartial<T[K], Prev[Depth]> }
				: T;

/** Dotted paths into `T` (`'guild.owner.id'`), to at most `Depth` levels. */
export type Paths<T, Depth extends number = DefaultDepth> = [Depth] extends [never]
	? never
	: T extends object
		? {
				[K in keyof T & string]: T[K] extends readonly unknown[]
					? K
					: T[K] extends object
						? K | `${K}.${Paths<T[K], Prev[Depth]>}`
						: K;
			}[keyof T & string]
		: never;

/** The type at a dotted path produced by {@link Paths}. */
export type PathValue<T, P extends string> = P extends `${infer Head}.${infer Rest}`
	? Head extends keyof T
		? PathValue<T[Head], Rest>
		: never
	: P extends keyof T
		? T[P]
		: never;

/** A versioned Discord API path, e.g. `/api/v10/channels/123/messages`. */
export type ApiPath<Version extends number = 10> = `/api/v${Version}${string}`;

/** A route relative to the API base, e.g. `/channels/123/messages` (what `Routes` from discord-api-types return). */
export type RouteLike = `/${string}`;

/** HTTP methods Discord's API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The entities whose gateway events follow Discord's `ENTITY_ACTION` naming. */
export type GatewayEntity =
	| 'GUILD'
	| 'CHANNEL'
	| 'THREAD'
	| 'MESSAGE'
	| 'GUILD_MEMBER'
	| 'GUILD_ROLE'
	| 'GUILD_EMOJIS'
	| 'INTERACTION'
	| 'INVITE'
	| 'STAGE_INSTANCE'
	| 'GUILD_SCHEDULED_EVENT'
	| 'AUTO_MODERATION_RULE'
	| 'ENTITLEMENT'
	| 'INTEGRATION'
	| 'WEBHOOKS';

/** The actions of gateway event names. */
export type GatewayAction = 'create' | 'update' | 'delete';

/** A gateway event name built from an entity and an action, e.g. `MESSAGE_CREATE`. */
export type GatewayEventName<
	E extends GatewayEntity = GatewayEntity,
	A extends GatewayAction = GatewayAction,
> = `${E}_${Uppercase<A>}`;

/** Makes the listed keys required. */
export type RequireKeys<T, K extends keyof T> = T & { [P in K]-?: T[P] };

/** Flattens an intersection for readable hovers. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};
