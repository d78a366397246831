import { MockError } from '../errors/MockError.js';
import type { GatewayConnection } from './GatewayConnection.js';
import type { GatewaySession } from './GatewaySession.js';

/**
 * The gateway's sessions by ID, attached or detached-but-resumable: ends them, expires detached ones after the
 * resume window, and wakes whoever waits for sessions to go live.
 */
export class SessionRegistry {
	/** Sessions by ID (the map is read on every dispatch: iterate it, never copy it). */
	public readonly byId = new Map<string, GatewaySession>();
	readonly #resumeTimeoutMs: number;
	#waiters: (() => void)[] = [];

	public constructor(resumeTimeoutMs: number) {
		this.#resumeTimeoutMs = resumeTimeoutMs;
	}

	/** Sessions with a live connection. */
	public live(): GatewaySession[] {
		return [...this.byId.values()].filter((session) => session.connection?.open === true);
	}

	/** Registers a new session. */
	public add(session: GatewaySession): void {
		this.byId.set(session.id, session);
	}

	/** Ends a session: it can no longer be resumed and gets no more dispatches. */
	public end(session: GatewaySession): void {
		session.resumable = false;
		this.byId.delete(session.id);
	}

	/** Ends the session of `connection` (op 9 with `d: false`): the client must identify again on this socket. */
	public invalidate(connection: GatewayConnection): void {
		if (connection.session !== undefined) this.end(connection.session);
		connection.session = undefined;
		connection.authenticated = false;
	}

	/** Ends sessions that have been disconnected for longer than the resume window (frees their replay buffers). */
	public sweepDetached(): void {
		const cutoff = Date.now() - this.#resumeTimeoutMs;
		for (const session of this.byId.values()) {
			if (session.connection === undefined && session.detachedAt !== 0 && session.detachedAt < cutoff)
				this.end(session);
		}
	}

	/** Called once a session went live (READY and GUILD_CREATEs sent, or RESUMED). */
	public wake(): void {
		const waiters = this.#waiters;
		this.#waiters = [];
		for (const wake of waiters) wake();
	}

	/** Resolves once at least `count` sessions are live; rejects with `MOCK_WAIT_TIMEOUT` after `timeoutMs`. */
	public async waitFor(count: number, timeoutMs: number): Promise<GatewaySession[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.live().length < count) {
			const remaining = deadline - Date.now();
			if (remaining <= 0)
				throw MockError.of('MOCK_WAIT_TIMEOUT', [
					`${count} live gateway session(s)`,
					timeoutMs,
					String(this.live().length),
				]);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, remaining);
				timer.unref();
				this.#waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
		return this.live();
	}

	/** Forgets every session. */
	public clear(): void {
		this.byId.clear();
	}
}
