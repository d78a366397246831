import { describe, expect, it } from 'vitest';
import { seeded } from '@ovenjs/test-services/seeded';
import { asChannelId, asMessageId, type Message } from '@ovenjs/types';
import { MessageWindow } from '../src/lib/entities/MessageWindow.js';

const channelId = asChannelId('290926798999357250');

function message(n: number, content = `m${n}`): Message {
	// Only the fields the window reads (the ID) and the test compares (the content) matter here.
	const value: Partial<Message> = {
		id: asMessageId(String(334385199974967042n + BigInt(n))),
		channel_id: channelId,
		content,
	};
	return value as Message;
}

/** The semantics the window replaces: a `Map` in insertion order, `set` in place, the oldest evicted past `limit`. */
class MapModel {
	readonly #map = new Map<string, Message>();
	public constructor(readonly limit: number) {}
	public set(value: Message): void {
		this.#map.set(value.id, value);
		if (this.#map.size > this.limit) {
			const oldest = this.#map.keys().next();
			if (oldest.done !== true) this.#map.delete(oldest.value);
		}
	}
	public delete(id: string): boolean {
		return this.#map.delete(id);
	}
	public get(id: string): Message | undefined {
		return this.#map.get(id);
	}
	public values(): Message[] {
		return [...this.#map.values()];
	}
}

describe('MessageWindow', () => {
	it('keeps the newest `limit` messages oldest first, replaces in place, and evicts one per new message', () => {
		const window = new MessageWindow(3);
		for (let n = 0; n < 5; n++) window.set(message(n));
		// Past twice the limit the slots were compacted: the order is kept.
		expect([...window.values()].map((m) => m.content)).toEqual(['m2', 'm3', 'm4']);
		expect(window.size).toBe(3);
		expect(window.get(message(1).id)).toBeUndefined();
		expect(window.get(message(2).id)?.content).toBe('m2');
		window.set(message(2, 'edited'));
		expect([...window.values()].map((m) => m.content)).toEqual(['edited', 'm3', 'm4']);
		window.set(message(5));
		expect([...window.values()].map((m) => m.content)).toEqual(['m3', 'm4', 'm5']);
		expect(window.get(message(2).id)).toBeUndefined();
	});

	it('deletes, counts a deleted slot as free (as a Map would), re-adds a deleted ID as the newest, and tolerates deletion while iterating', () => {
		const window = new MessageWindow(4);
		for (let n = 0; n < 6; n++) window.set(message(n));
		// Window: m2 m3 m4 m5; slots m0 m1 were evicted before them.
		expect(window.delete(message(3).id)).toBe(true);
		expect(window.delete(message(3).id)).toBe(false);
		expect(window.delete(message(1).id)).toBe(false);
		expect(window.size).toBe(3);
		window.set(message(3, 'back'));
		expect([...window.values()].map((m) => m.content)).toEqual(['m2', 'm4', 'm5', 'back']);
		for (const value of window.values()) window.delete(value.id);
		expect(window.size).toBe(0);
		expect([...window.values()]).toEqual([]);
	});

	it('a limit below 1 keeps one message', () => {
		const window = new MessageWindow(0);
		window.set(message(0));
		window.set(message(1));
		expect([...window.values()].map((m) => m.content)).toEqual(['m1']);
	});

	it('agrees with the Map it replaces over random sets, updates, deletes and reads', () => {
		for (const limit of [1, 2, 3, 7, 100]) {
			const random = seeded(limit * 7919);
			const window = new MessageWindow(limit);
			const model = new MapModel(limit);
			let next = 0;
			for (let step = 0; step < 5_000; step++) {
				const roll = random();
				// Mostly new messages; otherwise an ID from around the window (cached, evicted or never seen).
				const n = roll < 0.6 ? next++ : Math.max(0, next - 1 - Math.floor(random() * limit * 2.5));
				if (roll < 0.8) {
					const value = message(n, `v${step}`);
					window.set(value);
					model.set(value);
				} else if (roll < 0.9) {
					expect(window.delete(message(n).id)).toBe(model.delete(message(n).id));
				} else {
					expect(window.get(message(n).id)).toBe(model.get(message(n).id));
				}
				expect(window.size).toBe(model.values().length);
			}
			expect([...window.values()]).toEqual(model.values());
		}
	});
});
