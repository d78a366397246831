/**
 * Typed paths into a state tree, in dot form (`'guilds.123.settings.prefix'`) and tuple form
 * (`['guilds', guildId, 'settings', 'prefix']`).
 *
 * The checker cost is linear in the length of the path that is written, never in the size of the state type:
 * a path is validated segment by segment ({@link ValidPath}) instead of being matched against a union of every
 * path of the state. Recursion stops at {@link MaxPathDepth} segments.
 */
import type { Prev } from '@ovenjs/types';

/** One segment of a path: an object key or an array index. */
export type PathKey = string | number;

/** A path as an array of segments (immer's patch path). */
export type PathArray = readonly PathKey[];

/** How many segments a typed path may have (deeper paths are refused at compile time). */
export type MaxPathDepth = 10;

type Leaf = string | number | boolean | bigint | symbol | null | undefined | ((...args: never[]) => unknown);

/**
 * The key type of `S` when its keys are not literals (`string`, `number`, a branded ID such as `GuildId`): any
 * segment then addresses `S[key]`.
 */
type WideKey<S> = string extends keyof S
	? string
	: number extends keyof S
		? number
		: NonLiteral<Extract<keyof S, string>>;

/** `K` when it is not a union of literal strings (a `Record` over it has no required keys). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is the empty object here: a Record over literal keys has required keys
type NonLiteral<K extends string> = [K] extends [never] ? never : {} extends Record<K, 1> ? K : never;

/** The type under key `K` (a dot-form segment, so always a string) of `S`, or `never`. */
export type ChildOf<S, K extends string> = S extends Leaf
	? never
	: S extends readonly (infer E)[]
		? K extends `${number}`
			? E
			: never
		: K extends keyof S
			? S[K]
			: K extends `${infer N extends number}`
				? N extends keyof S
					? S[N]
					: [WideKey<S>] extends [never]
						? never
						: S[WideKey<S> & keyof S]
				: [WideKey<S>] extends [never]
					? never
					: S[WideKey<S> & keyof S];

/** The type under tuple segment `K` of `S`, or `never`. */
export type ChildOfKey<S, K> = K extends string ? ChildOf<S, K> : K extends number ? ChildOf<S, `${K}`> : never;

/** Descends through optional values: `{ a?: { b: 1 } }` has a path `a.b`. */
type Descend<S> = Exclude<S, undefined | null>;

/** The value at dot path `P` of `S`, or `never` when `P` is not a path of `S`. */
export type PathValue<S, P extends string, D extends number = MaxPathDepth> = [D] extends [never]
	? never
	: P extends `${infer Head}.${infer Rest}`
		? PathValue<Descend<ChildOf<Descend<S>, Head>>, Rest, Prev[D]>
		: ChildOf<Descend<S>, P>;

/** The value at tuple path `P` of `S`, or `never` when `P` is not a path of `S`. */
export type TuplePathValue<S, P extends PathArray, D extends number = MaxPathDepth> = [D] extends [never]
	? never
	: P extends readonly []
		? S
		: P extends readonly [infer Head, ...infer Rest extends PathArray]
			? Rest extends readonly []
				? ChildOfKey<Descend<S>, Head>
				: TuplePathValue<Descend<ChildOfKey<Descend<S>, Head>>, Rest, Prev[D]>
			: never;

/** The keys one may write after `Prefix` in `S`, used as the suggestion when a path is wrong. */
type Suggest<S, Prefix extends string> = S extends Leaf
	? never
	: S extends readonly unknown[]
		? `${Prefix}${number}`
		: `${Prefix}${Extract<keyof S, string | number>}`;

/** The keys valid at the first wrong segment of `P`, prefixed with the good part (the compiler's hint). */
type Suggestion<S, P extends string, Prefix extends string = '', D extends number = MaxPathDepth> = [D] extends [never]
	? never
	: P extends `${infer Head}.${infer Rest}`
		? [ChildOf<Descend<S>, Head>] extends [never]
			? Suggest<Descend<S>, Prefix>
			: Suggestion<Descend<ChildOf<Descend<S>, Head>>, Rest, `${Prefix}${Head}.`, Prev[D]>
		: Suggest<Descend<S>, Prefix>;

/**
 * `P` when it is a dot path of `S`; otherwise the keys valid at the first wrong segment (which is what the
 * compiler shows in its error). Linear in the length of `P`.
 */
export type ValidPath<S, P extends string> = [PathValue<S, P>] extends [never] ? Suggestion<S, P> : P;

/** `P` when it is a tuple path of `S`; otherwise `never` (the compiler then points at the path argument). */
export type ValidTuplePath<S, P extends PathArray> = [TuplePathValue<S, P>] extends [never] ? never : P;
