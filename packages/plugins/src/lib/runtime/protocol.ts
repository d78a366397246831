import { z } from 'zod';
import { PluginError, type PluginErrorCode } from '../errors/PluginError.js';
import type { IsolationLevel } from '../manifest.js';

/** What a remote runtime needs to load a plugin. */
export interface RemoteInit {
	readonly name: string;
	readonly version: string;
	readonly isolation: IsolationLevel;
	/** The entry module's URL (worker) or source text (isolate). */
	readonly entry: string;
	/** The config after references were resolved (and JSON Schema validation, when the manifest has one). */
	readonly config: unknown;
	/** The export naming the zod schema to validate `config` with, when the manifest names one. */
	readonly configExport: string | undefined;
	readonly capabilities: readonly string[];
	readonly services: Readonly<Record<string, readonly string[]>>;
	/** Per-call CPU budget inside an isolate (ms). */
	readonly cpuMs: number;
	/** Isolate heap limit (MB). */
	readonly memoryMb: number;
}

/** An error as it crosses a thread or process boundary. */
export interface WireError {
	readonly code?: string | undefined;
	readonly name?: string | undefined;
	readonly message: string;
	readonly capability?: string | undefined;
}

/** Host → runtime. */
export type HostMessage =
	| { readonly t: 'init'; readonly id: number; readonly init: RemoteInit }
	| { readonly t: 'setup'; readonly id: number }
	| { readonly t: 'teardown'; readonly id: number }
	| { readonly t: 'dispatch'; readonly id: number; readonly kind: 'event' | 'hook' | 'service'; readonly target: string; readonly args: readonly unknown[] }
	| { readonly t: 'result'; readonly id: number; readonly ok: boolean; readonly value?: unknown; readonly error?: WireError };

const WireErrorSchema = z.object({ code: z.string().optional(), name: z.string().optional(), message: z.string(), capability: z.string().optional() });

/** Runtime → host, checked on arrival (a plugin's thread is not trusted to send well-formed messages). */
export const RuntimeMessageSchema = z.discriminatedUnion('t', [
	z.object({ t: z.literal('done'), id: z.number(), ok: z.boolean(), value: z.unknown().optional(), error: WireErrorSchema.optional() }),
	z.object({ t: z.literal('call'), id: z.number(), op: z.string(), args: z.array(z.unknown()) }),
	z.object({ t: z.literal('post'), op: z.string(), args: z.array(z.unknown()) }),
]);
/** Runtime → host. */
export type RuntimeMessage = z.infer<typeof RuntimeMessageSchema>;

const CODES: ReadonlySet<string> = new Set<PluginErrorCode>([
	'PLUGIN_NOT_FOUND', 'PLUGIN_INVALID_MANIFEST', 'PLUGIN_INVALID_DEFINITION', 'PLUGIN_ENGINE_MISMATCH', 'PLUGIN_DEPENDENCY_MISSING', 'PLUGIN_DEPENDENCY_CYCLE',
	'PLUGIN_VERSION_CONFLICT', 'PLUGIN_CONFIG_INVALID', 'PLUGIN_PERMISSION_DENIED', 'PLUGIN_ISOLATION_UNSUPPORTED', 'PLUGIN_SERVICE_NOT_FOUND', 'PLUGIN_TIMEOUT',
	'PLUGIN_MEMORY_LIMIT', 'PLUGIN_CRASHED', 'PLUGIN_ALREADY_LOADED', 'PLUGIN_NOT_LOADED', 'PLUGIN_HANDLER_FAILED',
]);

function isCode(value: string | undefined): value is PluginErrorCode {
	return value !== undefined && CODES.has(value);
}

/** An error to send across. */
export function toWire(error: unknown): WireError {
	if (typeof error === 'object' && error !== null) {
		const code: unknown = Reflect.get(error, 'code');
		const name: unknown = Reflect.get(error, 'name');
		const message: unknown = Reflect.get(error, 'message');
		const capability: unknown = Reflect.get(error, 'capability');
		return {
			code: typeof code === 'string' ? code : undefined,
			name: typeof name === 'string' ? name : undefined,
			message: typeof message === 'string' ? message : Object.prototype.toString.call(error),
			capability: typeof capability === 'string' ? capability : undefined,
		};
	}
	if (typeof error === 'string') return { message: error };
	return { message: typeof error === 'number' || typeof error === 'boolean' || typeof error === 'bigint' ? String(error) : `a thrown ${typeof error}` };
}

/** A wire error back to a `PluginError` (plugin codes kept; anything else becomes `fallback`). */
export function fromWire(plugin: string, error: WireError | undefined, fallback: PluginErrorCode, what: string): PluginError {
	const message = (error?.message ?? 'no details').replace(/^Plugin "[^"]*": /, '');
	if (isCode(error?.code)) return new PluginError(error.code, plugin, message, error.capability === undefined ? {} : { capability: error.capability });
	return new PluginError(fallback, plugin, `${what}: ${error?.name === undefined ? '' : `${error.name}: `}${message}`);
}

const InitSchema = z.object({
	name: z.string(),
	version: z.string(),
	isolation: z.enum(['none', 'worker', 'isolate']),
	entry: z.string(),
	config: z.unknown(),
	configExport: z.string().optional(),
	capabilities: z.array(z.string()),
	services: z.record(z.string(), z.array(z.string())),
	cpuMs: z.number(),
	memoryMb: z.number(),
});

/** Host → runtime, checked on arrival in the runtime. */
export const HostMessageSchema = z.discriminatedUnion('t', [
	z.object({ t: z.literal('init'), id: z.number(), init: InitSchema }),
	z.object({ t: z.literal('setup'), id: z.number() }),
	z.object({ t: z.literal('teardown'), id: z.number() }),
	z.object({ t: z.literal('dispatch'), id: z.number(), kind: z.enum(['event', 'hook', 'service']), target: z.string(), args: z.array(z.unknown()) }),
	z.object({ t: z.literal('result'), id: z.number(), ok: z.boolean(), value: z.unknown().optional(), error: WireErrorSchema.optional() }),
]);

/** An `Error` carrying a wire error's code and capability (what plugin code inside a runtime catches). */
export function wireToError(error: WireError | undefined): Error {
	const out = new Error(error?.message ?? 'unknown error');
	if (error?.name !== undefined) out.name = error.name;
	Object.assign(out, { code: error?.code, capability: error?.capability });
	return out;
}
