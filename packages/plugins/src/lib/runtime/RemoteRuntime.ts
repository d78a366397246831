import { PluginError, type PluginErrorCode, type PluginErrorFacts } from '../errors/PluginError.js';
import type { PluginGate } from '../PluginGate.js';
import {
	fromWire,
	RuntimeMessageSchema,
	toWire,
	type HostMessage,
	type RemoteInit,
	type RuntimeMessage,
	type WireError,
} from './protocol.js';

/** How a remote runtime ended, as its transport saw it: `PLUGIN_MEMORY_LIMIT` when the heap limit stopped it. */
export type TransportExit =
	| { readonly code: 'PLUGIN_MEMORY_LIMIT'; readonly details: PluginErrorFacts['PLUGIN_MEMORY_LIMIT'] }
	| { readonly code: 'PLUGIN_CRASHED'; readonly details: PluginErrorFacts['PLUGIN_CRASHED'] };

/** A thread or process the host talks to (a worker, a child process). */
export interface Transport {
	post(message: HostMessage): void;
	onMessage(listener: (message: unknown) => void): void;
	onExit(listener: (exit: TransportExit) => void): void;
	/** Stops it now (a runaway handler: a tight loop cannot be interrupted any other way). */
	kill(): Promise<void>;
}

/** Budgets of a remote runtime (ms). */
export interface RemoteLimits {
	readonly setupMs: number;
	readonly teardownMs: number;
	readonly handlerMs: number;
}

interface Waiting {
	resolve(value: unknown): void;
	reject(error: PluginError): void;
	readonly timer: NodeJS.Timeout;
}

/**
 * The host side of a plugin in a worker or an isolate: sends setup, teardown and dispatches with a time budget
 * each (a late answer kills the runtime: `PLUGIN_TIMEOUT`), and answers the plugin's `ctx` calls through its gate.
 */
export class RemoteRuntime {
	readonly #transport: Transport;
	readonly #gate: PluginGate;
	readonly #limits: RemoteLimits;
	readonly #waiting = new Map<number, Waiting>();
	readonly #onFailure: (error: PluginError) => void;
	readonly #report: (error: PluginError) => void;
	#seq = 0;
	#dead: PluginError | undefined;

	/**
	 * @param onFailure - the runtime stopped (crash, time or memory limit): called once.
	 * @param report - a handler failed (the runtime goes on).
	 */
	public constructor(
		transport: Transport,
		gate: PluginGate,
		limits: RemoteLimits,
		onFailure: (error: PluginError) => void,
		report: (error: PluginError) => void,
	) {
		this.#transport = transport;
		this.#report = report;
		this.#gate = gate;
		this.#limits = limits;
		this.#onFailure = onFailure;
		transport.onMessage((message) => {
			this.#receive(message);
		});
		transport.onExit((exit) => {
			this.#die(PluginError.of(exit.code, gate.plugin, exit.details));
		});
	}

	/** Whether the runtime stopped (crash, limit, kill). */
	public get dead(): boolean {
		return this.#dead !== undefined;
	}

