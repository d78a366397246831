import type {
	ExtensionPointArgs,
	ExtensionPointEmitter,
	ExtensionPointName,
	WaterfallPointName,
	WaterfallValue,
} from '@ovenjs/types';

/** A minimal emitter standing in for core's bus: records every notify point, lets a test decide the waterfall. */
export function recordingEmitter(
	decide?: (value: unknown) => string | undefined,
): ExtensionPointEmitter & { readonly events: { point: string; args: readonly unknown[] }[] } {
	const events: { point: string; args: readonly unknown[] }[] = [];
	return {
		events,
		has: (point: ExtensionPointName) =>
			point.startsWith('state:') && (point !== 'state:beforeUpdate' || decide !== undefined),
		emit<P extends ExtensionPointName>(point: P, ...args: ExtensionPointArgs<P>) {
			events.push({ point, args });
		},
		async transform<P extends WaterfallPointName>(
			point: P,
			...args: ExtensionPointArgs<P>
		): Promise<WaterfallValue<P>> {
			events.push({ point, args });
			const value = args[0] as WaterfallValue<P>;
			const veto = decide?.(value);
			return Promise.resolve(veto === undefined ? value : ({ ...(value as object), veto } as WaterfallValue<P>));
		},
	};
}

export function pointArgs(
	emitter: { readonly events: { point: string; args: readonly unknown[] }[] },
	point: string,
): unknown[] {
	return emitter.events.filter((event) => event.point === point).map((event) => event.args[0]);
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** JSON with object keys sorted: equal for deeply equal states whatever order keys were added in. */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		typeof inner === 'object' && inner !== null && !Array.isArray(inner)
			? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
			: inner,
	);
}
