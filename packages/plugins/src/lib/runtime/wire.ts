/**
 * The dependency-free part of the host ↔ runtime protocol: what a worker thread or an isolate process loads. It
 * imports nothing but the error texts' table (not zod, not `@ovenjs/types`), so a plugin's thread or process starts
 * fast; the host checks what comes back with zod (`protocol.ts`).
 */
import {
	deniedCapability,
	PluginErrorMessages,
	type PluginErrorCode,
	type PluginErrorFacts,
} from '../errors/messages.js';
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
	| {
			readonly t: 'dispatch';
			readonly id: number;
			readonly kind: 'event' | 'hook' | 'service';
			readonly target: string;
			readonly args: readonly unknown[];
	  }
	| {
			readonly t: 'result';
			readonly id: number;
			readonly ok: boolean;
			readonly value?: unknown;
			readonly error?: WireError | undefined;
	  };

/** An `Error` carrying a plugin error code and a message already built (what the host maps back to `PluginError`). */
function codedError(code: string, message: string, capability?: string): Error {
	const error = new Error(message);
	error.name = `PluginError[${code}]`;
	Object.assign(error, { code, capability });
	return error;
}

/** A plugin error's code and text, as a runtime raises it (the capability for `PLUGIN_PERMISSION_DENIED`). */
export interface CodedText {
	readonly code: PluginErrorCode;
	readonly message: string;
	readonly capability: string | undefined;
}

/** The code and text of a plugin error, from the same table as `PluginError` ({@link PluginErrorMessages}). */
export function runtimeErrorText<C extends PluginErrorCode>(
	plugin: string,
	code: C,
	...facts: PluginErrorFacts[C]
): CodedText {
	const build: (...parts: PluginErrorFacts[C]) => string = PluginErrorMessages[code];
	return { code, message: `Plugin "${plugin}": ${build(...facts)}`, capability: deniedCapability(code, facts) };
}

/**
 * A plugin error raised inside a runtime (a worker, an isolate's host process), where `PluginError` is not loaded:
 * its text comes from the same table; the host maps it back to a `PluginError`.
 */
export function runtimeError<C extends PluginErrorCode>(plugin: string, code: C, ...facts: PluginErrorFacts[C]): Error {
	const text = runtimeErrorText(plugin, code, ...facts);
	return codedError(text.code, text.message, text.capability);
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
			message: typeof message === 'string' ? message : 'an error without a message',
			capability: typeof capability === 'string' ? capability : undefined,
		};
	}
	if (typeof error === 'string') return { message: error };
	return {
		message:
			typeof error === 'number' || typeof error === 'boolean' || typeof error === 'bigint'
				? String(error)
				: `a thrown ${typeof error}`,
	};
}

/** An `Error` carrying a wire error's code and capability (what plugin code inside a runtime catches). */
export function wireToError(error: WireError | undefined): Error {
	return codedError(error?.code ?? 'PLUGIN_HANDLER_FAILED', error?.message ?? 'unknown error', error?.capability);
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function isList(value: unknown): value is readonly unknown[] {
	return Array.isArray(value);
}

function isStringList(value: unknown): value is readonly string[] {
	return isList(value) && value.every((item) => typeof item === 'string');
}

function wireError(value: unknown): WireError | undefined {
	if (!isRecord(value) || typeof value.message !== 'string') return undefined;
	const text = (key: string): string | undefined => (typeof value[key] === 'string' ? value[key] : undefined);
	return { code: text('code'), name: text('name'), message: value.message, capability: text('capability') };
}

function isInit(value: unknown): value is RemoteInit {
	return (
		isRecord(value) &&
		typeof value.name === 'string' &&
		typeof value.version === 'string' &&
		(value.isolation === 'none' || value.isolation === 'worker' || value.isolation === 'isolate') &&
		typeof value.entry === 'string' &&
		(value.configExport === undefined || typeof value.configExport === 'string') &&
		isStringList(value.capabilities) &&
		isRecord(value.services) &&
		typeof value.cpuMs === 'number' &&
		typeof value.memoryMb === 'number'
	);
}

/** Checks a host message on arrival in the runtime (`undefined` when malformed). */
export function parseHostMessage(raw: unknown): HostMessage | undefined {
	if (!isRecord(raw) || typeof raw.id !== 'number') return undefined;
	const id = raw.id;
	switch (raw.t) {
		case 'init':
			return isInit(raw.init) ? { t: 'init', id, init: raw.init } : undefined;
		case 'setup':
		case 'teardown':
			return { t: raw.t, id };
		case 'dispatch':
			return (raw.kind === 'event' || raw.kind === 'hook' || raw.kind === 'service') &&
				typeof raw.target === 'string' &&
				isList(raw.args)
				? { t: 'dispatch', id, kind: raw.kind, target: raw.target, args: raw.args }
				: undefined;
		case 'result':
			return typeof raw.ok === 'boolean'
				? { t: 'result', id, ok: raw.ok, value: raw.value, error: wireError(raw.error) }
				: undefined;
		default:
			return undefined;
	}
}