	/** Loads the module and validates the config there; resolves with the validated config. */
	public init(init: RemoteInit): Promise<unknown> {
		return this.#request(
			(id) => ({ t: 'init', id, init }),
			this.#limits.setupMs,
			'loading the module',
			'PLUGIN_INVALID_DEFINITION',
		);
	}

	/** Runs `setup(ctx)` (and waits for the registrations it made). */
	public async setup(): Promise<void> {
		await this.#request((id) => ({ t: 'setup', id }), this.#limits.setupMs, 'setup', 'PLUGIN_CRASHED');
	}

	/** Runs `teardown(ctx)`. */
	public async teardown(): Promise<void> {
		if (this.#dead !== undefined) return;
		await this.#request((id) => ({ t: 'teardown', id }), this.#limits.teardownMs, 'teardown', 'PLUGIN_CRASHED');
	}

	/** Runs the plugin's handlers of an event, a hook or a service method. */
	public dispatch(kind: 'event' | 'hook' | 'service', target: string, args: readonly unknown[]): Promise<unknown> {
		const label = kind === 'service' ? `service ${target.replace('\u0000', '.')}` : `${kind} ${target}`;
		return this.#request(
			(id) => ({ t: 'dispatch', id, kind, target, args }),
			this.#limits.handlerMs,
			label,
			'PLUGIN_HANDLER_FAILED',
		);
	}

	/** Stops the runtime (no teardown). */
	public async kill(): Promise<void> {
		this.#dead ??= PluginError.of('PLUGIN_NOT_LOADED', this.#gate.plugin, [{ kind: 'unloaded' }]);
		this.#rejectAll(this.#dead);
		await this.#transport.kill();
	}

	#request(
		build: (id: number) => HostMessage,
		budgetMs: number,
		what: string,
		fallback: PluginErrorCode,
	): Promise<unknown> {
		if (this.#dead !== undefined) return Promise.reject(this.#dead);
		const id = ++this.#seq;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				const limit =
					what === 'setup' || what === 'loading the module'
						? 'setupMs'
						: what === 'teardown'
							? 'teardownMs'
							: 'handlerMs';
				this.#fail(PluginError.of('PLUGIN_TIMEOUT', this.#gate.plugin, [what, budgetMs, limit, 'stopped']));
			}, budgetMs);
			this.#waiting.set(id, { resolve, reject, timer });
			try {
				this.#transport.post(build(id));
			} catch (error) {
				clearTimeout(timer);
				this.#waiting.delete(id);
				reject(
					PluginError.from(
						this.#gate.plugin,
						error,
						'PLUGIN_HANDLER_FAILED',
						`${what}: the arguments could not be sent (plain data only)`,
					),
				);
			}
		}).then(undefined, (error: unknown) => {
			if (error instanceof PluginError) throw error;
			const wire: WireError | undefined =
				typeof error === 'object' && error !== null && 'message' in error ? toWire(error) : undefined;
			throw fromWire(this.#gate.plugin, wire, fallback, what);
		});
	}

	#receive(raw: unknown): void {
		const parsed = RuntimeMessageSchema.safeParse(raw);
		if (!parsed.success) {
			this.#fail(PluginError.of('PLUGIN_CRASHED', this.#gate.plugin, [{ kind: 'malformed-message' }]));
			return;
		}
		const message: RuntimeMessage = parsed.data;
		if (message.t === 'done') {
			const waiting = this.#waiting.get(message.id);
			if (waiting === undefined) return;
			this.#waiting.delete(message.id);
			clearTimeout(waiting.timer);
			if (message.ok) waiting.resolve(message.value);
			else {
				const error = fromWire(this.#gate.plugin, message.error, 'PLUGIN_HANDLER_FAILED', 'threw');
				waiting.reject(error);
				// A limit hit inside the runtime (an isolate's CPU or heap) ends the plugin.
				if (error.code === 'PLUGIN_TIMEOUT' || error.code === 'PLUGIN_MEMORY_LIMIT') this.#fail(error);
			}
			return;
		}
		if (message.t === 'post') {
			if (message.op === 'log') {
				const [level, text, data] = message.args;
				const lvl =
					level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? level : 'info';
				this.#gate.log(lvl, text, data);
			}
			return;
		}
		const { id, op, args } = message;
		this.#answer(op, args).then(
			(value) => {
				this.#post({ t: 'result', id, ok: true, value });
			},
			(error: unknown) => {
				this.#post({ t: 'result', id, ok: false, error: toWire(error) });
			},
		);
	}

	#post(message: HostMessage): void {
		if (this.#dead !== undefined) return;
		try {
			this.#transport.post(message);
		} catch (error) {
			this.#transport.post({
				t: 'result',
				id: message.id,
				ok: false,
				error: toWire(
					PluginError.from(
						this.#gate.plugin,
						error,
						'PLUGIN_HANDLER_FAILED',
						'the answer could not be sent (plain data only)',
					),
				),
			});
		}
	}

	async #answer(op: string, args: readonly unknown[]): Promise<unknown> {
		const gate = this.#gate;
		const str = (value: unknown): string => (typeof value === 'string' ? value : String(value));
		const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
		switch (op) {
			case 'on': {
				const event = str(args[0]);
				gate.on(event, (...eventArgs) =>
					this.dispatch('event', event, eventArgs).then(undefined, (error: unknown) => {
						this.#handlerFailed(error);
					}),
				);
				return undefined;
			}
			case 'hook': {
				const point = str(args[0]);
				const hookId = str(args[1]);
				const priority = typeof args[2] === 'number' ? args[2] : 0;
				gate.hook(
					point,
					(...hookArgs) =>
						this.dispatch('hook', hookId, hookArgs).then(undefined, (error: unknown) => {
							this.#handlerFailed(error);
						}),
					priority,
				);
				return undefined;
			}
			case 'api':
				return gate.api(str(args[0]), str(args[1]), list(args[2]));
			case 'rest':
				return gate.request(str(args[0]), str(args[1]), args[2]);
			case 'cache':
				return gate.cache(str(args[0]), list(args[1]));
			case 'state.get':
				return gate.stateGet();
			case 'state.set':
				await gate.stateSet(args[0]);
				return undefined;
			case 'provide': {
				const name = str(args[0]);
				const methods = list(args[1]).map(str);
				gate.provide(name, methods, (method, callArgs) =>
					this.dispatch('service', `${name}\u0000${method}`, callArgs),
				);
				return undefined;
			}
			case 'use':
				return gate.use(str(args[0])).call(str(args[1]), list(args[2]));
			default:
				throw PluginError.of('PLUGIN_CRASHED', gate.plugin, [{ kind: 'unknown-operation', op }]);
		}
	}

	/** A failed handler: reported, unless it is the failure that stopped the runtime (reported once, as such). */
	#handlerFailed(error: unknown): undefined {
		if (error !== this.#dead && error instanceof PluginError) this.#report(error);
		return undefined;
	}

	#fail(error: PluginError): void {
		if (this.#dead !== undefined) return;
		this.#die(error);
		void this.#transport.kill();
	}

	#die(error: PluginError): void {
		if (this.#dead !== undefined) return;
		this.#dead = error;
		this.#rejectAll(error);
		this.#onFailure(error);
	}

	#rejectAll(error: PluginError): void {
		for (const [id, waiting] of this.#waiting) {
			clearTimeout(waiting.timer);
			this.#waiting.delete(id);
			waiting.reject(error);
		}
	}
}
