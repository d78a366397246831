import { RestError } from '../errors/RestError.js';

const isList = (value: unknown): value is readonly unknown[] => Array.isArray(value);

/**
 * Checks the options of `new REST()` whose type a JavaScript caller (or a config file) can get wrong, before
 * anything uses them: a bad value throws `REST_INVALID_OPTION` at construction instead of crashing on the first
 * 429 or being sent as a broken header. Numbers are checked where they are read ({@link positive}).
 */
export function checkOptionTypes(options: object): void {
	const value = (name: string): unknown => Reflect.get(options, name);
	const fail = (name: string, expected: string): never => {
		const got = value(name);
		throw RestError.of('REST_INVALID_OPTION', [
			`option "${name}"`,
			`must be ${expected}; got ${Array.isArray(got) ? 'an array' : typeof got}`,
		]);
	};
	const reject = value('rejectOnRateLimit');
	if (reject !== undefined && typeof reject !== 'boolean' && typeof reject !== 'function') {
		if (!isList(reject) || !reject.every((prefix) => typeof prefix === 'string')) {
			fail('rejectOnRateLimit', 'true, false, an array of route prefixes (strings) or a function');
		}
	}
	for (const name of ['coalesceGets'] as const) {
		const v = value(name);
		if (v !== undefined && typeof v !== 'boolean') fail(name, 'a boolean');
	}
	for (const name of ['api', 'version', 'userAgentAppendix'] as const) {
		const v = value(name);
		if (v !== undefined && typeof v !== 'string') fail(name, 'a string');
	}
	const appendix = value('userAgentAppendix');
	if (typeof appendix === 'string' && !/^[\x20-\x7e]*$/.test(appendix)) {
		throw RestError.of('REST_INVALID_OPTION', [
			'option "userAgentAppendix"',
			'must be printable ASCII (no CR, LF or other control characters)',
		]);
	}
	const prefix = value('authPrefix');
	if (prefix !== undefined && prefix !== 'Bot' && prefix !== 'Bearer') fail('authPrefix', "'Bot' or 'Bearer'");
	const store = value('store');
	if (store !== undefined && !hasMethods(store, ['acquire', 'complete']))
		fail('store', 'a RateLimitStore (an object with acquire() and complete())');
	const emitter = value('emitter');
	if (emitter !== undefined && !hasMethods(emitter, ['has', 'emit', 'transform']))
		fail('emitter', 'an ExtensionPointEmitter (has(), emit() and transform())');
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
	return (
		typeof value === 'object' &&
		value !== null &&
		names.every((name) => typeof Reflect.get(value, name) === 'function')
	);
}

/**
 * A number option: finite and positive (or also 0 with `allowZero`, or also `Infinity` with `allowInfinity`),
 * otherwise `REST_INVALID_OPTION`.
 */
export function positive(name: string, value: unknown, allowZero = false, allowInfinity = false): number {
	const ok =
		typeof value === 'number' &&
		!Number.isNaN(value) &&
		(Number.isFinite(value) || (allowInfinity && value > 0)) &&
		(value > 0 || (allowZero && value === 0));
	if (!ok) {
		const kind = allowZero ? 'non-negative' : 'positive';
		throw RestError.of('REST_INVALID_OPTION', [
			`option "${name}"`,
			`must be a ${kind}${allowInfinity ? '' : ' finite'} number; got ${String(value)}`,
		]);
	}
	return value;
}
