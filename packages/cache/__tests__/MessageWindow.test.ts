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

const contents = (window: MessageWindow): (string | undefined)[] => [...window.values()].map((m) => m.content);

/** The semantics the window replaces: a `Map` in insertion order, `set` in place, the oldest evicted past `limit`. */
class MapModel {
	readonly #map = new Map<string, Message>();
	public constructor(readonly limit: number) {}
	public set(value: Message): void {
		this.#map.set(value.id, value);
		while (this.#map.size > this.limit) {
			const oldest = this.#map.keys().next();
			if (oldest.done === true) break;
			this.#map.delete(oldest.value);
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
		expect(contents(window)).toEqual(['m2', 'm3', 'm4']);
		expect(window.size).toBe(3);
		expect(window.get(message(1).id)).toBeUndefined();
		expect(window.get(message(2).id)?.content).toBe('m2');
		window.set(message(2, 'edited'));
		expect(contents(window)).toEqual(['edited', 'm3', 'm4']);
		window.set(message(5));
		expect(contents(window)).toEqual(['m3', 'm4', 'm5']);
		expect(window.get(message(2).id)).toBeUndefined();
	});

	it('deletes, counts a deleted slot as free (as a Map would), re-adds a deleted ID as the newest, and tolerates deletion while iterating', () => {
		const window = new MessageWindow(4);
		for (let n = 0; n < 6; n++) window.set(message(n));
		// Window: m2 m3 m4 m5; m0 and m1 were evicted before them.
		expect(window.delete(message(3).id)).toBe(true);
		expect(window.delete(message(3).id)).toBe(false);
		expect(window.delete(message(1).id)).toBe(false);
		expect(window.size).toBe(3);
		window.set(message(3, 'back'));
		expect(contents(window)).toEqual(['m2', 'm4', 'm5', 'back']);
		for (const value of window.values()) window.delete(value.id);
		expect(window.size).toBe(0);
		expect([...window.values()]).toEqual([]);
	});

	it('rounds the limit down as the Map did: below 1 keeps none, Infinity keeps all', () => {
		for (const [limit, kept] of [
			[0, []],
			[0.5, []],
			[2.7, ['m1', 'm2']],
			[Infinity, ['m0', 'm1', 'm2']],
		] as const) {
			const window = new MessageWindow(limit);
			for (let n = 0; n < 3; n++) window.set(message(n));
			expect(contents(window)).toEqual(kept);
		}
	});

	it('holds at most twice what it caches, also with no limit and every message deleted again', () => {
		const unlimited = new MessageWindow(Infinity);
		for (let n = 0; n < 10_000; n++) {
			unlimited.set(message(n));
			if (n % 10 !== 0) unlimited.delete(message(n).id);
		}
		expect(unlimited.size).toBe(1_000);
		expect(unlimited.slotCount).toBeLessThanOrEqual(2 * 1_000);
		const churned = new MessageWindow(100);
		for (let n = 0; n < 10_000; n++) {
			churned.set(message(n));
			churned.delete(message(n).id);
		}
		expect(churned.size).toBe(0);
		expect(churned.slotCount).toBeLessThanOrEqual(2 * 16);
	});

	it('never visits a deleted message when a store compacts the slots mid-iteration', () => {
		const window = new MessageWindow(2);
		window.set(message(0));
		window.set(message(1));
		const iterator = window.values();
		const first = iterator.next();
		expect(first.done === true ? undefined : first.value.content).toBe('m0');
		window.set(message(2));
		window.set(message(3)); // compacts: the iterator keeps its array
		window.delete(message(2).id);
		window.set(message(4));
		const rest: (string | undefined)[] = [];
		for (let step = iterator.next(); step.done !== true; step = iterator.next()) rest.push(step.value.content);
		expect(rest).toEqual(['m3']);
	});

	it('agrees with the Map it replaces over random sets, updates, deletes and reads, in bursts of each', () => {
		for (const limit of [1, 2, 3, 7, 100, Infinity]) {
			const random = seeded(limit === Infinity ? 4_242 : limit * 7_919);
			const window = new MessageWindow(limit);
			const model = new MapModel(limit);
			const reach = limit === Infinity ? 300 : limit * 2.5;
			let next = 0;
			let peak = 0;
			for (let step = 0; step < 6_000; step++) {
				// Phases of 500 steps: mostly new messages, then mostly deletes (emptying and refilling the window).
				const deleting = Math.floor(step / 500) % 2 === 1;
				const roll = random();
				const pick = random();
				// A new ID, an ID from around the window (cached, evicted or deleted), or one never seen.
				const n =
					pick < (deleting ? 0.1 : 0.6)
						? next++
						: pick < 0.95
							? Math.max(0, next - 1 - Math.floor(random() * reach))
							: 1_000_000 + step;
				if (roll < (deleting ? 0.25 : 0.8)) {
					const value = message(n, `v${step}`);
					window.set(value);
					model.set(value);
				} else if (roll < 0.9) {
					expect(window.delete(message(n).id)).toBe(model.delete(message(n).id));
				} else {
					expect(window.get(message(n).id)).toBe(model.get(message(n).id));
				}
				expect(window.size).toBe(model.values().length);
				expect([...window.values()]).toEqual(model.values());
				// Slots only grow on an insert, below twice the limit and twice what was cached then (16 at least).
				peak = Math.max(peak, window.size);
				expect(window.slotCount).toBeLessThan(2 * Math.min(limit, Math.max(peak, 16)));
			}
		}
	});
});
