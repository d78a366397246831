import { describe, expect, it, vi } from 'vitest';
import { Emitter, TypesError, isPromiseLike, isRecord, type ListenerFailurePhase } from '../src/index.js';

interface Events {
	message: [text: string, id: number];
	close: [];
}

class Recording extends Emitter<Events> {
	public readonly failures: { error: unknown; event: keyof Events; phase: ListenerFailurePhase }[] = [];
	protected override onListenerError(error: unknown, event: keyof Events, phase: ListenerFailurePhase): void {
		this.failures.push({ error, event, phase });
	}
}

describe('Emitter', () => {
	it('calls listeners in registration order with the arguments, and reports whether anyone listened', () => {
		const emitter = new Emitter<Events>();
		const calls: string[] = [];
		emitter.on('message', (text, id) => calls.push(`a:${text}:${id}`));
		emitter.on('message', (text) => calls.push(`b:${text}`));
		expect(emitter.emit('message', 'hi', 1)).toBe(true);
		expect(emitter.emit('close')).toBe(false);
		expect(calls).toEqual(['a:hi:1', 'b:hi']);
		expect(emitter.listenerCount('message')).toBe(2);
		expect(emitter.hasListeners('message')).toBe(true);
		expect(emitter.hasListeners('close')).toBe(false);
	});

	it('runs once listeners once, removes listeners, and applies changes made during an emit from the next emit', () => {
		const emitter = new Emitter<Events>();
		const calls: string[] = [];
		const late = (): void => {
			calls.push('late');
		};
		emitter.once('close', () => {
			calls.push('once');
			emitter.on('close', late);
		});
		emitter.emit('close');
		emitter.emit('close');
		emitter.off('close', late);
		emitter.emit('close');
		expect(calls).toEqual(['once', 'late']);
		expect(emitter.hasListeners('close')).toBe(false);
		emitter.on('close', late).on('message', () => undefined);
		emitter.removeAllListeners('close');
		expect(emitter.hasListeners('message')).toBe(true);
		emitter.removeAllListeners();
		expect(emitter.hasListeners('message')).toBe(false);
	});

	it('keeps calling the other listeners when one throws or rejects, and reports both failures', async () => {
		const emitter = new Recording();
		const after = vi.fn();
		emitter.on('message', () => {
			throw new Error('sync boom');
		});
		emitter.on('message', () => Promise.reject(new Error('async boom')));
		emitter.on('message', after);
		emitter.emit('message', 'x', 2);
		await new Promise((resolve) => setImmediate(resolve));
		expect(after).toHaveBeenCalledWith('x', 2);
		expect(emitter.failures.map(({ event, phase }) => `${event}:${phase}`)).toEqual([
			'message:sync',
			'message:async',
		]);
	});

	it('warns by default, with registered secrets redacted', async () => {
		const { registerSecret, unregisterSecret } = await import('../src/index.js');
		const secret = 'MTIzNDU2Nzg5.secret-token-value';
		registerSecret(secret);
		const warnings: string[] = [];
		const onWarning = (warning: Error): void => {
			warnings.push(warning.message);
		};
		process.on('warning', onWarning);
		try {
			const emitter = new Emitter<Events>();
			emitter.on('close', () => {
				throw new Error(`leaked ${secret}`);
			});
			emitter.emit('close');
			await new Promise((resolve) => setTimeout(resolve, 10));
		} finally {
			process.off('warning', onWarning);
			unregisterSecret(secret);
		}
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('[REDACTED]');
		expect(warnings[0]).not.toContain(secret);
	});

	it('waitFor resolves with the next matching event and never leaves a listener behind', async () => {
		const emitter = new Emitter<Events>();
		const waiting = emitter.waitFor('message', { filter: (_text, id) => id === 2 });
		emitter.emit('message', 'first', 1);
		emitter.emit('message', 'second', 2);
		await expect(waiting).resolves.toEqual(['second', 2]);
		expect(emitter.hasListeners('message')).toBe(false);
	});

	it('waitFor rejects on timeout with TYPES_EVENT_TIMEOUT, on abort with the reason, and on a bad timeout', async () => {
		const emitter = new Emitter<Events>();
		await expect(emitter.waitFor('close', { timeout: 5 })).rejects.toMatchObject({ code: 'TYPES_EVENT_TIMEOUT' });
		const controller = new AbortController();
		const aborted = emitter.waitFor('close', { signal: controller.signal });
		controller.abort(new Error('stop'));
		await expect(aborted).rejects.toThrow('stop');
		await expect(emitter.waitFor('close', { signal: controller.signal })).rejects.toThrow('stop');
		const bad = emitter.waitFor('close', { timeout: -1 });
		await expect(bad).rejects.toBeInstanceOf(TypesError);
		await expect(bad).rejects.toMatchObject({ code: 'TYPES_INVALID_OPTION' });
		expect(emitter.hasListeners('close')).toBe(false);
	});
});

describe('guards', () => {
	it('isRecord accepts plain objects only; isPromiseLike accepts thenables', () => {
		expect([isRecord({}), isRecord([]), isRecord(null), isRecord('x')]).toEqual([true, false, false, false]);
		expect([
			isPromiseLike(Promise.resolve()),
			isPromiseLike({ then: () => undefined }),
			isPromiseLike({}),
			isPromiseLike(undefined),
		]).toEqual([true, true, false, false]);
	});
});
