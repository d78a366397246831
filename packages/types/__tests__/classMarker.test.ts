import { describe, expect, it } from 'vitest';
import { classMarker, hasClassMarker, markClass } from '@ovenjs/types';

/** Two independent copies of the same class, as an ESM and a CJS build of one package would give. */
function makeCopy(): { Base: new () => object; Child: new () => object } {
	class Base {
		static {
			markClass(this, 'test.Base');
		}

		public readonly kind: string = 'base';
	}
	class Child extends Base {
		static {
			markClass(this, 'test.Child');
		}
	}
	return { Base, Child };
}

describe('markClass', () => {
	const a = makeCopy();
	const b = makeCopy();

	it('matches instances across copies, subclasses included', () => {
		expect(a.Base).not.toBe(b.Base);
		expect(new b.Base()).toBeInstanceOf(a.Base);
		expect(new a.Base()).toBeInstanceOf(b.Base);
		expect(new b.Child()).toBeInstanceOf(a.Base);
		expect(new b.Child()).toBeInstanceOf(a.Child);
		expect(new a.Base()).not.toBeInstanceOf(b.Child);
	});

	it('rejects what is not an instance', () => {
		for (const value of [null, undefined, 1, 'x', {}, [], () => 1, Object.create(null) as object]) {
			expect(value instanceof a.Base).toBe(false);
		}
		expect({ [classMarker('test.Base')]: false } instanceof a.Base).toBe(false);
	});

	it('an unmarked user subclass keeps the ordinary prototype check', () => {
		class Mine extends a.Base {}
		expect(new Mine()).toBeInstanceOf(Mine);
		expect(new Mine()).toBeInstanceOf(a.Base);
		expect(new Mine()).toBeInstanceOf(b.Base);
		expect(new a.Base()).not.toBeInstanceOf(Mine);
		expect(new b.Child()).not.toBeInstanceOf(Mine);
	});

	it('exposes the marker without making it enumerable', () => {
		const instance = new a.Child();
		expect(hasClassMarker(instance, 'test.Child')).toBe(true);
		expect(hasClassMarker(instance, 'test.Other')).toBe(false);
		expect(Object.keys(Object.getPrototypeOf(instance) as object)).toEqual([]);
		expect(JSON.stringify(instance)).toBe('{"kind":"base"}');
	});
});
