// In its own file: a refusal switches code generation off for the rest of the module's life.
import { describe, expect, it, vi } from 'vitest';
import { copyRecord } from '../src/lib/draft/copy.js';
import { freezeDeep } from '../src/lib/draft/freezeDeep.js';

describe('copies where code generation is disallowed', () => {
	it('keeps copying through the template when `new Function` throws', () => {
		const refused = vi.fn(function refuse(): never {
			throw new EvalError('Code generation from strings disallowed for this context');
		});
		vi.stubGlobal('Function', refused);
		try {
			const base = freezeDeep(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x${i}`, i])));
			for (let round = 0; round < 6; round++) {
				const copy = copyRecord(base);
				expect(Reflect.ownKeys(copy)).toEqual(Reflect.ownKeys(base));
				for (const key of Reflect.ownKeys(base))
					expect(Reflect.getOwnPropertyDescriptor(copy, key)).toEqual({
						value: base[key as string],
						writable: true,
						enumerable: true,
						configurable: true,
					});
			}
			expect(refused).toHaveBeenCalled();
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
