import { CoreError, CoreErrorMessages } from './CoreError.js';

/** One problem found while validating a builder's output against Discord's limits. */
export interface BuilderIssue {
	/** Dotted path of the offending field, e.g. `fields.3.value`. Empty for the root. */
	readonly path: string;
	/** What is wrong and what to change. */
	readonly message: string;
}

/**
 * Thrown by a builder's `toJSON()` when the payload breaks one of Discord's limits (a title over 256
 * characters, more than 25 fields, ...). {@link BuilderValidationError.issues} lists every problem at once.
 */
export class BuilderValidationError extends CoreError {
	/** Which builder failed (`'EmbedBuilder'`, `'ModalBuilder'`, ...). */
	public readonly builder: string;
	/** Every problem found. */
	public readonly issues: readonly BuilderIssue[];

	public constructor(builder: string, issues: readonly BuilderIssue[]) {
		super('CORE_BUILDER_VALIDATION', CoreErrorMessages.CORE_BUILDER_VALIDATION(builder, issues));
		this.builder = builder;
		this.issues = issues;
	}
}
