declare const brandSymbol: unique symbol;
declare const phantomSymbol: unique symbol;

/**
 * A nominal ("branded") type: `T` that the compiler keeps apart from every other brand over the same `T`.
 *
 * @example
 * ```ts
 * type Celsius = Brand<number, 'Celsius'>;
 * const t: Celsius = 21; // error: a number is not a Celsius until a validating constructor says so
 * ```
 */
export type Brand<T, B extends string> = T & { readonly [brandSymbol]: Readonly<Record<B, true>> };

/** Strips a brand, giving back the underlying type. */
export type Unbrand<T> = T extends Brand<infer U, string> ? U : T;

/**
 * A phantom marker: `T` tagged with a state that exists only in the type system.
 * `Validated<T>` and `RateLimited<T>` are built on it.
 */
export type Phantom<T, Tag extends string> = T & { readonly [phantomSymbol]?: Readonly<Record<Tag, true>> };

/** A value that passed validation at a boundary (a zod schema, a validating constructor). */
export type Validated<T> = Phantom<T, 'Validated'>;

/** A request or operation that is subject to a Discord rate limit and must go through a limiter. */
export type RateLimited<T> = Phantom<T, 'RateLimited'>;
