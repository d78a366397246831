/**
 * The typed extension-point contract. Packages and plugins declare their points by declaration merging:
 *
 * ```ts
 * declare module '@ovenjs/types' {
 *   interface ExtensionPoints {
 *     'rest:beforeRequest': [request: RestRequest];
 *   }
 *   interface WaterfallExtensionPoints {
 *     'rest:beforeRequest': true; // handlers may return a replacement for the first argument
 *   }
 * }
 * ```
 *
 * The bus in `@ovenjs/core` dispatches over this contract, so a handler registered for a point receives
 * exactly that point's argument tuple.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ExtensionPoints {}

/**
 * Points whose handlers transform their first argument: each handler may return a replacement, which the
 * next handler receives (a waterfall). Points not listed here are notify points.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface WaterfallExtensionPoints {}

/** The name of any declared extension point. */
export type ExtensionPointName = Extract<keyof ExtensionPoints, string>;

/** The argument tuple of point `P`. */
export type ExtensionPointArgs<P extends ExtensionPointName> = ExtensionPoints[P] extends readonly unknown[]
	? ExtensionPoints[P]
	: never;

/** The points whose handlers return a replacement for the first argument. */
export type WaterfallPointName = Extract<keyof WaterfallExtensionPoints, ExtensionPointName>;

/** The value a waterfall point transforms (its first argument). */
export type WaterfallValue<P extends WaterfallPointName> =
	ExtensionPointArgs<P> extends readonly [infer First, ...unknown[]] ? First : never;

/** What a handler of point `P` may return. */
export type ExtensionHandlerResult<P extends ExtensionPointName> = P extends WaterfallPointName
	? WaterfallValue<P> | undefined | void | Promise<WaterfallValue<P> | undefined | void>
	: void | Promise<void>;

/** A handler of point `P`. */
export type ExtensionHandler<P extends ExtensionPointName> = (
	...args: ExtensionPointArgs<P>
) => ExtensionHandlerResult<P>;

/**
 * The minimal emitting side of an extension-point bus, which packages depend on instead of on `@ovenjs/core`.
 * `has` lets hot paths skip building arguments when nobody listens.
 */
export interface ExtensionPointEmitter {
	/** Whether any handler is registered for `point`. */
	has(point: ExtensionPointName): boolean;
	/** Calls every handler of a notify point; handler errors are isolated. */
	emit<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>): void;
	/** Runs a waterfall point and resolves to the final value. */
	transform<P extends WaterfallPointName>(point: P, ...args: ExtensionPointArgs<P>): Promise<WaterfallValue<P>>;
}
