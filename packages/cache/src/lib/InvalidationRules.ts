import type { InvalidationRule, InvalidationTarget } from './MultiTierCacheOptions.js';

/** What each gateway event invalidates (see `discordInvalidationRules` for Discord's). */
export class InvalidationRules {
	readonly #rules = new Map<string, InvalidationRule>();

	/** Registers (or replaces) the rule of `event`. */
	public add(event: string, rule: InvalidationRule): void {
		this.#rules.set(event, rule);
	}

	/** What the dispatch `event` with `data` invalidates (`undefined`: nothing, or no rule). */
	public targetOf(event: string, data: unknown): InvalidationTarget | undefined {
		return this.#rules.get(event)?.(data);
	}
}
