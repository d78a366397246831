import type { z } from 'zod';
import { BuilderValidationError, type BuilderIssue } from '../errors/BuilderValidationError.js';

/**
 * Validates `data` against `schema` and returns it unchanged, or throws a {@link BuilderValidationError} listing
 * every issue with its path.
 */
export function validateBuilder<T>(builder: string, schema: z.ZodType, data: T): T {
	const result = schema.safeParse(data);
	if (result.success) return data;
	const issues: BuilderIssue[] = result.error.issues.map((issue) => ({
		path: issue.path.map(String).join('.'),
		message: issue.message,
	}));
	throw new BuilderValidationError(builder, issues);
}

/** `"must be at most N characters"` as a zod error message. */
export function maxChars(limit: number): { error: string } {
	return { error: `must be at most ${limit} characters` };
}

/** `"must be at least N characters"` as a zod error message. */
export function minChars(limit: number): { error: string } {
	return { error: `must be at least ${limit} character${limit === 1 ? '' : 's'}` };
}

/** `"must have at most N items"` as a zod error message. */
export function maxItems(limit: number, what: string): { error: string } {
	return { error: `must have at most ${limit} ${what}` };
}
