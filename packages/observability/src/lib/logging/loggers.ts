import type { Client } from '@ovenjs/core';
import { redactSecrets } from '@ovenjs/types';
import { ObservabilityError } from '../errors/ObservabilityError.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 20, info: 30, warn: 40, error: 50 };

/** One structured log record. Every string in it has been through `redactSecrets`. */
export interface LogRecord {
	readonly level: LogLevel;
	/** The message. */
	readonly msg: string;
	/** Where it came from: `'client:debug'`, `'client:warn'`, `'error:unhandled'`, `'rest:invalidRequestWarning'`. */
	readonly source: string;
	/** The shard the line is about, when it is about one. */
	readonly shard?: number;
	/** The plugin (handler label) a failure came from. */
	readonly plugin?: string;
	/** The failed extension point or listener. */
	readonly point?: string;
	/** An error's name, code and message. */
	readonly err?: { readonly name: string; readonly message: string; readonly code?: string };
}

/** The logger contract: one method that receives every record. */
export interface StructuredLogger {
	write(record: LogRecord): void;
}

/** What {@link jsonLogger} writes to (`process.stdout`, a file stream ...). */
export interface LineSink {
	write(line: string): unknown;
}

/** Options of {@link jsonLogger}. */
export interface JsonLoggerOptions {
	/** Where JSON lines go. @defaultValue `process.stdout` */
	readonly stream?: LineSink;
	/** The lowest level written. @defaultValue {@link DefaultJsonLoggerOptions.level} (`'info'`) */
	readonly level?: LogLevel;
	/** The clock (ms since 1970). @defaultValue `Date.now` */
	readonly now?: () => number;
}

/** The defaults of {@link JsonLoggerOptions} (`stream` is `process.stdout` and `now` is `Date.now`, read when the logger is made). */
export const DefaultJsonLoggerOptions = {
	level: 'info',
} as const satisfies Required<Pick<JsonLoggerOptions, 'level'>>;

/** A logger that writes one JSON object per line: `{"time":…,"level":"warn","msg":…,"source":…}`. */
export function jsonLogger(options: JsonLoggerOptions = {}): StructuredLogger {
	const stream = options.stream ?? process.stdout;
	const min = LEVELS[options.level ?? DefaultJsonLoggerOptions.level];
	const now = options.now ?? Date.now;
	return {
		write(record) {
			if (LEVELS[record.level] < min) return;
			stream.write(`${JSON.stringify({ time: now(), ...record })}\n`);
		},
	};
}

/** The part of a pino logger {@link pinoLogger} uses (pino is an optional peer dependency). */
export interface PinoLike {
	debug(object: object, message: string): void;
	info(object: object, message: string): void;
	warn(object: object, message: string): void;
	error(object: object, message: string): void;
}

/** Adapts a pino logger (or a child of one): level → pino method, `msg` → message, the rest → merged fields. */
export function pinoLogger(pino: PinoLike): StructuredLogger {
	return {
		write(record) {
			const { level, msg, ...fields } = record;
			pino[level](fields, msg);
		},
	};
}

/** Options of {@link attachLogger}. */
export interface AttachLoggerOptions {
	/**
	 * Also log the client's `client:debug` stream (verbose: every gateway step).
	 * @defaultValue {@link DefaultAttachLoggerOptions.debug} (`false`)
	 */
	readonly debug?: boolean;
}

/** The defaults of {@link AttachLoggerOptions}. */
export const DefaultAttachLoggerOptions = {
	debug: false,
} as const satisfies Required<AttachLoggerOptions>;

const SHARD_PREFIX = /^\[shard (\d+)\] /;

function errorFields(error: unknown): { readonly name: string; readonly message: string; readonly code?: string } {
	if (error instanceof Error) {
		const code: unknown = Reflect.get(error, 'code');
		return {
			name: error.name,
			message: redactSecrets(error.message),
			...(typeof code === 'string' ? { code } : {}),
		};
	}
	return { name: typeof error, message: redactSecrets(String(error)) };
}

/**
 * Sends a client's diagnostic streams to a structured logger: `client:warn` (warn), `client:debug` (debug, when
 * `options.debug`), failed handlers and listeners from `error:unhandled` (error, with the plugin that registered
 * the handler) and REST invalid-request warnings (warn). Every string is passed through `redactSecrets`, so the
 * token never reaches the log. Returns a function that detaches the logger.
 *
 * @throws {@link ObservabilityError} `OBS_INVALID_OPTION` when `logger` has no `write` method.
 */
export function attachLogger(client: Client, logger: StructuredLogger, options: AttachLoggerOptions = {}): () => void {
	const given: unknown = logger;
	if (typeof given !== 'object' || given === null || typeof Reflect.get(given, 'write') !== 'function') {
		throw ObservabilityError.of('OBS_INVALID_OPTION', [
			'attachLogger(client, logger): logger',
			'an object with a write(record) method (jsonLogger(), pinoLogger(pino), or your own)',
		]);
	}
	const bus = client.extensions;
	const label = { label: '@ovenjs/observability:logger' };
	const line = (level: LogLevel, source: string, text: string): void => {
		const redacted = redactSecrets(text);
		const shard = SHARD_PREFIX.exec(redacted);
		logger.write(
			shard === null
				? { level, msg: redacted, source }
				: { level, msg: redacted.slice(shard[0].length), source, shard: Number(shard[1]) },
		);
	};
	const disposers = [
		bus.on(
			'client:warn',
			(text) => {
				line('warn', 'client:warn', text);
			},
			label,
		),
		bus.on(
			'error:unhandled',
			(error, context) => {
				if (context.label === label.label) return;
				const err = errorFields(error);
				logger.write({
					level: 'error',
					msg: `A handler failed at ${context.point}: ${err.message}`,
					source: 'error:unhandled',
					point: context.point,
					...(context.label === undefined ? {} : { plugin: context.label }),
					err,
				});
			},
			label,
		),
		bus.on(
			'rest:invalidRequestWarning',
			(event) => {
				line(
					'warn',
					'rest:invalidRequestWarning',
					`${event.count} invalid REST requests in the last 10 minutes (the client blocks at ${event.limit}).`,
				);
			},
			label,
		),
	];
	if (options.debug ?? DefaultAttachLoggerOptions.debug) {
		disposers.push(
			bus.on(
				'client:debug',
				(text) => {
					line('debug', 'client:debug', text);
				},
				label,
			),
		);
	}
	return () => {
		for (const dispose of disposers) dispose();
	};
}
